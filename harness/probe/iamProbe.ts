// iam-pod-isolation / iam-node-role-inheritance [probe]: a pod must not obtain node-role or other tenants'
// credentials; needs AWS nodes (IMDS, STS). Decided from the collected nodes alone: on other nodes the layer is
// not-applicable naming their providerID scheme, and no instance metadata address is ever contacted.
import type { Evidence } from '../model/findings.ts';
import type { LiveCheck } from '../model/liveCheck.ts';
import { platformAbsent } from './platformAbsent.ts';

export const iamProbe: LiveCheck = async (input) => {
  const providers = [...new Set(input.state.kubernetes.nodes.map((n) => (n.spec?.providerID ?? '').split('://')[0] || '(none)'))];
  const evidence: Evidence[] = [{ type: 'observation', what: 'node providerID schemes', observed: providers }];
  if (!providers.includes('aws')) {
    return platformAbsent(
      input,
      `IAM probes need AWS nodes (instance metadata service, STS); this cluster's nodes have providerID ${providers.join(', ')}, not aws://.`,
      evidence,
    );
  }
  return platformAbsent(
    input,
    'The nodes run on AWS, but the in-pod IAM probes are not implemented in this version; the config layer judges trust policies and IMDS options.',
    evidence,
  );
};
