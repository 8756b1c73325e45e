// The live checks' view of the cluster under test: one KubeConfig built from the run context (file + context),
// so every check talks to exactly the cluster `clusterproof run` collected.
import { CoreV1Api, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import type { SuiteRunContext } from '../suite/context.ts';
import { makeApiClient } from '../kubernetes/apiClient.ts';

export interface ClusterApi {
  kc: KubeConfig;
  core: CoreV1Api;
  net: NetworkingV1Api;
  /** The kubeconfig's server URL for the context in use. */
  server: string;
}

export function clusterApi(run: Pick<SuiteRunContext, 'context'> & { kubeconfig: string }): ClusterApi {
  const kc = new KubeConfig();
  kc.loadFromFile(run.kubeconfig);
  if (run.context) kc.setCurrentContext(run.context);
  return { kc, core: makeApiClient(kc, CoreV1Api), net: makeApiClient(kc, NetworkingV1Api), server: kc.getCurrentCluster()?.server ?? '' };
}

/** The run id live checks label with; a live run always sets it, so its absence is a harness bug worth an error. */
export function requireRunId(run: Pick<SuiteRunContext, 'runId'>): string {
  if (!run.runId) throw new Error('the run context has no runId: live checks run through `clusterproof run`');
  return run.runId;
}
