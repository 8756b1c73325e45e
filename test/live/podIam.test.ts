// Proof: pod IAM isolation observed from inside real pods on the live tier's cluster, which `up --aws-emulation`
// made AWS-shaped: AWS's ec2-metadata-mock at 169.254.169.254 on every node (IMDSv1 on, hop limit 2: a typical
// unhardened node) and the EKS pod identity webhook injecting IRSA. The node-role layer fails while pods reach the
// node's credentials, and passes under each documented mitigation: a NetworkPolicy egress rule excluding
// 169.254.169.254/32 (enforced by kube-router) and the node firewall rule of the EKS best-practices guide. The
// pod-isolation layer sees each tenant's role from inside its pods, a pod holding another tenant's role, and a pod
// with a static key in a mounted Secret.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetworkingV1Api } from '@kubernetes/client-node';
import { makeApiClient } from '../../harness/kubernetes/apiClient.ts';
import { waitFor } from '../../harness/kubernetes/waitFor.ts';
import { EMULATED_ACCOUNT, EMULATION_LABEL, EMULATION_NAMESPACE, IMDS_ADDRESS } from '../../harness/model/awsIdentity.ts';
import type { LiveCheckInput } from '../../harness/model/liveCheck.ts';
import type { IamTenant } from '../../harness/model/spec.ts';
import { probeNodeRoleInheritance } from '../../harness/probe/iam/nodeRoleProbe.ts';
import { probePodIsolation } from '../../harness/probe/iam/podIdentityProbe.ts';
import { newRunId } from '../../harness/provision/naming.ts';
import { spec } from '../evaluate/stateBuilder.ts';
import { core, kubeConfig, liveCluster, liveInfo, probeImage, suffix } from './support/liveCluster.ts';
import { probeInput, showFindings } from './support/probeInput.ts';
import { createTestNamespace, deleteTestNamespaces } from './support/namespaces.ts';

const api = core();
const net = makeApiClient(kubeConfig(), NetworkingV1Api);
const runId = newRunId();
const nsA = `cp-iam-a-${suffix()}`;
const nsB = `cp-iam-b-${suffix()}`;
const roleArn = (name: string): string => `arn:aws:iam::${EMULATED_ACCOUNT}:role/${name}`;
const tenants: IamTenant[] = [
  { namespace: nsA, serviceAccount: 'app', role: 'tenant-a' },
  { namespace: nsB, serviceAccount: 'app', role: roleArn('tenant-b') },
];

const input = (controlId: string): Promise<LiveCheckInput> => probeInput(controlId, spec({ iam: { mode: 'irsa', tenants } }), runId);
const show = showFindings;

async function serviceAccount(namespace: string, name: string, role: string): Promise<void> {
  await api.createNamespacedServiceAccount({
    namespace,
    body: { metadata: { name, annotations: { 'eks.amazonaws.com/role-arn': role } } },
  });
}

/** A long-running workload pod (the probe image's server) that the layer judges as a user's pod. */
async function workload(namespace: string, name: string, account: string, secret?: string): Promise<void> {
  await api.createNamespacedPod({
    namespace,
    body: {
      metadata: { name },
      spec: {
        serviceAccountName: account,
        terminationGracePeriodSeconds: 0,
        containers: [
          {
            name: 'app',
            image: probeImage(),
            imagePullPolicy: 'IfNotPresent',
            ...(secret ? { volumeMounts: [{ name: 'aws', mountPath: '/home/app/.aws', readOnly: true }] } : {}),
          },
        ],
        ...(secret ? { volumes: [{ name: 'aws', secret: { secretName: secret } }] } : {}),
      },
    },
  });
  await waitFor(
    `pod ${namespace}/${name} running`,
    async () => {
      const p = await api.readNamespacedPod({ namespace, name });
      return p.status?.phase === 'Running' ? { done: true, value: undefined } : { done: false, why: p.status?.phase ?? '?' };
    },
    { timeout: 90_000, interval: 500 },
  );
}

beforeAll(async () => {
  for (const ns of [nsA, nsB]) {
    await createTestNamespace(api, ns, runId);
    await serviceAccount(ns, 'app', roleArn(ns === nsA ? 'tenant-a' : 'tenant-b'));
  }
}, 120_000);

afterAll(async () => {
  await deleteTestNamespaces(api, [nsA, nsB]);
});

