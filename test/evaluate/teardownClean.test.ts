import { describe, expect, it } from 'vitest';
import { evaluateTeardownClean, hasMark } from '../../harness/evaluate/teardownClean.ts';
import type { TeardownSpec } from '../../harness/model/spec.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import { control, deployment, namespace, spec, state } from './stateBuilder.ts';

const TD: TeardownSpec = { ownershipLabel: 'clusterproof.dev/owner', ownershipTag: 'clusterproof.dev/owner=platform' };
const run = (s: ClusterState, teardown: TeardownSpec | null = TD) => evaluateTeardownClean({ state: s, spec: spec(teardown ? { teardown } : {}), control: control('teardown-clean') });
const OWNED = { 'clusterproof.dev/owner': 'platform' };

function cluster(edit: (s: ClusterState) => void = () => {}): ClusterState {
  return state((s) => {
    s.kubernetes.namespaces.push(namespace('kube-system'), namespace('default'), namespace('shop', OWNED));
    s.kubernetes.deployments.push(deployment('shop', 'cart', { labels: OWNED }), deployment('kube-system', 'coredns'));
    s.kubernetes.serviceAccounts.push({ metadata: { name: 'default', namespace: 'shop' } });
    s.kubernetes.configMaps.push({ metadata: { name: 'kube-root-ca.crt', namespace: 'shop' } });
    s.kubernetes.services.push({ metadata: { name: 'kubernetes', namespace: 'default' } });
    s.kubernetes.pods.push({ metadata: { name: 'cart-abc', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cart-x', uid: '1' }] } });
    s.cloud.vpcs.push({ id: 'vpc-1', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], tags: OWNED });
    s.cloud.securityGroups.push({ id: 'sg-default', name: 'default', ingress: [], egress: [], tags: {} });
    edit(s);
  });
}

describe('teardown-clean', () => {
  it('is not-applicable without a teardown section, or with nothing created by the owner', () => {
    expect(run(state(), null)[0]?.result).toBe('not-applicable');
    expect(run(state((s) => { s.kubernetes.namespaces.push(namespace('kube-system')); }))[0]?.result).toBe('not-applicable');
  });

  it('passes with counts when every owned object carries the mark, skipping what Kubernetes and AWS create', () => {
    const [f] = run(cluster());
    expect(f?.result).toBe('pass');
    expect(f?.message).toBe('All 2 Kubernetes object(s) carry the ownership label and all 1 cloud object(s) carry the ownership tag.');
  });

  it('fails listing every unlabelled and untagged object', () => {
    const [f] = run(cluster((s) => {
      s.kubernetes.services.push({ metadata: { name: 'cart', namespace: 'shop' } });
      s.cloud.loadBalancers.push({ name: 'k8s-shop-cart', scheme: 'internet-facing', listenerPorts: [80], securityGroupIds: [], tags: { 'clusterproof.dev/owner': 'someone-else' } });
    }));
    expect(f?.result).toBe('fail');
    expect(f?.message).toMatch(/1 of 3 Kubernetes object\(s\) lack label clusterproof.dev\/owner; 1 of 2 cloud object\(s\) lack tag/);
    expect(f?.evidence.filter((e) => e.type === 'object').map((e) => (e.type === 'object' ? e.ref.name : ''))).toEqual(['cart', 'k8s-shop-cart']);
  });

  it('checks only what the spec names', () => {
    const s = cluster((st) => { st.cloud.vpcs[0]!.tags = {}; });
    expect(run(s, { ownershipLabel: 'clusterproof.dev/owner' })[0]?.result).toBe('pass');
    expect(run(s, { ownershipTag: 'clusterproof.dev/owner' })[0]?.result).toBe('fail');
  });

  it('matches key or key=value', () => {
    expect(hasMark({ a: 'x' }, 'a')).toBe(true);
    expect(hasMark({ a: 'x' }, 'a=x')).toBe(true);
    expect(hasMark({ a: 'x' }, 'a=y')).toBe(false);
    expect(hasMark({}, 'a')).toBe(false);
  });
});

describe('teardown-clean layers', () => {
  it('reports on the plan layer when every checked object comes from a terraform plan', () => {
    const planned = state((s) => { s.cloud.vpcs.push({ id: 'tf:aws_vpc.main', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], tags: {}, planned: true }); });
    expect(run(planned, { ownershipTag: 'owner' })[0]).toMatchObject({ layer: 'plan', result: 'fail' });
    const applied = state((s) => { s.cloud.vpcs.push({ id: 'vpc-1', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], tags: {} }); });
    expect(run(applied, { ownershipTag: 'owner' })[0]?.layer).toBe('config');
  });
});
