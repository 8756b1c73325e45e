// The difference between what the static NetworkPolicy engine predicted and what live probes observed: the
// cells a reader must look at first. Shared by the JSON (listed) and HTML (highlighted) reports.
import type { ReachabilityMatrix } from '../harness/model/reachability.ts';

export interface ReachabilityMismatch {
  from: string;
  to: string;
  expected: boolean;
  observed: boolean;
}

/** Cells where a live probe saw something other than what the static engine predicted. */
export function reachabilityMismatches(m: ReachabilityMatrix): ReachabilityMismatch[] {
  const out: ReachabilityMismatch[] = [];
  m.pods.forEach((from, i) => {
    m.pods.forEach((to, j) => {
      const expected = m.allowed[i]?.[j];
      const observed = m.observed?.[i]?.[j];
      if (expected !== undefined && observed !== undefined && observed !== null && observed !== expected)
        out.push({ from, to, expected, observed });
    });
  });
  return out;
}