describe('iam-node-role-inheritance probe (live, AWS emulation)', () => {
  test('up installed the emulation: the metadata DaemonSet on every node and the IRSA webhook', async () => {
    const pods = await api.listNamespacedPod({ namespace: EMULATION_NAMESPACE, labelSelector: `${EMULATION_LABEL}=imds` });
    expect(pods.items.length).toBe(liveInfo().nodes.length);
  });

  test('no mitigation: a tenant pod obtains the node role and the layer fails naming pod and path', async () => {
    const findings = await probeNodeRoleInheritance(await input('iam-node-role-inheritance'));
    const a = findings.find((f) => f.subject?.name === nsA);
    expect(a?.result, show(findings)).toBe('fail');
    expect(a?.message).toMatch(/obtained node .* role credentials \(clusterproof-emulated-node-role\)/);
    expect(a?.message).toContain('v1 GET /latest/meta-data/iam/security-credentials/clusterproof-emulated-node-role');
    // Hop limit 2: the IMDSv2 token reaches a pod one hop beyond its node.
    expect(a?.message).toContain('v2 GET');
    expect(JSON.stringify(a?.evidence)).not.toContain('ASIAEMULATED'); // never a credential value
    // The emulated metadata service says how it runs, the hop limit included, in the evidence.
    expect(a?.evidence[0]).toMatchObject({
      observed: { metadataService: 'emulated', emulation: expect.stringContaining('hop limit 2 emulated') },
    });
  }, 240_000);

  test(`mitigation 1: a NetworkPolicy egress rule excluding ${IMDS_ADDRESS}/32 — pass, as the engine predicts`, async () => {
    await net.createNamespacedNetworkPolicy({
      namespace: nsA,
      body: {
        metadata: { name: 'deny-imds' },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [`${IMDS_ADDRESS}/32`] } }] }],
        },
      },
    });
    try {
      const findings = await probeNodeRoleInheritance(await input('iam-node-role-inheritance'));
      const a = findings.find((f) => f.subject?.name === nsA);
      expect(a?.result, show(findings)).toBe('pass');
      expect(a?.message).toContain('its NetworkPolicies block the metadata service, as predicted');
      expect(a?.evidence.find((e) => e.type === 'comparison')).toMatchObject({ actual: 'no answer' });
      // The other tenant, without the policy, still fails: the verdict is per namespace.
      expect(findings.find((f) => f.subject?.name === nsB)?.result).toBe('fail');
    } finally {
      await net.deleteNamespacedNetworkPolicy({ namespace: nsA, name: 'deny-imds' });
    }
  }, 240_000);

  // EKS's guide inserts the DROP at FORWARD 1; kube-router keeps its own FORWARD jump (which accepts) first, so on
  // this test bed the same rule goes in the raw table's PREROUTING, which every forwarded packet meets first.
  test('mitigation 2: the node firewall rule (EKS best practices, on the pod bridge) — pass, blocked below NetworkPolicy', async () => {
    const cluster = await liveCluster();
    const rule = ['PREROUTING', '1', '-i', 'kube-bridge', '-d', `${IMDS_ADDRESS}/32`, '-j', 'DROP'];
    for (const node of cluster.nodes) expect((await node.exec(['iptables', '-t', 'raw', '-I', ...rule])).exitCode).toBe(0);
    try {
      const findings = await probeNodeRoleInheritance(await input('iam-node-role-inheritance'));
      for (const ns of [nsA, nsB]) {
        const f = findings.find((x) => x.subject?.name === ns);
        expect(f?.result, show(findings)).toBe('pass');
        expect(f?.message).toContain('something below NetworkPolicy');
      }
    } finally {
      for (const node of cluster.nodes) await node.exec(['iptables', '-t', 'raw', '-D', rule[0] as string, ...rule.slice(2)]);
    }
  }, 240_000);

  test('mitigation 3: IMDSv2 required with hop limit 1 (the emulation reconfigured) — pass, the token reply dies one hop short', async () => {
    const controlPlane = (await liveCluster()).nodes.find((n) => n.role === 'control-plane');
    const kubectl = async (...args: string[]): Promise<void> => {
      const r = await controlPlane?.exec(['kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', '-n', EMULATION_NAMESPACE, ...args]);
      expect(r?.exitCode, r?.stderr).toBe(0);
    };
    const configure = async (hopLimit: number, v1: boolean): Promise<void> => {
      await kubectl('set', 'env', 'ds/imds', `HOP_LIMIT=${hopLimit}`, `IMDS_V1=${v1}`);
      await kubectl('rollout', 'status', 'ds/imds', '--timeout=150s');
    };
    await configure(1, false);
    try {
      const findings = await probeNodeRoleInheritance(await input('iam-node-role-inheritance'));
      const a = findings.find((f) => f.subject?.name === nsA);
      expect(a?.result, show(findings)).toBe('pass');
      expect(a?.message).toContain('handed out no credentials');
      const pod = a?.evidence.find((e) => e.type === 'observation' && e.what.startsWith('pod '));
      expect(pod).toMatchObject({
        observed: expect.arrayContaining([
          expect.stringMatching(/^v2 PUT \/latest\/api\/token → no answer/),
          expect.stringMatching(/^v1 GET .* → 401/),
        ]),
      });
      const witness = a?.evidence.find((e) => e.type === 'observation' && e.what.includes('hostNetwork witness'));
      expect(witness).toMatchObject({ observed: expect.arrayContaining([expect.stringMatching(/^v2 GET .* → 200 credentials$/)]) });
    } finally {
      await configure(2, true);
    }
  }, 360_000);

  test('without a metadata service (emulation marker removed): not-applicable with the reason, never pass', async () => {
    // kubectl in a control-plane node (its admin kubeconfig): a label change, nothing else about the DaemonSet.
    const controlPlane = (await liveCluster()).nodes.find((n) => n.role === 'control-plane');
    const label = async (value: string | null): Promise<void> => {
      const arg = value ? `${EMULATION_LABEL}=${value}` : `${EMULATION_LABEL}-`;
      const r = await controlPlane?.exec([
        'kubectl',
        '--kubeconfig',
        '/etc/kubernetes/admin.conf',
        '-n',
        EMULATION_NAMESPACE,
        'label',
        'ds',
        'imds',
        arg,
        '--overwrite',
      ]);
      expect(r?.exitCode, r?.stderr).toBe(0);
    };
    await label(null);
    try {
      const findings = await probeNodeRoleInheritance(await input('iam-node-role-inheritance'));
      expect(
        findings.map((f) => f.result),
        show(findings),
      ).toEqual(['not-applicable']);
      expect(findings[0]?.message).toContain('no AWS emulation is installed');
    } finally {
      await label('imds');
    }
  }, 120_000);
});

