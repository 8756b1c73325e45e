// Control netpol-default-deny (harness/evaluate/defaultDenyCoverage.ts): coverage + "nothing re-opens it",
// one finding per required namespace, missing namespaces are errors, absent spec is not-applicable.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { evaluateDefaultDeny, reachabilityMatricesFor } from '../../harness/evaluate/defaultDenyCoverage.ts';
import { reachabilityForReport } from '../../harness/netpol/reportMatrices.ts';
import type { Control } from '../../harness/model/findings.ts';
import type { ClusterSpec, NetworkPolicySpec } from '../../harness/model/spec.ts';
import { Model } from '../../harness/model/reachabilityModel.ts';
import { netpol, podLabel } from './observe.ts';

const control: Control = {
  id: 'netpol-default-deny',
  title: 'default deny',
  area: 'network',
  rationale: 'r',
  severity: 'high',
  layers: ['config', 'probe'],
  references: [],
  remediation: 'add default-deny',
};
const spec = (networkPolicy?: NetworkPolicySpec): ClusterSpec => ({
  apiVersion: 'clusterproof.dev/v1alpha1',
  kind: 'ClusterSpec',
  metadata: { name: 't' },
  spec: networkPolicy ? { networkPolicy } : {},
});
const model = new Model(['x/a', 'x/b', 'y/a', 'kube-system/dns']);
const denyAll = (ns: string) => netpol(ns, 'default-deny', {}, { ingress: [], egress: [] });
const run = (policies: V1NetworkPolicy[], np?: NetworkPolicySpec) =>
  evaluateDefaultDeny({ state: model.state(policies), spec: spec(np), control });

