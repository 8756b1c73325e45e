// Trust-policy verdicts per service account, through the real IAM simulator (@cloud-copilot/iam-simulate).
import { describe, expect, test } from 'vitest';
import { irsaAssumable, podIdentityAssumable } from '../../harness/evaluate/iam/assumability.ts';
import { aliasIssuer, simulateTrust } from '../../harness/evaluate/iam/trustSimulation.ts';
import type { PodIdentityAssociation } from '../../harness/model/state.ts';
import { ACCOUNT, ISSUER, cluster, fixtureRole, role } from './builders.ts';

const sa = (namespace: string, serviceAccount: string) => ({ namespace, serviceAccount });

describe('IRSA trust (token for the cluster issuer, audience sts.amazonaws.com)', () => {
  test('exact sub: only that service account', async () => {
    const r = fixtureRole('team-a-app');
    expect(await irsaAssumable(r, cluster, sa('team-a', 'app'))).toMatchObject({ assumable: true, statements: ['Sid "TeamAApp"'] });
    expect((await irsaAssumable(r, cluster, sa('team-a', 'other'))).assumable).toBe(false);
    expect((await irsaAssumable(r, cluster, sa('team-b', 'app'))).reason).toMatch(
      /^IRSA: no statement of team-a-app's trust policy allows a token for system:serviceaccount:team-b:app/,
    );
  });

  test('StringLike system:serviceaccount:team-a:* admits every SA in team-a, no other namespace', async () => {
    const r = fixtureRole('team-a-any');
    expect((await irsaAssumable(r, cluster, sa('team-a', 'anything'))).assumable).toBe(true);
    expect((await irsaAssumable(r, cluster, sa('team-ab', 'app'))).assumable).toBe(false);
  });

  test('missing sub condition: every service account of the cluster', async () => {
    const r = fixtureRole('no-sub');
    expect((await irsaAssumable(r, cluster, sa('kube-system', 'evil'))).assumable).toBe(true);
  });

  test('missing aud condition: the right SA, and also a token minted for another audience', async () => {
    const r = fixtureRole('no-aud');
    expect((await irsaAssumable(r, cluster, sa('team-a', 'app'))).assumable).toBe(true);
    expect((await irsaAssumable(r, cluster, sa('team-a', 'app'), 'vault')).assumable).toBe(true);
    expect((await irsaAssumable(fixtureRole('team-a-app'), cluster, sa('team-a', 'app'), 'vault')).assumable).toBe(false);
  });

  test("another cluster's OIDC provider does not admit this cluster's tokens", async () => {
    expect((await irsaAssumable(fixtureRole('other-cluster'), cluster, sa('team-a', 'app'))).assumable).toBe(false);
  });

  test('an explicit Deny wins and is named', async () => {
    const r = role('deny-evil', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
        },
        {
          Sid: 'NoKubeSystem',
          Effect: 'Deny',
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { [`${ISSUER}:sub`]: 'system:serviceaccount:kube-system:*' } },
        },
      ],
    });
    expect(await irsaAssumable(r, cluster, sa('kube-system', 'evil'))).toMatchObject({
      assumable: false,
      reason: expect.stringContaining('Sid "NoKubeSystem" of deny-evil\'s trust policy denies'),
    });
    expect((await irsaAssumable(r, cluster, sa('team-a', 'app'))).assumable).toBe(true);
  });

  test('the simulator really evaluates the aliased condition keys (none ignored) and refuses a colliding alias', async () => {
    const aliased = aliasIssuer(fixtureRole('team-a-app').trustPolicy, ISSUER.toUpperCase());
    expect(JSON.stringify(aliased)).not.toContain('oidc.eks');
    const google = role('google', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: 'accounts.google.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }],
    });
    await expect(irsaAssumable(google, cluster, sa('a', 'b'))).rejects.toThrow(/already mentions accounts.google.com/);
    // Unaliased IRSA keys are exactly what the simulator silently drops: we turn that into an error.
    await expect(
      simulateTrust(fixtureRole('team-a-app'), fixtureRole('team-a-app').trustPolicy, {
        action: 'sts:AssumeRoleWithWebIdentity',
        principal: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`,
        contextVariables: { [`${ISSUER}:sub`]: 'system:serviceaccount:team-a:app' },
      }),
    ).rejects.toThrow(/ignored context keys/);
  });
});

describe('EKS Pod Identity trust (pods.eks.amazonaws.com, session tags)', () => {
  const r = fixtureRole('team-b-pod-identity');
  const associations: PodIdentityAssociation[] = [
    { clusterName: 'prod', namespace: 'team-b', serviceAccount: 'app', roleArn: r.arn, associationId: 'a-1' },
    { clusterName: 'prod', namespace: 'team-c', serviceAccount: 'app', roleArn: r.arn, associationId: 'a-2' },
    { clusterName: 'staging', namespace: 'team-d', serviceAccount: 'app', roleArn: r.arn, associationId: 'a-3' },
  ];

  test('association plus matching kubernetes-namespace tag condition: assumable', async () => {
    expect(await podIdentityAssumable(r, cluster, associations, sa('team-b', 'app'))).toMatchObject({
      assumable: true,
      statements: ['Sid "PodIdentityTeamB"'],
    });
  });

  test('association but the tag condition does not match: not assumable', async () => {
    expect((await podIdentityAssumable(r, cluster, associations, sa('team-c', 'app'))).reason).toMatch(
      /^Pod Identity \(sts:AssumeRole\): no statement/,
    );
  });

  test('no association in this cluster: not assumable, whatever the trust says', async () => {
    expect((await podIdentityAssumable(r, cluster, associations, sa('team-d', 'app'))).reason).toBe(
      'Pod Identity: no association of team-d/app with team-b-pod-identity in cluster prod',
    );
  });

  test('a Deny on the kubernetes-service-account tag is honoured', async () => {
    const deny = fixtureRole('team-b-deny-sa');
    const assoc: PodIdentityAssociation[] = [
      { clusterName: 'prod', namespace: 'team-b', serviceAccount: 'batch', roleArn: deny.arn },
      { clusterName: 'prod', namespace: 'team-b', serviceAccount: 'app', roleArn: deny.arn },
    ];
    expect((await podIdentityAssumable(deny, cluster, assoc, sa('team-b', 'batch'))).reason).toContain('Sid "NotTheBatchJob"');
    expect((await podIdentityAssumable(deny, cluster, assoc, sa('team-b', 'app'))).assumable).toBe(true);
  });

  test('a trust without sts:TagSession fails: EKS always tags the session', async () => {
    const noTag = role('no-tag', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const result = await podIdentityAssumable(
      noTag,
      cluster,
      [{ clusterName: 'prod', namespace: 'x', serviceAccount: 'y', roleArn: noTag.arn }],
      sa('x', 'y'),
    );
    expect(result.reason).toMatch(/^Pod Identity \(sts:TagSession\): no statement/);
  });
});
