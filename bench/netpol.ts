// NetworkPolicy benchmark: a synthetic cluster of 5,000 pods in 300 namespaces with 1,000 NetworkPolicies and
// the label reuse real clusters have (a few dozen app names, shared team/env namespace labels, one
// pod-template-hash per Deployment), then all-pairs reachability on two ports. Reported as a ratio to
// JSON.parse of the same snapshot (machine-independent) and peak RSS.
import type { V1Deployment, V1Namespace, V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import { computeAllPairs } from '../harness/netpol/allPairs.ts';
import { podEndpoints } from '../harness/netpol/endpoints.ts';
import { NetworkPolicyEngine } from '../harness/netpol/engine.ts';
import type { PortProtocol } from '../harness/model/reachability.ts';
import { emptyState, type ClusterState } from '../harness/model/state.ts';

export const BENCH_PORTS: PortProtocol[] = [
  { port: 8080, protocol: 'TCP' },
  { port: 5432, protocol: 'TCP' },
];

interface App {
  name: string;
  tier: 'web' | 'backend' | 'data';
  port: number;
  portName: string;
}
const APPS: App[] = [
  ...['frontend', 'web', 'ui', 'gateway', 'ingress-proxy', 'docs', 'admin-ui', 'storefront'].map((name) => ({
    name,
    tier: 'web' as const,
    port: 8080,
    portName: 'http',
  })),
  ...[
    'api',
    'orders',
    'payments',
    'users',
    'search',
    'catalog',
    'cart',
    'auth',
    'notifications',
    'billing',
    'inventory',
    'shipping',
    'reports',
    'worker',
    'scheduler',
    'graphql',
  ].map((name) => ({ name, tier: 'backend' as const, port: 8080, portName: 'http' })),
  ...['postgres', 'cockroach'].map((name) => ({ name, tier: 'data' as const, port: 5432, portName: 'postgres' })),
  ...['redis', 'memcached', 'kafka', 'rabbitmq', 'elasticsearch', 'mongo'].map((name) => ({
    name,
    tier: 'data' as const,
    port: 6379,
    portName: 'tcp-data',
  })),
];

/** Deterministic PRNG (mulberry32) so every run measures the same cluster. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateNetpolBenchState(
  options: { pods?: number; namespaces?: number; policies?: number; seed?: number; replicas?: number } = {},
): ClusterState {
  const { pods: podTarget = 5000, namespaces: nsCount = 300, policies: policyTarget = 1000, seed = 42 } = options;
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const state = emptyState({ type: 'files', inputs: [], collectedAt: '2026-01-01T00:00:00Z' });
  const teams = Array.from({ length: 60 }, (_, i) => `team-${i}`);
  const envs = ['prod', 'staging', 'dev'];
  const namespaces: V1Namespace[] = [];
  const nsApps = new Map<string, App[]>();
  for (let i = 0; i < nsCount; i++) {
    const name = i === 0 ? 'kube-system' : i === 1 ? 'monitoring' : `${pick(teams)}-${pick(envs)}-${i}`;
    namespaces.push({
      metadata: {
        name,
        labels: {
          'kubernetes.io/metadata.name': name,
          team: i < 2 ? 'platform' : name.split('-').slice(0, 2).join('-'),
          env: i < 2 ? 'prod' : (name.split('-')[2] as string),
        },
      },
    });
    const apps = new Set<App>();
    while (apps.size < 5) apps.add(pick(APPS));
    nsApps.set(name, [...apps]);
  }
  // Pods: Deployments of 1-6 replicas spread over the namespaces until the target count is reached.
  const pods: V1Pod[] = [];
  let ipCounter = 0;
  outer: for (let round = 0; ; round++) {
    for (const ns of namespaces) {
      const nsName = ns.metadata?.name as string;
      const app = (nsApps.get(nsName) as App[])[round % 5] as App;
      const hash = Math.floor(random() * 0xffffff).toString(16);
      const replicas = options.replicas ?? 1 + Math.floor(random() * 3);
      for (let r = 0; r < replicas; r++) {
        if (pods.length >= podTarget) break outer;
        ipCounter++;
        const ip = `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
        pods.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${app.name}-${round}-${hash}-${r}`,
            namespace: nsName,
            labels: {
              app: app.name,
              tier: app.tier,
              version: round % 2 === 0 ? 'v1' : 'v2',
              'pod-template-hash': hash,
              'app.kubernetes.io/part-of': `shop-${round % 4}`,
            },
            annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
          },
          spec: {
            nodeName: `node-${ipCounter % 50}`,
            containers: [
              {
                name: app.name,
                image: `registry.local/${app.name}:1.${round}`,
                ports: [
                  { name: app.portName, containerPort: app.port, protocol: 'TCP' },
                  { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
                ],
                resources: { requests: { cpu: '100m', memory: '128Mi' } },
              },
            ],
          },
          status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: `172.20.0.${ipCounter % 50}` },
        });
      }
    }
  }
  // Policies: the usual kit per namespace (default deny, DNS egress, intra-app allows, monitoring scrape,
  // egress to the internet except private ranges), until the target count is reached.
  const policies: V1NetworkPolicy[] = [];
  const add = (ns: string, name: string, spec: Record<string, unknown>) =>
    policies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { namespace: ns, name },
      spec,
    } as V1NetworkPolicy);
  const teamOf = (ns: string) => namespaces.find((n) => n.metadata?.name === ns)?.metadata?.labels?.team as string;
  const kit: ((ns: string) => void)[] = [
    // Most namespaces deny ingress by default; a third also deny egress.
    (ns) => add(ns, 'default-deny', { podSelector: {}, policyTypes: random() < 0.33 ? ['Ingress', 'Egress'] : ['Ingress'] }),
    (ns) => add(ns, 'allow-same-namespace', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }),
    (ns) => {
      const apps = nsApps.get(ns) as App[];
      const server = apps.find((a) => a.tier !== 'web') ?? (apps[0] as App);
      add(ns, `allow-${server.name}`, {
        podSelector: { matchLabels: { app: server.name } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: teamOf(ns) } },
                podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'backend'] }] },
              },
            ],
            ports: [{ port: server.portName }],
          },
        ],
      });
    },
    (ns) =>
      add(ns, 'allow-monitoring', {
        podSelector: {},
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { team: 'platform' } }, podSelector: { matchLabels: { app: 'prometheus' } } }],
            ports: [{ port: 9090 }],
          },
        ],
      }),
    (ns) =>
      add(ns, 'allow-dns-and-internet', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }], ports: [{ port: 443 }] },
          {
            to: [{ namespaceSelector: { matchLabels: { team: teamOf(ns) } } }],
            ports: [{ port: 8000, endPort: 8100 }, { port: 'http' }, { port: 5432 }],
          },
        ],
      }),
    (ns) =>
      add(ns, 'allow-db-from-team', {
        podSelector: { matchLabels: { tier: 'data' } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [
                    { key: 'team', operator: 'In', values: [teamOf(ns)] },
                    { key: 'env', operator: 'NotIn', values: ['dev'] },
                  ],
                },
              },
            ],
            ports: [{ port: 5432 }, { port: 6379 }],
          },
        ],
      }),
  ];
  // Each namespace gets a random subset of the kit (no duplicate names), round-robin until the target.
  const used = new Set<string>();
  for (let k = 0; policies.length < policyTarget; k++) {
    const ns = namespaces[k % namespaces.length]?.metadata?.name as string;
    const item = Math.floor(random() * kit.length);
    if (used.has(`${ns}#${item}`)) continue;
    used.add(`${ns}#${item}`);
    (kit[item] as (ns: string) => void)(ns);
  }
  state.kubernetes.namespaces = namespaces;
  state.kubernetes.pods = pods;
  state.kubernetes.networkPolicies = policies;
  return state;
}

/**
 * The same cluster as a repository holds it: 1,000 Deployments of 5 replicas over the same namespaces and policies,
 * no Pods (each generated pod becomes the template of one Deployment).
 */
export function generateTemplateBenchState(deployments = 1000): ClusterState {
  const state = generateNetpolBenchState({ pods: deployments, replicas: 1 });
  state.kubernetes.deployments = state.kubernetes.pods.map((pod): V1Deployment => {
    const { 'pod-template-hash': _hash, ...labels } = pod.metadata?.labels ?? {};
    const name = (pod.metadata?.name ?? '').replace(/-\d+$/, '');
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: pod.metadata?.namespace ?? 'default', labels },
      spec: {
        replicas: 5,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, ...(pod.metadata?.annotations ? { annotations: pod.metadata.annotations } : {}) },
          spec: pod.spec ?? { containers: [] },
        },
      },
    };
  });
  state.kubernetes.pods = [];
  return state;
}

