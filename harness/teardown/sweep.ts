// Removes what clusterproof left in Docker, found only by label, so it works whatever happened to the runner
// (SIGKILL included): containers first (with their anonymous volumes), then networks and volumes, then the saved
// state of the clusters those objects belonged to. Idempotent: a second sweep finds nothing and succeeds.
import { labelValues, listObjects, removeObjects, type DockerObjectKind } from '../provision/docker.ts';
import { CLUSTER_LABEL, runLabelFilter } from '../provision/naming.ts';
import { listStates, removeState } from '../provision/state.ts';

const SETTLE_PASSES = 3;

export interface SweepResult {
  removed: Record<DockerObjectKind, number>;
  /** Saved cluster states dropped because their run was swept. */
  clusters: string[];
}

export async function sweep(opts: { runId?: string } = {}): Promise<SweepResult> {
  const filter = runLabelFilter(opts.runId);
  const clusterNames = new Set<string>();
  for (const kind of ['container', 'network', 'volume'] as const) {
    for (const name of await labelValues(kind, filter, CLUSTER_LABEL)) clusterNames.add(name);
  }
  const removed: Record<DockerObjectKind, number> = { container: 0, network: 0, volume: 0 };
  // A killed runner's last `docker run` requests may still be landing in the daemon; a pass that finds nothing new
  // ends the sweep (bounded: SETTLE_PASSES).
  for (let pass = 0; pass < SETTLE_PASSES; pass++) {
    let found = 0;
    // Order matters: a network or volume in use by a container cannot be removed.
    for (const kind of ['container', 'network', 'volume'] as const) {
      const ids = await listObjects(kind, [filter]);
      await removeObjects(kind, ids);
      removed[kind] += ids.length;
      found += ids.length;
    }
    if (found === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  // States whose run was swept, plus states of this run id even when Docker had nothing left (killed before create).
  const clusters: string[] = [];
  for (const state of await listStates()) {
    if (
      clusterNames.has(state.name) ||
      (opts.runId !== undefined && state.runId === opts.runId) ||
      (opts.runId === undefined && state.provider === 'kind')
    ) {
      await removeState(state.name);
      clusters.push(state.name);
    }
  }
  return { removed, clusters };
}
