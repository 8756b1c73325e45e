// The static twin of the node-role probe: may a pod of each tenant namespace reach the instance metadata service?
// Asked of the NetworkPolicy engine for an unlabelled pod of the namespace, egress to 169.254.169.254:80/TCP, the
// same question the probe then asks the cluster (harness/probe/iam/nodeRoleProbe.ts). A node firewall rule below
// NetworkPolicy is invisible here, so "allowed" means "allowed as far as NetworkPolicy goes".
import { InputError } from '../../errors.ts';
import { IMDS_ADDRESS } from '../../model/awsIdentity.ts';
import type { IamTenant } from '../../model/spec.ts';
import type { ClusterState } from '../../model/state.ts';
import { externalEndpoint, namespaceLabels, syntheticPod } from '../../netpol/endpoints.ts';
import { NetworkPolicyEngine } from '../../netpol/engine.ts';

export type ImdsReach =
  | { namespace: string; reachable: false; policies: string[] }
  | { namespace: string; reachable: true; why: string }
  | { namespace: string; reachable: undefined; why: string };

export function tenantImdsReachability(state: ClusterState, tenants: readonly IamTenant[]): ImdsReach[] {
  return [...new Set(tenants.map((t) => t.namespace))].sort().map((namespace) => imdsReach(state, namespace));
}

/** Egress to 169.254.169.254:80/TCP from a pod of `namespace` with `labels` (default: an unlabelled pod). */
export function imdsReach(
  state: ClusterState,
  namespace: string,
  pod: { name: string; labels: Record<string, string> } = { name: 'any-pod', labels: {} },
): ImdsReach {
  let engine: NetworkPolicyEngine;
  try {
    engine = NetworkPolicyEngine.fromState(state); // compiled once per state (the engine caches it)
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return {
      namespace,
      reachable: undefined,
      why: `NetworkPolicies could not be compiled (${error.problems.length} problem(s); netpol-default-deny lists them)`,
    };
  }
  const ns = state.kubernetes.namespaces.find((n) => n.metadata?.name === namespace);
  const decision = engine.decideEgress(
    syntheticPod(namespace, pod.name, pod.labels, namespaceLabels(ns, namespace)),
    externalEndpoint(IMDS_ADDRESS),
    80,
    'TCP',
  );
  if (decision.kind === 'denied') return { namespace, reachable: false, policies: decision.policies };
  const why =
    decision.kind === 'allowed'
      ? `allowed by NetworkPolicy ${decision.policy} egress rule ${decision.rule}`
      : 'no NetworkPolicy selects its pods for egress';
  return { namespace, reachable: true, why };
}
