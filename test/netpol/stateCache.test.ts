// The per-state caches behind a scan (compiled engine, pod endpoints): the same state answers the same way
// twice, and a changed policy or pod list is never answered from a stale cache. Also the label projection
// the all-pairs compression groups pods by: equal label sets in any key order, and sets differing only under
// keys no selector reads, still agree with pair-by-pair evaluation.
import { describe, expect, test } from 'vitest';
import { computeAllPairs } from '../../harness/netpol/allPairs.ts';
import { podEndpoints } from '../../harness/netpol/endpoints.ts';
import { NetworkPolicyEngine } from '../../harness/netpol/engine.ts';
import { Model } from '../../harness/model/reachabilityModel.ts';
import { netpol, podLabel } from './observe.ts';

const denyAllIngress = netpol('x', 'deny-all', {}, { ingress: [] });
const allowFromB = netpol('x', 'allow-b', podLabel('a'), { ingress: [{ from: [{ podSelector: podLabel('b') }] }] });

describe('per-state caches', () => {
  test('the same state twice: one compiled engine, equal endpoint lists in separate arrays', () => {
    const state = new Model(['x/a', 'x/b', 'y/a']).state([denyAllIngress]);
    expect(NetworkPolicyEngine.fromState(state)).toBe(NetworkPolicyEngine.fromState(state));
    const first = podEndpoints(state);
    const second = podEndpoints(state);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    first.reverse(); // a caller may reorder its own copy
    expect(podEndpoints(state).map((p) => p.id)).toEqual(['x/a', 'x/b', 'y/a']);
  });

  test('a copy with other policies, or a policy pushed onto the same list, is compiled afresh', () => {
    const m = new Model(['x/a', 'x/b']);
    const state = m.state([denyAllIngress]);
    const verdict = () => {
      const engine = NetworkPolicyEngine.fromState(state);
      const [a, b] = podEndpoints(state) as [ReturnType<typeof podEndpoints>[number], ReturnType<typeof podEndpoints>[number]];
      return engine.evaluate(b, a, 80, 'TCP').allowed;
    };
    expect(verdict()).toBe(false);
    const copy = { ...state, kubernetes: { ...state.kubernetes, networkPolicies: [denyAllIngress, allowFromB] } };
    const [a, b] = podEndpoints(copy) as [ReturnType<typeof podEndpoints>[number], ReturnType<typeof podEndpoints>[number]];
    expect(NetworkPolicyEngine.fromState(copy).evaluate(b, a, 80, 'TCP').allowed).toBe(true);
    expect(verdict()).toBe(false); // the original is untouched
    state.kubernetes.networkPolicies.push(allowFromB);
    expect(verdict()).toBe(true);
  });

  test('a pushed pod or a replaced namespace list rebuilds the endpoints', () => {
    const m = new Model(['x/a']);
    const state = m.state([]);
    expect(podEndpoints(state).map((p) => p.id)).toEqual(['x/a']);
    state.kubernetes.pods.push({ metadata: { namespace: 'x', name: 'c', labels: { pod: 'c' } } });
    expect(podEndpoints(state).map((p) => p.id)).toEqual(['x/a', 'x/c']);
    state.kubernetes.namespaces = [{ metadata: { name: 'x', labels: { team: 'blue' } } }];
    expect(podEndpoints(state)[0]?.namespaceLabels).toEqual({ team: 'blue', 'kubernetes.io/metadata.name': 'x' });
  });

  test('invalid policies are not cached: the error is raised again, naming the file recorded since', () => {
    const state = new Model(['x/a']).state([netpol('x', 'bad', {}, { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] })]);
    expect(() => NetworkPolicyEngine.fromState(state)).toThrow();
    state.origins['NetworkPolicy/x/bad'] = { file: 'bad.yaml', documentIndex: 0 };
    expect(() => NetworkPolicyEngine.fromState(state)).toThrow(/bad\.yaml/);
  });
});

describe('label projection', () => {
  test('key order and labels no selector reads do not change any answer', () => {
    const m = new Model(['x/a', 'x/b', 'x/c', 'y/d']);
    const state = m.state([
      allowFromB,
      netpol('y', 'deny-egress', {}, { egress: [{ to: [{ podSelector: { matchLabels: { role: 'db', tier: 'data' } } }] }] }),
    ]);
    const [a, b, c, d] = state.kubernetes.pods;
    a!.metadata!.labels = { role: 'db', tier: 'data', 'pod-template-hash': 'abc' };
    b!.metadata!.labels = { pod: 'b' };
    c!.metadata!.labels = { tier: 'data', role: 'db', 'pod-template-hash': 'def' }; // as a, other key order and hash
    d!.metadata!.labels = { role: 'db', tier: 'data' }; // as a without the hash, other namespace
    const pods = podEndpoints(state);
    const engine = NetworkPolicyEngine.fromState(state);
    expect(engine.targetLabels.key(pods[0]!.labels)).toBe(engine.targetLabels.key(pods[2]!.labels));
    expect(engine.targetLabels.key(pods[0]!.labels)).not.toBe(engine.targetLabels.key(pods[1]!.labels));
    const pairs = computeAllPairs(engine, pods, [{ port: 80, protocol: 'TCP' }]);
    for (let i = 0; i < pods.length; i++) {
      for (let j = 0; j < pods.length; j++)
        expect(pairs.allowed(i, j, 0), `${pods[i]!.id} -> ${pods[j]!.id}`).toBe(engine.evaluate(pods[i]!, pods[j]!, 80, 'TCP').allowed);
    }
  });
});
