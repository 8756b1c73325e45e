// The cluster API handle of the live half: one KubeConfig built from the run's kubeconfig file and context, so
// every check, the runner and the teardown talk to exactly the cluster `clusterproof run` collected.
import { CoreV1Api, NetworkingV1Api, type KubeConfig } from '@kubernetes/client-node';
import { makeApiClient } from './apiClient.ts';
import { loadKubeConfig, type KubeconfigTarget } from './kubeconfig.ts';

export interface ClusterApi {
  kc: KubeConfig;
  core: CoreV1Api;
  net: NetworkingV1Api;
  /** The kubeconfig's server URL for the context in use. */
  server: string;
}

export function clusterApi(target: KubeconfigTarget & { kubeconfig: string }): ClusterApi {
  const kc = loadKubeConfig(target);
  return { kc, core: makeApiClient(kc, CoreV1Api), net: makeApiClient(kc, NetworkingV1Api), server: kc.getCurrentCluster()?.server ?? '' };
}

/** The run id live checks label with; a live run always sets it, so its absence is a harness bug worth an error. */
export function requireRunId(run: { runId?: string | undefined }): string {
  if (!run.runId) throw new Error('the run context has no runId: live checks run through `clusterproof run`');
  return run.runId;
}
