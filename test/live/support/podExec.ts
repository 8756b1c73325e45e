// `probe batch` inside a long-running pod, through the kubectl of a control-plane node (admin.conf there).
// Long-running clients matter for NetworkPolicy: enforcers such as kube-router learn a new pod's IP from a watch
// event, so the first packets of a freshly started pod can be judged before its IP is in the peer sets.
import type { ClusterNode } from '../../../harness/model/cluster.ts';
import type { BatchResult, ProbeTarget } from '../../../harness/probe/probePods.ts';

/** The probe binary inside the probe image (images/README.md). */
const PROBE = '/usr/local/bin/probe';

export async function execBatch(via: ClusterNode, namespace: string, pod: string, targets: ProbeTarget[], timeoutSeconds = 2): Promise<BatchResult[]> {
  const cmd = ['kubectl', '-n', namespace, 'exec', pod, '--', PROBE, 'batch', '--timeout', `${timeoutSeconds}s`, ...targets.flatMap((t) => [t.protocol ?? 'tcp', `${t.host}:${t.port}`])];
  const r = await via.exec(cmd);
  if (r.exitCode !== 0) throw new Error(`probe batch in ${namespace}/${pod} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
  return r.stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as BatchResult);
}
