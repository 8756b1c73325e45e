// Chaos checks need nodes they may stop and exec on: the provisioner's Cluster handle for the run's cluster. Only
// clusters clusterproof made (kind) have such nodes; an existing cluster's nodes are not ours to touch.
import type { Cluster } from '../provision/contract.ts';
import { provisionerFor } from '../provision/provisioners.ts';
import type { SuiteRunContext } from '../suite/context.ts';

export type NodeAccess = { ok: true; cluster: Cluster } | { ok: false; reason: string };

export async function nodeAccess(run: Pick<SuiteRunContext, 'clusterName' | 'provider'>): Promise<NodeAccess> {
  if (!run.clusterName || !run.provider) return { ok: false, reason: 'the run names no provisioned cluster, so there is no node access (run through `clusterproof run`)' };
  if (run.provider !== 'kind') {
    return { ok: false, reason: `needs node access (stop/start/exec on nodes); the ${run.provider} provider does not touch nodes of a cluster clusterproof did not create` };
  }
  return { ok: true, cluster: await provisionerFor(run.provider).attach(run.clusterName) };
}
