// kind nodes as ClusterNode handles: each node is a Docker container named like the Kubernetes node, so exec,
// stop and start go straight to Docker; what the suites see does not depend on the API server being up.
import type { ClusterNode, ExecResult } from '../../model/cluster.ts';
import { containerExec, containerStart, containerStop } from '../docker.ts';
import type { SavedNode } from '../state.ts';

/** kind's Docker labels (sigs.k8s.io/kind pkg/cluster/internal/providers/docker/constants.go). */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
export const KIND_ROLE_LABEL = 'io.x-k8s.kind.role';

export function kindNode(saved: SavedNode): ClusterNode {
  return {
    name: saved.name,
    role: saved.role,
    zone: saved.zone,
    addresses: saved.addresses,
    exec: (command: string[], opts?: { signal?: AbortSignal }): Promise<ExecResult> =>
      containerExec(saved.name, command, opts?.signal ? { signal: opts.signal } : {}),
    stop: () => containerStop(saved.name),
    start: () => containerStart(saved.name),
  };
}