describe('netpol-default-deny', () => {
  test('no spec section: one not-applicable finding', () => {
    const findings = run([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ result: 'not-applicable', layer: 'config' });
    expect(findings[0]?.message).toContain('does not ask for default-deny');
  });

  test('deny-all in every required namespace passes, naming the covering policy', () => {
    const findings = run([denyAll('x'), denyAll('y')], { defaultDeny: { namespaces: ['x', 'y'] } });
    expect(findings.map((f) => [f.subject?.name, f.result])).toEqual([
      ['x', 'pass'],
      ['y', 'pass'],
    ]);
    expect(findings[0]?.evidence).toContainEqual(
      expect.objectContaining({ type: 'object', ref: expect.objectContaining({ name: 'default-deny', namespace: 'x' }) }),
    );
  });

  test('`*` with exclude covers every collected namespace except the excluded ones; a namespace without policies fails', () => {
    const findings = run([denyAll('x')], { defaultDeny: { namespaces: ['*'], exclude: ['kube-system'] } });
    expect(findings.map((f) => [f.subject?.name, f.result])).toEqual([
      ['x', 'pass'],
      ['y', 'fail'],
    ]);
    expect(findings[1]?.message).toContain('no policy selects all pods (podSelector: {}) for Ingress');
  });

  test('ingress-only deny fails when egress is asked for, passes when egress: false', () => {
    const ingressOnly = [netpol('x', 'deny-ingress', {}, { ingress: [] })];
    expect(run(ingressOnly, { defaultDeny: { namespaces: ['x'] } })[0]?.message).toContain('for Egress');
    expect(run(ingressOnly, { defaultDeny: { namespaces: ['x'], egress: false } })[0]?.result).toBe('pass');
  });

  test('an allow-all ingress rule re-opens the namespace and is named with its rule index', () => {
    const [f] = run([denyAll('x'), netpol('x', 'allow-everything', {}, { ingress: [{ from: [{ podSelector: podLabel('a') }] }, {}] })], {
      defaultDeny: { namespaces: ['x'], egress: false },
    });
    expect(f?.result).toBe('fail');
    expect(f?.message).toContain('x/allow-everything ingress rule 1 re-opens Ingress');
    expect(f?.evidence).toContainEqual(expect.objectContaining({ type: 'rule', rule: 'x/allow-everything ingress rule 1' }));
  });

  test('from all namespaces and all pods re-opens; a selective rule with ports does not', () => {
    const wide = netpol('x', 'from-anywhere-in-cluster', podLabel('a'), {
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: {} }] }],
    });
    const narrow = netpol('x', 'from-y-on-80', podLabel('a'), { ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 80 }] }] });
    expect(run([denyAll('x'), wide], { defaultDeny: { namespaces: ['x'] } })[0]?.message).toContain(
      'x/from-anywhere-in-cluster ingress rule 0 re-opens Ingress: admits an unlabelled pod in an unlabelled namespace on every TCP/UDP/SCTP port to x/a',
    );
    expect(run([denyAll('x'), narrow], { defaultDeny: { namespaces: ['x'] } })[0]?.result).toBe('pass');
  });

  test('egress to 0.0.0.0/0 and ::/0 without except re-opens Egress; DNS-only egress does not', () => {
    const open = netpol(
      'x',
      'egress-anywhere',
      {},
      { egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }] }] },
    );
    const dns = netpol(
      'x',
      'allow-dns',
      {},
      {
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
        ],
      },
    );
    const f = run([denyAll('x'), open], { defaultDeny: { namespaces: ['x'] } })[0];
    expect(f?.result).toBe('fail');
    expect(f?.message).toContain(
      'x/egress-anywhere egress rule 0 re-opens Egress: admits outside address 203.0.113.7, outside address 2001:db8::7',
    );
    expect(run([denyAll('x'), dns], { defaultDeny: { namespaces: ['x'] } })[0]?.result).toBe('pass');
  });

  test('a required namespace missing from the state is an error, never a pass', () => {
    const findings = run([denyAll('x')], { defaultDeny: { namespaces: ['x', 'payments'] } });
    expect(findings.find((f) => f.subject?.name === 'payments')).toMatchObject({ result: 'error' });
    expect(findings.find((f) => f.subject?.name === 'payments')?.evidence[0]).toMatchObject({
      detail: expect.stringContaining('namespace payments not in collected state'),
    });
  });

  test('an invalid policy makes the control error, not pass', () => {
    const findings = run([denyAll('x'), netpol('x', 'bad', {}, { egress: [{ to: [{ ipBlock: { cidr: 'not-a-cidr' } }] }] })], {
      defaultDeny: { namespaces: ['x'] },
    });
    expect(findings.every((f) => f.result === 'error')).toBe(true);
    expect(findings[0]?.message).toContain('not-a-cidr');
  });

  test('reachabilityMatricesFor: one matrix per port over the namespaces asked for', () => {
    const [m] = reachabilityMatricesFor(model.state([denyAll('x')]), ['x', 'y'], [{ port: 80, protocol: 'TCP' }]);
    expect(m?.pods).toEqual(['x/a', 'x/b', 'y/a']);
    expect(m?.allowed).toEqual([
      [false, false, false],
      [false, false, false],
      [false, false, true],
    ]);
  });

  test('reachabilityForReport: the required namespaces on the ports their pods serve; nothing without the spec section or with invalid policies', () => {
    const state = model.state([denyAll('x')]);
    const matrices = reachabilityForReport(state, spec({ defaultDeny: { namespaces: ['*'], exclude: ['kube-system'] } }));
    expect(matrices.map((m) => `${m.port}/${m.protocol}`)).toEqual(['80/TCP', '80/UDP', '80/SCTP']);
    expect(matrices[0]?.pods).toEqual(['x/a', 'x/b', 'y/a']);
    expect(reachabilityForReport(state, spec())).toEqual([]);
    const bad = model.state([netpol('x', 'bad', {}, { egress: [{ to: [{ ipBlock: { cidr: '300.0.0.0/8' } }] }] })]);
    expect(reachabilityForReport(bad, spec({ defaultDeny: { namespaces: ['x'] } }))).toEqual([]);
  });
});
