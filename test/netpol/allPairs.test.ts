// The equivalence-class all-pairs path against plain pair-by-pair evaluation on a scaled-down benchmark
// cluster (label reuse, named ports, endPort, ipBlock except, cross-namespace selectors, Egress isolation).
import { describe, expect, test } from 'vitest';
import { BENCH_PORTS, generateNetpolBenchState } from '../../bench/netpol.ts';
import { computeAllPairs } from '../../harness/evaluate/netpol/allPairs.ts';
import { podEndpoints } from '../../harness/evaluate/netpol/endpoints.ts';
import { NetworkPolicyEngine } from '../../harness/evaluate/netpol/engine.ts';

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
          if (direct !== pairs.allowed(i, j, pi)) throw new Error(`${pods[i]!.id} -> ${pods[j]!.id} on ${pp.port}/${pp.protocol}: direct ${direct}`);
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
});
