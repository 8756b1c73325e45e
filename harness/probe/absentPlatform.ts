// Live layers that need something this kind of cluster may not run: an Argo Rollouts controller (canary abort
// drill, harness/chaos/canaryAbortDrill.ts, asks here first), an Istio data plane (plaintext-refusal probe), AWS
// nodes with an instance metadata service (IAM probes). Each check first looks for what it needs and, when absent,
// says precisely what is missing: `not-applicable`, never `pass`. Where the platform IS present but the probe is
// not implemented yet (mTLS, IAM), that is said just as plainly.
// None of these sends traffic anywhere but the cluster's own API server (never 169.254.169.254).
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { finding } from '../findings/finding.ts';
import type { Evidence, Finding } from '../model/findings.ts';
import type { LiveCheck, LiveCheckInput } from '../model/liveCheck.ts';
import { clusterApi } from '../kubernetes/clusterApi.ts';
import { makeApiClient } from '../kubernetes/apiClient.ts';

async function crdPresent(input: LiveCheckInput, name: string): Promise<boolean> {
  const ext = makeApiClient(clusterApi(input.run).kc, ApiextensionsV1Api);
  try {
    await ext.readCustomResourceDefinition({ name });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return false;
    throw new Error(`cannot read CustomResourceDefinition ${name}`, { cause: error });
  }
}

function notApplicable(input: LiveCheckInput, message: string, evidence: Evidence[]): Finding[] {
  const layer = input.control.layers.includes('chaos') ? 'chaos' : 'probe';
  return [finding({ controlId: input.control.id, layer, result: 'not-applicable', message, evidence })];
}

export const ROLLOUTS_CRD = 'rollouts.argoproj.io';

/** canary-auto-rollback [chaos]: the not-applicable finding when the cluster has no Argo Rollouts (CRD absent), else undefined. */
export async function rolloutsAbsent(input: LiveCheckInput): Promise<Finding[] | undefined> {
  if (await crdPresent(input, ROLLOUTS_CRD)) return undefined;
  return notApplicable(input, `No Argo Rollouts controller in the cluster (CRD ${ROLLOUTS_CRD} absent), so a failing canary cannot be driven to abort.`, [{ type: 'observation', what: `CustomResourceDefinition ${ROLLOUTS_CRD}`, observed: 'absent (404)' }]);
}

/** mtls-strict [probe]: plaintext to an in-scope pod must be refused; needs an Istio data plane (sidecars or ztunnel). */
export const mtlsPlaintextProbe: LiveCheck = async (input) => {
  const crd = 'peerauthentications.security.istio.io';
  const sidecars = input.state.kubernetes.pods.filter((p) => p.spec?.containers?.some((c) => c.name === 'istio-proxy') || p.spec?.initContainers?.some((c) => c.name === 'istio-proxy'));
  const ztunnel = input.state.kubernetes.pods.filter((p) => p.metadata?.labels?.app === 'ztunnel');
  const hasCrd = await crdPresent(input, crd);
  const evidence: Evidence[] = [
    { type: 'observation', what: `CustomResourceDefinition ${crd}`, observed: hasCrd ? 'present' : 'absent (404)' },
    { type: 'observation', what: 'pods with an istio-proxy container / ztunnel pods', observed: { sidecars: sidecars.length, ztunnel: ztunnel.length } },
  ];
  if (sidecars.length === 0 && ztunnel.length === 0) {
    return notApplicable(input, `No Istio data plane in the cluster (${hasCrd ? 'CRDs installed but' : `CRD ${crd} absent and`} no istio-proxy sidecar or ztunnel pod), so there is no mTLS enforcement to probe.`, evidence);
  }
  return notApplicable(input, 'An Istio data plane is present, but the plaintext-refusal probe is not implemented in this version; the config layer judges PeerAuthentications.', evidence);
};

/** iam-* [probe]: a pod must not obtain node-role or other tenants' credentials; needs AWS nodes (IMDS, STS). */
export const iamProbe: LiveCheck = async (input) => {
  const providers = [...new Set(input.state.kubernetes.nodes.map((n) => (n.spec?.providerID ?? '').split('://')[0] || '(none)'))];
  const evidence: Evidence[] = [{ type: 'observation', what: 'node providerID schemes', observed: providers }];
  if (!providers.includes('aws')) {
    return notApplicable(input, `IAM probes need AWS nodes (instance metadata service, STS); this cluster's nodes have providerID ${providers.join(', ')}, not aws://.`, evidence);
  }
  return notApplicable(input, 'The nodes run on AWS, but the in-pod IAM probes are not implemented in this version; the config layer judges trust policies and IMDS options.', evidence);
};
