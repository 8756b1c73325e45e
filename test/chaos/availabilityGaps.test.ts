// Gap computation of the HA failover drill: the longest stretch without a successful /readyz, including the start
// (before the first success) and the end (after the last), judged against the disruption budget.
import { describe, expect, test } from 'vitest';
import { judgeGap, longestGap, type AvailabilitySample } from '../../harness/chaos/availabilityGaps.ts';

const s = (at: number, ok: boolean): AvailabilitySample => ({ at, ok, detail: ok ? '200 ok' : 'ECONNRESET' });

describe('longestGap', () => {
  test('steady 10 Hz answers: the gap is one period', () => {
    const samples = Array.from({ length: 50 }, (_, i) => s(i * 100, true));
    expect(longestGap(samples, 5000).longestGapSeconds).toBeCloseTo(0.1, 5);
  });

  test('a run of failures is measured between the successes around it', () => {
    const samples = [s(0, true), s(100, true), s(200, false), s(300, false), s(1700, false), s(1800, true), s(1900, true)];
    const g = longestGap(samples, 2000);
    expect(g).toMatchObject({ gapFrom: 100, gapTo: 1800, failures: 3, samples: 7 });
    expect(g.longestGapSeconds).toBeCloseTo(1.7, 5);
  });

  test('a sample that hung (no samples for a while) counts as a gap too', () => {
    expect(longestGap([s(0, true), s(4000, true)], 4100).longestGapSeconds).toBeCloseTo(4, 5);
  });

  test('never answering after some point: the gap runs to the end', () => {
    expect(longestGap([s(0, true), s(100, false), s(200, false)], 9000)).toMatchObject({ gapFrom: 0, gapTo: 9000 });
  });

  test('no success at all: the whole window', () => {
    expect(longestGap([s(0, false)], 3000).longestGapSeconds).toBe(3);
  });
});

describe('judgeGap', () => {
  const gap = (seconds: number) => longestGap([s(0, true), s(seconds * 1000, true)], seconds * 1000 + 10);
  test('within budget: pass', () => expect(judgeGap(gap(2), 15, 'spec', true).result).toBe('pass'));
  test('over budget: fail naming both', () => {
    const v = judgeGap(gap(20), 15, 'spec.ha.disruptionBudgetSeconds', true);
    expect(v.result).toBe('fail');
    expect(v.message).toContain('budget 15s');
  });
  test('not recovered by the end: fail even inside the budget', () => expect(judgeGap(gap(1), 15, 'spec', false).result).toBe('fail'));
});
