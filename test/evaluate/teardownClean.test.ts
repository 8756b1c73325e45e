import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { loadSpec } from '../../harness/spec/load.ts';
import { evaluateTeardownClean, hasMark } from '../../harness/evaluate/teardownClean.ts';
import { apiGroupOf, systemMadeReason, type KubeMeta } from '../../harness/evaluate/teardownClean/systemMade.ts';
import type { TeardownSpec } from '../../harness/model/spec.ts';
import type { ClusterState, UnknownObject } from '../../harness/model/state.ts';
import { control, deployment, namespace, spec, state } from './stateBuilder.ts';

const TD: TeardownSpec = { ownershipLabel: 'clusterproof.dev/owner', ownershipTag: 'clusterproof.dev/owner=platform' };
const run = (s: ClusterState, teardown: TeardownSpec | null = TD) =>
  evaluateTeardownClean({ state: s, spec: spec(teardown ? { teardown } : {}), control: control('teardown-clean') });
const OWNED = { 'clusterproof.dev/owner': 'platform' };

function cluster(edit: (s: ClusterState) => void = () => {}): ClusterState {
  return state((s) => {
    s.kubernetes.namespaces.push(namespace('kube-system'), namespace('default'), namespace('shop', OWNED));
    s.kubernetes.deployments.push(deployment('shop', 'cart', { labels: OWNED }), deployment('kube-system', 'coredns'));
    s.kubernetes.serviceAccounts.push({ metadata: { name: 'default', namespace: 'shop' } });
    s.kubernetes.configMaps.push({ metadata: { name: 'kube-root-ca.crt', namespace: 'shop' } });
    s.kubernetes.services.push({ metadata: { name: 'kubernetes', namespace: 'default' } });
    s.kubernetes.pods.push({
      metadata: {
        name: 'cart-abc',
        namespace: 'shop',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cart-x', uid: '1' }],
      },
    });
    s.cloud.vpcs.push({ id: 'vpc-1', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], tags: OWNED });
    s.cloud.securityGroups.push({ id: 'sg-default', name: 'default', ingress: [], egress: [], tags: {} });
    edit(s);
  });
}

describe('teardown-clean', () => {
  it('is not-applicable without a teardown section, or with nothing created by the owner', () => {
    expect(run(state(), null)[0]?.result).toBe('not-applicable');
    expect(
      run(
        state((s) => {
          s.kubernetes.namespaces.push(namespace('kube-system'));
        }),
      )[0]?.result,
    ).toBe('not-applicable');
  });

  it('passes with counts when every owned object carries the mark, skipping what Kubernetes and AWS create', () => {
    const [f] = run(cluster());
    expect(f?.result).toBe('pass');
    expect(f?.message).toBe('All 2 Kubernetes object(s) carry the ownership label and all 1 cloud object(s) carry the ownership tag.');
  });

  it('fails listing every unlabelled and untagged object', () => {
    const [f] = run(
      cluster((s) => {
        s.kubernetes.services.push({ metadata: { name: 'cart', namespace: 'shop' } });
        s.cloud.loadBalancers.push({
          name: 'k8s-shop-cart',
          scheme: 'internet-facing',
          listenerPorts: [80],
          securityGroupIds: [],
          tags: { 'clusterproof.dev/owner': 'someone-else' },
        });
      }),
    );
    expect(f?.result).toBe('fail');
    expect(f?.message).toMatch(/1 of 3 Kubernetes object\(s\) lack label clusterproof.dev\/owner; 1 of 2 cloud object\(s\) lack tag/);
    expect(f?.evidence.filter((e) => e.type === 'object').map((e) => (e.type === 'object' ? e.ref.name : ''))).toEqual([
      'cart',
      'k8s-shop-cart',
    ]);
  });

  it('checks only what the spec names', () => {
    const s = cluster((st) => {
      st.cloud.vpcs[0]!.tags = {};
    });
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
    const planned = state((s) => {
      s.cloud.vpcs.push({ id: 'tf:aws_vpc.main', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], tags: {}, planned: true });
    });
    expect(run(planned, { ownershipTag: 'owner' })[0]).toMatchObject({ layer: 'plan', result: 'fail' });
    const applied = state((s) => {
      s.cloud.vpcs.push({ id: 'vpc-1', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], tags: {} });
    });
    expect(run(applied, { ownershipTag: 'owner' })[0]?.layer).toBe('config');
  });
});

