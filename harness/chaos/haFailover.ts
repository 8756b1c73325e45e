// Control ha-control-plane, chaos layer. Stops one control-plane node, samples GET /readyz through the load-balanced
// endpoint at ~10 Hz (bounded), records the longest gap and compares it with spec.ha.disruptionBudgetSeconds, then
// starts the node again and waits (bounded) until its etcd member is back and every member is healthy. The node is
// started again in `finally`, whatever happened.
import { finding, notAskedFor } from '../findings/finding.ts';
import type { Evidence } from '../model/findings.ts';
import { clusterApi } from '../kubernetes/clusterApi.ts';
import type { LiveCheck } from '../model/liveCheck.ts';
import { judgeGap } from './availabilityGaps.ts';
import { etcdHealth, type EtcdHealth } from './etcdOnNode.ts';
import { sampleReadyz } from './readyzSampler.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../errors.ts';
import { waitFor, WaitTimeout } from '../kubernetes/waitFor.ts';

const LAYER = 'chaos';
/** Used when the spec sets no budget; said so in the finding. */
export const DEFAULT_BUDGET_SECONDS = 30;
const BASELINE_MS = 2000;
const DOWN_MS = 30_000;
const SAMPLE_PERIOD_MS = 100;
const MAX_SAMPLING_SECONDS = 90;
const REJOIN_TIMEOUT_MS = 180_000;

export const haFailoverDrill: LiveCheck = async ({ spec, control, run, platform, signal }) => {
  const controlId = control.id;
  const ha = spec.spec.ha;
  if (!ha) return [notAskedFor(controlId, LAYER, 'a highly available control plane', 'ha')];
  const access = await platform.nodeAccess();
  if (!access.ok)
    return [
      finding({ controlId, layer: LAYER, result: 'not-applicable', message: `Failover drill not run: ${access.reason}.`, evidence: [] }),
    ];
  const controlPlanes = access.cluster.nodes.filter((n) => n.role === 'control-plane');
  const [witness] = controlPlanes;
  const victim = controlPlanes.at(-1);
  if (!witness || !victim || witness === victim) {
    return [
      finding({
        controlId,
        layer: LAYER,
        result: 'not-applicable',
        message: `Failover drill not run: the cluster has ${controlPlanes.length} control-plane node(s); stopping the only one shows an outage, not a failover (the config layer reports the count).`,
        evidence: [{ type: 'observation', what: 'control-plane nodes', observed: controlPlanes.map((n) => n.name) }],
      }),
    ];
  }
  const budget = ha.disruptionBudgetSeconds ?? DEFAULT_BUDGET_SECONDS;
  const budgetSource =
    ha.disruptionBudgetSeconds === undefined ? `default; spec.ha.disruptionBudgetSeconds is not set` : 'spec.ha.disruptionBudgetSeconds';

  const before = await etcdHealth(witness, signal);
  if (before.healthy < before.members.length || before.members.length === 0) {
    return [
      finding({
        controlId,
        layer: LAYER,
        result: 'error',
        message: `Not disrupting: etcd is already unhealthy before the drill (${before.healthy}/${before.members.length} members healthy).`,
        evidence: [{ type: 'observation', what: 'etcd before', observed: before }],
      }),
    ];
  }

  const started = performance.now();
  const { kc } = clusterApi(run);
  let stoppedAt: number | undefined;
  let sampled;
  let restartError: string | undefined;
  try {
    const disruption = (async () => {
      await sleep(BASELINE_MS);
      await victim.stop();
      stoppedAt = performance.now() - started;
      await sleep(DOWN_MS);
    })();
    sampled = await sampleReadyz(kc, { periodMs: SAMPLE_PERIOD_MS, maxSeconds: MAX_SAMPLING_SECONDS, until: disruption, signal });
    await disruption;
  } finally {
    await victim.start().catch((error: unknown) => (restartError = errorMessage(error)));
  }
  const rejoin = await waitRejoined(witness, victim.name, before.members.length, signal);
  const recovered = sampled.trace.at(-1)?.ok === true;
  const verdict = judgeGap(sampled, budget, budgetSource, recovered);
  const failures = sampled.trace.filter((s) => !s.ok);
  const evidence: Evidence[] = [
    {
      type: 'comparison',
      what: 'longest /readyz gap through the load balancer (s) vs disruption budget (s)',
      expected: budget,
      actual: Number(sampled.longestGapSeconds.toFixed(2)),
    },
    {
      type: 'observation',
      what: 'readyz sampling',
      observed: {
        victim: victim.name,
        samples: sampled.samples,
        failures: sampled.failures,
        periodMs: SAMPLE_PERIOD_MS,
        stoppedAtMs: stoppedAt === undefined ? null : Math.round(stoppedAt),
        gapFromMs: Math.round(sampled.gapFrom),
        gapToMs: Math.round(sampled.gapTo),
        firstFailures: failures.slice(0, 5).map((s) => `${Math.round(s.at)}ms ${s.detail}`),
      },
    },
    { type: 'observation', what: 'etcd before the drill', observed: { members: before.members, healthy: before.healthy } },
    {
      type: 'observation',
      what: 'etcd after restarting the node',
      observed: { members: rejoin.health.members, healthy: rejoin.health.healthy, seconds: rejoin.seconds },
      detail: rejoin.health.detail,
    },
  ];
  const base = { controlId, layer: LAYER, subject: { kind: 'Node', name: victim.name }, evidence } as const;
  const durationMs = Math.round(performance.now() - started);
  if (restartError)
    return [
      {
        ...finding({ ...base, result: 'error', message: `The stopped node ${victim.name} could not be started again: ${restartError}` }),
        durationMs,
      },
    ];
  if (!rejoin.ok) {
    return [
      {
        ...finding({
          ...base,
          result: 'fail',
          message: `${verdict.message} But after restarting ${victim.name}, etcd did not return to ${before.members.length} healthy members within ${REJOIN_TIMEOUT_MS / 1000}s (${rejoin.health.healthy}/${rejoin.health.members.length}).`,
        }),
        durationMs,
      },
    ];
  }
  return [
    {
      ...finding({
        ...base,
        result: verdict.result,
        message: `${verdict.message} ${victim.name} rejoined etcd (${rejoin.health.healthy}/${rejoin.health.members.length} healthy) ${rejoin.seconds.toFixed(0)}s after restart.`,
      }),
      durationMs,
    },
  ];
};

async function waitRejoined(
  witness: Parameters<typeof etcdHealth>[0],
  victim: string,
  expected: number,
  signal: AbortSignal,
): Promise<{ ok: boolean; health: EtcdHealth; seconds: number }> {
  const start = performance.now();
  let health: EtcdHealth = { members: [], healthy: 0, detail: 'not asked yet' };
  try {
    await waitFor(
      `${victim} to rejoin etcd (${expected} healthy members)`,
      async () => {
        health = await etcdHealth(witness, signal).catch((e: unknown) => ({ members: [], healthy: 0, detail: errorMessage(e) }));
        const back = health.members.length === expected && health.healthy === expected && health.members.includes(victim);
        return back ? { done: true, value: undefined } : { done: false, why: `${health.healthy}/${health.members.length} healthy` };
      },
      { timeout: REJOIN_TIMEOUT_MS, interval: 3000, signal },
    );
    return { ok: true, health, seconds: (performance.now() - start) / 1000 };
  } catch (error) {
    // Timed out or interrupted: the caller reports etcd as it was last seen.
    if (!(error instanceof WaitTimeout) && !signal.aborted) throw error;
    return { ok: false, health, seconds: (performance.now() - start) / 1000 };
  }
}
