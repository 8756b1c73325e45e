// Proof: HA control plane. Stopping one control-plane node container keeps the API answering through kind's load
// balancer (sampled /readyz at 10 Hz, bounded; the longest gap is recorded and bounded by the spec's default
// disruption budget); starting it again rejoins etcd (member list + endpoint health across the cluster); and
// `etcdctl snapshot save` works from a control-plane node.
import { afterAll, describe, expect, test } from 'vitest';
import { timeoutIsObservation, waitFor } from '../../harness/kubernetes/waitFor.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, ClusterNode } from '../../harness/model/cluster.ts';
import { waitNodesReady } from '../../harness/provision/readiness/clusterReady.ts';
import { core, kubeConfig, liveCluster } from './support/liveCluster.ts';
import { sampleReadyz } from '../../harness/chaos/readyzSampler.ts';

/** Longest API gap tolerated while one of three control planes is down (spec.ha.disruptionBudgetSeconds' role). */
const GAP_BUDGET_SECONDS = 15;
const cluster: Cluster = await liveCluster();
const controlPlanes = cluster.nodes.filter((n) => n.role === 'control-plane');
const victim = controlPlanes[1] as ClusterNode;
const witness = controlPlanes[0] as ClusterNode;

/** etcdctl on the witness node itself (the node image carries it; etcd listens on the node's loopback). */
async function etcdctl(args: string[]): Promise<string> {
  const r = await witness.exec([
    'etcdctl',
    '--endpoints=https://127.0.0.1:2379',
    '--cacert=/etc/kubernetes/pki/etcd/ca.crt',
    '--cert=/etc/kubernetes/pki/etcd/server.crt',
    '--key=/etc/kubernetes/pki/etcd/server.key',
    ...args,
  ]);
  if (r.exitCode !== 0) throw new Error(`etcdctl ${args.join(' ')} failed (exit ${r.exitCode}): ${r.stderr.trim()} ${r.stdout.trim()}`);
  return r.stdout;
}

async function healthyMembers(): Promise<{ members: number; healthy: number; detail: string }> {
  const members = (JSON.parse(await etcdctl(['member', 'list', '-w', 'json'])) as { members?: { name?: string }[] }).members ?? [];
  const health = await etcdctl(['endpoint', 'health', '--cluster', '-w', 'json']).catch((e: Error) => e.message);
  const healthy = (health.match(/"health":true/g) ?? []).length;
  return { members: members.length, healthy, detail: `${members.map((m) => m.name).join(',')} | ${health.slice(0, 400)}` };
}

afterAll(async () => {
  // Whatever happened, the victim runs again (finally-style cleanup).
  await victim.start().catch(() => undefined);
});

describe('control-plane failover and etcd', () => {
  test('3 etcd members, all healthy, before any disruption', async () => {
    expect(controlPlanes).toHaveLength(3);
    const h = await healthyMembers();
    expect({ members: h.members, healthy: h.healthy }, h.detail).toEqual({ members: 3, healthy: 3 });
  }, 60_000);

  test('stopping one control-plane node keeps /readyz answering through the load balancer', async () => {
    const kc = kubeConfig();
    // Stop after 2 s of baseline, then keep sampling for 30 s with the node down (60 s bound overall).
    const disruption = (async () => {
      await sleep(2000);
      await victim.stop();
      await sleep(30_000);
    })();
    const report = await sampleReadyz(kc, { periodMs: 100, maxSeconds: 60, until: disruption });
    await disruption;
    console.info(
      `failover: ${report.trace.length} samples, ${report.failures} failed, longest gap ${report.longestGapSeconds.toFixed(2)}s (victim ${victim.name})`,
    );
    expect(report.trace.length).toBeGreaterThan(200);
    expect(report.trace.at(-1)?.ok, report.trace.at(-1)?.detail).toBe(true);
    expect(report.longestGapSeconds).toBeLessThan(GAP_BUDGET_SECONDS);
  }, 120_000);

  test('starting it again: the node is Ready and its etcd member rejoins (all 3 healthy)', async () => {
    await victim.start();
    await waitNodesReady(core(), cluster.nodes.length, 180_000);
    let h = { members: 0, healthy: 0, detail: 'not asked yet' };
    await waitFor(
      '3 healthy etcd members',
      async () => {
        h = await healthyMembers().catch((e: Error) => ({ members: 0, healthy: 0, detail: e.message }));
        return h.healthy >= 3 ? { done: true, value: undefined } : { done: false, why: `${h.healthy}/${h.members} healthy` };
      },
      { timeout: 180_000, interval: 3000 },
    ).catch(timeoutIsObservation);
    expect({ members: h.members, healthy: h.healthy }, h.detail).toEqual({ members: 3, healthy: 3 });
  }, 420_000);

  test('etcdctl snapshot save from a control-plane node writes a valid snapshot', async () => {
    const file = `/var/lib/etcd/clusterproof-live-${Date.now()}.db`;
    try {
      await etcdctl(['snapshot', 'save', file]);
      const status = JSON.parse(await etcdctl(['snapshot', 'status', file, '-w', 'json'])) as { totalKey?: number; revision?: number };
      expect(status.totalKey).toBeGreaterThan(0);
      expect(status.revision).toBeGreaterThan(0);
      // The file is on the node (hostPath /var/lib/etcd), not only inside the pod.
      const stat = await witness.exec(['stat', '-c', '%s', file]);
      expect(stat.exitCode).toBe(0);
      expect(Number(stat.stdout.trim())).toBeGreaterThan(4096);
    } finally {
      await witness.exec(['rm', '-f', file]);
    }
  }, 120_000);
});
