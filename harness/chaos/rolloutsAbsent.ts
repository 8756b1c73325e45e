// canary-auto-rollback [chaos]: the drill (canaryAbortDrill.ts) needs an Argo Rollouts controller; without its CRD
// the layer is not-applicable, saying so.
import type { Finding } from '../model/findings.ts';
import type { LiveCheckInput } from '../model/liveCheck.ts';
import { crdPresent, platformAbsent } from '../probe/platformAbsent.ts';

export const ROLLOUTS_CRD = 'rollouts.argoproj.io';

/** The not-applicable finding when the cluster has no Argo Rollouts (CRD absent), else undefined. */
export async function rolloutsAbsent(input: LiveCheckInput): Promise<Finding[] | undefined> {
  if (await crdPresent(input, ROLLOUTS_CRD)) return undefined;
  return platformAbsent(
    input,
    `No Argo Rollouts controller in the cluster (CRD ${ROLLOUTS_CRD} absent), so a failing canary cannot be driven to abort.`,
    [{ type: 'observation', what: `CustomResourceDefinition ${ROLLOUTS_CRD}`, observed: 'absent (404)' }],
  );
}
