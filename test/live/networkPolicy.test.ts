// Proof: NetworkPolicy is enforced by the cluster's enforcer (kube-router), observed with real probes, never
// inferred. Expected and observed are the same matrix type, and a failure prints both.
// 1. baseline: the client namespace reaches the server on TCP 80, TCP 81 and UDP 80 (so a block later means
//    something); 2. default-deny ingress in the server namespace blocks all three; 3. an allow policy for the client
//    namespace on TCP 80 reopens exactly that port, while a third namespace stays blocked.
// Enforcement is asynchronous (kube-router syncs on watch events), so each step waits, bounded, until the
// observed matrix equals the expectation, and records how long that took. Clients are long-running pods probed
// with `probe batch` through the API server's exec (harness/probe/probePods.ts): a pod started after a policy is briefly unknown to kube-router's peer
// sets (observed: a fresh allowed pod is refused on its first packets), which is the enforcer's latency, not policy.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { NetworkingV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { timeoutIsObservation, waitFor } from '../../harness/kubernetes/waitFor.ts';
import type { Protocol } from '../../harness/model/reachability.ts';
import { Reachability } from '../../harness/model/reachabilityModel.ts';
import { execBatch, startServerPod, type ProbeTarget } from '../../harness/probe/probePods.ts';
import { createTestNamespace, deleteTestNamespaces } from './support/namespaces.ts';
import { core, kubeConfig, liveInfo, probeImage, suffix } from './support/liveCluster.ts';

const api = core();
const kc = kubeConfig();
const net = kc.makeApiClient(NetworkingV1Api);
const id = suffix();
const server = `cp-live-np-srv-${id}`;
const client = `cp-live-np-cli-${id}`;
const other = `cp-live-np-oth-${id}`;
let serverIp = '';

/** The model: a client pod in each of two namespaces, one server pod; one truth table per port (upstream's Reachability). */
const SERVER = `${server}/server`;
const pods = [`${client}/client`, `${other}/client`, SERVER];
const ports: { port: number; protocol: Protocol }[] = [
  { port: 80, protocol: 'TCP' },
  { port: 81, protocol: 'TCP' },
  { port: 80, protocol: 'UDP' },
];
type Tables = Reachability[]; // index: ports

/** Expected tables: only the `froms` → server cells are probed; `open(from, port)` says which are allowed. */
function expectation(froms: string[], open: (from: string, pp: (typeof ports)[number]) => boolean): Tables {
  return ports.map((pp) => {
    const table = new Reachability(pods, null);
    for (const from of froms) table.expect(`${from}/client`, SERVER, open(from, pp));
    return table;
  });
}

async function observe(froms: string[]): Promise<Tables> {
  const tables = ports.map(() => new Reachability(pods, null));
  for (const from of froms) {
    const targets: ProbeTarget[] = ports.map((pp) => ({ host: serverIp, port: pp.port, protocol: pp.protocol === 'UDP' ? 'udp' : 'tcp' }));
    const results = await execBatch(kc, { namespace: from, name: 'client' }, targets);
    results.forEach((r, i) => tables[i]?.expect(`${from}/client`, SERVER, r.ok));
  }
  return tables;
}

/** Readable form of the tables' known cells, so a failure prints expected and observed side by side. */
const cells = (tables: Tables): Record<string, boolean | null> =>
  Object.fromEntries(
    tables
      .flatMap((t, i) =>
        t.pods.flatMap((a) => t.pods.map((b) => [`${a} → ${b} ${ports[i]?.protocol}/${ports[i]?.port}`, t.get(a, b)] as const)),
      )
      .filter(([, v]) => v !== null),
  );

/** Probes until observed == expected or the bound passes; returns the last observation and the seconds taken. */
async function converge(expected: Tables, froms: string[], boundSeconds = 60): Promise<{ observed: Tables; seconds: number }> {
  const start = performance.now();
  let observed: Tables = [];
  await waitFor(
    'enforcement to match the expected reachability',
    async () => {
      observed = await observe(froms);
      return JSON.stringify(cells(observed)) === JSON.stringify(cells(expected))
        ? { done: true, value: undefined }
        : { done: false, why: 'observed differs' };
    },
    { timeout: boundSeconds * 1000, interval: 1000 },
  ).catch(timeoutIsObservation); // the caller's expectation prints the difference
  return { observed, seconds: (performance.now() - start) / 1000 };
}

const policy = (name: string, spec: V1NetworkPolicy['spec']): V1NetworkPolicy => ({
  metadata: { name, namespace: server, labels: { 'clusterproof.dev/test': 'live' } },
  spec,
});

beforeAll(async () => {
  const info = liveInfo();
  for (const ns of [server, client, other]) await createTestNamespace(api, ns, info.runId);
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
    const expected = expectation([client], () => true);
    const { observed } = await converge(expected, [client]);
    expect(cells(observed)).toEqual(cells(expected));
  }, 240_000);

  test('default-deny ingress blocks real traffic from another namespace', async () => {
    await net.createNamespacedNetworkPolicy({
      namespace: server,
      body: policy('default-deny', { podSelector: {}, policyTypes: ['Ingress'] }),
    });
    const expected = expectation([client], () => false);
    const { observed, seconds } = await converge(expected, [client]);
    expect(cells(observed)).toEqual(cells(expected));
    console.info(`default-deny enforced after ${seconds.toFixed(1)}s`);
  }, 240_000);

  test('an allow policy reopens exactly the allowed port, for exactly the allowed namespace', async () => {
    await net.createNamespacedNetworkPolicy({
      namespace: server,
      body: policy('allow-client-tcp-80', {
        podSelector: { matchLabels: { app: 'server' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            _from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': client } } }],
            ports: [{ protocol: 'TCP', port: 80 }],
          },
        ],
      }),
    });
    const expected = expectation([client, other], (from, pp) => from === client && pp.port === 80 && pp.protocol === 'TCP');
    const { observed, seconds } = await converge(expected, [client, other]);
    expect(cells(observed)).toEqual(cells(expected));
    console.info(`allow policy enforced after ${seconds.toFixed(1)}s`);
  }, 240_000);
});
