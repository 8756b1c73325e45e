// The inventory of the non-compliant example, counted by hand from its files (top-level items of the two
// Kubernetes lists, one entry per id in the AWS outputs), and its place in the JSON report.
import { describe, expect, it } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { inventoryOf } from '../../harness/findings/inventory.ts';
import { redactReport } from '../../harness/findings/redact.ts';
import { packagePath } from '../../harness/paths.ts';
import { buildJsonReport } from '../../reports/json.ts';
import { sampleReport } from '../reports/sampleReport.ts';
import { validateReportJson } from '../reports/validators.ts';

describe('inventory of fixtures/examples/non-compliant', async () => {
  const inventory = inventoryOf(await loadStateFromPaths([packagePath('fixtures/examples/non-compliant')]));

  it('counts Kubernetes objects by kind and apiVersion, kinds no evaluator reads apart', () => {
    const row = (kind: string) =>
      inventory.kubernetes.filter((o) => o.kind === kind).map(({ apiVersion, count, typed }) => ({ apiVersion, count, typed }));
    // kubernetes/cluster-dump.yaml
    expect(row('Namespace')).toEqual([{ apiVersion: 'v1', count: 10, typed: true }]);
    expect(row('Node')).toEqual([{ apiVersion: 'v1', count: 9, typed: true }]);
    expect(row('Pod')).toEqual([{ apiVersion: 'v1', count: 60, typed: true }]);
    expect(row('ServiceAccount')).toEqual([{ apiVersion: 'v1', count: 25, typed: true }]);
    expect(row('Service')).toEqual([{ apiVersion: 'v1', count: 13, typed: true }]);
    expect(row('ConfigMap')).toEqual([{ apiVersion: 'v1', count: 4, typed: true }]);
    expect(row('Deployment')).toEqual([{ apiVersion: 'apps/v1', count: 8, typed: true }]);
    expect(row('DaemonSet')).toEqual([{ apiVersion: 'apps/v1', count: 3, typed: true }]);
    expect(row('CronJob')).toEqual([{ apiVersion: 'batch/v1', count: 1, typed: true }]);
    expect(row('NetworkPolicy')).toEqual([{ apiVersion: 'networking.k8s.io/v1', count: 7, typed: true }]);
    // kubernetes/mesh-and-rollouts.yaml: Gateway and VirtualService are kept for ownership checks, not typed.
    expect(row('Rollout')).toEqual([{ apiVersion: 'argoproj.io/v1alpha1', count: 3, typed: true }]);
    expect(row('AnalysisTemplate')).toEqual([{ apiVersion: 'argoproj.io/v1alpha1', count: 2, typed: true }]);
    expect(row('PeerAuthentication')).toEqual([{ apiVersion: 'security.istio.io/v1', count: 2, typed: true }]);
    expect(row('DestinationRule')).toEqual([{ apiVersion: 'networking.istio.io/v1', count: 4, typed: true }]);
    expect(row('Gateway')).toEqual([{ apiVersion: 'networking.istio.io/v1', count: 1, typed: false }]);
    expect(row('VirtualService')).toEqual([{ apiVersion: 'networking.istio.io/v1', count: 3, typed: false }]);
    expect(inventory.kubernetes.reduce((n, o) => n + o.count, 0)).toBe(10 + 9 + 60 + 25 + 13 + 4 + 8 + 3 + 1 + 7 + 3 + 2 + 2 + 4 + 1 + 3);
  });

  it('counts workloads: every Deployment, DaemonSet and Rollout runs Pods in the dump, the CronJob has none', () => {
    expect(inventory.workloads).toEqual([
      { kind: 'Pod', count: 60 },
      { kind: 'CronJob', count: 1 },
    ]);
  });

  it('counts cloud objects, namespaces, NetworkPolicies, rendered sources and warnings', () => {
    expect(Object.fromEntries(inventory.cloud.map((c) => [c.kind, c.count]))).toEqual({
      vpcs: 1,
      subnets: 6,
      routeTables: 5,
      peerings: 1,
      securityGroups: 6,
      loadBalancers: 2,
      iamRoles: 6,
      instanceProfiles: 2,
      instances: 9 + 4, // 9 instances, 4 launch template versions
    });
    expect(inventory.namespaces).toEqual([
      'argo-rollouts',
      'default',
      'frontend',
      'istio-system',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'monitoring',
      'orders',
      'payments',
    ]);
    expect(inventory.networkPolicies).toBe(7);
    expect(inventory.rendered).toEqual([]);
    expect(inventory.warnings).toBe(0);
  });

  it('is valid in the JSON report', () => {
    const json = buildJsonReport(redactReport({ ...sampleReport(), inventory }));
    expect(validateReportJson(json), JSON.stringify(validateReportJson.errors)).toBe(true);
    expect(json.inventory).toEqual(inventory);
  });
});
