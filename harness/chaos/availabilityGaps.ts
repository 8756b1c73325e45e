// How long the API was unavailable, from timed samples. Pure: the sampler produces samples, this judges them.
// A gap is the time between two successful answers (or from the start to the first, or the last to the end), so a
// run of failures and a silent stretch (a sample that hung) both count.

export interface AvailabilitySample {
  /** ms since sampling started, when the request was sent. */
  at: number;
  ok: boolean;
  detail: string;
}

export interface GapReport {
  longestGapSeconds: number;
  /** Where the longest gap started and ended (ms since start). */
  gapFrom: number;
  gapTo: number;
  samples: number;
  failures: number;
}

export function longestGap(samples: readonly AvailabilitySample[], endMs: number): GapReport {
  let last = 0;
  let best = { from: 0, to: 0 };
  for (const s of samples) {
    if (!s.ok) continue;
    if (s.at - last > best.to - best.from) best = { from: last, to: s.at };
    last = s.at;
  }
  if (endMs - last > best.to - best.from) best = { from: last, to: endMs };
  return {
    longestGapSeconds: (best.to - best.from) / 1000,
    gapFrom: best.from,
    gapTo: best.to,
    samples: samples.length,
    failures: samples.filter((s) => !s.ok).length,
  };
}

export type BudgetVerdict = { result: 'pass' | 'fail'; message: string };

export function judgeGap(gap: GapReport, budgetSeconds: number, budgetSource: string, recovered: boolean): BudgetVerdict {
  const seen = `longest API gap ${gap.longestGapSeconds.toFixed(2)}s over ${gap.samples} samples (${gap.failures} failed)`;
  if (!recovered)
    return { result: 'fail', message: `The API did not answer again through the load balancer before sampling ended: ${seen}.` };
  if (gap.longestGapSeconds > budgetSeconds)
    return {
      result: 'fail',
      message: `Control-plane failover exceeded the disruption budget: ${seen}, budget ${budgetSeconds}s (${budgetSource}).`,
    };
  return {
    result: 'pass',
    message: `The API kept answering through the load balancer while a control-plane node was down: ${seen}, within the ${budgetSeconds}s budget (${budgetSource}).`,
  };
}
