// Proof: `clusterproof run` against the live tier's real cluster. Live layers confirm their static twins with real
// traffic and real faults: the default-deny namespace is observed blocked (as the engine predicts), the namespace
// without policy is observed open (fail, as predicted), the API endpoint is resolved and handshaken, a control-plane
// node is stopped and etcd rejoins, a snapshot is restored and read back, a canary whose analysis fails is aborted to
// stable by the Argo Rollouts controller `up` installed, and nothing labelled with the run is left. On the AWS-shaped
// nodes (`up --aws-emulation`) the tenant's pods cannot reach the metadata service past its default-deny policy and
// hold the role IRSA injected. The mTLS namespace is outside the mesh: a new workload there greets plaintext, as the
// static twin resolves (NONE), so both layers fail.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppsV1Api, NetworkingV1Api } from '@kubernetes/client-node';
import type { Finding } from '../../harness/model/findings.ts';
import type { RunReport } from '../../harness/model/report.ts';
import { packagePath } from '../../harness/paths.ts';
import { K8S_RUN_LABEL } from '../../harness/kubernetes/runLabels.ts';
import { inspectContainers, listObjects } from '../../harness/provision/docker.ts';
import { KIND_CLUSTER_LABEL } from '../../harness/provision/kind/nodes.ts';
import { deleteNamespacesAndWait } from '../../harness/kubernetes/runNamespace.ts';
import { createTestNamespace } from './support/namespaces.ts';
import { cli, core, kubeConfig, liveInfo, probeImage } from './support/liveCluster.ts';

const DENY = 'cp-live-run-deny';
const OPEN = 'cp-live-run-open';
const api = core();
const out = mkdtempSync(join(tmpdir(), 'clusterproof-live-run-'));
let report: RunReport;
let exitCode: number | undefined;
let runId: string | undefined;
let stderr = '';

const find = (controlId: string, layer: Finding['layer'], subject?: string): Finding[] =>
  report.findings.filter((f) => f.controlId === controlId && f.layer === layer && (subject === undefined || f.subject?.name === subject));

beforeAll(async () => {
  const info = liveInfo();
  // Fixed names (the spec names them): clear leftovers of an interrupted earlier run against a kept cluster first.
  await deleteNamespacesAndWait(api, [DENY, OPEN]);
  for (const ns of [DENY, OPEN]) await createTestNamespace(api, ns, info.runId);
  await kubeConfig()
    .makeApiClient(NetworkingV1Api)
    .createNamespacedNetworkPolicy({
      namespace: DENY,
      body: { metadata: { name: 'default-deny-all' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    });
  // The spec's IRSA tenant: its ServiceAccount names its role, as on EKS.
  await api.createNamespacedServiceAccount({
    namespace: DENY,
    body: { metadata: { name: 'api', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/live-api' } } },
  });
  // A workload for the static twin to judge (a namespace with nothing in it is not-applicable); scaled to zero, as
  // the probe brings its own pods.
  await kubeConfig()
    .makeApiClient(AppsV1Api)
    .createNamespacedDeployment({
      namespace: DENY,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: probeImage() }] } },
        },
      },
    });
  const result = await cli(
    [
      'run',
      '--kubeconfig',
      info.kubeconfig,
      '--spec',
      packagePath('fixtures', 'live', 'clusterproof.yaml'),
      '--allow-disruptive',
      '--out',
      out,
      '--format',
      'json,junit',
    ],
    { timeoutMs: 840_000 },
  );
  exitCode = result.exitCode;
  stderr = String(result.stderr);
  runId = /\(run ([a-z0-9-]+)\)/.exec(stderr)?.[1] ?? /run ([0-9]{6}-[0-9]{6}-[0-9a-f]{4})/.exec(stderr)?.[1];
  console.info(`clusterproof run exit ${exitCode}\n${stderr}\n${String(result.stdout)}`);
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
}, 900_000);

afterAll(async () => {
  await deleteNamespacesAndWait(api, [DENY, OPEN]);
  rmSync(out, { recursive: true, force: true });
});

