// Semantics the upstream truth tables do not pin down, each from the NetworkPolicy API reference
// (kubernetes.io/docs/concepts/services-networking/network-policies/ and the networking/v1 API docs):
// policyTypes defaulting, endPort, ipBlock except in IPv6, named ports resolved on the destination,
// hostNetwork out of scope, matchExpressions operators, and verdict reasons naming the rule.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { InputError } from '../../harness/errors.ts';
import { externalEndpoint, podEndpoints, type PodEndpoint } from '../../harness/netpol/endpoints.ts';
import { NetworkPolicyEngine } from '../../harness/netpol/engine.ts';
import { Model, Reachability } from '../../harness/model/reachabilityModel.ts';
import { netpol, podLabel, validateOrFail } from './observe.ts';

function engineFor(model: Model, policies: V1NetworkPolicy[]) {
  const state = model.state(policies);
  const engine = NetworkPolicyEngine.fromState(state);
  const pods = new Map(podEndpoints(state).map((p) => [p.id, p]));
  const pod = (id: string) => pods.get(id) as PodEndpoint;
  return { state, engine, pod };
}

describe('policyTypes defaulting (API: "If this field is not specified, it will default based on the existence of ingress or egress rules")', () => {
  const m = new Model(['x/a', 'y/a']);
  test('no policyTypes and no egress section: only Ingress is isolated', () => {
    const policy: V1NetworkPolicy = { metadata: { namespace: 'x', name: 'p' }, spec: { podSelector: {} } };
    validateOrFail(m.state([policy]), new Reachability(m.pods, true).expectAllIngress('x/a', false), 80, 'TCP');
  });
  test('no policyTypes but egress rules: Ingress and Egress are both isolated', () => {
    const policy = {
      metadata: { namespace: 'x', name: 'p' },
      spec: { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] },
    } as V1NetworkPolicy;
    validateOrFail(m.state([policy]), new Reachability(m.pods, true).expectAllIngress('x/a', false).expect('x/a', 'y/a', false), 80, 'TCP');
  });
  test('policyTypes [Egress] with ingress rules present: ingress rules are ignored, ingress stays open', () => {
    const policy = {
      metadata: { namespace: 'x', name: 'p' },
      spec: { podSelector: {}, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: podLabel('nobody') }] }] },
    } as unknown as V1NetworkPolicy;
    validateOrFail(m.state([policy]), new Reachability(m.pods, true).expectAllEgress('x/a', false), 80, 'TCP');
  });
});

describe('ports', () => {
  const m = new Model(['x/a', 'y/a'], { ports: [80, 81, 82], protocols: ['TCP', 'UDP'] });
  const policies = [netpol('x', 'range', podLabel('a'), { ingress: [{ ports: [{ port: 80, endPort: 81 }] }] })];
  test('endPort makes an inclusive range (80-81 allows 80 and 81, not 82)', () => {
    const { engine, pod } = engineFor(m, policies);
    expect(engine.evaluate(pod('y/a'), pod('x/a'), 80, 'TCP').allowed).toBe(true);
    expect(engine.evaluate(pod('y/a'), pod('x/a'), 81, 'TCP').allowed).toBe(true);
    expect(engine.evaluate(pod('y/a'), pod('x/a'), 82, 'TCP').allowed).toBe(false);
    expect(engine.evaluate(pod('y/a'), pod('x/a'), 81, 'UDP').allowed).toBe(false); // protocol defaults to TCP
  });
  test('a named port needs the same name AND protocol on the destination', () => {
    const { engine, pod } = engineFor(m, [
      netpol('x', 'named', podLabel('a'), { ingress: [{ ports: [{ port: 'serve-81-udp', protocol: 'TCP' }] }] }),
    ]);
    expect(engine.evaluate(pod('y/a'), pod('x/a'), 81, 'TCP').allowed).toBe(false);
    expect(engine.evaluate(pod('y/a'), pod('x/a'), 81, 'UDP').allowed).toBe(false);
  });
  test('egress named ports resolve against the destination pod, not the source', () => {
    const m2 = new Model(['x/a', 'y/a', 'y/b'], { ports: [80], podLabels: {} });
    const state = m2.state([netpol('x', 'egress-named', podLabel('a'), { egress: [{ ports: [{ port: 'serve-80-tcp' }] }] })]);
    // y/b serves 80 under another name: the rule must not match it.
    const yb = state.kubernetes.pods.find((p) => p.metadata?.name === 'b' && p.metadata.namespace === 'y');
    for (const c of yb?.spec?.containers ?? [])
      for (const p of c.ports ?? []) p.name = `other-${p.containerPort}-${p.protocol?.toLowerCase()}`;
    validateOrFail(state, new Reachability(m2.pods, true).expect('x/a', 'y/b', false), 80, 'TCP');
  });
});

