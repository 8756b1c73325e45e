// The engine against the upstream Kubernetes NetworkPolicy e2e truth tables (see upstreamCases.ts for the
// source of every case). The upstream suite ignores loopback (a pod to itself) because CNIs differ there;
// the engine has one defined answer, and every case below holds for it too, so self cells are compared.
import { describe, expect, test } from 'vitest';
import { Model, Reachability } from '../../harness/model/reachabilityModel.ts';
import { validateOrFail } from './observe.ts';
import { upstreamCases } from './upstreamCases.ts';

describe('upstream e2e NetworkPolicy truth tables (kubernetes test/e2e/network/netpol)', () => {
  test('at least 25 upstream cases are reproduced', () => {
    expect(upstreamCases.length).toBeGreaterThanOrEqual(25);
  });

  for (const c of upstreamCases) {
    test(c.upstream, () => {
      for (const [i, step] of c.steps.entries()) {
        // Two topologies per step: as upstream's cluster (apiserver sets kubernetes.io/metadata.name), and a
        // dump without that label, which the engine must add itself.
        for (const metadataNameLabel of [true, false]) {
          const model = new Model(c.pods, { ...step.model, metadataNameLabel });
          const state = model.state(step.policies(model));
          for (const check of step.checks) {
            try {
              validateOrFail(state, check.expect(new Reachability(model.pods, true)), check.port, check.protocol);
            } catch (error) {
              throw new Error(`step ${i + 1}: ${(error as Error).message}`, { cause: error });
            }
          }
        }
      }
    });
  }
});
