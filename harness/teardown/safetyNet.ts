// The run's safety net, best effort and idempotent: namespaces and pods labelled with the run are deleted, and a
// borrowed kind cluster gets back any node a drill stopped. Runs after the suites, on errors and on Ctrl-C.
import { clusterApi } from '../kubernetes/clusterApi.ts';
import { deleteNamespacesAndWait } from '../kubernetes/runNamespace.ts';
import type { HeldCluster } from './release.ts';
import { kubernetesLeftovers } from './teardownClean.ts';

export async function safetyNet(held: HeldCluster, runId: string, log: (line: string) => void): Promise<void> {
  try {
    const { core } = clusterApi({ kubeconfig: held.cluster.kubeconfigPath, context: held.context });
    const left = await kubernetesLeftovers(core, runId);
    if (left.namespaces.length > 0) {
      log(`removing namespaces this run left: ${left.namespaces.join(', ')}`);
      await deleteNamespacesAndWait(core, left.namespaces);
    }
    await Promise.all(
      left.pods.map((p) => {
        const [namespace = '', name = ''] = p.split('/');
        return core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 }).catch(() => undefined);
      }),
    );
  } catch {
    // The cluster may already be gone (down) or unreachable; `clusterproof sweep` remains the fallback.
  }
  if (!held.owned && held.cluster.provider === 'kind') {
    // `docker start` of a running container is a no-op, so this only revives a node a drill stopped.
    await Promise.all(held.cluster.nodes.map((n) => n.start().catch(() => undefined)));
  }
}
