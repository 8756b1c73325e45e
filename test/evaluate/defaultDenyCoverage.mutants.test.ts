// netpol-default-deny verdicts and messages that mutation testing (npm run mutation) showed no test pinned down:
// a scope that matches nothing, which directions a pass names, the direction word of a re-opening, and which
// namespaces count as collected.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { evaluateDefaultDeny } from '../../harness/evaluate/defaultDenyCoverage.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import type { NetworkPolicySpec } from '../../harness/model/spec.ts';
import { Model } from '../../harness/model/reachabilityModel.ts';
import { netpol } from '../netpol/observe.ts';
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

describe('netpol-default-deny: what a finding carries', () => {
  const ns = (name: string) => judge(model.state([]), { defaultDeny: { namespaces: [name] } });

  it('gives a namespace without any covering policy the default-deny policy to apply, for the missing directions only', () => {
    const [none] = run([], { defaultDeny: { namespaces: ['x'] } });
    expect(none?.result).toBe('fail');
    expect(none?.fix).toBe(`Apply this NetworkPolicy (then allow the traffic x needs with narrower policies):
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: x
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]`);
    expect(none?.evidence).toContainEqual({
      type: 'rule',
      rule: 'a NetworkPolicy in x with podSelector: {} and policyTypes including Egress',
      detail: 'none found',
    });
    const ingressOnly = netpol('x', 'deny-ingress', {}, { ingress: [] });
    const [egressMissing] = run([ingressOnly], { defaultDeny: { namespaces: ['x'] } });
    expect(egressMissing?.fix).toMatch(/policyTypes: \[Egress\]$/);
    expect(ns('x')[0]?.fix).toMatch(/policyTypes: \[Ingress, Egress\]$/);
  });

  it('offers no policy to apply when every direction is covered and a rule re-opens it', () => {
    const [reopened] = run([denyAll('x'), netpol('x', 'ingress-anywhere', {}, { ingress: [{}] })], { defaultDeny: { namespaces: ['x'] } });
    expect(reopened?.result).toBe('fail');
    expect(reopened?.fix).toBeUndefined();
  });

  it('lists the pods a re-opening reaches by name, the stand-in for new pods last, also when replicas are grouped out of order', () => {
    const s = state((st) => {
      st.kubernetes.pods.push(
        pod('x', 'a-1', { labels: { app: 'a' } }),
        pod('x', 'b-1', { labels: { app: 'b' } }),
        pod('x', 'c-1', { labels: { app: 'a' } }),
      );
      st.kubernetes.networkPolicies.push(
        denyAll('x'),
        netpol('x', 'a-from-b', { matchLabels: { app: 'a' } }, { ingress: [{ from: [{ podSelector: { matchLabels: { app: 'b' } } }] }] }),
        netpol('x', 'ingress-anywhere', {}, { ingress: [{}] }),
      );
    });
    const [f] = judge(s, { defaultDeny: { namespaces: ['x'], egress: false } });
    expect(f?.result).toBe('fail');
    expect(f?.message).toMatch(/re-opens Ingress: .* port to x\/a-1, x\/b-1, x\/c-1, any pod\.$/);
  });

  it('is not-applicable, saying no workload runs there, for a default-deny namespace without pods', () => {
    const [f] = run([denyAll('y')], { defaultDeny: { namespaces: ['y'] } });
    expect(f?.result).toBe('pass');
    const empty = judge(
      state((st) => {
        st.kubernetes.networkPolicies.push(denyAll('empty'));
      }),
      { defaultDeny: { namespaces: ['empty'] } },
    );
    expect(empty.map((x) => x.result)).toEqual(['not-applicable']);
    expect(empty[0]?.evidence).toEqual([
      {
        type: 'object',
        ref: { kind: 'NetworkPolicy', namespace: 'empty', name: 'default-deny' },
        detail: 'selects all pods (podSelector: {}) for Ingress',
      },
      {
        type: 'object',
        ref: { kind: 'NetworkPolicy', namespace: 'empty', name: 'default-deny' },
        detail: 'selects all pods (podSelector: {}) for Egress',
      },
      {
        type: 'missing-input',
        what: 'workloads in namespace empty',
        detail: 'no Pod and no object with a pod template (Deployment, StatefulSet, DaemonSet, Job, CronJob, Rollout …) in this namespace',
      },
    ]);
  });

  it('names the collected namespaces (or none) when the pattern matches nothing', () => {
    const detail = (s: ClusterState) => judge(s, { defaultDeny: { namespaces: ['team-*'] } })[0]?.evidence;
    expect(detail(model.state([]))).toEqual([{ type: 'missing-input', what: 'namespaces in scope', detail: 'collected namespaces: x, y' }]);
    expect(detail(state())).toEqual([{ type: 'missing-input', what: 'namespaces in scope', detail: 'collected namespaces: none' }]);
  });
});

describe('netpol-default-deny: inputs it cannot or need not judge', () => {
  it('is an error per invalid NetworkPolicy, with the fix the policy needs', () => {
    const bad = netpol('x', 'typo', {}, { ingress: [] });
    bad.spec = { ...bad.spec, podSelector: {}, policyTypes: ['Ingres'] };
    const findings = run([bad], { defaultDeny: { namespaces: ['x'] } });
    expect(findings.map((f) => [f.result, f.message, f.evidence])).toEqual([
      [
        'error',
        'A NetworkPolicy could not be evaluated: unknown policy type "Ingres" (NetworkPolicy x/typo at /spec/policyTypes).',
        [{ type: 'missing-input', what: 'valid NetworkPolicy', detail: 'use Ingress and/or Egress' }],
      ],
    ]);
  });

  it('counts a NetworkPolicy without metadata in namespace default, and ignores a Namespace object without a name', () => {
    const s = state((st) => {
      st.kubernetes.namespaces.push({ apiVersion: 'v1', kind: 'Namespace' }, { apiVersion: 'v1', kind: 'Namespace', metadata: {} });
      const anonymous = denyAll('default');
      anonymous.metadata = undefined;
      st.kubernetes.networkPolicies.push(anonymous);
    });
    const findings = judge(s, { defaultDeny: { namespaces: ['*'] } });
    expect(findings.map((f) => [f.subject?.name, f.result])).toEqual([['default', 'not-applicable']]);
  });
});
