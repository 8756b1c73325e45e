// Proof: 3 control-plane + 2 worker nodes Ready, spread over three zones, and /version (through the load
// balancer) reports exactly the Kubernetes release pinned in images/versions.env.
import { VersionApi } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { ZONE_LABEL } from '../../harness/provision/kind/config.ts';
import { readVersions } from '../../harness/provision/kind/imageRequirements.ts';
import { core, kubeConfig, liveCluster, liveInfo } from './support/liveCluster.ts';

describe('live cluster shape', () => {
  test('3 control-plane + 2 worker nodes, all Ready, control planes in three distinct zones', async () => {
    const nodes = (await core().listNode()).items;
    const rows = nodes.map((n) => ({
      name: n.metadata?.name,
      role: 'node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {}) ? 'control-plane' : 'worker',
      zone: n.metadata?.labels?.[ZONE_LABEL],
      ready: n.status?.conditions?.find((c) => c.type === 'Ready')?.status,
    }));
    expect(rows.filter((r) => r.role === 'control-plane')).toHaveLength(3);
    expect(rows.filter((r) => r.role === 'worker')).toHaveLength(2);
    expect(
      rows.every((r) => r.ready === 'True'),
      JSON.stringify(rows),
    ).toBe(true);
    expect(new Set(rows.filter((r) => r.role === 'control-plane').map((r) => r.zone))).toEqual(new Set(['a', 'b', 'c']));
    expect(rows.every((r) => r.zone !== undefined)).toBe(true);
    // `info` reports the same zones the API does.
    expect(
      liveInfo()
        .nodes.map((n) => [n.name, n.zone])
        .sort(),
    ).toEqual(rows.map((r) => [r.name, r.zone ?? null]).sort());
  });

  test('/version matches the pinned release', async () => {
    const pinned = (await readVersions()).KUBERNETES_VERSION;
    const version = await kubeConfig().makeApiClient(VersionApi).getCode();
    expect(pinned).toMatch(/^v1\.\d+\.\d+$/);
    expect(version.gitVersion).toBe(pinned);
  });

  test("crictl on every node: the pinned version, talking to the node's containerd", async () => {
    const pinned = (await readVersions()).CRICTL_VERSION;
    const cluster = await liveCluster();
    for (const node of cluster.nodes) {
      const version = await node.exec(['crictl', '--version']);
      expect(version.stdout.trim(), `${node.name}: ${version.stderr}`).toBe(`crictl version ${pinned}`);
      // Every node runs kube-router (DaemonSet): crictl must see it through /etc/crictl.yaml's endpoint.
      const ps = await node.exec(['crictl', 'ps', '--name', 'kube-router', '-o', 'json']);
      expect(ps.exitCode, `${node.name}: ${ps.stderr}`).toBe(0);
      const containers = (JSON.parse(ps.stdout) as { containers?: { state?: string }[] }).containers ?? [];
      expect(
        containers.map((c) => c.state),
        node.name,
      ).toContain('CONTAINER_RUNNING');
    }
  });

  test('the API endpoint is the load balancer on loopback only', () => {
    expect(liveInfo().apiEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });
});
