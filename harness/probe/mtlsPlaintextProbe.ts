// mtls-strict [probe]: plaintext to an in-scope pod must be refused; needs an Istio data plane (sidecars or
// ztunnel). Without one the layer is not-applicable and says what is missing; with one, that the probe is not
// implemented yet (the config layer judges PeerAuthentications).
import type { Evidence } from '../model/findings.ts';
import type { LiveCheck } from '../model/liveCheck.ts';
import { crdPresent, platformAbsent } from './platformAbsent.ts';

const CRD = 'peerauthentications.security.istio.io';

export const mtlsPlaintextProbe: LiveCheck = async (input) => {
  const sidecars = input.state.kubernetes.pods.filter(
    (p) => p.spec?.containers?.some((c) => c.name === 'istio-proxy') || p.spec?.initContainers?.some((c) => c.name === 'istio-proxy'),
  );
  const ztunnel = input.state.kubernetes.pods.filter((p) => p.metadata?.labels?.app === 'ztunnel');
  const hasCrd = await crdPresent(input, CRD);
  const evidence: Evidence[] = [
    { type: 'observation', what: `CustomResourceDefinition ${CRD}`, observed: hasCrd ? 'present' : 'absent (404)' },
    {
      type: 'observation',
      what: 'pods with an istio-proxy container / ztunnel pods',
      observed: { sidecars: sidecars.length, ztunnel: ztunnel.length },
    },
  ];
  if (sidecars.length === 0 && ztunnel.length === 0) {
    return platformAbsent(
      input,
      `No Istio data plane in the cluster (${hasCrd ? 'CRDs installed but' : `CRD ${CRD} absent and`} no istio-proxy sidecar or ztunnel pod), so there is no mTLS enforcement to probe.`,
      evidence,
    );
  }
  return platformAbsent(
    input,
    'An Istio data plane is present, but the plaintext-refusal probe is not implemented in this version; the config layer judges PeerAuthentications.',
    evidence,
  );
};
