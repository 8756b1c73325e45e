// The provider side of a live check (LivePlatform in model/liveCheck.ts): node access through the provisioner's
// Cluster handle, and the addresses of the project's own containers. Only clusters clusterproof made (kind) have
// nodes a check may touch; an existing cluster's nodes are not ours.
import type { LivePlatform, NodeAccess, SuiteRunContext } from '../model/liveCheck.ts';
import { projectContainerAddresses } from '../provision/projectAddresses.ts';
import { provisionerFor } from '../provision/provisioners.ts';

export async function nodeAccess(run: Pick<SuiteRunContext, 'clusterName' | 'provider'>): Promise<NodeAccess> {
  if (!run.clusterName || !run.provider)
    return { ok: false, reason: 'the run names no provisioned cluster, so there is no node access (run through `clusterproof run`)' };
  if (run.provider !== 'kind') {
    return {
      ok: false,
      reason: `needs node access (stop/start/exec on nodes); the ${run.provider} provider does not touch nodes of a cluster clusterproof did not create`,
    };
  }
  return { ok: true, cluster: await provisionerFor(run.provider).attach(run.clusterName) };
}

export function livePlatform(run: Pick<SuiteRunContext, 'clusterName' | 'provider'>): LivePlatform {
  return { nodeAccess: () => nodeAccess(run), ownAddresses: projectContainerAddresses };
}
