// iam-pod-isolation over states built in code; trust policies from fixtures/iam/assumable.
import { describe, expect, test } from 'vitest';
import { evaluateIamPodIsolation } from '../../harness/evaluate/iamPodIsolation.ts';
import type { Finding } from '../../harness/model/findings.ts';
import type { IamSpec } from '../../harness/model/spec.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import { cluster, control, fixtureRole, namespace, role, serviceAccount, specWith, stateWith } from './builders.ts';

const run = (iam: IamSpec | undefined, state: ClusterState): Promise<Finding[]> =>
  evaluateIamPodIsolation({ spec: specWith(iam), state, control: control('iam-pod-isolation') });
const summary = (findings: Finding[]): string[] => findings.map((f) => `${f.result}: ${f.message}`);

const irsaState = (...roles: string[]) =>
  stateWith((s) => {
    s.cloud.eksClusters.push(cluster);
    s.cloud.iamRoles.push(...roles.map(fixtureRole));
    s.kubernetes.serviceAccounts.push(
      serviceAccount('team-a', 'app'),
      serviceAccount('team-a', 'other'),
      serviceAccount('kube-system', 'evil'),
    );
  });
const teamA: IamSpec = { mode: 'irsa', tenants: [{ namespace: 'team-a', serviceAccount: 'app', role: 'team-a-app' }] };

