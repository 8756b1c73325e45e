// The reachability model, shaped like upstream's (kubernetes test/e2e/network/netpol: model.go, reachability.go,
// truthtable.go): a Model declares namespaces × pods, each pod serving every port on every protocol with named
// ports `serve-<port>-<proto>`; a Reachability is a truth table filled with ExpectPeer-style helpers. Expected
// and observed are the same type: the engine tests, the default-deny probe and the live tests all use it.
import type { Protocol, ReachabilityMatrix } from './reachability.ts';
import { emptyState, type ClusterState } from './state.ts';
import type { V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';

const NS_INDEX: Record<string, number> = { x: 1, y: 2, z: 3 };

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
        labels: {
          ns,
          ...(this.options.metadataNameLabel ? { 'kubernetes.io/metadata.name': ns } : {}),
          ...(this.options.namespaceLabels?.[ns] ?? {}),
        },
      },
    }));
    state.kubernetes.pods = this.pods.map((id): V1Pod => {
      const [ns, name] = id.split('/') as [string, string];
      return {
        metadata: { namespace: ns, name, labels: { pod: name, ...(this.options.podLabels?.[id] ?? {}) } },
        spec: {
          hostNetwork: this.options.hostNetwork?.includes(id) ?? false,
          containers: ports.flatMap((port) =>
            protocols.map((protocol) => ({
              name: `cont-${port}-${protocol.toLowerCase()}`,
              ports: [{ containerPort: port, name: `serve-${port}-${protocol.toLowerCase()}`, protocol }],
            })),
          ),
        },
        status: { podIP: this.ip(id), podIPs: [{ ip: this.ip(id) }, { ip: this.ip(id, 6) }] },
      };
    });
    state.kubernetes.networkPolicies = policies;
    return state;
  }
}

interface Peer {
  namespace?: string;
  pod?: string;
}

/**
 * A truth table over `pods` (in the order given) for one port: `true` allowed, `false` blocked, `null` not known
 * (an observation not made). The same type holds what is expected and what a probe observed.
 */
export class Reachability {
  private readonly cells = new Map<string, boolean | null>();
  readonly pods: string[];
  constructor(pods: readonly string[], defaultExpectation: boolean | null) {
    this.pods = [...pods];
    for (const a of pods) for (const b of pods) this.cells.set(`${a}>${b}`, defaultExpectation);
  }
  expect(from: string, to: string, ok: boolean | null): this {
    this.cells.set(`${from}>${to}`, ok);
    return this;
  }
  get(from: string, to: string): boolean | null {
    return this.cells.get(`${from}>${to}`) ?? null;
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
  /** As a matrix; cells not known count as blocked. */
  matrix(port: number, protocol: Protocol): ReachabilityMatrix {
    return { port, protocol, pods: this.pods, allowed: this.pods.map((a) => this.pods.map((b) => this.get(a, b) ?? false)) };
  }
  /** The cells as they are, unknown ones null (the `observed` half of a comparison). */
  cellsByRow(): (boolean | null)[][] {
    return this.pods.map((a) => this.pods.map((b) => this.get(a, b)));
  }
}
