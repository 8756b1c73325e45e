// What Docker still holds for a run and its kind cluster; `none` is what teardown must leave.
import { listObjects } from '../../../harness/provision/docker.ts';
import { KIND_CLUSTER_LABEL } from '../../../harness/provision/kind/nodes.ts';
import { runLabelFilter } from '../../../harness/provision/naming.ts';

export async function labelled(runId: string, cluster: string): Promise<Record<string, number>> {
  const f = runLabelFilter(runId);
  return {
    containers: (await listObjects('container', [f])).length,
    networks: (await listObjects('network', [f])).length,
    volumes: (await listObjects('volume', [f])).length,
    kindContainers: (await listObjects('container', [`label=${KIND_CLUSTER_LABEL}=${cluster}`])).length,
  };
}

export const none = { containers: 0, networks: 0, volumes: 0, kindContainers: 0 };
