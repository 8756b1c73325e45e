// Proof: NetworkPolicy is enforced by the cluster's enforcer (kube-router), observed with real probes, never
// inferred. Expected and observed are the same matrix type, and a failure prints both.
// 1. baseline: the client namespace reaches the server on TCP 80, TCP 81 and UDP 80 (so a block later means
//    something); 2. default-deny ingress in the server namespace blocks all three; 3. an allow policy for the client
//    namespace on TCP 80 reopens exactly that port, while a third namespace stays blocked.
// Enforcement is asynchronous (kube-router syncs on watch events), so each step waits, bounded, until the
// observed matrix equals the expectation, and records how long that took. Clients are long-running pods probed
// with `kubectl exec` (support/podExec.ts): a pod started after a policy is briefly unknown to kube-router's peer
// sets (observed: a fresh allowed pod is refused on its first packets), which is the enforcer's latency, not policy.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { NetworkingV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ClusterNode } from '../../harness/model/cluster.ts';
import { startServerPod, type ProbeTarget } from '../../harness/probe/probePods.ts';
import { execBatch } from './support/podExec.ts';
import { createTestNamespace, deleteTestNamespaces } from './support/namespaces.ts';
import { core, kubeConfig, liveCluster, liveInfo, probeImage, suffix } from './support/liveCluster.ts';

const api = core();
const net = kubeConfig().makeApiClient(NetworkingV1Api);
const id = suffix();
const server = `cp-live-np-srv-${id}`;
const client = `cp-live-np-cli-${id}`;
const other = `cp-live-np-oth-${id}`;
let serverIp = '';
let via: ClusterNode;

type Matrix = Record<string, boolean>; // "<from ns> <proto>/<port>" → reachable

const ports: ProbeTarget[] = [{ host: '', port: 80 }, { host: '', port: 81 }, { host: '', port: 80, protocol: 'udp' }];
const key = (from: string, t: ProbeTarget): string => `${from === client ? 'client' : 'other'} ${t.protocol ?? 'tcp'}/${t.port}`;

async function observe(froms: string[]): Promise<Matrix> {
  const observed: Matrix = {};
  for (const from of froms) {
    const results = await execBatch(via, from, 'client', ports.map((p) => ({ ...p, host: serverIp })));
    results.forEach((r, i) => (observed[key(from, ports[i] ?? { host: '', port: 0 })] = r.ok));
  }
  return observed;
}

/** Probes until observed == expected or the bound passes; returns the last observation and the seconds taken. */
async function converge(expected: Matrix, froms: string[], boundSeconds = 60): Promise<{ observed: Matrix; seconds: number }> {
  const start = performance.now();
  for (;;) {
    const observed = await observe(froms);
    const seconds = (performance.now() - start) / 1000;
    if (JSON.stringify(observed, Object.keys(expected).sort()) === JSON.stringify(expected, Object.keys(expected).sort()) || seconds > boundSeconds) return { observed, seconds };
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const policy = (name: string, spec: V1NetworkPolicy['spec']): V1NetworkPolicy => ({ metadata: { name, namespace: server, labels: { 'clusterproof.dev/test': 'live' } }, spec });

beforeAll(async () => {
  const info = liveInfo();
  for (const ns of [server, client, other]) await createTestNamespace(api, ns, info.runId);
  via = (await liveCluster()).nodes.find((n) => n.role === 'control-plane') as ClusterNode;
  const pod = { runId: info.runId, image: probeImage() };
  [serverIp] = await Promise.all([
    startServerPod(api, { ...pod, namespace: server, name: 'server', labels: { app: 'server' } }, Date.now() + 120_000),
    // Clients run the probe's default server too, just to stay up; they are exec'd into for each observation.
    startServerPod(api, { ...pod, namespace: client, name: 'client' }, Date.now() + 120_000),
    startServerPod(api, { ...pod, namespace: other, name: 'client' }, Date.now() + 120_000),
  ]);
}, 180_000);

afterAll(() => deleteTestNamespaces(api, [server, client, other]));

describe('NetworkPolicy enforcement, observed', () => {
  test('baseline: everything reachable before any policy', async () => {
    const expected = { 'client tcp/80': true, 'client tcp/81': true, 'client udp/80': true };
    const { observed } = await converge(expected, [client]);
    expect(observed).toEqual(expected);
  }, 240_000);

  test('default-deny ingress blocks real traffic from another namespace', async () => {
    await net.createNamespacedNetworkPolicy({ namespace: server, body: policy('default-deny', { podSelector: {}, policyTypes: ['Ingress'] }) });
    const expected = { 'client tcp/80': false, 'client tcp/81': false, 'client udp/80': false };
    const { observed, seconds } = await converge(expected, [client]);
    expect(observed).toEqual(expected);
    console.info(`default-deny enforced after ${seconds.toFixed(1)}s`);
  }, 240_000);

  test('an allow policy reopens exactly the allowed port, for exactly the allowed namespace', async () => {
    await net.createNamespacedNetworkPolicy({
      namespace: server,
      body: policy('allow-client-tcp-80', {
        podSelector: { matchLabels: { app: 'server' } },
        policyTypes: ['Ingress'],
        ingress: [{ _from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': client } } }], ports: [{ protocol: 'TCP', port: 80 }] }],
      }),
    });
    const expected = {
      'client tcp/80': true, 'client tcp/81': false, 'client udp/80': false,
      'other tcp/80': false, 'other tcp/81': false, 'other udp/80': false,
    };
    const { observed, seconds } = await converge(expected, [client, other]);
    expect(observed).toEqual(expected);
    console.info(`allow policy enforced after ${seconds.toFixed(1)}s`);
  }, 240_000);
});
