// Prediction vs observation for the default-deny probe: the matrix diff and the verdict rules, with predictions made
// by the real NetworkPolicy engine for the exact pods the probe places (run label, role label, real IPs).
import { describe, expect, test } from 'vitest';
import { namespaceLabels, syntheticPod, type PodEndpoint } from '../../harness/netpol/endpoints.ts';
import { NetworkPolicyEngine } from '../../harness/netpol/engine.ts';
import { parseIp } from '../../harness/netpol/ipBlocks.ts';
import { comparisonMatrix, judgeDefaultDeny, mismatches, renderComparison } from '../../harness/probe/reachabilityCompare.ts';
import { Reachability } from '../../harness/model/reachabilityModel.ts';
import { namespace, state } from '../evaluate/stateBuilder.ts';

function probePod(ns: string, name: string, ip: string): PodEndpoint {
  const parsed = parseIp(ip);
  if (!parsed) throw new Error(ip);
  return {
    ...syntheticPod(ns, name, { 'clusterproof.dev/run': 'r1', 'clusterproof.dev/probe': name }, namespaceLabels(undefined, ns)),
    ips: [parsed],
  };
}

const client = probePod('cp-probe-r1', 'client', '10.244.1.5');
const server = probePod('prod', 'server', '10.244.2.7');

function engineWith(policies: Parameters<typeof state>[0]): NetworkPolicyEngine {
  return NetworkPolicyEngine.fromState(state(policies));
}

const denyAll = engineWith((s) => {
  s.kubernetes.namespaces.push(namespace('prod'));
  s.kubernetes.networkPolicies.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny-all', namespace: 'prod' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
});
const open = engineWith((s) => s.kubernetes.namespaces.push(namespace('prod')));

describe('the static prediction for the probe pods', () => {
  test('default-deny (Ingress+Egress) predicts both directions blocked, naming the policy', () => {
    const ingress = denyAll.evaluate(client, server, 80, 'TCP');
    const egress = denyAll.evaluate(server, client, 80, 'TCP');
    expect([ingress.allowed, egress.allowed]).toEqual([false, false]);
    expect(ingress.reason).toContain('prod/deny-all');
  });

  test('a namespace without policy predicts both directions allowed', () => {
    expect([open.evaluate(client, server, 80, 'TCP').allowed, open.evaluate(server, client, 80, 'TCP').allowed]).toEqual([true, true]);
  });
});

describe('comparison matrix', () => {
  const pods = [client.id, server.id];
  const expected = new Reachability(pods, true).expect(client.id, server.id, false);

  test('unprobed cells stay null; a disagreement is listed with both values', () => {
    const m = comparisonMatrix(expected, new Reachability(pods, null).expect(client.id, server.id, true), { port: 80, protocol: 'TCP' });
    expect(m.observed).toEqual([
      [null, true],
      [null, null],
    ]);
    expect(mismatches(m)).toEqual([{ from: client.id, to: server.id, expected: false, observed: true }]);
    const text = renderComparison(m);
    expect(text).toContain('X/.!');
    expect(text).toContain(`c1=${server.id}`);
  });

  test('agreement gives no mismatch', () => {
    const m = comparisonMatrix(
      expected,
      new Reachability(pods, null).expect(client.id, server.id, false).expect(server.id, client.id, true),
      { port: 80, protocol: 'TCP' },
    );
    expect(mismatches(m)).toEqual([]);
  });
});

describe('default-deny verdict', () => {
  const blocked = [
    { direction: 'ingress' as const, predictedAllowed: false, observedAllowed: false },
    { direction: 'egress' as const, predictedAllowed: false, observedAllowed: false },
  ];

  test('pass only when observed == predicted and the prediction is blocked', () => {
    expect(judgeDefaultDeny('prod', blocked, true).result).toBe('pass');
  });

  test('observed open where blocked was predicted: fail naming the direction', () => {
    const v = judgeDefaultDeny('prod', [{ direction: 'ingress', predictedAllowed: false, observedAllowed: true }], true);
    expect(v).toMatchObject({ result: 'fail' });
    expect(v.message).toContain('ingress predicted blocked but observed allowed');
  });

  test('predicted open and observed open: the namespace is not default-deny (fail, static and live agree)', () => {
    const v = judgeDefaultDeny('dev', [{ direction: 'ingress', predictedAllowed: true, observedAllowed: true }], true);
    expect(v.result).toBe('fail');
    expect(v.message).toContain('not default-deny for ingress');
  });

  test('a broken network (witness unreachable) is an error, never a pass', () => {
    expect(judgeDefaultDeny('prod', blocked, false).result).toBe('error');
    expect(judgeDefaultDeny('prod', blocked, null).result).toBe('error');
  });

  test('a direction without observation is an error', () => {
    expect(judgeDefaultDeny('prod', [{ direction: 'egress', predictedAllowed: false, observedAllowed: null }], true).result).toBe('error');
  });
});
