// Workloads from every kind that carries a pod template, and owners not counted twice when a dump holds their Pods.
import { describe, expect, test } from 'vitest';
import { StateBuilder } from '../../harness/collect/stateBuilder.ts';
import type { KubernetesObject } from '../../harness/collect/kubernetes/normalizeObject.ts';
import { workloadsOf } from '../../harness/model/workloads.ts';
import type { ClusterState } from '../../harness/model/state.ts';

const template = (app: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app }, annotations: { 'sidecar.istio.io/inject': 'true' } },
  spec: { serviceAccountName: app, containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }], ...extra },
});

function load(objects: KubernetesObject[], defaultNamespaces?: string[]): ClusterState {
  const b = new StateBuilder(
    { type: 'files', inputs: [], collectedAt: '2026-01-01T00:00:00Z' },
    defaultNamespaces ? { defaultNamespaces } : {},
  );
  objects.forEach((o, i) => b.addKubernetes(o, { file: 'in.yaml', line: i + 1, column: 1 }));
  return b.finish();
}

const ids = (s: ClusterState): string[] =>
  workloadsOf(s)
    .map((w) => w.id)
    .sort();

describe('workloads from pod templates', () => {
  test('every kind with a pod template is one workload named ns/name[Kind], carrying the template', () => {
    const s = load([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: template('web') } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: { template: template('db') } },
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: 'ops' },
        spec: { template: template('agent', { hostNetwork: true }) },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'legacy', namespace: 'shop' },
        spec: { template: template('legacy') },
      },
      {
        apiVersion: 'v1',
        kind: 'ReplicationController',
        metadata: { name: 'older', namespace: 'shop' },
        spec: { template: template('older') },
      },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop' }, spec: { template: template('migrate') } },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'report', namespace: 'shop' },
        spec: { jobTemplate: { spec: { template: template('report') } } },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'api', namespace: 'shop' },
        spec: { template: template('api') },
      },
    ]);
    expect(ids(s)).toEqual([
      'ops/agent[DaemonSet]',
      'shop/api[Rollout]',
      'shop/db[StatefulSet]',
      'shop/legacy[ReplicaSet]',
      'shop/migrate[Job]',
      'shop/older[ReplicationController]',
      'shop/report[CronJob]',
      'shop/web[Deployment]',
    ]);
    const report = workloadsOf(s).find((w) => w.kind === 'CronJob');
    expect(report?.pod.metadata?.labels).toEqual({ app: 'report' });
    expect(report?.pod.metadata?.annotations).toEqual({ 'sidecar.istio.io/inject': 'true' });
    expect(report?.pod.spec?.serviceAccountName).toBe('report');
    expect(workloadsOf(s).find((w) => w.kind === 'DaemonSet')?.pod.spec?.hostNetwork).toBe(true);
  });

  test("a Rollout with workloadRef takes its Deployment's template, and the Deployment is not counted again", () => {
    const s = load([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { replicas: 0, template: template('web') },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'web-rollout', namespace: 'shop' },
        spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
      },
    ]);
    expect(ids(s)).toEqual(['shop/web-rollout[Rollout]']);
    expect(workloadsOf(s)[0]?.pod.metadata?.labels).toEqual({ app: 'web' });
  });

  test('a dump with Pods, their ReplicaSet and Deployment: the Pods are judged, owners not counted twice', () => {
    const s = load([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: template('web') } },
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'web-5d8f', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'web' }] },
        spec: { template: template('web') },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'web-5d8f-abcde',
          namespace: 'shop',
          labels: { app: 'web' },
          ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5d8f' }],
        },
        spec: template('web').spec,
      },
      // A Deployment whose Pods the dump lacks (scaled to zero, or pending) is still judged by its template.
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'idle', namespace: 'shop' }, spec: { template: template('idle') } },
    ]);
    expect(ids(s)).toEqual(['shop/idle[Deployment]', 'shop/web-5d8f-abcde']);
  });

  test("owners missing from the dump are found by the controllers' naming rules (ReplicaSet hash, CronJob minute)", () => {
    const s = load([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: template('web') } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'web-7c9d4b-x1',
          namespace: 'shop',
          labels: { app: 'web', 'pod-template-hash': '7c9d4b' },
          ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7c9d4b' }],
        },
        spec: template('web').spec,
      },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'report', namespace: 'shop' },
        spec: { jobTemplate: { spec: { template: template('report') } } },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'report-29112040-q2',
          namespace: 'shop',
          labels: { app: 'report' },
          ownerReferences: [{ kind: 'Job', name: 'report-29112040' }],
        },
        spec: template('report').spec,
      },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: { template: template('db') } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'db-0', namespace: 'shop', labels: { app: 'db' }, ownerReferences: [{ kind: 'StatefulSet', name: 'db' }] },
        spec: template('db').spec,
      },
    ]);
    expect(ids(s)).toEqual(['shop/db-0', 'shop/report-29112040-q2', 'shop/web-7c9d4b-x1']);
  });

  test('a template without a namespace goes to --namespace, and its messages name that namespace', () => {
    const s = load(
      [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: template('web') } }],
      ['staging'],
    );
    expect(ids(s)).toEqual(['staging/web[Deployment]']);
    expect(s.warnings.map((w) => w.message)).toEqual(['Deployment web has no metadata.namespace: read into namespace staging']);
  });
});

