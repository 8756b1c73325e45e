// The engine tests' side of the reachability model (harness/model/reachabilityModel.ts, imported directly):
// what the engine observes for a Model's state, upstream's ValidateOrFail, and policy builders.
import type {
  V1LabelSelector,
  V1NetworkPolicy,
  V1NetworkPolicyEgressRule,
  V1NetworkPolicyPeer,
  V1NetworkPolicyPort,
} from '@kubernetes/client-node';
import { computeAllPairs } from '../../harness/netpol/allPairs.ts';
import { podEndpoints } from '../../harness/netpol/endpoints.ts';
import { NetworkPolicyEngine } from '../../harness/netpol/engine.ts';
import { renderTruthTable } from '../../harness/netpol/matrix.ts';
import type { Protocol, ReachabilityMatrix } from '../../harness/model/reachability.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import type { Reachability } from '../../harness/model/reachabilityModel.ts';

/**
 * What the engine says, computed twice — through the equivalence-class all-pairs path and pair by pair
 * through `evaluate` — so the compression (its cells and its count) can never silently disagree with the
 * plain semantics.
 */
export function observe(state: ClusterState, port: number, protocol: Protocol): ReachabilityMatrix {
  const engine = NetworkPolicyEngine.fromState(state);
  const pods = podEndpoints(state);
  const pairs = computeAllPairs(engine, pods, [{ port, protocol }]);
  const allowed = pods.map((a, i) =>
    pods.map((b, j) => {
      const direct = engine.evaluate(a, b, port, protocol).allowed;
      if (direct !== pairs.allowed(i, j, 0))
        throw new Error(`all-pairs disagrees with evaluate for ${a.id} -> ${b.id} on ${port}/${protocol}`);
      return direct;
    }),
  );
  const count = allowed.flat().filter(Boolean).length;
  if (pairs.countAllowed(0) !== count)
    throw new Error(`all-pairs counts ${pairs.countAllowed(0)} allowed pairs on ${port}/${protocol}, evaluate ${count}`);
  return { port, protocol, pods: pods.map((p) => p.id), allowed };
}

/** Throws with expected, observed and diff tables (upstream's ValidateOrFail output) when they differ. */
export function validateOrFail(state: ClusterState, expected: Reachability, port: number, protocol: Protocol): void {
  const want = expected.matrix(port, protocol);
  const got = observe(state, port, protocol);
  const wrong: string[] = [];
  const diff: ReachabilityMatrix = {
    ...want,
    allowed: want.allowed.map((row, i) =>
      row.map((ok, j) => {
        const same = ok === got.allowed[i]?.[j];
        if (!same) wrong.push(`${want.pods[i]} -> ${want.pods[j]}: expected ${ok ? 'allowed' : 'blocked'}`);
        return same;
      }),
    ),
  };
  if (wrong.length === 0) return;
  throw new Error(
    [
      `reachability mismatch on ${port}/${protocol} (${wrong.length} cells):`,
      ...wrong.map((w) => `  ${w}`),
      'expected:',
      renderTruthTable(want),
      'observed:',
      renderTruthTable(got),
      'diff (X = mismatch):',
      renderTruthTable(diff),
    ].join('\n'),
  );
}

// ---- policy builders, like upstream's GenNetworkPolicyWithNameAndPodSelector + SetSpec{Ingress,Egress}Rules ----

/** The wire shape (`from`), as YAML and `kubectl get -o yaml` have it; client-node's class calls it `_from`. */
export interface IngressRule {
  from?: V1NetworkPolicyPeer[];
  ports?: V1NetworkPolicyPort[];
}

export interface PolicyParts {
  ingress?: IngressRule[];
  egress?: V1NetworkPolicyEgressRule[];
}

/** policyTypes lists exactly the directions given, as upstream's SetSpecIngressRules/SetSpecEgressRules do. */
export function netpol(namespace: string, name: string, podSelector: V1LabelSelector, parts: PolicyParts): V1NetworkPolicy {
  const policyTypes = [...(parts.ingress ? ['Ingress'] : []), ...(parts.egress ? ['Egress'] : [])];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { namespace, name },
    spec: {
      podSelector,
      policyTypes,
      ...(parts.ingress ? { ingress: parts.ingress } : {}),
      ...(parts.egress ? { egress: parts.egress } : {}),
    },
  } as V1NetworkPolicy;
}

export const podLabel = (pod: string): V1LabelSelector => ({ matchLabels: { pod } });
export const nsName = (ns: string): V1LabelSelector => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