describe('iam-pod-isolation: IRSA', () => {
  test('exact sub and aud: pass', async () => {
    const findings = await run(teamA, irsaState('team-a-app'));
    expect(summary(findings)).toEqual([
      "pass: 1 role(s) checked (1 tenant role(s)): each can be obtained only by its tenants' service accounts, and no trust admits a wildcard of service accounts (irsa).",
    ]);
  });

  test('a namespace wildcard lets the other SAs of the namespace in: one fail, naming the statement and the SAs', async () => {
    const findings = await run(
      { mode: 'irsa', tenants: [{ namespace: 'team-a', serviceAccount: 'app', role: 'team-a-any' }] },
      irsaState('team-a-any'),
    );
    expect(findings.map((f) => f.result)).toEqual(['fail']);
    expect(findings[0]?.message).toMatch(
      /^Any service account in namespace team-a can assume team-a-any, which belongs to team-a\/app: IRSA: Sid "AnyTeamA"/,
    );
    expect(findings[0]?.evidence).toContainEqual({
      type: 'observation',
      what: 'service accounts in the inputs that can assume it',
      observed: ['team-a/other'],
    });
  });

  test('no sub condition: any SA in any namespace (reported once) — also for a role no tenant owns', async () => {
    const findings = await run(teamA, irsaState('team-a-app', 'no-sub'));
    expect(findings.map((f) => f.result)).toEqual(['fail']);
    expect(findings[0]?.message).toMatch(/^Any service account in any namespace can assume no-sub: IRSA: Sid "AudienceOnly"/);
    expect(findings[0]?.subject).toMatchObject({ kind: 'IAMRole', name: 'no-sub' });
  });

  test('no aud condition: fail, a token for another audience is accepted', async () => {
    const findings = await run(
      { mode: 'irsa', tenants: [{ namespace: 'team-a', serviceAccount: 'app', role: 'no-aud' }] },
      irsaState('no-aud'),
    );
    expect(summary(findings)).toEqual([expect.stringMatching(/^fail: no-aud's trust does not require the audience sts.amazonaws.com/)]);
  });

  test("the tenant's own SA unable to assume its role: fail", async () => {
    const findings = await run(
      { mode: 'irsa', tenants: [{ namespace: 'team-a', serviceAccount: 'app', role: 'other-cluster' }] },
      irsaState('other-cluster'),
    );
    expect(summary(findings)).toEqual([
      expect.stringMatching(/^fail: Tenant team-a\/app cannot assume its role other-cluster: IRSA: no statement/),
    ]);
  });

  test('another tenant-less SA named exactly in a tenant role: fail naming it', async () => {
    const shared = role('shared', {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TwoApps',
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${cluster.oidcIssuer?.slice(8)}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${cluster.oidcIssuer?.slice(8)}:sub`]: ['system:serviceaccount:team-a:app', 'system:serviceaccount:kube-system:evil'],
              [`${cluster.oidcIssuer?.slice(8)}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ],
    });
    const state = irsaState();
    state.cloud.iamRoles.push(shared);
    const findings = await run({ mode: 'irsa', tenants: [{ namespace: 'team-a', serviceAccount: 'app', role: shared.arn }] }, state);
    expect(summary(findings)).toEqual([
      expect.stringMatching(/^fail: Kube-system\/evil can assume shared, which belongs to team-a\/app: IRSA: Sid "TwoApps"/),
    ]);
  });

  test('no tenants: roles trusting the cluster are still checked for wildcards; nothing at all is not-applicable', async () => {
    expect((await run({ mode: 'irsa', tenants: [] }, irsaState('team-a-app'))).map((f) => f.result)).toEqual(['pass']);
    expect((await run({ mode: 'irsa', tenants: [] }, irsaState('team-a-any'))).map((f) => f.result)).toEqual(['fail']);
    expect((await run({ mode: 'irsa', tenants: [] }, irsaState())).map((f) => f.result)).toEqual(['not-applicable']);
  });

  test('missing inputs are errors, never pass', async () => {
    expect(
      (
        await run(
          teamA,
          stateWith(() => {}),
        )
      ).map((f) => f.result),
    ).toEqual(['error', 'error']);
    const noCluster = irsaState('team-a-app');
    noCluster.cloud.eksClusters = [];
    expect(summary(await run(teamA, noCluster))).toEqual([expect.stringMatching(/^error: Cannot tell which EKS cluster/)]);
    expect((await run(undefined, irsaState('team-a-app'))).map((f) => f.result)).toEqual(['not-applicable']);
  });
});

describe('iam-pod-isolation: EKS Pod Identity', () => {
  const spec: IamSpec = { mode: 'pod-identity', tenants: [{ namespace: 'team-b', serviceAccount: 'app', role: 'team-b-pod-identity' }] };
  const state = (associate: string[]) =>
    stateWith((s) => {
      s.cloud.eksClusters.push(cluster);
      const r = fixtureRole('team-b-pod-identity');
      s.cloud.iamRoles.push(r);
      s.kubernetes.serviceAccounts.push(
        serviceAccount('team-b', 'app'),
        serviceAccount('team-b', 'worker'),
        serviceAccount('team-c', 'app'),
      );
      for (const ref of associate) {
        const [ns, name] = ref.split('/') as [string, string];
        s.cloud.podIdentityAssociations.push({
          clusterName: 'prod',
          namespace: ns,
          serviceAccount: name,
          roleArn: r.arn,
          associationId: `a-${ns}-${name}`,
        });
      }
    });

  test('association for the tenant only: pass', async () => {
    expect((await run(spec, state(['team-b/app']))).map((f) => f.result)).toEqual(['pass']);
  });

  test('without an association the tenant cannot assume its role', async () => {
    expect(summary(await run(spec, state([])))).toEqual([
      'fail: Tenant team-b/app cannot assume its role team-b-pod-identity: Pod Identity: no association of team-b/app with team-b-pod-identity in cluster prod.',
    ]);
  });

  test('a second association in the same namespace passes the tag condition: fail naming it', async () => {
    const findings = await run(spec, state(['team-b/app', 'team-b/worker']));
    expect(summary(findings)).toEqual([
      expect.stringMatching(
        /^fail: Team-b\/worker can assume team-b-pod-identity, which belongs to team-b\/app: Pod Identity \(sts:AssumeRole \+ sts:TagSession\): Sid "PodIdentityTeamB"/,
      ),
    ]);
  });

  test('an association from another namespace is stopped by the kubernetes-namespace tag condition', async () => {
    expect((await run(spec, state(['team-b/app', 'team-c/app']))).map((f) => f.result)).toEqual(['pass']);
  });
});

describe('iam-pod-isolation: kube2iam', () => {
  const spec: IamSpec = { mode: 'kube2iam', tenants: [{ namespace: 'team-a', serviceAccount: 'app', role: 'team-a-app' }] };
  const state = (annotations: Record<string, string | undefined>) =>
    stateWith((s) => {
      s.cloud.iamRoles.push(role('team-a-app', { Version: '2012-10-17', Statement: [] }));
      for (const [ns, allowed] of Object.entries(annotations)) {
        s.kubernetes.namespaces.push(namespace(ns, allowed === undefined ? undefined : { 'iam.amazonaws.com/allowed-roles': allowed }));
      }
    });

  test('only the tenant namespace allows the role (glob): pass, worded per namespace, not per service account', async () => {
    const s = state({ 'team-a': '["team-a-*"]', 'team-b': '["team-b-*"]', other: undefined });
    s.kubernetes.pods.push({
      metadata: { namespace: 'team-a', name: 'app-1', annotations: { 'iam.amazonaws.com/role': 'team-a-app' } },
      spec: { serviceAccountName: 'app', containers: [] },
    });
    expect(summary(await run(spec, s))).toEqual([
      "pass: 1 tenant role(s) checked: through kube2iam each is allowed (iam.amazonaws.com/allowed-roles) only in its tenants' namespaces, and no pod there uses it under another service account (kube2iam isolates namespaces, not service accounts).",
    ]);
  });

  test('a pod of the tenant namespace using the tenant role under another service account: fail naming the pod', async () => {
    const s = state({ 'team-a': '["team-a-*"]' });
    s.kubernetes.pods.push(
      {
        metadata: { namespace: 'team-a', name: 'app-1', annotations: { 'iam.amazonaws.com/role': 'team-a-app' } },
        spec: { serviceAccountName: 'app', containers: [] },
      },
      {
        metadata: {
          namespace: 'team-a',
          name: 'worker-1',
          annotations: { 'iam.amazonaws.com/role': 'arn:aws:iam::111122223333:role/team-a-app' },
        },
        spec: { serviceAccountName: 'worker', containers: [] },
      },
      {
        metadata: { namespace: 'team-a', name: 'bare', annotations: { 'iam.amazonaws.com/role': 'team-a-app' } },
        spec: { containers: [] },
      },
      {
        metadata: { namespace: 'team-a', name: 'other-role', annotations: { 'iam.amazonaws.com/role': 'team-a-other' } },
        spec: { serviceAccountName: 'worker', containers: [] },
      },
    );
    const findings = await run(spec, s);
    expect(summary(findings)).toEqual([
      'fail: Pod team-a/worker-1 (service account worker) uses role team-a-app, whose tenant is team-a/app: kube2iam cannot isolate service accounts within a namespace.',
      'fail: Pod team-a/bare (service account default) uses role team-a-app, whose tenant is team-a/app: kube2iam cannot isolate service accounts within a namespace.',
    ]);
    expect(findings[0]?.subject).toMatchObject({ kind: 'Pod', namespace: 'team-a', name: 'worker-1' });
  });

  test('a pod requesting the tenant role where its namespace does not allow it is not served: no finding for the pod', async () => {
    const s = state({ 'team-a': '["team-a-app"]', 'team-b': '["team-b-*"]' });
    s.kubernetes.pods.push({
      metadata: { namespace: 'team-b', name: 'borrower', annotations: { 'iam.amazonaws.com/role': 'team-a-app' } },
      spec: { serviceAccountName: 'app', containers: [] },
    });
    expect((await run(spec, s)).map((f) => f.result)).toEqual(['pass']);
  });

  test('a broad glob in another namespace: fail naming the namespace and the glob', async () => {
    expect(summary(await run(spec, state({ 'team-a': '["team-a-app"]', 'team-b': '["team-*"]' })))).toEqual([
      'fail: Namespace team-b is allowed to use team-a-app (tenant team-a/app) through kube2iam (iam.amazonaws.com/allowed-roles glob "team-*" matches it), so any pod in team-b can obtain it.',
    ]);
  });

  test('pods already annotated with the role in an allowing namespace are named as evidence', async () => {
    const s = state({ 'team-a': '["team-a-app"]', 'team-b': '["*"]' });
    s.kubernetes.pods.push({
      metadata: {
        namespace: 'team-b',
        name: 'borrower',
        annotations: { 'iam.amazonaws.com/role': 'arn:aws:iam::111122223333:role/team-a-app' },
      },
    });
    const [f] = await run(spec, s);
    expect(f?.evidence).toContainEqual({
      type: 'observation',
      what: 'pods annotated iam.amazonaws.com/role with this role',
      observed: ['team-b/borrower'],
    });
  });

  test('globs match ARNs too; * crosses / and :', async () => {
    expect((await run(spec, state({ 'team-a': '["team-a-app"]', ops: '["arn:aws:iam::*"]' }))).map((f) => f.result)).toEqual(['fail']);
  });

  test('the tenant namespace not allowing its role: fail; malformed annotation: error', async () => {
    expect(summary(await run(spec, state({ 'team-a': '["team-b-*"]', bad: 'team-a-app' })))).toEqual([
      'fail: Tenant namespace team-a is not allowed to use its role team-a-app through kube2iam: no glob in iam.amazonaws.com/allowed-roles matches it.',
      expect.stringMatching(/^error: Namespace bad: iam.amazonaws.com\/allowed-roles must be a JSON list/),
    ]);
  });
});
