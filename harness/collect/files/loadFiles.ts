// Owned by the collect helper: reads files/directories of Kubernetes objects, AWS CLI outputs and terraform plans.
import type { ClusterState } from '../../model/state.ts';

export async function loadStateFromPaths(paths: string[]): Promise<ClusterState> {
  throw new Error(`loadStateFromPaths(${paths.join(', ')}): not implemented yet`);
}
