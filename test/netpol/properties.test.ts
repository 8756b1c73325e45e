// Properties of NetworkPolicy semantics that hold for any cluster (fast-check generates small random ones):
// allow rules are monotone, default-deny is anti-monotone, the union of policies does not depend on order,
// and the equivalence-class all-pairs path always agrees with pair-by-pair evaluation (checked in `observe`).
import type { V1IPBlock, V1LabelSelector, V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicyPort } from '@kubernetes/client-node';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Protocol } from '../../harness/model/reachability.ts';
import { Model } from '../../harness/model/reachabilityModel.ts';
import { netpol, observe, type IngressRule } from './observe.ts';

const NAMESPACES = ['x', 'y', 'z'];
const PODS = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a', 'z/c'];
const CHECKS: [number, Protocol][] = [
  [80, 'TCP'],
  [81, 'UDP'],
];

const selector: fc.Arbitrary<V1LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.record({
    matchLabels: fc.dictionary(fc.constantFrom('pod', 'tier', 'ns'), fc.constantFrom('a', 'b', 'c', 'x', 'y', 'web'), { maxKeys: 1 }),
  }),
  fc.record({
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({
          key: fc.constantFrom('pod', 'tier'),
          operator: fc.constantFrom('In', 'NotIn'),
          values: fc.subarray(['a', 'b', 'web'], { minLength: 1 }),
        }),
        fc.record({ key: fc.constantFrom('pod', 'tier'), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
      ),
      { minLength: 1, maxLength: 2 },
    ),
  }),
);
const peer: fc.Arbitrary<V1NetworkPolicyPeer> = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ podSelector: selector, namespaceSelector: selector }),
  fc.record({
    ipBlock: fc.constantFrom<V1IPBlock>(
      { cidr: '10.0.0.0/8' },
      { cidr: '10.0.0.0/8', except: ['10.0.2.0/24'] },
      { cidr: '10.0.1.1/32' },
      { cidr: 'fd00::/64', except: ['fd00::3:0/112'] },
    ),
  }),
) as fc.Arbitrary<V1NetworkPolicyPeer>;
const port: fc.Arbitrary<V1NetworkPolicyPort> = fc.oneof(
  fc.record({ port: fc.constantFrom(80, 81), protocol: fc.constantFrom('TCP', 'UDP') }),
  fc.record({ port: fc.constant(79), endPort: fc.constantFrom(80, 81) }),
  fc.record({ port: fc.constantFrom('serve-80-tcp', 'serve-81-udp'), protocol: fc.constantFrom('TCP', 'UDP') }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP') }),
);
const rule: fc.Arbitrary<IngressRule> = fc.record({
  from: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }),
  ports: fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined }),
});
const policy = (name: string): fc.Arbitrary<V1NetworkPolicy> =>
  fc
    .record({
      ns: fc.constantFrom(...NAMESPACES),
      sel: selector,
      ingress: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }),
      egress: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }),
    })
    .filter((p) => p.ingress !== undefined || p.egress !== undefined)
    .map((p) =>
      netpol(p.ns, name, p.sel, {
        ...(p.ingress ? { ingress: p.ingress } : {}),
        ...(p.egress
          ? { egress: p.egress.map((r) => ({ ...(r.from ? { to: r.from } : {}), ...(r.ports ? { ports: r.ports } : {}) })) }
          : {}),
      }),
    );
const policies = fc.array(fc.nat(), { maxLength: 4 }).chain((ids) => fc.tuple(...ids.map((_, i) => policy(`p${i}`))));
const cluster = fc.record({
  podLabels: fc.dictionary(fc.constantFrom(...PODS), fc.record({ tier: fc.constantFrom('web', 'db') }), { maxKeys: 3 }),
  namespaceLabels: fc.dictionary(fc.constantFrom(...NAMESPACES), fc.record({ tier: fc.constantFrom('web', 'a') }), { maxKeys: 2 }),
});

const matrices = (m: Model, ps: V1NetworkPolicy[]) => CHECKS.map(([p, proto]) => observe(m.state(ps), p, proto).allowed);
const allowedCells = (ms: boolean[][][]) =>
  ms.flatMap((m, k) => m.flatMap((row, i) => row.flatMap((ok, j) => (ok ? [`${k}:${i}:${j}`] : []))));

describe('NetworkPolicy engine properties (fast-check)', () => {
  test('adding an allow rule to an existing policy never removes an allowed pair', () => {
    fc.assert(
      fc.property(cluster, policies, rule, fc.nat(), (c, ps, extra, which) => {
        fc.pre(ps.length > 0);
        const m = new Model(PODS, { ...c, ports: [80, 81], protocols: ['TCP', 'UDP'] });
        const before = new Set(allowedCells(matrices(m, ps)));
        const target = structuredClone(ps);
        const p = target[which % target.length] as V1NetworkPolicy;
        const spec = p.spec as NonNullable<V1NetworkPolicy['spec']>;
        if (spec.policyTypes?.includes('Ingress')) (spec.ingress as unknown as IngressRule[]).push(extra);
        else (spec.egress ??= []).push({ ...(extra.from ? { to: extra.from } : {}), ...(extra.ports ? { ports: extra.ports } : {}) });
        const after = new Set(allowedCells(matrices(m, target)));
        for (const cell of before) expect(after.has(cell)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  test('adding a default-deny policy never adds an allowed pair', () => {
    fc.assert(
      fc.property(cluster, policies, fc.constantFrom(...NAMESPACES), fc.constantFrom('ingress', 'egress', 'both'), (c, ps, ns, dir) => {
        const m = new Model(PODS, { ...c, ports: [80, 81], protocols: ['TCP', 'UDP'] });
        const before = new Set(allowedCells(matrices(m, ps)));
        const deny = netpol(
          ns,
          'default-deny',
          {},
          { ...(dir !== 'egress' ? { ingress: [] } : {}), ...(dir !== 'ingress' ? { egress: [] } : {}) },
        );
        for (const cell of allowedCells(matrices(m, [...ps, deny]))) expect(before.has(cell)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  test('the union of policies does not depend on their order', () => {
    fc.assert(
      fc.property(cluster, policies, (c, ps) => {
        const m = new Model(PODS, { ...c, ports: [80, 81], protocols: ['TCP', 'UDP'] });
        expect(matrices(m, [...ps].reverse())).toEqual(matrices(m, ps));
      }),
      { numRuns: 150 },
    );
  });
});
