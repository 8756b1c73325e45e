// Expected (static NetworkPolicy engine) vs observed (probe pods) as one ReachabilityMatrix, the way the upstream
// e2e suite compares its Reachability tables: same type for both, a failure is a readable diff. Pure.
import type { PortProtocol, ReachabilityMatrix } from '../model/reachability.ts';
import type { Reachability } from '../model/reachabilityModel.ts';

/** Both tables over the expected table's pods; pairs not probed stay null in `observed`. */
export function comparisonMatrix(expected: Reachability, observed: Reachability, pp: PortProtocol): ReachabilityMatrix {
  const pods = expected.pods;
  return {
    ...expected.matrix(pp.port, pp.protocol),
    observed: pods.map((from) => pods.map((to) => observed.get(from, to))),
  };
}

export interface Mismatch {
  from: string;
  to: string;
  expected: boolean;
  observed: boolean;
}

/** Probed cells where the cluster did something other than the engine predicted. */
export function mismatches(m: ReachabilityMatrix): Mismatch[] {
  const out: Mismatch[] = [];
  m.pods.forEach((from, i) =>
    m.pods.forEach((to, j) => {
      const observed = m.observed?.[i]?.[j];
      const expected = m.allowed[i]?.[j];
      if (observed !== null && observed !== undefined && expected !== undefined && observed !== expected)
        out.push({ from, to, expected, observed });
    }),
  );
  return out;
}

/**
 * Both tables side by side, upstream style (`.` allowed, `X` blocked, `?` not probed):
 * each cell is `expected/observed`, and a `!` marks a disagreement.
 */
export function renderComparison(m: ReachabilityMatrix): string {
  const mark = (v: boolean | null | undefined): string => (v === null || v === undefined ? '?' : v ? '.' : 'X');
  const width = Math.max(...m.pods.map((p) => p.length), 4);
  const head = `${`${m.port}/${m.protocol}`.padEnd(width)} | ${m.pods.map((_, j) => `c${j}`.padEnd(4)).join(' ')}`;
  const rows = m.pods.map((from, i) => {
    const cells = m.pods.map((_, j) => {
      const e = m.allowed[i]?.[j];
      const o = m.observed?.[i]?.[j];
      const differ = o !== null && o !== undefined && o !== e;
      return `${mark(e)}/${mark(o)}${differ ? '!' : ' '}`;
    });
    return `${from.padEnd(width)} | ${cells.join(' ')}`;
  });
  const legend = m.pods.map((p, j) => `c${j}=${p}`).join(', ');
  return [`expected/observed (. allowed, X blocked, ? not probed, ! mismatch); columns: ${legend}`, head, ...rows].join('\n');
}

export type DenyVerdict = { result: 'pass'; message: string } | { result: 'fail'; message: string } | { result: 'error'; message: string };

export interface DirectionOutcome {
  direction: 'ingress' | 'egress';
  predictedAllowed: boolean;
  /** null: the probe produced no observation. */
  observedAllowed: boolean | null;
}

/**
 * The verdict for one default-deny namespace. Pass only when every probed direction was observed exactly as
 * predicted AND the prediction was "blocked". The witness (client → a pod of its own unpoliced namespace,
 * predicted allowed) proves the network works at all: without it, "blocked" could just mean "broken".
 */
export function judgeDefaultDeny(namespace: string, outcomes: DirectionOutcome[], witnessObserved: boolean | null): DenyVerdict {
  if (witnessObserved !== true) {
    return {
      result: 'error',
      message: `Cannot judge ${namespace}: the probe client could not reach a pod in its own namespace (no policy there), so a blocked result would not mean anything.`,
    };
  }
  const unobserved = outcomes.filter((o) => o.observedAllowed === null);
  if (unobserved.length > 0)
    return { result: 'error', message: `No observation for ${unobserved.map((o) => o.direction).join(' and ')} of ${namespace}.` };
  const wrong = outcomes.filter((o) => o.observedAllowed !== o.predictedAllowed);
  if (wrong.length > 0) {
    const what = wrong
      .map(
        (o) =>
          `${o.direction} predicted ${o.predictedAllowed ? 'allowed' : 'blocked'} but observed ${o.observedAllowed ? 'allowed' : 'blocked'}`,
      )
      .join('; ');
    return { result: 'fail', message: `Live traffic contradicts the static NetworkPolicy prediction for ${namespace}: ${what}.` };
  }
  const open = outcomes.filter((o) => o.predictedAllowed);
  if (open.length > 0) {
    return {
      result: 'fail',
      message: `${namespace} is not default-deny for ${open.map((o) => o.direction).join(' and ')}: a new pod there was reachable as predicted and observed.`,
    };
  }
  return {
    result: 'pass',
    message: `${namespace} blocked ${outcomes.map((o) => o.direction).join(' and ')} traffic of a new pod, as the static engine predicted.`,
  };
}
