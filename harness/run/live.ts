// `clusterproof run`: spec → provision (kind) or attach (kubeconfig) → collect live → suites in live mode (static
// twins + probe/chaos layers) → the teardown layer (harness/teardown: safety net, the cluster this run made removed
// unless --keep, teardown-clean verdict) → waivers, gate, reports. Whatever happens (success, failure, Ctrl-C), the run's labelled namespaces are removed, nodes a chaos
// drill stopped are started again, and a cluster this run created is deleted unless --keep.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectLive } from '../collect/live/collectLive.ts';
import { errorMessage, InputError } from '../errors.ts';
import type { ClusterSpec } from '../model/spec.ts';
import type { PhaseEvent } from '../model/cluster.ts';
import { deployWorkloads } from '../provision/deployWorkloads.ts';
import { assertDisruptiveAllowed } from '../provision/existing/disruptive.ts';
import { readImageSet } from '../provision/images.ts';
import { defaultClusterName, newRunId } from '../provision/naming.ts';
import { provisionerFor } from '../provision/provisioners.ts';
import { clusterRequest } from '../provision/request.ts';
import { abortOnSignals } from '../provision/signals.ts';
import { listStates } from '../provision/state.ts';
import { loadSpec } from '../spec/load.ts';
import { releaseOnce, type HeldCluster } from '../teardown/release.ts';
import { safetyNet } from '../teardown/safetyNet.ts';
import { teardownLayer } from '../teardown/teardownLayer.ts';
import { prepareOutDir } from '../../reports/write.ts';
import { evaluateControls, reportFindings, SPEC_FILE_NAME, type ScanOptions, type ScanOutcome } from './scan.ts';

export interface LiveRunOptions extends Omit<ScanOptions, 'paths' | 'specFile'> {
  specFile?: string;
  kubeconfig?: string;
  context?: string;
  provider?: string;
  name?: string;
  allowDisruptive: boolean;
  keep: boolean;
  /** Workloads to deploy into the cluster this run makes, before collecting (provision/deployWorkloads.ts). */
  apply?: string[];
  log: (line: string) => void;
  onPhase?: (event: PhaseEvent) => void;
}

export async function runLive(opts: LiveRunOptions): Promise<ScanOutcome> {
  const startedAt = new Date();
  await prepareOutDir(opts.outDir);
  if (opts.kubeconfig && opts.provider && opts.provider !== 'existing') {
    throw new InputError([
      {
        file: 'command line',
        pointer: '--provider',
        message: `--kubeconfig targets an existing cluster, --provider ${opts.provider} makes a new one`,
        fix: 'pass one of them',
      },
    ]);
  }
  const specFile = opts.specFile ?? resolve(SPEC_FILE_NAME);
  if (!existsSync(specFile))
    throw new InputError([{ file: specFile, message: 'spec file not found', fix: 'pass --spec path/to/clusterproof.yaml' }]);
  const { spec, sha256 } = await loadSpec(specFile);
  if (
    opts.apply?.length &&
    (opts.kubeconfig || opts.provider === 'existing' || (opts.provider === undefined && spec.spec.provider?.type === 'existing'))
  ) {
    throw new InputError([
      {
        file: 'command line',
        pointer: '--apply',
        message: 'deploys workloads into the cluster this run makes; it never changes an existing cluster',
        fix: 'use --apply with --provider kind, or deploy the workloads yourself and run with --kubeconfig',
      },
    ]);
  }
  const runId = newRunId();
  const scope = abortOnSignals(opts.log, opts.keep);
  let held: HeldCluster | undefined;
  const release = releaseOnce(() => held, runId, opts.keep, opts.log);
  // During `up` the provisioner handles the signal itself; during the suites the checks run in vitest's worker
  // processes, which never see it: the runner stops them, cleans up and exits 2 (the run did not complete).
  let inSuites = false;
  let releaseSignals: (() => void) | undefined;
  let interrupting: Promise<void> | undefined;
  scope.signal.addEventListener(
    'abort',
    () => {
      if (!inSuites || !held) return;
      const current = held;
      interrupting = interruptSuites(current, runId, opts.log)
        .then(release)
        .catch((error: unknown) =>
          opts.log(`cleanup after the interrupt failed: ${errorMessage(error)}; run: clusterproof sweep --run ${runId}`),
        )
        .finally(() => process.exit(2));
    },
    { once: true },
  );
  try {
    held = await holdCluster(spec, specFile, runId, opts, scope.signal);
    scope.signal.throwIfAborted();
    const { cluster } = held;
    if (opts.apply?.length) await deployWorkloads(cluster.kubeconfigPath, opts.apply, { log: opts.log, signal: scope.signal });
    scope.signal.throwIfAborted();
    opts.log(`collecting ${cluster.apiEndpoint} (${cluster.provider}${held.owned ? ', made by this run' : ''}, run ${runId})`);
    const state = await collectLive({ kubeconfig: cluster.kubeconfigPath, ...(held.context ? { context: held.context } : {}) });
    const disruptive = await disruptiveDecision(held, spec, opts.allowDisruptive);
    opts.log(`disruptive layers: ${disruptive.allowed ? 'allowed' : 'refused'} (${disruptive.reason})`);
    const probeImage = cluster.images.probe ?? (await readImageSet().catch(() => undefined))?.probe;
    const current = held;
    scope.signal.throwIfAborted(); // interrupted while collecting: straight to cleanup
    inSuites = true;
    releaseSignals = ownSignalsDuringSuites();
    const suiteFindings = await evaluateControls(opts, spec, state, 'live', {
      kubeconfig: cluster.kubeconfigPath,
      ...(probeImage ? { probeImage } : {}),
      ...(disruptive.allowed ? { disruptiveAllowed: true } : {}),
      runId,
      clusterName: cluster.name,
      provider: cluster.provider,
      ...(current.context ? { context: current.context } : {}),
    });
    // The teardown layer: after every suite, before waivers and the gate (its check needs the cluster gone).
    const findings = await teardownLayer(suiteFindings, spec, current, { runId, keep: opts.keep, log: opts.log, release });
    return await reportFindings({ ...opts, paths: [], specFile }, spec, sha256, state, findings, startedAt, 'live');
  } finally {
    inSuites = false;
    releaseSignals?.();
    // Interrupted during the suites: vitest reports its killed workers as a crash; the interrupt owns the
    // cleanup and the exit (2), so neither a second cleanup nor that crash message follows.
    if (interrupting) await interrupting;
    if (held) await safetyNet(held, runId, opts.log);
    await release().catch((error: unknown) => opts.log(`cleanup failed: ${errorMessage(error)}; run: clusterproof sweep --run ${runId}`));
    scope.dispose();
  }
}

