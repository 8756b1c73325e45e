// The canary abort drill's judgement, from snapshots shaped like what the API returns during an Argo Rollouts
// canary: the Rollout's status, its AnalysisRuns and ReplicaSets (rollouts-pod-template-hash). The drill stops
// polling when `settled`, and `judgeCanaryAbort` decides pass / fail / error with the checks as evidence.
import { describe, expect, test } from 'vitest';
import {
  analysisRunView,
  fromStable,
  judgeCanaryAbort,
  observe,
  replicaSetView,
  rolloutView,
  settled,
  startProgress,
  type DrillProgress,
  type DrillSnapshot,
  type StableProbe,
} from '../../harness/chaos/canaryOutcome.ts';

const STABLE = '5d8f7c9b4';
const CANARY = '7c6b5d4f8';
const NAME = 'cp-canary';

function snap(
  at: number,
  o: {
    phase?: string;
    abort?: boolean;
    stableRS?: string;
    current?: string;
    runs?: [string, string][];
    stable?: [number, number];
    canary?: [number, number] | null;
  },
): DrillSnapshot {
  const [sr, sready] = o.stable ?? [2, 2];
  return {
    at,
    rollout: {
      phase: o.phase ?? 'Progressing',
      message: '',
      abort: o.abort ?? false,
      stableRS: o.stableRS ?? STABLE,
      currentPodHash: o.current ?? CANARY,
      readyReplicas: sready,
    },
    analysisRuns: (o.runs ?? []).map(([name, phase]) => ({
      name,
      phase,
      message: phase === 'Failed' ? 'Metric "probe-closed-port" assessed Failed due to failed (1) > failureLimit (0)' : '',
    })),
    replicaSets: [
      { name: `${NAME}-${STABLE}`, hash: STABLE, replicas: sr, readyReplicas: sready },
      ...(o.canary === null
        ? []
        : [{ name: `${NAME}-${CANARY}`, hash: CANARY, replicas: (o.canary ?? [1, 1])[0], readyReplicas: (o.canary ?? [1, 1])[1] }]),
    ],
  };
}

const run = 'cp-canary-7c6b5d4f8-2';
/** The sequence Argo Rollouts produces for a basic canary (2 replicas, setWeight 50) whose step analysis fails. */
const abortSequence: DrillSnapshot[] = [
  snap(10, { stable: [2, 2], canary: [1, 0] }),
  snap(14, { stable: [1, 1], canary: [1, 1] }),
  snap(15, { stable: [1, 1], canary: [1, 1], runs: [[run, 'Running']] }),
  snap(22, { stable: [1, 1], canary: [1, 1], runs: [[run, 'Failed']] }),
  snap(23, { phase: 'Degraded', abort: true, stable: [2, 1], canary: [1, 1], runs: [[run, 'Failed']] }),
  snap(25, { phase: 'Degraded', abort: true, stable: [2, 2], canary: [0, 0], runs: [[run, 'Failed']] }),
];

const fold = (snaps: DrillSnapshot[]): DrillProgress => snaps.reduce(observe, startProgress(STABLE, 2));
const stableReplies: StableProbe = {
  ran: true,
  replies: [`${NAME}-${STABLE}-abcde`, `${NAME}-${STABLE}-fghij`, `${NAME}-${STABLE}-abcde`],
  detail: '',
};

describe('observe / settled', () => {
  test('a full abort to stable settles only once the canary is at 0 and stable is fully Ready again', () => {
    let p = startProgress(STABLE, 2);
    const settledAt = abortSequence.map((s) => {
      p = observe(p, s);
      return settled(p);
    });
    expect(settledAt).toEqual([false, false, false, false, false, true]);
    expect(p.canaryHash).toBe(CANARY);
    expect(p.minStableReady).toBe(1);
    expect(p.failedRun).toMatchObject({ name: run, phase: 'Failed' });
  });

  test("the timeline records each change of an object's state, at the second it was seen", () => {
    const p = fold(abortSequence);
    const at = (fact: string): number[] => p.timeline.filter((t) => t.fact.startsWith(fact)).map((t) => t.at);
    expect(at(`AnalysisRun ${run} Running`)).toEqual([15]);
    expect(at(`AnalysisRun ${run} Failed`)).toEqual([22]);
    expect(at('Rollout status.abort = true')).toEqual([23]);
    expect(at(`canary ReplicaSet ${CANARY}: 0/0 Ready`)).toEqual([25]);
    // stable goes 2/2 → 1/1 → 2/1 → 2/2: the return to full strength is on the timeline too.
    expect(at(`stable ReplicaSet ${STABLE}: 2/2 Ready`)).toEqual([10, 25]);
  });

  test('a promotion settles too (nothing will undo it)', () => {
    expect(
      settled(
        fold([snap(10, {}), snap(30, { phase: 'Healthy', stableRS: CANARY, stable: [0, 0], canary: [2, 2], runs: [[run, 'Successful']] })]),
      ),
    ).toBe(true);
  });
});

