// Live layers that need something this kind of cluster may not run (an Argo Rollouts controller, an Istio data
// plane, AWS nodes) first look for it and, when absent, say precisely what is missing: `not-applicable`, never
// `pass`. The shared pieces: is a CRD installed, and the not-applicable finding. Only the cluster's own API server
// is asked (never 169.254.169.254).
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { finding } from '../findings/finding.ts';
import { makeApiClient } from '../kubernetes/apiClient.ts';
import { clusterApi } from '../kubernetes/clusterApi.ts';
import type { Evidence, Finding } from '../model/findings.ts';
import type { LiveCheckInput } from '../model/liveCheck.ts';

export async function crdPresent(input: LiveCheckInput, name: string): Promise<boolean> {
  const ext = makeApiClient(clusterApi(input.run).kc, ApiextensionsV1Api);
  try {
    await ext.readCustomResourceDefinition({ name });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return false;
    throw new Error(`cannot read CustomResourceDefinition ${name}`, { cause: error });
  }
}

/** The finding of a live layer whose platform is absent, on its own layer. */
export function platformAbsent(input: LiveCheckInput, message: string, evidence: Evidence[]): Finding[] {
  const layer = input.control.layers.includes('chaos') ? 'chaos' : 'probe';
  return [finding({ controlId: input.control.id, layer, result: 'not-applicable', message, evidence })];
}