async function holdCluster(
  spec: ClusterSpec,
  specFile: string,
  runId: string,
  opts: LiveRunOptions,
  signal: AbortSignal,
): Promise<HeldCluster> {
  const wantsExisting =
    opts.kubeconfig !== undefined ||
    opts.provider === 'existing' ||
    (opts.provider === undefined && spec.spec.provider?.type === 'existing');
  const request = clusterRequest(
    spec,
    {
      ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
      ...(opts.context ? { context: opts.context } : {}),
      ...(wantsExisting ? { provider: 'existing' } : opts.provider ? { provider: opts.provider } : {}),
      // An existing cluster gets a per-run name, so forgetting it at the end never touches another record.
      name: opts.name ?? defaultClusterName(runId),
    },
    specFile,
    runId,
  );
  if (request.provider === 'existing') {
    const kubeconfig = request.kubeconfig ?? '';
    // A kind cluster clusterproof made earlier (e.g. the live tier's): attach through kind for node access, never remove it.
    const kind = provisionerFor('kind');
    for (const saved of await listStates()) {
      if (saved.provider === 'kind' && samePath(saved.kubeconfigPath, kubeconfig) && (await kind.isUp(saved.name))) {
        opts.log(
          `the kubeconfig belongs to kind cluster ${saved.name} made by clusterproof: attaching with node access (it is not removed by this run)`,
        );
        return {
          cluster: await kind.attach(saved.name),
          provisioner: kind,
          owned: false,
          forget: false,
          ...(request.context ? { context: request.context } : {}),
        };
      }
    }
    const existing = provisionerFor('existing');
    const cluster = await existing.up(request, { signal, ...(opts.onPhase ? { onPhase: opts.onPhase } : {}) });
    return { cluster, provisioner: existing, owned: false, forget: true, ...(request.context ? { context: request.context } : {}) };
  }
  const kind = provisionerFor(request.provider);
  opts.log(
    `provisioning kind cluster ${request.name} (${request.controlPlanes} control-plane + ${request.workers} worker nodes, run ${runId})`,
  );
  const cluster = await kind.up(request, { signal, keep: opts.keep, ...(opts.onPhase ? { onPhase: opts.onPhase } : {}) });
  return { cluster, provisioner: kind, owned: true, forget: false };
}

function samePath(a: string, b: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return b !== '' && real(a) === real(b);
}

async function disruptiveDecision(held: HeldCluster, spec: ClusterSpec, allowFlag: boolean): Promise<{ allowed: boolean; reason: string }> {
  if (held.owned) return { allowed: true, reason: 'the cluster was created by this run and is removed after it' };
  try {
    return await assertDisruptiveAllowed(
      { kubeconfigPath: held.cluster.kubeconfigPath, ...(held.context ? { context: held.context } : {}) },
      spec.spec.provider?.existing?.disposableLabel,
      allowFlag,
    );
  } catch (error) {
    return { allowed: false, reason: errorMessage(error) };
  }
}

/**
 * vitest's reporter exits the process 1 ms after SIGINT/SIGTERM (its terminal cleanup), which would skip our
 * cleanup; while the suites run, this runner owns those signals, so handlers added meanwhile are taken off again.
 */
function ownSignalsDuringSuites(): () => void {
  const hook = (event: string | symbol, listener: (...args: unknown[]) => void): void => {
    if (event === 'SIGINT' || event === 'SIGTERM') setImmediate(() => process.off(event, listener));
  };
  process.on('newListener', hook);
  return () => process.off('newListener', hook);
}

/** Ctrl-C during the suites: stop the checks where they are, then undo what they may have left half done. */
async function interruptSuites(held: HeldCluster, runId: string, log: (line: string) => void): Promise<void> {
  const children = ownChildProcesses();
  log(
    `interrupted during the suites: stopping the check processes (${children.join(', ') || 'none'}), removing this run's namespaces${held.owned ? '' : ', restarting any node a drill stopped'}`,
  );
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await safetyNet(held, runId, log);
  if (!held.owned && held.cluster.provider === 'kind') {
    // A `docker stop` already sent by a killed drill still completes (up to its 10 s grace): start the nodes again after it.
    await sleep(12_000);
    await safetyNet(held, runId, log);
  }
}

/** Direct children of this process (vitest's workers, docker/kind calls), from /proc: they are ours to stop by id. */
function ownChildProcesses(): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return pids;
  }
  for (const entry of entries) {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces, so parse after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
