// netpol-default-deny verdicts and messages that mutation testing (npm run mutation) showed no test pinned down:
// a scope that matches nothing, which directions a pass names, the direction word of a re-opening, and which
// namespaces count as collected.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { evaluateDefaultDeny } from '../../harness/evaluate/defaultDenyCoverage.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import type { NetworkPolicySpec } from '../../harness/model/spec.ts';
import { Model, netpol } from '../netpol/model.ts';
import { control, pod, spec, state } from './stateBuilder.ts';

const judge = (s: ClusterState, networkPolicy: NetworkPolicySpec) =>
  evaluateDefaultDeny({ state: s, spec: spec({ networkPolicy }), control: control('netpol-default-deny') });
const model = new Model(['x/a', 'x/b', 'y/a']);
const run = (policies: V1NetworkPolicy[], np: NetworkPolicySpec) => judge(model.state(policies), np);
const denyAll = (ns: string) => netpol(ns, 'default-deny', {}, { ingress: [], egress: [] });

describe('netpol-default-deny: verdicts mutation testing asked for', () => {
  it('is one error, never a pass, when the namespace pattern matches no collected namespace', () => {
    const findings = run([denyAll('x')], { defaultDeny: { namespaces: ['team-*'] } });
    expect(findings.map((f) => f.result)).toEqual(['error']);
    expect(findings[0]?.message).toContain('No namespace in the collected state matches');
  });

  it('names in a pass the directions it holds for and the policy that covers each', () => {
    const [both] = run([denyAll('x')], { defaultDeny: { namespaces: ['x'] } });
    expect(both?.result).toBe('pass');
    expect(both?.message).toContain('default-deny for Ingress (x/default-deny) and Egress (x/default-deny)');
    const [ingressOnly] = run([denyAll('x')], { defaultDeny: { namespaces: ['x'], egress: false } });
    expect(ingressOnly?.message).toContain('default-deny for Ingress (x/default-deny), and');
  });

  it('says an egress re-opening lets traffic out "from" the pods, an ingress one "to" them', () => {
    const egressAnywhere = netpol('x', 'egress-anywhere', {}, { egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] });
    const [egress] = run([denyAll('x'), egressAnywhere], { defaultDeny: { namespaces: ['x'] } });
    expect(egress?.result).toBe('fail');
    expect(egress?.message).toMatch(/re-opens Egress: .* port from x\/a, x\/b, any pod/);
    const ingressAnywhere = netpol('x', 'ingress-anywhere', {}, { ingress: [{}] });
    const [ingress] = run([denyAll('x'), ingressAnywhere], { defaultDeny: { namespaces: ['x'] } });
    expect(ingress?.result).toBe('fail');
    expect(ingress?.message).toMatch(/re-opens Ingress: .* port to x\/a, x\/b, any pod/);
  });

  it('counts a namespace known only from its pods as collected, so `*` judges it (and fails it without policies)', () => {
    const s = state((st) => {
      st.kubernetes.pods.push(pod('orphans', 'worker'));
    });
    const findings = judge(s, { defaultDeny: { namespaces: ['*'] } });
    expect(findings.map((f) => [f.subject?.name, f.result])).toEqual([['orphans', 'fail']]);
  });

  it('notes hostNetwork pods as out of NetworkPolicy scope only when the namespace has some', () => {
    const hostNetworkNote = (f: { evidence: { type: string; what?: string }[] } | undefined) =>
      f?.evidence.some((e) => e.type === 'observation' && e.what === 'hostNetwork pods (out of NetworkPolicy scope)');
    const [plain] = run([denyAll('x')], { defaultDeny: { namespaces: ['x'] } });
    expect(hostNetworkNote(plain)).toBe(false);
    const s = state((st) => {
      const p = pod('nodes', 'agent');
      p.spec = { ...p.spec, containers: p.spec?.containers ?? [], hostNetwork: true };
      st.kubernetes.pods.push(p);
      st.kubernetes.networkPolicies.push(denyAll('nodes'));
    });
    const [withHostNetwork] = judge(s, { defaultDeny: { namespaces: ['nodes'] } });
    expect(hostNetworkNote(withHostNetwork)).toBe(true);
  });
});
