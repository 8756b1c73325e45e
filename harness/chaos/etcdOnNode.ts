// etcdctl/etcdutl run on a control-plane node itself (the node image ships both in /usr/local/bin), talking to the
// node's own stacked etcd member over loopback with kubeadm's certificates: no pod, no kubectl, works while the
// API is degraded.
import type { ClusterNode } from '../model/cluster.ts';

export const ETCD_TLS_FLAGS = [
  '--cacert=/etc/kubernetes/pki/etcd/ca.crt',
  '--cert=/etc/kubernetes/pki/etcd/server.crt',
  '--key=/etc/kubernetes/pki/etcd/server.key',
];

export async function etcdctl(
  node: ClusterNode,
  args: string[],
  endpoint = 'https://127.0.0.1:2379',
  signal?: AbortSignal,
): Promise<string> {
  const tls = endpoint.startsWith('https:') ? ETCD_TLS_FLAGS : [];
  const r = await node.exec(['etcdctl', `--endpoints=${endpoint}`, '--command-timeout=10s', ...tls, ...args], signal ? { signal } : {});
  if (r.exitCode !== 0)
    throw new Error(
      `etcdctl ${args.join(' ')} on ${node.name} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().slice(0, 400)}`,
    );
  return r.stdout;
}

export interface EtcdHealth {
  members: string[];
  healthy: number;
  detail: string;
}

export async function etcdHealth(node: ClusterNode, signal?: AbortSignal): Promise<EtcdHealth> {
  const list = JSON.parse(await etcdctl(node, ['member', 'list', '-w', 'json'], undefined, signal)) as { members?: { name?: string }[] };
  const members = (list.members ?? []).map((m) => m.name ?? '(unnamed)');
  // `endpoint health --cluster` exits non-zero when any member is unhealthy; its JSON still says which.
  const r = await node.exec(
    [
      'etcdctl',
      '--endpoints=https://127.0.0.1:2379',
      '--command-timeout=5s',
      ...ETCD_TLS_FLAGS,
      'endpoint',
      'health',
      '--cluster',
      '-w',
      'json',
    ],
    signal ? { signal } : {},
  );
  const healthy = (r.stdout.match(/"health":true/g) ?? []).length;
  return { members, healthy, detail: (r.stdout || r.stderr).trim().slice(0, 600) };
}
