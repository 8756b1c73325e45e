// The equivalence-class all-pairs path against plain pair-by-pair evaluation on a scaled-down benchmark
// cluster (label reuse, named ports, endPort, ipBlock except, cross-namespace selectors, Egress isolation).
import { describe, expect, test } from 'vitest';
import { BENCH_PORTS, generateNetpolBenchState } from '../../bench/netpol.ts';
import { computeAllPairs } from '../../harness/netpol/allPairs.ts';
import { podEndpoints } from '../../harness/netpol/endpoints.ts';
import { NetworkPolicyEngine } from '../../harness/netpol/engine.ts';
import { Model } from '../../harness/model/reachabilityModel.ts';
import { netpol, observe } from './observe.ts';

describe('computeAllPairs', () => {
  test('agrees with engine.evaluate on every ordered pair of a 240-pod synthetic cluster, and compresses it', () => {
    const state = generateNetpolBenchState({ pods: 240, namespaces: 24, policies: 70, seed: 7 });
    const engine = NetworkPolicyEngine.fromState(state);
    const pods = podEndpoints(state);
    const pairs = computeAllPairs(engine, pods, BENCH_PORTS);
    for (const [pi, pp] of BENCH_PORTS.entries()) {
      let allowed = 0;
      for (let i = 0; i < pods.length; i++) {
        for (let j = 0; j < pods.length; j++) {
          const direct = engine.evaluate(pods[i]!, pods[j]!, pp.port, pp.protocol).allowed;
          if (direct !== pairs.allowed(i, j, pi))
            throw new Error(`${pods[i]!.id} -> ${pods[j]!.id} on ${pp.port}/${pp.protocol}: direct ${direct}`);
          if (direct) allowed++;
        }
      }
      expect(pairs.countAllowed(pi)).toBe(allowed);
      expect(allowed).toBeGreaterThan(0);
      expect(allowed).toBeLessThan(pods.length * pods.length);
    }
    expect(pairs.sourceClasses).toBeLessThan(pods.length);
    expect(pairs.destinationClasses).toBeLessThan(pods.length);
  });

  test('a namespace with more policies than a bitmask holds (40) still groups pods exactly', () => {
    // Policy sets are keyed by bitmask for namespaces of up to 31 policies, by text beyond.
    const m = new Model(['x/a', 'x/b', 'x/c', 'y/a'], { podLabels: { 'x/a': { tier: 'web' }, 'x/b': { tier: 'db' } } });
    const policies = Array.from({ length: 40 }, (_, i) =>
      netpol('x', `p${i}`, i % 2 === 0 ? { matchLabels: { tier: 'web' } } : {}, {
        ingress: [{ from: [{ podSelector: { matchLabels: { pod: i % 3 === 0 ? 'b' : 'c' } } }], ports: [{ port: 80 + (i % 3) }] }],
      }),
    );
    const matrix = observe(m.state(policies), 80, 'TCP'); // throws if all-pairs and evaluate disagree anywhere
    const at = (from: string, to: string) => matrix.allowed[matrix.pods.indexOf(from)]![matrix.pods.indexOf(to)];
    expect(at('x/b', 'x/a')).toBe(true); // p0 (tier=web, from pod=b, port 80)
    expect(at('y/a', 'x/a')).toBe(false);
    expect(at('y/a', 'y/a')).toBe(true); // y is not isolated
  });
});