export interface NetpolBenchResult {
  pods: number;
  policies: number;
  sourceClasses: number;
  destinationClasses: number;
  allowedPairs: number[];
}

/** Everything the scan does for NetworkPolicies on a loaded state: compile, model pods, all-pairs on the ports. */
export function runNetpolAllPairs(state: ClusterState, ports: readonly PortProtocol[] = BENCH_PORTS): NetpolBenchResult {
  const engine = NetworkPolicyEngine.fromState(state);
  const pairs = computeAllPairs(engine, podEndpoints(state), ports);
  return {
    pods: pairs.pods.length,
    policies: engine.policies.length,
    sourceClasses: pairs.sourceClasses,
    destinationClasses: pairs.destinationClasses,
    allowedPairs: ports.map((_, i) => pairs.countAllowed(i)),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Times JSON.parse of the snapshot and the all-pairs run on it (median of `runs`), and peak RSS. */
export function measureNetpolBench(runs = 7): {
  parseMs: number;
  allPairsMs: number;
  ratio: number;
  cpuRatio: number;
  peakRssMb: number;
  result: NetpolBenchResult;
  snapshotMb: number;
} {
  const snapshot = JSON.stringify(generateNetpolBenchState());
  const parseTimes: number[] = [];
  const runTimes: number[] = [];
  const parseCpu: number[] = [];
  const runCpu: number[] = [];
  let result: NetpolBenchResult | undefined;
  for (let i = 0; i < runs; i++) {
    // Wall time and process CPU time: on a shared, loaded machine CPU time is the steadier of the two.
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const state = JSON.parse(snapshot) as ClusterState;
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    result = runNetpolAllPairs(state);
    const t2 = performance.now();
    const c2 = process.cpuUsage();
    parseTimes.push(t1 - t0);
    runTimes.push(t2 - t1);
    parseCpu.push((c1.user + c1.system - c0.user - c0.system) / 1000);
    runCpu.push((c2.user + c2.system - c1.user - c1.system) / 1000);
  }
  const parseMs = median(parseTimes);
  const allPairsMs = median(runTimes);
  return {
    parseMs,
    allPairsMs,
    ratio: allPairsMs / parseMs,
    cpuRatio: median(runCpu) / median(parseCpu),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    result: result as NetpolBenchResult,
    snapshotMb: snapshot.length / 1e6,
  };
}

if (import.meta.main) {
  const m = measureNetpolBench();
  process.stdout.write(
    `netpol all-pairs: ${m.result.pods} pods, ${m.result.policies} policies, snapshot ${m.snapshotMb.toFixed(1)} MB\n` +
      `  classes: ${m.result.sourceClasses} source × ${m.result.destinationClasses} destination; allowed pairs ${BENCH_PORTS.map((p, i) => `${p.port}/${p.protocol}=${m.result.allowedPairs[i]}`).join(' ')}\n` +
      `  JSON.parse ${m.parseMs.toFixed(1)} ms, all-pairs ${m.allPairsMs.toFixed(1)} ms → ratio ${m.ratio.toFixed(2)} (target ≤ 2; CPU-time ratio ${m.cpuRatio.toFixed(2)})\n` +
      `  peak RSS ${m.peakRssMb.toFixed(0)} MB (target ≤ 1024)\n`,
  );
}
