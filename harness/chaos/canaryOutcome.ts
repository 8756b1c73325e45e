// What the canary abort drill concludes from what it read (pure): snapshots of the Rollout, its AnalysisRuns and
// ReplicaSets, polled from the API, are folded into a progress record (a timeline of every change seen in each
// object's state, the fewest Ready stable pods seen), which decides when to stop polling and, with the stable
// Service probe, the verdict.
import type { V1ReplicaSet } from '@kubernetes/client-node';
import type { Result } from '../model/findings.ts';

export const POD_HASH_LABEL = 'rollouts-pod-template-hash';

export interface RolloutView {
  phase: string;
  message: string;
  abort: boolean;
  stableRS: string | undefined;
  currentPodHash: string | undefined;
  readyReplicas: number;
}

export interface AnalysisRunView {
  name: string;
  phase: string;
  message: string;
}

export interface ReplicaSetView {
  name: string;
  hash: string;
  replicas: number;
  readyReplicas: number;
}

export interface DrillSnapshot {
  /** Seconds since the drill started. */
  at: number;
  rollout: RolloutView;
  analysisRuns: AnalysisRunView[];
  replicaSets: ReplicaSetView[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function rolloutView(obj: unknown): RolloutView {
  const status = ((obj as { status?: Record<string, unknown> } | undefined)?.status ?? {}) as Record<string, unknown>;
  return {
    phase: str(status.phase) ?? '(none yet)',
    message: str(status.message) ?? '',
    abort: status.abort === true,
    stableRS: str(status.stableRS),
    currentPodHash: str(status.currentPodHash),
    readyReplicas: typeof status.readyReplicas === 'number' ? status.readyReplicas : 0,
  };
}

export function analysisRunView(obj: unknown): AnalysisRunView {
  const o = obj as { metadata?: { name?: string }; status?: { phase?: unknown; message?: unknown } } | undefined;
  return { name: o?.metadata?.name ?? '?', phase: str(o?.status?.phase) ?? 'Pending', message: str(o?.status?.message) ?? '' };
}

export function replicaSetView(rs: V1ReplicaSet): ReplicaSetView | undefined {
  const hash = rs.metadata?.labels?.[POD_HASH_LABEL];
  if (!hash) return undefined;
  return { name: rs.metadata?.name ?? '?', hash, replicas: rs.spec?.replicas ?? 0, readyReplicas: rs.status?.readyReplicas ?? 0 };
}

const FAILED_PHASES = new Set(['Failed', 'Error']);

export interface DrillProgress {
  stableHash: string;
  replicas: number;
  canaryHash: string | undefined;
  /** Each change of an object's observed state, in order, with the second it was first seen. */
  timeline: { at: number; fact: string }[];
  /** The latest fact per object (Rollout phase, abort flag, each ReplicaSet, each AnalysisRun). */
  current: Record<string, string>;
  /** Fewest Ready pods of the stable ReplicaSet in any snapshot since the canary started. */
  minStableReady: number;
  failedRun: AnalysisRunView | undefined;
  last: DrillSnapshot | undefined;
}

export function startProgress(stableHash: string, replicas: number): DrillProgress {
  return {
    stableHash,
    replicas,
    canaryHash: undefined,
    timeline: [],
    current: {},
    minStableReady: replicas,
    failedRun: undefined,
    last: undefined,
  };
}

/** The snapshot as facts keyed by the object they describe. */
function facts(p: DrillProgress, s: DrillSnapshot, canaryHash: string | undefined): [string, string][] {
  const out: [string, string][] = [
    ['rollout/phase', `Rollout phase ${s.rollout.phase}${s.rollout.message ? ` (${s.rollout.message})` : ''}`],
  ];
  if (s.rollout.abort) out.push(['rollout/abort', 'Rollout status.abort = true']);
  if (s.rollout.stableRS && s.rollout.stableRS !== p.stableHash)
    out.push(['rollout/stableRS', `Rollout status.stableRS changed to ${s.rollout.stableRS}`]);
  for (const rs of s.replicaSets) {
    const role = rs.hash === p.stableHash ? 'stable' : rs.hash === canaryHash ? 'canary' : 'other';
    out.push([`rs/${rs.hash}`, `${role} ReplicaSet ${rs.hash}: ${rs.readyReplicas}/${rs.replicas} Ready`]);
  }
  for (const ar of s.analysisRuns)
    out.push([`ar/${ar.name}`, `AnalysisRun ${ar.name} ${ar.phase}${FAILED_PHASES.has(ar.phase) && ar.message ? ` (${ar.message})` : ''}`]);
  return out;
}

/** Folds one snapshot into the progress (returns a new record); the timeline gets each object's changes. */
export function observe(p: DrillProgress, s: DrillSnapshot): DrillProgress {
  const canaryHash =
    p.canaryHash ??
    s.replicaSets.find((rs) => rs.hash !== p.stableHash)?.hash ??
    (s.rollout.currentPodHash !== p.stableHash ? s.rollout.currentPodHash : undefined);
  const current = { ...p.current };
  const timeline = [...p.timeline];
  for (const [key, fact] of facts(p, s, canaryHash)) {
    if (current[key] === fact) continue;
    current[key] = fact;
    timeline.push({ at: s.at, fact });
  }
  const stable = s.replicaSets.find((rs) => rs.hash === p.stableHash);
  const minStableReady = Math.min(p.minStableReady, stable?.readyReplicas ?? 0);
  const failedRun = p.failedRun ?? s.analysisRuns.find((ar) => FAILED_PHASES.has(ar.phase));
  return { ...p, canaryHash, timeline, current, minStableReady, failedRun, last: s };
}

export interface DrillCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** The conditions of a correct abort to stable, as observed in the last snapshot and over the drill. */
export function abortChecks(p: DrillProgress): DrillCheck[] {
  const s = p.last;
  const stable = s?.replicaSets.find((rs) => rs.hash === p.stableHash);
  const canary = p.canaryHash === undefined ? undefined : s?.replicaSets.find((rs) => rs.hash === p.canaryHash);
  return [
    {
      name: 'canary started',
      ok: p.canaryHash !== undefined,
      detail: p.canaryHash ? `canary ReplicaSet ${p.canaryHash}` : 'no canary ReplicaSet appeared',
    },
    {
      name: 'analysis failed',
      ok: p.failedRun !== undefined,
      detail: p.failedRun
        ? `AnalysisRun ${p.failedRun.name} ${p.failedRun.phase}${p.failedRun.message ? `: ${p.failedRun.message}` : ''}`
        : `AnalysisRuns: ${s?.analysisRuns.map((a) => `${a.name} ${a.phase}`).join(', ') || 'none'}`,
    },
    {
      name: 'rollout aborted',
      ok: s?.rollout.abort === true && s.rollout.phase === 'Degraded',
      detail: `status.abort ${s?.rollout.abort ?? false}, phase ${s?.rollout.phase ?? '?'}`,
    },
    {
      name: 'stable kept',
      ok: s?.rollout.stableRS === p.stableHash,
      detail: `status.stableRS ${s?.rollout.stableRS ?? '?'} (stable was ${p.stableHash})`,
    },
    {
      name: 'stable served throughout',
      ok: p.minStableReady >= 1 && stable?.readyReplicas === p.replicas,
      detail: `fewest Ready stable pods ${p.minStableReady}, now ${stable?.readyReplicas ?? 0}/${p.replicas}`,
    },
    {
      name: 'canary scaled to 0',
      ok: p.canaryHash !== undefined && (canary === undefined || (canary.replicas === 0 && canary.readyReplicas === 0)),
      detail: canary
        ? `canary ReplicaSet ${canary.hash}: ${canary.readyReplicas}/${canary.replicas}`
        : 'canary ReplicaSet gone or never seen',
    },
  ];
}

/** True when the canary was promoted: stable moved to the canary's hash. */
export function promoted(p: DrillProgress): boolean {
  const stableRS = p.last?.rollout.stableRS;
  return stableRS !== undefined && stableRS !== p.stableHash && stableRS === p.canaryHash;
}

/** Polling can stop: the abort is complete, or the canary was promoted (which nothing will undo). */
export function settled(p: DrillProgress): boolean {
  return promoted(p) || abortChecks(p).every((c) => c.ok);
}

export interface StableProbe {
  /** False when the probe itself could not run (client pod did not start…): no observation, not a refusal. */
  ran: boolean;
  /** Pod names (the probe server replies with its hostname) that answered, one per probe; undefined = no answer. */
  replies: (string | undefined)[];
  detail: string;
}

/** A reply comes from the stable ReplicaSet when the answering pod's name carries the stable hash. */
export function fromStable(reply: string, rolloutName: string, stableHash: string): boolean {
  return reply.startsWith(`${rolloutName}-${stableHash}-`);
}

export interface DrillVerdict {
  result: Exclude<Result, 'waived'>;
  message: string;
  checks: DrillCheck[];
}

export function judgeCanaryAbort(
  p: DrillProgress,
  probe: StableProbe | undefined,
  rolloutName: string,
  boundSeconds: number,
): DrillVerdict {
  const checks = abortChecks(p);
  const probeOk =
    probe !== undefined &&
    probe.ran &&
    probe.replies.length > 0 &&
    probe.replies.every((r) => r !== undefined && fromStable(r, rolloutName, p.stableHash));
  checks.push({
    name: 'stable Service answered from stable pods',
    ok: probeOk,
    detail: probe ? `${probe.replies.map((r) => r ?? 'no answer').join(', ')}${probe.detail ? ` (${probe.detail})` : ''}` : 'not probed',
  });
  const at = (prefix: string): string => {
    const t = p.timeline.find((e) => e.fact.startsWith(prefix));
    return t ? `${t.at.toFixed(0)}s` : '?';
  };
  if (!checks[0]?.ok) {
    return {
      result: 'error',
      checks,
      message: `The new revision never produced a canary ReplicaSet within ${boundSeconds}s, so no abort could be observed (is the Argo Rollouts controller running?).`,
    };
  }
  if (promoted(p)) {
    return {
      result: 'fail',
      checks,
      message: `Argo Rollouts promoted canary ${p.canaryHash} to stable although its analysis was built to fail: a failing canary did not abort.`,
    };
  }
  const unmet = checks.filter((c) => !c.ok);
  if (unmet.length === 1 && !probeOk && probe?.ran !== true) {
    return {
      result: 'error',
      checks,
      message: `The failing canary was aborted back to stable, but the stable Service could not be probed (${probe?.detail ?? 'not probed'}), so serving from stable was not observed.`,
    };
  }
  if (unmet.length === 0) {
    const run = p.failedRun;
    return {
      result: 'pass',
      checks,
      message:
        `A canary whose analysis failed was aborted back to stable: AnalysisRun ${run?.name ?? '?'} ${run?.phase ?? '?'} at ${at(`AnalysisRun ${run?.name ?? ''} ${run?.phase ?? ''}`)}, ` +
        `Rollout aborted at ${at('Rollout status.abort')} (Degraded), canary ReplicaSet ${p.canaryHash} at 0 replicas, stable ReplicaSet ${p.stableHash} ` +
        `kept at least ${p.minStableReady} Ready pod(s) throughout and answered ${probe?.replies.length ?? 0}/${probe?.replies.length ?? 0} probes through the stable Service.`,
    };
  }
  return {
    result: 'fail',
    checks,
    message: `Within ${boundSeconds}s the failing canary was not aborted back to stable: ${unmet.map((c) => `${c.name} — no (${c.detail})`).join('; ')}.`,
  };
}
