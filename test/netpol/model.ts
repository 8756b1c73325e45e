// The test model, shaped like upstream's (kubernetes test/e2e/network/netpol: model.go, reachability.go,
// truthtable.go): a Model declares namespaces × pods, each pod serving every port on every protocol with
// named ports `serve-<port>-<proto>`; a Reachability is the expected truth table, filled with ExpectPeer-style
// helpers. Expected and observed are the same type (ReachabilityMatrix); a mismatch prints both and the diff.
import type { V1LabelSelector, V1NetworkPolicy, V1NetworkPolicyEgressRule, V1NetworkPolicyPeer, V1NetworkPolicyPort, V1Pod } from '@kubernetes/client-node';
import { computeAllPairs } from '../../harness/netpol/allPairs.ts';
import { podEndpoints } from '../../harness/netpol/endpoints.ts';
import { NetworkPolicyEngine } from '../../harness/netpol/engine.ts';
import { renderTruthTable } from '../../harness/netpol/matrix.ts';
import type { Protocol, ReachabilityMatrix } from '../../harness/model/reachability.ts';
import { emptyState, type ClusterState } from '../../harness/model/state.ts';

export const NS_INDEX: Record<string, number> = { x: 1, y: 2, z: 3 };

export interface ModelOptions {
  ports?: number[];
  protocols?: Protocol[];
  /** Extra pod labels by "ns/pod" (upstream AddPodLabels). */
  podLabels?: Record<string, Record<string, string>>;
  /** Extra namespace labels (upstream AddNamespaceLabel). */
  namespaceLabels?: Record<string, Record<string, string>>;
  /** Set kubernetes.io/metadata.name on namespaces, as the apiserver does; off to prove the engine adds it. */
  metadataNameLabel?: boolean;
  hostNetwork?: string[];
}

export class Model {
  readonly pods: string[];
  readonly options: ModelOptions;
  constructor(pods: string[], options: ModelOptions = {}) {
    this.pods = [...pods].sort();
    this.options = options;
  }

  /** Pod IPs are 10.0.<ns>.<pod> (x=1, a=1) and fd00::<ns>:<pod>, so CIDR cases can compute blocks. */
  ip(pod: string, family: 4 | 6 = 4): string {
    const [ns, name] = pod.split('/') as [string, string];
    const n = NS_INDEX[ns] ?? 9;
    const p = name.charCodeAt(0) - 96;
    return family === 4 ? `10.0.${n}.${p}` : `fd00::${n}:${p}`;
  }

  state(policies: V1NetworkPolicy[]): ClusterState {
    const { ports = [80, 81], protocols = ['TCP', 'UDP', 'SCTP'] } = this.options;
    const state = emptyState({ type: 'files', inputs: [], collectedAt: '2026-01-01T00:00:00Z' });
    const namespaces = [...new Set(this.pods.map((p) => p.split('/')[0] as string))];
    state.kubernetes.namespaces = namespaces.map((ns) => ({
      metadata: {
        name: ns,
        labels: { ns, ...(this.options.metadataNameLabel ? { 'kubernetes.io/metadata.name': ns } : {}), ...(this.options.namespaceLabels?.[ns] ?? {}) },
      },
    }));
    state.kubernetes.pods = this.pods.map((id): V1Pod => {
      const [ns, name] = id.split('/') as [string, string];
      return {
        metadata: { namespace: ns, name, labels: { pod: name, ...(this.options.podLabels?.[id] ?? {}) } },
        spec: {
          hostNetwork: this.options.hostNetwork?.includes(id) ?? false,
          containers: ports.flatMap((port) =>
            protocols.map((protocol) => ({ name: `cont-${port}-${protocol.toLowerCase()}`, ports: [{ containerPort: port, name: `serve-${port}-${protocol.toLowerCase()}`, protocol }] })),
          ),
        },
        status: { podIP: this.ip(id), podIPs: [{ ip: this.ip(id) }, { ip: this.ip(id, 6) }] },
      };
    });
    state.kubernetes.networkPolicies = policies;
    return state;
  }
}

export interface Peer {
  namespace?: string;
  pod?: string;
}

/** Expected truth table; `true` is allowed. */
export class Reachability {
  private readonly cells = new Map<string, boolean>();
  readonly pods: string[];
  constructor(pods: string[], defaultExpectation: boolean) {
    this.pods = [...pods].sort();
    for (const a of pods) for (const b of pods) this.cells.set(`${a}>${b}`, defaultExpectation);
  }
  expect(from: string, to: string, ok: boolean): this {
    this.cells.set(`${from}>${to}`, ok);
    return this;
  }
  expectPeer(from: Peer, to: Peer, ok: boolean): this {
    const matches = (peer: Peer, pod: string) => {
      const [ns, name] = pod.split('/');
      return (peer.namespace === undefined || peer.namespace === ns) && (peer.pod === undefined || peer.pod === name);
    };
    for (const a of this.pods) for (const b of this.pods) if (matches(from, a) && matches(to, b)) this.expect(a, b, ok);
    return this;
  }
  expectAllIngress(pod: string, ok: boolean): this {
    for (const a of this.pods) this.expect(a, pod, ok);
    return this;
  }
  expectAllEgress(pod: string, ok: boolean): this {
    for (const b of this.pods) this.expect(pod, b, ok);
    return this;
  }
  matrix(port: number, protocol: Protocol): ReachabilityMatrix {
    return { port, protocol, pods: this.pods, allowed: this.pods.map((a) => this.pods.map((b) => this.cells.get(`${a}>${b}`) ?? false)) };
  }
}

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
      if (direct !== pairs.allowed(i, j, 0)) throw new Error(`all-pairs disagrees with evaluate for ${a.id} -> ${b.id} on ${port}/${protocol}`);
      return direct;
    }),
  );
  const count = allowed.flat().filter(Boolean).length;
  if (pairs.countAllowed(0) !== count) throw new Error(`all-pairs counts ${pairs.countAllowed(0)} allowed pairs on ${port}/${protocol}, evaluate ${count}`);
  return { port, protocol, pods: pods.map((p) => p.id), allowed };
}

/** Throws with expected, observed and diff tables (upstream's ValidateOrFail output) when they differ. */
export function validateOrFail(state: ClusterState, expected: Reachability, port: number, protocol: Protocol): void {
  const want = expected.matrix(port, protocol);
  const got = observe(state, port, protocol);
  const wrong: string[] = [];
  const diff: ReachabilityMatrix = { ...want, allowed: want.allowed.map((row, i) => row.map((ok, j) => {
    const same = ok === got.allowed[i]?.[j];
    if (!same) wrong.push(`${want.pods[i]} -> ${want.pods[j]}: expected ${ok ? 'allowed' : 'blocked'}`);
    return same;
  })) };
  if (wrong.length === 0) return;
  throw new Error(
    [`reachability mismatch on ${port}/${protocol} (${wrong.length} cells):`, ...wrong.map((w) => `  ${w}`),
      'expected:', renderTruthTable(want), 'observed:', renderTruthTable(got), 'diff (X = mismatch):', renderTruthTable(diff)].join('\n'),
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
    spec: { podSelector, policyTypes, ...(parts.ingress ? { ingress: parts.ingress } : {}), ...(parts.egress ? { egress: parts.egress } : {}) },
  } as V1NetworkPolicy;
}

export const podLabel = (pod: string): V1LabelSelector => ({ matchLabels: { pod } });
export const nsName = (ns: string): V1LabelSelector => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
