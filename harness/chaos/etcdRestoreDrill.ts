// Control etcd-backup, chaos layer: only a restore proves a backup (Rancher's drill). On a control-plane node:
// marker ConfigMap A → `etcdctl snapshot save` → marker B → `etcdutl snapshot restore` into a scratch data dir →
// a throwaway etcd on loopback (free ports, the etcd binary of the node's own etcd container) → A must be in the
// restored keyspace and B must not. Scratch dir, throwaway etcd and markers are removed in `finally`.
import { finding, notAskedFor } from '../findings/finding.ts';
import type { Evidence } from '../model/findings.ts';
import type { ClusterNode } from '../model/cluster.ts';
import { clusterApi, requireRunId } from '../kubernetes/clusterApi.ts';
import { createRunNamespace, deleteNamespacesAndWait } from '../kubernetes/runNamespace.ts';
import type { LiveCheck } from '../model/liveCheck.ts';
import { etcdctl } from './etcdOnNode.ts';
import { listeningPorts, pickFreePorts } from './freePorts.ts';
import { waitFor, WaitTimeout } from '../kubernetes/waitFor.ts';

const LAYER = 'chaos';
const BOOT_TIMEOUT_MS = 30_000;
/** Where a stacked etcd's binary is visible from the node: PATH, or the rootfs containerd mounted for the etcd container. */
const FIND_ETCD =
  'command -v etcd || for f in /run/containerd/io.containerd.runtime.v2.task/k8s.io/*/rootfs/usr/local/bin/etcd /run/containerd/io.containerd.runtime.v2.task/k8s.io/*/rootfs/bin/etcd; do [ -x "$f" ] && echo "$f" && break; done';

async function sh(node: ClusterNode, script: string, what: string): Promise<string> {
  const r = await node.exec(['sh', '-c', script]);
  if (r.exitCode !== 0)
    throw new Error(`${what} on ${node.name} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().slice(0, 400)}`);
  return r.stdout.trim();
}

