// How a run holds its cluster and lets go of it: a cluster this run made is removed (unless --keep), a borrowed
// one is left running, and the saved state of an existing cluster attached for this run is forgotten. Idempotent.
import type { Cluster, Provisioner } from '../model/cluster.ts';

/** How this run holds its cluster: made it (and removes it), borrowed a kind cluster clusterproof made, or an existing one. */
export interface HeldCluster {
  cluster: Cluster;
  provisioner: Provisioner;
  owned: boolean;
  /** existing provider: the saved state `up` wrote for this run, forgotten at the end. */
  forget: boolean;
  context?: string;
}

/** A release that runs once, however many of the run's exits (end, error, interrupt) call it. */
export function releaseOnce(
  held: () => HeldCluster | undefined,
  runId: string,
  keep: boolean,
  log: (line: string) => void,
): () => Promise<void> {
  let released = false;
  return async () => {
    const current = held();
    if (released || !current) return;
    released = true;
    if (current.owned && !keep) {
      log(`removing cluster ${current.cluster.name} (run ${runId})`);
      await current.provisioner.down(current.cluster.name);
    } else if (current.owned)
      log(`keeping cluster ${current.cluster.name} (--keep); remove it with: clusterproof down --name ${current.cluster.name}`);
    else if (current.forget) await current.provisioner.down(current.cluster.name);
  };
}