describe('clusterproof run --kubeconfig (live tier cluster)', () => {
  test('the gate fails (exit 1): the namespace without policy is not default-deny', () => {
    expect(exitCode, stderr).toBe(1);
    expect(report.manifest.mode).toBe('live');
  });

  test('default-deny namespace: observed blocked both ways, as the static engine predicted (pass)', () => {
    const [probe] = find('netpol-default-deny', 'probe', DENY);
    expect(probe?.result, JSON.stringify(probe, null, 2)).toBe('pass');
    const table = probe?.evidence.find((e) => e.type === 'comparison' && e.what.startsWith('reachability'));
    expect(table?.type).toBe('comparison');
    if (table?.type !== 'comparison') return;
    // Every probed cell (non-null) is what the engine expected: the matrix itself agrees, not just the verdict.
    const expected = table.expected as boolean[][];
    const observed = table.actual as (boolean | null)[][];
    const probed = observed.flatMap((row, i) => row.map((o, j) => ({ o, e: expected[i]?.[j] }))).filter((c) => c.o !== null);
    expect(probed.length).toBeGreaterThan(0);
    expect(
      probed.map((c) => c.o),
      JSON.stringify(table, null, 2),
    ).toEqual(probed.map((c) => c.e));
    expect(find('netpol-default-deny', 'config', DENY)[0]?.result).toBe('pass');
  });

  test('namespace without policy: observed open, matching the prediction → fail (static twin fails too)', () => {
    const [probe] = find('netpol-default-deny', 'probe', OPEN);
    expect(probe?.result, JSON.stringify(probe, null, 2)).toBe('fail');
    expect(probe?.message).toContain('not default-deny');
    expect(find('netpol-default-deny', 'config', OPEN)[0]?.result).toBe('fail');
  });

  test('API endpoint: resolved to loopback and a verified TLS handshake reached the apiserver', () => {
    const [probe] = find('api-endpoint-private', 'probe');
    expect(probe?.result, JSON.stringify(probe, null, 2)).toBe('pass');
    expect(probe?.message).toMatch(/v1\.\d+\.\d+/);
  });

  test('HA: a control-plane node was stopped, the API gap stayed within budget and etcd rejoined', () => {
    const [chaos] = find('ha-control-plane', 'chaos');
    if (liveInfo().nodes.filter((n) => n.role === 'control-plane').length < 2) {
      // A single control plane (a small local cluster) cannot show failover: said so, never a pass.
      expect(chaos?.result).toBe('not-applicable');
      return;
    }
    expect(chaos?.result, JSON.stringify(chaos, null, 2)).toBe('pass');
    const gap = chaos?.evidence.find((e) => e.type === 'comparison');
    console.info(`failover gap: ${JSON.stringify(gap)}`);
    expect(chaos?.message).toContain('rejoined etcd');
  });

  test('etcd: the snapshot restores and holds the marker written before it, not the one after', () => {
    const [chaos] = find('etcd-backup', 'chaos');
    expect(chaos?.result, JSON.stringify(chaos, null, 2)).toBe('pass');
  });

  test('teardown: nothing labelled with the run id is left, and the runner decided it after the suites', () => {
    const [teardown] = find('teardown-clean', 'teardown');
    expect(teardown?.result, JSON.stringify(teardown, null, 2)).toBe('pass');
    expect(teardown?.subject?.name).toBe(runId);
  });

  test('canary: a canary whose analysis fails is aborted back to stable by the real controller (pass)', () => {
    const [chaos] = find('canary-auto-rollback', 'chaos');
    expect(chaos?.result, JSON.stringify(chaos, null, 2)).toBe('pass');
    expect(chaos?.message).toContain('confirms the static prediction that a failing analysis aborts to stable');
    expect(chaos?.subject?.namespace).toBe(`cp-canary-${runId ?? ''}`.slice(0, 63));
  });

  test('mtls: the namespace is not in the mesh, so a new workload there greets plaintext; both twins fail, agreeing', () => {
    const [probe] = find('mtls-strict', 'probe', DENY);
    expect(probe?.result, JSON.stringify(probe, null, 2)).toBe('fail');
    expect(probe?.message).toContain('plaintext accepted');
    expect(probe?.message).toContain('as NONE from');
    expect(find('mtls-strict', 'config', DENY)[0]?.result).toBe('fail');
  });

  test('pod IAM on AWS-shaped nodes: the default-deny tenant cannot borrow the node role, and holds its IRSA role', () => {
    const [node] = find('iam-node-role-inheritance', 'probe', DENY);
    expect(
      node?.result,
      JSON.stringify(
        report.findings.filter((f) => f.controlId.startsWith('iam-')),
        null,
        2,
      ),
    ).toBe('pass');
    expect(node?.message).toContain('its NetworkPolicies block the metadata service, as predicted');
    const [tenant] = find('iam-pod-isolation', 'probe', 'api');
    expect(tenant?.result, JSON.stringify(tenant, null, 2)).toBe('pass');
    expect(tenant?.message).toContain('holds role arn:aws:iam::111122223333:role/live-api with a token for sts.amazonaws.com');
  });

  test('afterwards: no namespace or pod carries the run label, and every node of the borrowed cluster runs', async () => {
    expect(runId).toBeDefined();
    const selector = `${K8S_RUN_LABEL}=${runId ?? ''}`;
    expect((await api.listNamespace({ labelSelector: selector })).items).toEqual([]);
    expect((await api.listPodForAllNamespaces({ labelSelector: selector })).items).toEqual([]);
    const nodes = await inspectContainers(await listObjects('container', [`label=${KIND_CLUSTER_LABEL}=${liveInfo().name}`]));
    expect(nodes.filter((n) => !n.running).map((n) => n.name)).toEqual([]);
  });
});
