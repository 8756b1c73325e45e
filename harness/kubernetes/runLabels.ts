// How the harness marks what it creates inside a cluster, so the teardown checks and the runner's safety net find
// it by label alone (Docker objects have their own label, RUN_LABEL in harness/provision/naming.ts).

/** Kubernetes label on every namespace/object the harness itself creates in a cluster (readiness probes, checks, tests). */
export const K8S_RUN_LABEL = 'clusterproof.dev/run';

/** Label selector for one run's objects. */
export function runSelector(runId: string): string {
  return `${K8S_RUN_LABEL}=${runId}`;
}

/**
 * Kubernetes label on what `up` installs as part of the cluster itself (the AWS emulation): the run that made the
 * cluster, not a run's suites, so a run's teardown checks and safety net leave it alone; it goes with the cluster.
 */
export const K8S_CLUSTER_RUN_LABEL = 'clusterproof.dev/cluster-run';