describe('iam-pod-isolation probe (live, IRSA webhook)', () => {
  test('each tenant holds its own role with an sts.amazonaws.com token; borrowed roles and static keys fail', async () => {
    await workload(nsA, 'web', 'app');
    // A second ServiceAccount in tenant A's namespace annotated with tenant B's role: a pod of it borrows B's role.
    await serviceAccount(nsA, 'borrower', roleArn('tenant-b'));
    await workload(nsA, 'borrower', 'borrower');
    // A static key file in a mounted Secret (the value is planted, and must never appear in a finding).
    await api.createNamespacedSecret({
      namespace: nsB,
      body: { metadata: { name: 'aws-creds' }, stringData: { credentials: '[default]\naws_access_key_id = AKIAPLANTEDLIVE00000\n' } },
    });
    await workload(nsB, 'legacy', 'app', 'aws-creds');

    const findings = await probePodIsolation(await input('iam-pod-isolation'));
    const of = (kind: string, ns: string, name: string) =>
      findings.find((f) => f.subject?.kind === kind && f.subject.namespace === ns && f.subject.name === name);
    expect(of('ServiceAccount', nsA, 'app')?.result, show(findings)).toBe('pass');
    expect(of('ServiceAccount', nsA, 'app')?.message).toContain(
      `holds role ${roleArn('tenant-a')} with a token for sts.amazonaws.com as system:serviceaccount:${nsA}:app`,
    );
    expect(of('ServiceAccount', nsB, 'app')?.result).toBe('pass');
    expect(of('Pod', nsA, 'web')?.result).toBe('pass');
    expect(of('Pod', nsA, 'borrower')?.result).toBe('fail');
    expect(of('Pod', nsA, 'borrower')?.message).toContain(`carries tenant ${nsB}/app's role`);
    expect(of('Pod', nsB, 'legacy')?.result).toBe('fail');
    expect(of('Pod', nsB, 'legacy')?.message).toContain('static AWS credentials in volume aws (Secret aws-creds key credentials)');
    expect(show(findings)).not.toContain('AKIAPLANTEDLIVE');
    const trust = findings[0]?.evidence.find((e) => e.type === 'observation' && e.what === 'cross-tenant AssumeRoleWithWebIdentity');
    expect(trust).toMatchObject({ observed: expect.stringContaining('no local API enforces trust policies') });
  }, 300_000);
});
