// Live: `collectLive` against a real cluster gives the same state as `kubectl get -A -o yaml` of the same kinds read
// through the files loader. Objects that changed while we looked (leases, pod status) are compared only when the
// two kubectl dumps taken before and after the live collection agree on them, so the test does not flake.
// Runs when KUBECONFIG_LIVE points at a kubeconfig (or the live tier's global setup provides a cluster).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, inject, test } from 'vitest';
import { collectLive } from '../../harness/collect/live/collectLive.ts';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { CUSTOM, KUBECTL_RESOURCES } from '../../harness/collect/live/resources.ts';
import { objectKey, type ClusterState } from '../../harness/model/state.ts';

function liveKubeconfig(): string | undefined {
  if (process.env.KUBECONFIG_LIVE) return process.env.KUBECONFIG_LIVE;
  try {
    return (inject as (key: string) => { kubeconfig?: string } | undefined)('clusterproofLive')?.kubeconfig;
  } catch {
    return undefined;
  }
}

const kubeconfig = liveKubeconfig();
const REASON = 'skipped: set KUBECONFIG_LIVE=/path/to/kubeconfig of a running cluster';

/** kubectl get of every kind the collector reads, as one YAML file per call (CRD kinds only when served). */
async function kubectlDump(dir: string, name: string): Promise<string[]> {
  const files: string[] = [];
  const get = async (resources: string, optional: boolean): Promise<void> => {
    const r = await execa('kubectl', ['--kubeconfig', kubeconfig as string, 'get', resources, '-A', '-o', 'yaml'], { reject: false });
    if (r.exitCode !== 0) {
      if (optional && /doesn't have a resource type|the server could not find/.test(r.stderr)) return;
      throw new Error(`kubectl get ${resources} failed: ${r.stderr}`);
    }
    const file = join(dir, `${name}-${files.length}.yaml`);
    await writeFile(file, r.stdout);
    files.push(file);
  };
  await get(KUBECTL_RESOURCES, false);
  for (const c of CUSTOM) await get(`${c.plural}.${c.group}`, true);
  return files;
}

/** JSON with sorted keys: kubectl's YAML sorts map keys, the API's JSON keeps struct order; values must match, not order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** objectKey → canonical object, over every typed Kubernetes list. */
function objects(state: ClusterState): Map<string, string> {
  const k = state.kubernetes;
  const all = [
    k.namespaces,
    k.pods,
    k.deployments,
    k.services,
    k.networkPolicies,
    k.serviceAccounts,
    k.nodes,
    k.cronJobs,
    k.configMaps,
    k.secrets,
    k.istio.peerAuthentications,
    k.istio.destinationRules,
    k.argo.rollouts,
    k.argo.analysisTemplates,
  ].flat() as { kind?: string; metadata?: { name?: string; namespace?: string } }[];
  return new Map(
    all.map((o) => [
      objectKey(o.kind ?? '', o.kind === 'Namespace' || o.kind === 'Node' ? undefined : o.metadata?.namespace, o.metadata?.name ?? ''),
      canonical(o),
    ]),
  );
}

describe('live collector vs kubectl get -A -o yaml', () => {
  test.skipIf(!kubeconfig)(`same objects, same state ${kubeconfig ? '' : `(${REASON})`}`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cp-live-collect-'));
    try {
      const before = await loadStateFromPaths(await kubectlDump(dir, 'before'));
      const live = await collectLive({ kubeconfig: kubeconfig as string });
      const after = await loadStateFromPaths(await kubectlDump(dir, 'after'));

      const [b, l, a] = [objects(before), objects(live), objects(after)];
      const stable = [...b.keys()].filter((key) => a.has(key) && a.get(key) === b.get(key));
      expect(stable.length).toBeGreaterThan(10); // a real cluster has namespaces, nodes, system pods, configmaps…
      const differing = stable.filter((key) => l.get(key) !== b.get(key));
      expect(
        differing,
        `objects that differ between live and kubectl although kubectl saw them unchanged: ${differing.join(', ')}`,
      ).toEqual([]);
      for (const key of l.keys()) expect(b.has(key) || a.has(key), `${key} collected live but never listed by kubectl`).toBe(true);

      // Control-plane facts derived from the same objects agree too.
      const strip = (s: ClusterState) => ({
        ...s.kubernetes.controlPlane,
        apiServers: s.kubernetes.controlPlane.apiServers.map(({ source: _s, ...x }) => x),
      });
      expect(strip(live)).toEqual(strip(after));
      expect(live.kubernetes.kubeconfig?.server).toMatch(/^https?:\/\//);
    } finally {
      await rm(dir, { recursive: true, force: true }); // kubectl dumps hold Secret data
    }
  });
});
