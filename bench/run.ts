// `npm run bench`: performance figures as ratios measured side by side in one run (machine-independent),
// never as timed unit tests. Prints:
//   1. full static scan (every control's evaluator + all-pairs reachability on two ports) on a synthetic
//      5,000-pod / 300-namespace / 1,000-policy cluster, as a ratio to JSON.parse of the same snapshot (wall time
//      and process CPU time), and peak RSS; `--breakdown` adds the time of each control;
//   2. the live cluster figures (cold image build, warm `up`, `down`, peak memory) when Docker and the images exist.
import { loadControls } from '../harness/controls/load.ts';
import { loadavg } from 'node:os';
import { evaluateControl, evaluateStatic } from '../harness/evaluate/registry.ts';
import type { Finding } from '../harness/model/findings.ts';
import type { ClusterSpec } from '../harness/model/spec.ts';
import type { ClusterState } from '../harness/model/state.ts';
import { generateNetpolBenchState, runNetpolAllPairs } from './netpol.ts';

const RUNS = 7;

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

/** Wall and process CPU time of one phase. CPU time is the steadier figure on a shared, loaded machine. */
interface Sample { wall: number; cpu: number }

function timed<T>(fn: () => T): [T, Sample] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const t1 = performance.now();
  const c1 = process.cpuUsage(c0);
  return [value, { wall: t1 - t0, cpu: (c1.user + c1.system) / 1000 }];
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<[T, Sample]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const t1 = performance.now();
  const c1 = process.cpuUsage(c0);
  return [value, { wall: t1 - t0, cpu: (c1.user + c1.system) / 1000 }];
}

async function benchScan(): Promise<void> {
  const controls = loadControls();
  const snapshot = JSON.stringify(generateNetpolBenchState());
  const parse: Sample[] = [];
  const scan: Sample[] = [];
  const phases = new Map<string, Sample[]>();
  const record = (name: string, s: Sample) => {
    const list = phases.get(name);
    if (list) list.push(s);
    else phases.set(name, [s]);
  };
  let findings = 0;
  const breakdown = process.argv.includes('--breakdown');
  for (let i = 0; i < RUNS; i++) {
    const [state, p] = timed(() => JSON.parse(snapshot) as ClusterState);
    const spec = benchSpec(state);
    const [result, s] = await timedAsync(async () => {
      // Per control only when asked: the total is the scan as `scan` runs it (one evaluateStatic call).
      let all: Finding[];
      if (breakdown) {
        all = [];
        for (const control of controls) {
          const [f, t] = await timedAsync(() => evaluateControl(control, state, spec));
          record(control.id, t);
          all.push(...f);
        }
      } else all = await evaluateStatic(state, spec, controls);
      const [, t] = timed(() => runNetpolAllPairs(state));
      record('all-pairs (2 ports)', t);
      return all;
    });
    parse.push(p);
    scan.push(s);
    findings = result.length;
  }
  const wall = (xs: Sample[]) => median(xs.map((x) => x.wall));
  const cpu = (xs: Sample[]) => median(xs.map((x) => x.cpu));
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const [load1] = loadavg();
  let out =
    `full static scan (${controls.length} controls + all-pairs on 2 ports), snapshot ${(snapshot.length / 1e6).toFixed(1)} MB, ${findings} findings\n` +
    `  JSON.parse ${wall(parse).toFixed(1)} ms wall / ${cpu(parse).toFixed(1)} ms CPU, scan ${wall(scan).toFixed(1)} ms wall / ${cpu(scan).toFixed(1)} ms CPU (median of ${RUNS}; load ${load1?.toFixed(1)})\n` +
    `  ratio scan/JSON.parse: ${(wall(scan) / wall(parse)).toFixed(2)} wall, ${(cpu(scan) / cpu(parse)).toFixed(2)} CPU (target <= 2)\n` +
    `  peak memory: ${rssMb.toFixed(0)} MB (target <= 1024)\n`;
  for (const [name, xs] of phases) out += `    ${name.padEnd(28)} ${wall(xs).toFixed(1).padStart(7)} ms wall ${cpu(xs).toFixed(1).padStart(7)} ms CPU\n`;
  process.stdout.write(out);
}

await benchScan();
if (process.argv.includes('--cluster')) {
  const { benchCluster, formatClusterBench } = await import('./cluster.ts');
  process.stdout.write(formatClusterBench(await benchCluster()));
}
