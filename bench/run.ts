// `npm run bench`: performance figures as ratios measured side by side in one run (machine-independent),
// never as timed unit tests. Prints:
//   1. full static scan (every control's evaluator + all-pairs reachability on two ports) on a synthetic
//      5,000-pod / 300-namespace / 1,000-policy cluster, and on the same scale as a repository holds it (1,000
//      Deployments of 5 replicas, no Pods), each as a ratio to JSON.parse of the same snapshot (wall time
//      and process CPU time), and peak RSS; `--breakdown` adds the time of each control, and each run's times;
//   2. the live cluster figures (cold image build, warm `up`, `down`, peak memory) when Docker and the images exist;
//      `--mesh-istio` brings the cluster up with `--mesh istio` (its `istio` phase is the mesh's warm install).
// Garbage collection is billed to the phase that made the garbage. JSON.parse leaves its result (tens of MB)
// in V8's young generation, and without help the scan's first scavenges pay for promoting it (measured: ~30
// ms of each scan was the parse's GC). So two minor GCs (scavenges) run before each timed region, outside it:
// they promote what the previous phase left alive, and each phase then pays for its own allocation and
// collection only. Minor, not full, GCs: a full GC also clears the object shapes (maps) of the previous run's
// garbage, so every run would start with deoptimised code, an artefact no real scan (one parse, one scan)
// sees. A major GC V8 starts on its own still lands wherever it falls, as in any real run.
import { loadControls } from '../harness/controls/load.ts';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { evaluateControl, evaluateStatic } from '../harness/evaluate/registry.ts';
import type { Finding } from '../harness/model/findings.ts';
import type { ClusterSpec } from '../harness/model/spec.ts';
import type { ClusterState } from '../harness/model/state.ts';
import { queryReachability, queryVerdicts } from '../harness/netpol/reachabilityQuery.ts';
import { defaultFormat, writeReachability } from '../harness/cli/reachabilityOutput.ts';
import { BENCH_PORTS, generateNetpolBenchState, generateTemplateBenchState, runNetpolAllPairs } from './netpol.ts';

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
      cidrs: {
        pods: [{ name: 'pods', cidr: '10.0.0.0/14' }],
        services: [{ name: 'services', cidr: '172.20.0.0/16' }],
        peers: [{ name: 'on-prem', cidr: '192.168.0.0/16' }],
      },
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

type Gc = (options?: { type: 'minor' | 'major' }) => void;

/** Two scavenges: what survives both is promoted to the old generation (see the header). */
function promoteSurvivors(): () => void {
  // `gc` is exposed here when node was not started with --expose-gc (a fresh context sees the flag).
  let gc = (globalThis as { gc?: Gc }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc;
  }
  const minor = gc;
  return () => {
    minor({ type: 'minor' });
    minor({ type: 'minor' });
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Wall and process CPU time of one phase. CPU time is the steadier figure on a shared, loaded machine. */
interface Sample {
  wall: number;
  cpu: number;
}

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

async function benchScan(label: string, generate: () => ClusterState): Promise<void> {
  const controls = loadControls();
  const snapshot = JSON.stringify(generate());
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
  const promote = promoteSurvivors();
  for (let i = 0; i < RUNS; i++) {
    promote(); // outside both timed regions: see the header
    const [state, p] = timed(() => JSON.parse(snapshot) as ClusterState);
    const spec = benchSpec(state);
    promote();
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
    `${label}: full static scan (${controls.length} controls + all-pairs on 2 ports), snapshot ${(snapshot.length / 1e6).toFixed(1)} MB, ${findings} findings\n` +
    `  JSON.parse ${wall(parse).toFixed(1)} ms wall / ${cpu(parse).toFixed(1)} ms CPU, scan ${wall(scan).toFixed(1)} ms wall / ${cpu(scan).toFixed(1)} ms CPU (median of ${RUNS}, survivors promoted before each; load ${load1?.toFixed(1)})\n` +
    `  ratio scan/JSON.parse: ${(wall(scan) / wall(parse)).toFixed(2)} wall, ${(cpu(scan) / cpu(parse)).toFixed(2)} CPU (target <= 2)\n` +
    `  peak memory: ${rssMb.toFixed(0)} MB (target <= 1024)\n`;
  for (const [name, xs] of phases)
    out += `    ${name.padEnd(28)} ${wall(xs).toFixed(1).padStart(7)} ms wall ${cpu(xs).toFixed(1).padStart(7)} ms CPU\n`;
  if (breakdown) {
    // Run by run: the scan's first runs include V8 compiling it (JSON.parse is native code), so the median sits
    // where that warm-up ends; these lines show how far in it is.
    const runs = (xs: Sample[], f: (x: Sample) => number) => xs.map((x) => f(x).toFixed(0).padStart(4)).join('');
    out += `  by run (ms)      wall${' '.repeat(4 * RUNS - 4)}  CPU\n`;
    out += `    JSON.parse  ${runs(parse, (x) => x.wall)}  ${runs(parse, (x) => x.cpu)}\n    scan        ${runs(scan, (x) => x.wall)}  ${runs(scan, (x) => x.cpu)}\n`;
  }
  process.stdout.write(out);
}

/**
 * `clusterproof reachability --ports <the 2 bench ports>` on the 5,000-pod state, in its default form: size and
 * time of the output (written to a byte counter, not a terminal), and what the pairwise JSON would weigh.
 */
async function benchReachabilityOutput(): Promise<void> {
  const state = generateNetpolBenchState();
  const [q, query] = timed(() => queryReachability(state, { ports: BENCH_PORTS }));
  const format = defaultFormat(q.size);
  let bytes = 0;
  let lines = 0;
  const [, output] = await timedAsync(() =>
    writeReachability(q, format, async (text) => {
      bytes += Buffer.byteLength(text);
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    }),
  );
  // Pairwise size estimated from the first 10,000 verdicts (one JSON object each, as json/ndjson print them).
  let sample = 0;
  let sampled = 0;
  for (const v of queryVerdicts(q)) {
    sample += Buffer.byteLength(JSON.stringify(v)) + 4;
    if (++sampled === 10_000) break;
  }
  process.stdout.write(
    `reachability default output (${q.pairs.pods.length} pods, ${BENCH_PORTS.length} ports, ${q.size.toLocaleString('en-US')} verdicts): --format ${format}\n` +
      `  ${(bytes / 1e6).toFixed(1)} MB in ${lines.toLocaleString('en-US')} lines; query ${query.wall.toFixed(0)} ms, output ${output.wall.toFixed(0)} ms wall` +
      ` (pairwise json would be ~${(((sample / sampled) * q.size) / 1e9).toFixed(1)} GB)\n`,
  );
}

await benchScan('5,000 Pods (cluster dump)', () => generateNetpolBenchState());
// Peak memory is per process: the templates' figure includes the Pods' run before it (an upper bound).
await benchScan('1,000 Deployments x 5 replicas (repository)', () => generateTemplateBenchState());
await benchReachabilityOutput();
if (process.argv.includes('--cluster')) {
  const { benchCluster, formatClusterBench } = await import('./cluster.ts');
  const mesh = process.argv.includes('--mesh-istio') ? 'istio' : 'none';
  process.stdout.write(formatClusterBench(await benchCluster({ mesh })));
  const { coldBuildTimings, formatBuildTimings } = await import('./buildTimings.ts');
  process.stdout.write(formatBuildTimings(await coldBuildTimings()));
}
