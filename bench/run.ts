// `npm run bench`: performance figures as ratios measured side by side in one run (machine-independent),
// never as timed unit tests. Prints:
//   1. full static scan (every control's evaluator + all-pairs reachability on two ports) on a synthetic
//      5,000-pod / 300-namespace / 1,000-policy cluster, as a ratio to JSON.parse of the same snapshot, and peak RSS;
//   2. the live cluster figures (cold image build, warm `up`, `down`, peak memory) when Docker and the images exist.
import { loadControls } from '../harness/controls/load.ts';
import { evaluateStatic } from '../harness/evaluate/registry.ts';
import type { ClusterSpec } from '../harness/model/spec.ts';
import type { ClusterState } from '../harness/model/state.ts';
import { generateNetpolBenchState, runNetpolAllPairs } from './netpol.ts';

const RUNS = 5;

/** A spec that asks for every control, so every evaluator does its full work on the synthetic cluster. */
function benchSpec(state: ClusterState): ClusterSpec {
  const namespaces = state.kubernetes.namespaces.map((n) => n.metadata?.name ?? '').filter(Boolean);
  return {
    apiVersion: 'clusterproof.dev/v1alpha1',
    kind: 'ClusterSpec',
    metadata: { name: 'bench' },
    spec: {
      profile: 'pr-gate',
      apiEndpoint: { exposure: 'private' },
      cidrs: { pods: [{ name: 'pods', cidr: '10.0.0.0/14' }], services: [{ name: 'services', cidr: '172.20.0.0/16' }], peers: [{ name: 'on-prem', cidr: '192.168.0.0/16' }] },
      networkPolicy: { defaultDeny: { namespaces: ['*'], exclude: ['kube-system'], ingress: true, egress: true } },
      mtls: { mode: 'STRICT', mesh: 'istio', scope: { namespaces: namespaces.slice(0, 100) } },
      iam: { mode: 'kube2iam', tenants: [] },
      ha: { controlPlanes: 3, zones: 3 },
      etcdBackup: { required: true, maxIntervalHours: 24, offCluster: true, encrypted: true },
      teardown: { ownershipLabel: 'team' },
      canary: { namespaces: ['*'] },
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function benchScan(): Promise<void> {
  const controls = loadControls();
  const snapshot = JSON.stringify(generateNetpolBenchState());
  const parse: number[] = [];
  const scan: number[] = [];
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const state = JSON.parse(snapshot) as ClusterState;
    const t1 = performance.now();
    const result = await evaluateStatic(state, benchSpec(state), controls);
    runNetpolAllPairs(state);
    const t2 = performance.now();
    parse.push(t1 - t0);
    scan.push(t2 - t1);
    findings = result.length;
  }
  const ratio = median(scan) / median(parse);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `full static scan (${controls.length} controls + all-pairs on 2 ports), snapshot ${(snapshot.length / 1e6).toFixed(1)} MB, ${findings} findings\n` +
      `  JSON.parse ${median(parse).toFixed(1)} ms, scan ${median(scan).toFixed(1)} ms (median of ${RUNS})\n` +
      `  ratio scan/JSON.parse: ${ratio.toFixed(2)} (target <= 2)\n` +
      `  peak memory: ${rssMb.toFixed(0)} MB (target <= 1024)\n`,
  );
}

await benchScan();
if (process.argv.includes('--cluster')) {
  const { benchCluster } = await import('./cluster.ts');
  await benchCluster();
}
