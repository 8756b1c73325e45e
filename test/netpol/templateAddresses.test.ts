// Workloads read from templates have no address yet. An ipBlock rule is judged against the pod range the spec (or
// --pod-cidr) gives: a block holding the whole range admits every pod, one holding none admits none, one holding
// part of it, or any block when no range is given, makes the verdict say that it depends on the pods' addresses.
import type { V1Deployment, V1NetworkPolicy } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { analyseReachability, verdicts } from '../../harness/netpol/matrix.ts';
import type { ReachabilityVerdict } from '../../harness/model/reachability.ts';
import { emptyState, type ClusterState } from '../../harness/model/state.ts';
import { podsOf } from '../support/controllerPods.ts';

const deployment = (ns: string, app: string): V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: app, namespace: ns },
  spec: {
    selector: { matchLabels: { app } },
    template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] } },
  },
});
/** api in namespace b admits, on 8080, whatever its ipBlock holds: nothing else. */
// As YAML reads it (`from`; client-node's type names the field `_from`).
const allowFromBlock = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'from-internal', namespace: 'b' },
  spec: {
    podSelector: { matchLabels: { app: 'api' } },
    ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 8080 }] }],
  },
} as unknown as V1NetworkPolicy;

function shop(podCidrs?: string[]): ClusterState {
  const s = emptyState({ type: 'files', inputs: [], collectedAt: '2026-01-01T00:00:00Z' });
  s.kubernetes.deployments = [deployment('a', 'web'), deployment('b', 'api')];
  s.kubernetes.networkPolicies = [allowFromBlock];
  if (podCidrs) s.podCidrs = podCidrs;
  return s;
}

function webToApi(state: ClusterState): ReachabilityVerdict | undefined {
  return [...verdicts(analyseReachability(state, [{ port: 8080, protocol: 'TCP' }]))].find(
    (v) => v.from.includes('web') && v.to.includes('api'),
  );
}

describe('ipBlock rules and template workloads', () => {
  test('no pod range given: the verdict says it depends on the addresses and names the rule', () => {
    const v = webToApi(shop());
    expect(v?.from).toBe('a/web[Deployment]');
    expect(v?.reason).toContain(
      "depends on the pods' addresses: b/from-internal ingress rule 0 (ipBlock 10.0.0.0/8) admits pod addresses (no pod range given: set spec.cidrs.pods or --pod-cidr)",
    );
  });

  test('the block holds the whole pod range: allowed, as for the Pods the Deployment creates', () => {
    const v = webToApi(shop(['10.244.0.0/16']));
    expect(v?.allowed).toBe(true);
    expect(v?.reason).not.toContain('depends');
    const dump = shop();
    dump.kubernetes.pods = podsOf(dump.kubernetes.deployments, { podRange: '10.244.0.0' });
    expect(webToApi(dump)?.allowed).toBe(true);
  });

  test('the block holds none of the pod range: denied, with no caveat', () => {
    const v = webToApi(shop(['192.168.0.0/16']));
    expect(v?.allowed).toBe(false);
    expect(v?.reason).not.toContain('depends');
  });

  test('the block holds part of the pod range: the verdict says it depends, naming the range', () => {
    const v = webToApi(shop(['10.0.0.0/7']));
    expect(v?.reason).toContain(
      "depends on the pods' addresses: b/from-internal ingress rule 0 (ipBlock 10.0.0.0/8) admits part of the pod range 10.0.0.0/7",
    );
  });

  test('the pod range also comes from the inputs themselves (kubeadm podSubnet)', () => {
    const s = shop();
    s.kubernetes.controlPlane.kubeadm = { networking: { podSubnet: '10.32.0.0/12' } };
    expect(webToApi(s)?.allowed).toBe(true);
  });
});