describe('ipBlock', () => {
  test('IPv6 cidr with except (pod IPs are dual-stack in the model)', () => {
    const m = new Model(['x/a', 'y/a', 'y/b']);
    const policy = netpol('x', 'v6', podLabel('a'), {
      egress: [{ to: [{ ipBlock: { cidr: 'fd00::/64', except: [`${m.ip('y/b', 6)}/128`] } }] }],
    });
    validateOrFail(m.state([policy]), new Reachability(m.pods, true).expect('x/a', 'y/b', false), 80, 'TCP');
  });
  test('an IPv4 block never matches an IPv6-only address and vice versa', () => {
    const m = new Model(['x/a']);
    const { engine, pod } = engineFor(m, [netpol('x', 'v4', podLabel('a'), { egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })]);
    expect(engine.evaluate(pod('x/a'), externalEndpoint('198.51.100.1'), 443, 'TCP').allowed).toBe(true);
    expect(engine.evaluate(pod('x/a'), externalEndpoint('2001:db8::1'), 443, 'TCP').allowed).toBe(false);
  });
  test('host bits in the cidr are masked like the apiserver does (10.0.1.5/16 = 10.0.0.0/16)', () => {
    const m = new Model(['x/a', 'y/a']);
    const policy = netpol('x', 'sloppy', podLabel('a'), { egress: [{ to: [{ ipBlock: { cidr: '10.0.1.5/16' } }] }] });
    validateOrFail(m.state([policy]), new Reachability(m.pods, true), 80, 'TCP');
  });
});

describe('selectors', () => {
  const m = new Model(['x/a', 'x/b', 'x/c'], { podLabels: { 'x/b': { role: 'db' }, 'x/c': { role: 'cache' } } });
  const only = (expr: { key: string; operator: string; values?: string[] }) =>
    m.state([netpol('x', 'sel', podLabel('a'), { ingress: [{ from: [{ podSelector: { matchExpressions: [expr] } }] }] })]);
  test('Exists admits pods carrying the key', () => {
    validateOrFail(only({ key: 'role', operator: 'Exists' }), new Reachability(m.pods, true).expect('x/a', 'x/a', false), 80, 'TCP');
  });
  test('DoesNotExist admits pods without the key', () => {
    validateOrFail(
      only({ key: 'role', operator: 'DoesNotExist' }),
      new Reachability(m.pods, true).expectAllIngress('x/a', false).expect('x/a', 'x/a', true),
      80,
      'TCP',
    );
  });
  test('NotIn also admits pods that lack the key', () => {
    validateOrFail(
      only({ key: 'role', operator: 'NotIn', values: ['db'] }),
      new Reachability(m.pods, true).expect('x/b', 'x/a', false),
      80,
      'TCP',
    );
  });
});

describe('scope and reasons', () => {
  test('hostNetwork pods are out of scope: a policy selecting them isolates nothing, and the reason says so', () => {
    const m = new Model(['x/a', 'x/h', 'y/a'], { hostNetwork: ['x/h'] });
    const { engine, pod } = engineFor(m, [netpol('x', 'deny', {}, { ingress: [], egress: [] })]);
    const v = engine.evaluate(pod('y/a'), pod('x/h'), 80, 'TCP');
    expect(v.allowed).toBe(true);
    expect(v.reason).toContain('x/h uses hostNetwork: NetworkPolicy does not apply to it');
    expect(engine.evaluate(pod('x/h'), pod('x/a'), 80, 'TCP').reason).toContain('x/a is isolated for ingress by policies [x/deny]');
  });
  test('an allowed verdict names the policy and the rule index; a blocked one names the isolating policies', () => {
    const m = new Model(['x/a', 'x/b', 'y/a']);
    const { engine, pod } = engineFor(m, [
      netpol('x', 'deny', {}, { ingress: [] }),
      netpol('x', 'allow-b', podLabel('a'), {
        ingress: [{ from: [{ podSelector: podLabel('nobody') }] }, { from: [{ podSelector: podLabel('b') }], ports: [{ port: 80 }] }],
      }),
    ]);
    expect(engine.evaluate(pod('x/b'), pod('x/a'), 80, 'TCP').reason).toContain('ingress allowed by x/allow-b ingress rule 1');
    expect(engine.evaluate(pod('y/a'), pod('x/a'), 80, 'TCP').reason).toBe(
      'blocked: y/a is not isolated for egress (no policy selects it for Egress); x/a is isolated for ingress by policies [x/deny, x/allow-b] and no rule allows y/a on 80/TCP',
    );
  });
  test("client-node's `_from` spelling is read like the wire `from`", () => {
    const m = new Model(['x/a', 'x/b']);
    const policy = {
      metadata: { namespace: 'x', name: 'p' },
      spec: { podSelector: podLabel('a'), policyTypes: ['Ingress'], ingress: [{ _from: [{ podSelector: podLabel('b') }] }] },
    } as V1NetworkPolicy;
    validateOrFail(m.state([policy]), new Reachability(m.pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80, 'TCP');
  });
});

describe('invalid policies are InputError naming the file, field and fix, all at once', () => {
  test('bad CIDR, bad operator, endPort with a named port', () => {
    const m = new Model(['x/a']);
    const state = m.state([
      netpol('x', 'bad-cidr', {}, { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] }),
      netpol('x', 'bad-op', { matchExpressions: [{ key: 'a', operator: 'Maybe' }] }, { ingress: [] }),
      netpol('x', 'bad-endport', {}, { ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }),
    ]);
    state.origins['NetworkPolicy/x/bad-cidr'] = { file: 'policies.yaml', documentIndex: 0, line: 1 };
    let error: unknown;
    try {
      NetworkPolicyEngine.fromState(state);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatchObject({ file: 'policies.yaml', pointer: '/spec/egress/0/to/0/ipBlock' });
    expect(problems[0]?.message).toContain('10.0.0.0/33');
    expect(problems[1]?.message).toContain('"Maybe" is not one of In, NotIn, Exists, DoesNotExist');
    expect(problems[2]).toMatchObject({ pointer: '/spec/ingress/0/ports/0/endPort' });
  });
});