describe('teardown-clean: kinds clusterproof does not type (unknown objects)', () => {
  const unknown = (
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
    extra: Partial<UnknownObject> = {},
  ): UnknownObject => ({
    apiVersion,
    kind,
    name,
    ...(namespace ? { namespace } : {}),
    source: { file: 'crs.yaml', documentIndex: 0 },
    labels: {},
    ...extra,
  });

  it('an unlabelled Istio Gateway, cert-manager Certificate and cluster-scoped ClusterIssuer fail, named with their apiVersion', () => {
    const [f] = run(
      cluster((s) => {
        s.unknown.push(
          unknown('networking.istio.io/v1', 'Gateway', 'public', 'shop'),
          unknown('cert-manager.io/v1', 'Certificate', 'shop-tls', 'shop', { labels: { app: 'shop' } }),
          unknown('cert-manager.io/v1', 'ClusterIssuer', 'letsencrypt'),
        );
      }),
    );
    expect(f?.result).toBe('fail');
    expect(f?.message).toMatch(
      /^3 of 5 Kubernetes object\(s\) lack label clusterproof.dev\/owner — teardown cannot find them: Gateway shop\/public, Certificate shop\/shop-tls, ClusterIssuer letsencrypt\. The label is required on every object in the inputs outside kube-system, kube-public and kube-node-lease, of any kind \(custom resources included\), except what Kubernetes makes itself/,
    );
    expect(f?.subject).toEqual({ kind: 'Gateway', name: 'public', namespace: 'shop', source: { file: 'crs.yaml', documentIndex: 0 } });
    expect(f?.evidence).toContainEqual({
      type: 'object',
      ref: expect.objectContaining({ kind: 'ClusterIssuer', name: 'letsencrypt' }),
      detail: 'missing ownership mark (cert-manager.io/v1 ClusterIssuer, a kind clusterproof keeps untyped)',
    });
  });

  it('labelled unknown objects pass, counted in the message; one object in two inputs counts once', () => {
    const gateway = unknown('networking.istio.io/v1', 'Gateway', 'public', 'shop', { labels: OWNED });
    const [f] = run(
      cluster((s) => {
        s.unknown.push(gateway, { ...gateway, source: { file: 'other.yaml' } });
      }),
    );
    expect(f?.result).toBe('pass');
    expect(f?.message).toBe(
      'All 3 Kubernetes object(s) (1 of them of kinds clusterproof does not type, such as custom resources) carry the ownership label and all 1 cloud object(s) carry the ownership tag.',
    );
  });

  it('skips what Kubernetes and controllers make, and says how many for which reason', () => {
    const [f] = run(
      cluster((s) => {
        s.kubernetes.services.push({ metadata: { name: 'cart', namespace: 'shop', labels: OWNED }, spec: { selector: { app: 'cart' } } });
        s.unknown.push(
          unknown('v1', 'Event', 'cart.17f3', 'shop'),
          unknown('events.k8s.io/v1', 'Event', 'cart.17f4', 'shop'),
          unknown('coordination.k8s.io/v1', 'Lease', 'cart-leader', 'shop'),
          unknown('certificates.k8s.io/v1', 'CertificateSigningRequest', 'csr-8x2k'),
          unknown('v1', 'Endpoints', 'cart', 'shop'),
          unknown('v1', 'Endpoints', 'web', 'shop', { labels: { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' } }),
          unknown('discovery.k8s.io/v1', 'EndpointSlice', 'cart-abc', 'shop', {
            labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
          }),
          unknown('apps/v1', 'ReplicaSet', 'cart-6d5f', 'shop', { ownerReferences: [{ kind: 'Deployment', name: 'cart' }] }),
          unknown('rbac.authorization.k8s.io/v1', 'ClusterRole', 'admin', undefined, {
            labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
          }),
          unknown('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'system:node'),
          unknown('apiregistration.k8s.io/v1', 'APIService', 'v1.apps', undefined, {
            labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' },
          }),
          unknown('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 'catch-all', undefined, {
            annotationKeys: ['apf.kubernetes.io/autoupdate-spec'],
          }),
          unknown('scheduling.k8s.io/v1', 'PriorityClass', 'system-node-critical'),
          unknown('v1', 'PersistentVolume', 'pvc-0f1e', undefined, { annotationKeys: ['pv.kubernetes.io/provisioned-by'] }),
          unknown('networking.k8s.io/v1', 'ServiceCIDR', 'kubernetes'),
          unknown('apps/v1', 'DaemonSet', 'calico-node', 'kube-system'),
          // A planned terraform resource kept as unknown (no apiVersion) is not a Kubernetes object.
          { kind: 'aws_nat_gateway', name: 'aws_nat_gateway.main' },
        );
      }),
    );
    expect(f?.result).toBe('pass');
    expect(f?.evidence).toContainEqual({
      type: 'observation',
      what: 'Kubernetes objects skipped as made by Kubernetes itself, by reason',
      observed: {
        'api-default': 2,
        'bootstrap-default': 5,
        'controller-endpoints': 3,
        csr: 1,
        event: 2,
        lease: 1,
        'namespace-default': 2,
        owned: 2,
        'provisioned-volume': 1,
        'system-namespace': 4,
      },
    });
  });

  it('hand-made objects that look like system ones are still checked', () => {
    const [f] = run(
      cluster((s) => {
        // Endpoints for a Service without a selector are written by hand (an external database).
        s.kubernetes.services.push({ metadata: { name: 'db', namespace: 'shop', labels: OWNED }, spec: { ports: [{ port: 5432 }] } });
        s.unknown.push(
          unknown('v1', 'Endpoints', 'db', 'shop'),
          unknown('rbac.authorization.k8s.io/v1', 'ClusterRole', 'shop-reader'),
          unknown('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'carts.shop.example.com'),
          unknown('v1', 'PersistentVolume', 'nfs-share'),
        );
      }),
    );
    expect(f?.message).toMatch(
      /^4 of 7 Kubernetes object\(s\) lack label .*: Endpoints shop\/db, ClusterRole shop-reader, CustomResourceDefinition carts.shop.example.com, PersistentVolume nfs-share\./,
    );
  });
});

describe('systemMadeReason', () => {
  const meta = (group: string, kind: string, name: string, extra: Partial<KubeMeta> = {}): KubeMeta => ({
    group,
    kind,
    name,
    namespace: 'shop',
    labels: {},
    annotationKeys: [],
    owned: false,
    ...extra,
  });
  const ctx = { selectorServices: new Set(['shop/cart']) };

  it('is keyed by API group as well as kind: a CRD kind named like a built-in one is checked', () => {
    expect(systemMadeReason(meta('', 'Event', 'x'), ctx)).toBe('event');
    expect(systemMadeReason(meta('example.com', 'Event', 'x'), ctx)).toBeUndefined();
    expect(systemMadeReason(meta('coordination.k8s.io', 'Lease', 'x'), ctx)).toBe('lease');
    expect(systemMadeReason(meta('dhcp.example.com', 'Lease', 'x'), ctx)).toBeUndefined();
  });

  it('secrets: token and Helm release records are generated, others are checked', () => {
    expect(systemMadeReason(meta('', 'Secret', 's', { secretType: 'kubernetes.io/service-account-token' }), ctx)).toBe('generated-secret');
    expect(systemMadeReason(meta('', 'Secret', 's', { secretType: 'helm.sh/release.v1' }), ctx)).toBe('generated-secret');
    expect(systemMadeReason(meta('', 'Secret', 's', { secretType: 'kubernetes.io/tls' }), ctx)).toBeUndefined();
  });

  it("Endpoints named after a selector Service are the controller's", () => {
    expect(systemMadeReason(meta('', 'Endpoints', 'cart'), ctx)).toBe('controller-endpoints');
    expect(systemMadeReason(meta('', 'Endpoints', 'db'), ctx)).toBeUndefined();
  });

  it('apiGroupOf splits apiVersion', () => {
    expect(apiGroupOf('v1')).toBe('');
    expect(apiGroupOf('networking.istio.io/v1beta1')).toBe('networking.istio.io');
  });
});

describe('teardown-clean: launch templates', () => {
  it('counts a template once across its versions, and skips versions whose template tags were not collected', () => {
    const version = (v: number, tags: Record<string, string>, tagsCollected?: boolean) => ({
      id: 'lt-0abc',
      kind: 'launch-template' as const,
      launchTemplate: { name: 'workers', version: v },
      tags,
      ...(tagsCollected === undefined ? {} : { tagsCollected }),
    });
    const untaggedTf = run(
      cluster((s) => {
        s.cloud.instances.push(version(1, {}), version(2, {}));
      }),
      { ownershipTag: 'clusterproof.dev/owner' },
    );
    expect(untaggedTf[0]?.message).toMatch(
      /^1 of 2 cloud object\(s\) lack tag clusterproof.dev\/owner — teardown cannot find them: LaunchTemplate workers\./,
    );
    const cli = run(
      cluster((s) => {
        s.cloud.instances.push(version(1, {}, false), version(2, {}, false));
      }),
      { ownershipTag: 'clusterproof.dev/owner' },
    );
    expect(cli[0]?.result).toBe('pass');
  });
});

describe('teardown-clean through the files loader', () => {
  it('fixtures/controls/teardown-clean/fail: the untyped Gateway, Certificate and ClusterIssuer are named with file and line', async () => {
    const dir = 'fixtures/controls/teardown-clean/fail';
    const [s, { spec: loaded }] = await Promise.all([loadStateFromPaths([dir]), loadSpec(`${dir}/clusterproof.yaml`)]);
    const [f] = evaluateTeardownClean({ state: s, spec: loaded, control: control('teardown-clean') });
    expect(f?.message).toContain('Gateway shop/shop-gateway, Certificate shop/cart-tls, ClusterIssuer letsencrypt');
    const gateway = f?.evidence.find((e) => e.type === 'object' && e.ref.kind === 'Gateway');
    expect(gateway?.type === 'object' ? gateway.ref.source : undefined).toMatchObject({ file: `${dir}/custom-resources.yaml`, line: 6 });
  });

  it('keeps labels, owners and annotation keys of unknown kinds, never annotation values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-teardown-'));
    writeFileSync(
      join(dir, 'cr.yaml'),
      [
        'apiVersion: example.com/v1',
        'kind: Widget',
        'metadata:',
        '  name: w',
        '  namespace: shop',
        '  labels: { clusterproof.dev/owner: platform, replicas: "3" }',
        '  annotations: { kubectl.kubernetes.io/last-applied-configuration: "{\\"password\\": \\"PLANTED-WIDGET-SECRET\\"}" }',
        '  ownerReferences: [{ apiVersion: example.com/v1, kind: WidgetSet, name: ws, uid: "1" }]',
        '',
      ].join('\n'),
    );
    const s = await loadStateFromPaths([dir]);
    expect(s.unknown).toEqual([
      expect.objectContaining({
        kind: 'Widget',
        labels: { 'clusterproof.dev/owner': 'platform', replicas: '3' },
        ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'WidgetSet', name: 'ws' }],
        annotationKeys: ['kubectl.kubernetes.io/last-applied-configuration'],
      }),
    ]);
    expect(JSON.stringify(s)).not.toContain('PLANTED-WIDGET-SECRET');
  });
});