describe('what is not a workload or not a served object is a warning, never coverage', () => {
  const policy = (apiVersion: string, kind: unknown) =>
    ({
      apiVersion,
      kind,
      metadata: { name: 'deny', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    }) as KubernetesObject;

  test.each([
    [
      'networking.k8s.io/v2',
      'NetworkPolicy',
      'NetworkPolicy deny: NetworkPolicy at apiVersion networking.k8s.io/v2 is not served by Kubernetes 1.34 (kubectl apply refuses it), so it is not evaluated',
      'write apiVersion: networking.k8s.io/v1',
    ],
    [
      'extensions/v1beta1',
      'NetworkPolicy',
      'NetworkPolicy deny: NetworkPolicy at apiVersion extensions/v1beta1 is not served by Kubernetes 1.34 (kubectl apply refuses it), so it is not evaluated',
      'write apiVersion: networking.k8s.io/v1',
    ],
    [
      'networking.k8s.io/v1',
      'Networkpolicy',
      'Networkpolicy deny: unknown kind "Networkpolicy" (apiVersion networking.k8s.io/v1): Kubernetes kinds are case-sensitive',
      'write kind: NetworkPolicy',
    ],
  ])('%s %s: a warning with file:line and the fix; the policy is not counted', (apiVersion, kind, message, fix) => {
    const s = load([policy(apiVersion, kind)]);
    expect(s.kubernetes.networkPolicies).toEqual([]);
    expect(s.warnings).toEqual([{ file: 'in.yaml', line: 1, column: 1, message, fix }]);
  });

  test('kind: 42 is not a Kubernetes object: a warning through the file loader', () => {
    const b = new StateBuilder({ type: 'files', inputs: [], collectedAt: '2026-01-01T00:00:00Z' });
    const location = { file: 'bad.yaml', line: 3, column: 1 };
    b.addParsed({ value: { apiVersion: 'v1', kind: 42, metadata: { name: 'x' } }, location, locate: () => location });
    const s = b.finish();
    expect(s.warnings).toEqual([
      expect.objectContaining({ file: 'bad.yaml', line: 3, message: expect.stringContaining('kind is 42, not a string') }),
    ]);
  });

  test('custom resources and built-in kinds no control reads are kept without a warning', () => {
    const s = load([
      { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'tls', namespace: 'shop' } },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: 'shop' } },
    ]);
    expect(s.warnings).toEqual([]);
    expect(s.unknown.map((u) => u.kind)).toEqual(['Certificate', 'PodDisruptionBudget']);
  });
});
