// The teardown layer of `clusterproof run`, after the suites and before waivers and reports: list what the run left
// in the cluster, remove it (safety net), release the cluster, check Docker (or, for an aws run, what AWS still has
// tagged with the run), and decide teardown-clean in place of the suites' deferred placeholder. Its verdict needs
// the cluster gone, so no suite can decide it.
import { errorMessage } from '../errors.ts';
import { notAskedFor } from '../findings/finding.ts';
import { clusterApi } from '../kubernetes/clusterApi.ts';
import type { Finding } from '../model/findings.ts';
import type { ClusterSpec } from '../model/spec.ts';
import { awsLeftovers, awsWhereOf } from './awsLeftovers.ts';
import type { HeldCluster } from './release.ts';
import { safetyNet } from './safetyNet.ts';
import { dockerLeftovers, isDeferredTeardown, judgeTeardown, kubernetesLeftovers, type TeardownObservation } from './teardownClean.ts';

export async function teardownLayer(
  findings: Finding[],
  spec: ClusterSpec,
  held: HeldCluster,
  run: { runId: string; keep: boolean; log: (line: string) => void; release: () => Promise<void> },
): Promise<Finding[]> {
  const { runId, log } = run;
  const deferred = findings.some(isDeferredTeardown);
  const observation: TeardownObservation = { runId };
  try {
    const { core } = clusterApi({ kubeconfig: held.cluster.kubeconfigPath, context: held.context });
    observation.kubernetes = await kubernetesLeftovers(core, runId);
  } catch (error) {
    observation.kubernetesSkipped = `the cluster could not be listed: ${errorMessage(error)}`;
  }
  await safetyNet(held, runId, log);
  // aws: the region comes from the saved state, which `down` removes; a `down` that fails naming leftovers is
  // judged here (teardown-clean fails listing them) rather than ending the run without a verdict.
  const aws = await awsWhereOf(held.cluster).catch(() => undefined);
  try {
    await run.release();
  } catch (error) {
    if (!aws) throw error;
    log(`removing the aws cluster did not finish cleanly: ${errorMessage(error)}`);
  }
  if (held.owned && run.keep) {
    if (aws) observation.awsSkipped = 'the cluster was kept (--keep), so its AWS resources remain by request';
    else observation.dockerSkipped = 'the cluster was kept (--keep), so its Docker objects remain by request';
  } else if (aws) {
    try {
      observation.aws = await awsLeftovers(aws, runId);
    } catch (error) {
      observation.awsSkipped = `AWS could not be asked: ${errorMessage(error)}`;
    }
  } else {
    try {
      observation.docker = await dockerLeftovers(runId);
    } catch (error) {
      observation.dockerSkipped = `no Docker engine to ask: ${errorMessage(error)}`;
    }
  }
  if (!deferred) return findings;
  const verdict = spec.spec.teardown ? judgeTeardown(observation) : notAskedFor('teardown-clean', 'teardown', 'clean teardown', 'teardown');
  if (verdict.result !== 'pass') log(`teardown-clean: ${verdict.message}`);
  return [...findings.filter((f) => !isDeferredTeardown(f)), verdict];
}