describe('judgeCanaryAbort', () => {
  test('abort to stable observed and the stable Service answered from stable pods: pass, naming run, hashes and times', () => {
    const v = judgeCanaryAbort(fold(abortSequence), stableReplies, NAME, 150);
    expect(v.result).toBe('pass');
    expect(v.message).toContain(`AnalysisRun ${run} Failed at 22s`);
    expect(v.message).toContain('aborted at 23s');
    expect(v.message).toContain(`canary ReplicaSet ${CANARY} at 0 replicas`);
    expect(v.message).toContain(`stable ReplicaSet ${STABLE}`);
    expect(v.checks.every((c) => c.ok)).toBe(true);
  });

  test('canary promoted although the analysis was meant to fail: fail', () => {
    const p = fold([
      snap(10, {}),
      snap(30, { phase: 'Healthy', stableRS: CANARY, stable: [0, 0], canary: [2, 2], runs: [[run, 'Successful']] }),
    ]);
    expect(judgeCanaryAbort(p, stableReplies, NAME, 150)).toMatchObject({ result: 'fail', message: expect.stringContaining('promoted') });
  });

  test('the analysis never failed within the bound: fail, saying which conditions were not met', () => {
    const p = fold([snap(10, {}), snap(150, { runs: [[run, 'Running']] })]);
    const v = judgeCanaryAbort(p, stableReplies, NAME, 150);
    expect(v.result).toBe('fail');
    expect(v.message).toContain('analysis failed — no');
    expect(v.message).toContain('rollout aborted — no');
  });

  test('no canary ReplicaSet ever appeared: error (the controller did not act), never pass or fail', () => {
    const p = fold([snap(10, { canary: null, current: STABLE }), snap(150, { canary: null, current: STABLE })]);
    expect(p.canaryHash).toBeUndefined();
    expect(judgeCanaryAbort(p, stableReplies, NAME, 150).result).toBe('error');
  });

  test('stable lost every Ready pod while the canary ran: fail even though it aborted', () => {
    const dip = [
      ...abortSequence.slice(0, 2),
      snap(16, { stable: [1, 0], canary: [1, 1], runs: [[run, 'Running']] }),
      ...abortSequence.slice(2),
    ];
    const v = judgeCanaryAbort(fold(dip), stableReplies, NAME, 150);
    expect(v.result).toBe('fail');
    expect(v.message).toContain('fewest Ready stable pods 0');
  });

  test('the stable Service answered from a canary pod: fail', () => {
    const v = judgeCanaryAbort(
      fold(abortSequence),
      { ran: true, replies: [`${NAME}-${STABLE}-abcde`, `${NAME}-${CANARY}-zzzzz`], detail: '' },
      NAME,
      150,
    );
    expect(v.result).toBe('fail');
    expect(v.message).toContain('stable Service answered from stable pods — no');
  });

  test('the stable Service did not answer at all: fail', () => {
    expect(judgeCanaryAbort(fold(abortSequence), { ran: true, replies: [undefined, undefined], detail: '' }, NAME, 150).result).toBe(
      'fail',
    );
  });

  test('abort observed but the probe could not run: error, not pass', () => {
    const v = judgeCanaryAbort(
      fold(abortSequence),
      { ran: false, replies: [], detail: 'probe could not run: pod did not start' },
      NAME,
      150,
    );
    expect(v.result).toBe('error');
    expect(v.message).toContain('could not be probed');
  });
});

describe('views of API objects', () => {
  test('Rollout status fields, with defaults for a Rollout the controller has not touched yet', () => {
    expect(
      rolloutView({
        status: { phase: 'Degraded', abort: true, stableRS: STABLE, currentPodHash: CANARY, readyReplicas: 2, message: 'RolloutAborted' },
      }),
    ).toEqual({
      phase: 'Degraded',
      message: 'RolloutAborted',
      abort: true,
      stableRS: STABLE,
      currentPodHash: CANARY,
      readyReplicas: 2,
    });
    expect(rolloutView({ metadata: { name: 'x' } })).toMatchObject({
      phase: '(none yet)',
      abort: false,
      stableRS: undefined,
      readyReplicas: 0,
    });
  });

  test('AnalysisRun name and phase; a new one is Pending', () => {
    expect(analysisRunView({ metadata: { name: run }, status: { phase: 'Failed', message: 'm' } })).toEqual({
      name: run,
      phase: 'Failed',
      message: 'm',
    });
    expect(analysisRunView({ metadata: { name: run } })).toMatchObject({ phase: 'Pending' });
  });

  test("ReplicaSets without the rollouts hash label are not the Rollout's", () => {
    expect(
      replicaSetView({
        metadata: { name: 'x', labels: { 'rollouts-pod-template-hash': STABLE } },
        spec: { replicas: 2, selector: {} },
        status: { replicas: 2, readyReplicas: 1 },
      }),
    ).toEqual({ name: 'x', hash: STABLE, replicas: 2, readyReplicas: 1 });
    expect(replicaSetView({ metadata: { name: 'y' }, spec: { selector: {} }, status: { replicas: 0 } })).toBeUndefined();
  });

  test('a reply is from stable exactly when the pod name carries the stable hash', () => {
    expect(fromStable(`${NAME}-${STABLE}-abcde`, NAME, STABLE)).toBe(true);
    expect(fromStable(`${NAME}-${CANARY}-abcde`, NAME, STABLE)).toBe(false);
    expect(fromStable(`${NAME}-${STABLE}x-abcde`, NAME, STABLE)).toBe(false);
  });
});