export const etcdRestoreDrill: LiveCheck = async ({ spec, control, run, platform, staticFindings }) => {
  const controlId = control.id;
  if (!spec.spec.etcdBackup) return [notAskedFor(controlId, LAYER, 'etcd backups', 'etcdBackup')];
  const access = await platform.nodeAccess();
  if (!access.ok)
    return [
      finding({ controlId, layer: LAYER, result: 'not-applicable', message: `Restore drill not run: ${access.reason}.`, evidence: [] }),
    ];
  const node = access.cluster.nodes.find((n) => n.role === 'control-plane');
  if (!node)
    return [
      finding({
        controlId,
        layer: LAYER,
        result: 'error',
        message: 'The cluster handle lists no control-plane node to take a snapshot on.',
        evidence: [],
      }),
    ];

  const runId = requireRunId(run);
  const api = clusterApi(run);
  const ns = `cp-etcd-${runId}`.slice(0, 63);
  const dir = `/tmp/clusterproof-etcd-${runId}`;
  const markers = { before: 'marker-before-snapshot', after: 'marker-after-snapshot' };
  const started = performance.now();
  let pid: string | undefined;
  try {
    await createRunNamespace(api.core, ns, runId);
    const marker = (name: string) =>
      api.core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name, labels: { 'clusterproof.dev/run': runId } }, data: { at: new Date().toISOString() } },
      });
    await marker(markers.before);
    await sh(node, `mkdir -p ${dir}`, 'mkdir');
    await etcdctl(node, ['snapshot', 'save', `${dir}/snapshot.db`]);
    await marker(markers.after);
    const status = JSON.parse(await sh(node, `etcdutl snapshot status ${dir}/snapshot.db -w json`, 'etcdutl snapshot status')) as {
      revision?: number;
      totalKey?: number;
      totalSize?: number;
    };

    const [client, peer] = pickFreePorts(
      listeningPorts(await sh(node, 'cat /proc/net/tcp /proc/net/tcp6 2>/dev/null || cat /proc/net/tcp', 'read listening ports')),
      2,
    );
    const peerUrl = `http://127.0.0.1:${peer}`;
    const clientUrl = `http://127.0.0.1:${client}`;
    await sh(
      node,
      `etcdutl snapshot restore ${dir}/snapshot.db --data-dir ${dir}/restored --name drill --initial-cluster drill=${peerUrl} --initial-advertise-peer-urls ${peerUrl}`,
      'etcdutl snapshot restore',
    );
    const etcdBin = (await sh(node, FIND_ETCD, 'find etcd binary')).split('\n')[0];
    if (!etcdBin) throw new Error(`no etcd binary found on ${node.name} (PATH or the etcd container's rootfs)`);
    pid = await sh(
      node,
      `nohup ${etcdBin} --name drill --data-dir ${dir}/restored --listen-client-urls ${clientUrl} --advertise-client-urls ${clientUrl} --listen-peer-urls ${peerUrl} --initial-advertise-peer-urls ${peerUrl} --initial-cluster drill=${peerUrl} >${dir}/etcd.log 2>&1 & echo $!`,
      'start throwaway etcd',
    );
    await waitHealthy(node, clientUrl, dir);
    const keys = (await etcdctl(node, ['get', `/registry/configmaps/${ns}/`, '--prefix', '--keys-only'], clientUrl))
      .split('\n')
      .map((k) => k.trim())
      .filter((k) => k !== '');
    const has = (name: string): boolean => keys.includes(`/registry/configmaps/${ns}/${name}`);
    const found = { before: has(markers.before), after: has(markers.after) };
    const staticTwin = staticFindings[0];
    const evidence: Evidence[] = [
      { type: 'observation', what: `snapshot ${dir}/snapshot.db on ${node.name} (etcdutl snapshot status)`, observed: status },
      {
        type: 'comparison',
        what: 'markers in the restored keyspace (before snapshot, after snapshot)',
        expected: { before: true, after: false },
        actual: found,
      },
      {
        type: 'observation',
        what: `keys under /registry/configmaps/${ns}/ in the restored etcd (${etcdBin} on ${clientUrl})`,
        observed: keys,
      },
      ...(staticTwin
        ? [{ type: 'rule', rule: `static twin (config layer): ${staticTwin.result}`, detail: staticTwin.message } as Evidence]
        : []),
    ];
    const base = { controlId, layer: LAYER, subject: { kind: 'Node', name: node.name }, evidence } as const;
    const durationMs = Math.round(performance.now() - started);
    if (found.before && !found.after) {
      return [
        {
          ...finding({
            ...base,
            result: 'pass',
            message: `A snapshot taken with etcdctl on ${node.name} restored into a working etcd that holds the object written before it and not the one written after (revision ${status.revision ?? '?'}, ${status.totalKey ?? '?'} keys).`,
          }),
          durationMs,
        },
      ];
    }
    return [
      {
        ...finding({
          ...base,
          result: 'fail',
          message: `The restored snapshot does not match the cluster at snapshot time: marker written before ${found.before ? 'present' : 'MISSING'}, marker written after ${found.after ? 'PRESENT' : 'absent'}.`,
        }),
        durationMs,
      },
    ];
  } finally {
    await node
      .exec(['sh', '-c', `${pid ? `kill ${pid} 2>/dev/null; sleep 1; kill -9 ${pid} 2>/dev/null;` : ''} rm -rf ${dir}`])
      .catch(() => undefined);
    await deleteNamespacesAndWait(api.core, [ns]);
  }
};

async function waitHealthy(node: ClusterNode, clientUrl: string, dir: string): Promise<void> {
  try {
    await waitFor(
      `the throwaway etcd on ${clientUrl} to be healthy`,
      async () => {
        const r = await node.exec(['etcdctl', `--endpoints=${clientUrl}`, '--command-timeout=2s', 'endpoint', 'health']);
        return r.exitCode === 0 ? { done: true, value: undefined } : { done: false, why: `endpoint health exit ${r.exitCode}` };
      },
      { timeout: BOOT_TIMEOUT_MS, interval: 500 },
    );
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error;
    const log = await node.exec(['sh', '-c', `tail -n 20 ${dir}/etcd.log`]);
    throw new Error(`the throwaway etcd on ${clientUrl} did not become healthy in ${BOOT_TIMEOUT_MS / 1000}s: ${log.stdout.slice(-600)}`);
  }
}
