// The NetworkPolicy engine: answers "may `from` reach `to` on port/protocol?" with the reason.
// Traffic must pass egress at the source AND ingress at the destination; each side is isolated only when
// some policy selects the pod for that direction, and then a single matching rule of any such policy
// (union of policies) allows it. Pure: no I/O, no clock.
import type { Protocol } from '../model/reachability.ts';
import type { ClusterState } from '../model/state.ts';
import {
  compilePolicies,
  peerMatchesIp,
  peerMatchesPod,
  portMatches,
  selectsPod,
  type CompiledPeer,
  type CompiledPolicy,
  type CompiledPort,
  type CompiledRule,
} from './compile.ts';
import type { Endpoint, PodEndpoint } from './endpoints.ts';
import { LabelProjection } from './labelProjection.ts';

export type Direction = 'ingress' | 'egress';

type DirectionDecision =
  | { kind: 'not-isolated' }
  | { kind: 'allowed'; policy: string; rule: number }
  | { kind: 'denied'; policies: string[] }
  /** NetworkPolicy does not govern this side: a hostNetwork pod, or an address outside the cluster. */
  | { kind: 'out-of-scope'; why: 'host-network' | 'external' };

interface TrafficVerdict {
  allowed: boolean;
  reason: string;
  egress: DirectionDecision;
  ingress: DirectionDecision;
}

/** Compiled engines by the policy array they were compiled from (weak: dropped with the state). */
const compiled = new WeakMap<object, { length: number; engine: NetworkPolicyEngine }>();

export class NetworkPolicyEngine {
  readonly policies: readonly CompiledPolicy[];
  /** What the policies' own podSelectors read of a pod's labels: pods equal under it are selected alike. */
  readonly targetLabels: LabelProjection;
  private readonly byNamespace = new Map<string, CompiledPolicy[]>();

  constructor(policies: readonly CompiledPolicy[]) {
    this.policies = policies;
    this.targetLabels = new LabelProjection(policies.flatMap((p) => p.podSelector.keys));
    for (const p of policies) {
      const list = this.byNamespace.get(p.namespace);
      if (list) list.push(p);
      else this.byNamespace.set(p.namespace, [p]);
    }
  }

  /**
   * Throws InputError naming every invalid policy. Compiled once per state: a scan asks from several places
   * (default-deny, all-pairs, reports), and collected state is not changed after collection.
   */
  static fromState(state: ClusterState): NetworkPolicyEngine {
    const policies = state.kubernetes.networkPolicies;
    const hit = compiled.get(policies);
    // Same array and same length: a push or a new array recompiles. Invalid policies are not cached (rare, and
    // their errors name files from `origins`, which may still be filled in).
    if (hit && hit.length === policies.length) return hit.engine;
    const engine = new NetworkPolicyEngine(compilePolicies(state));
    compiled.set(policies, { length: policies.length, engine });
    return engine;
  }

  /** The policies of one namespace, in input order. */
  inNamespace(namespace: string): readonly CompiledPolicy[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  /** The policies that select `pod` for `direction` (isolation), in input order. */
  selecting(pod: PodEndpoint, direction: Direction): CompiledPolicy[] {
    return (this.byNamespace.get(pod.namespace) ?? []).filter((p) => p[direction] !== undefined && selectsPod(p, pod));
  }

  evaluate(from: Endpoint, to: Endpoint, port: number, protocol: Protocol): TrafficVerdict {
    const egress = this.decideEgress(from, to, port, protocol);
    const ingress = this.decideIngress(from, to, port, protocol);
    const allowed = egress.kind !== 'denied' && ingress.kind !== 'denied';
    return { allowed, egress, ingress, reason: explain(from, to, port, protocol, egress, ingress) };
  }

  /** `selecting`, when given, is `this.selecting(from, 'egress')` computed once by a caller asking many questions. */
  decideEgress(from: Endpoint, to: Endpoint, port: number, protocol: Protocol, selecting?: CompiledPolicy[]): DirectionDecision {
    if (from.kind === 'external') return { kind: 'out-of-scope', why: 'external' };
    if (from.hostNetwork) return { kind: 'out-of-scope', why: 'host-network' };
    return decide(selecting ?? this.selecting(from, 'egress'), 'egress', to, port, protocol, to.kind === 'pod' ? to : undefined);
  }

  /** `selecting`, when given, is `this.selecting(to, 'ingress')` computed once by a caller asking many questions. */
  decideIngress(from: Endpoint, to: Endpoint, port: number, protocol: Protocol, selecting?: CompiledPolicy[]): DirectionDecision {
    if (to.kind === 'external') return { kind: 'out-of-scope', why: 'external' };
    if (to.hostNetwork) return { kind: 'out-of-scope', why: 'host-network' };
    return decide(selecting ?? this.selecting(to, 'ingress'), 'ingress', from, port, protocol, to);
  }
}

export type Allowed = Extract<DirectionDecision, { kind: 'allowed' }>;

/**
 * The rule of `policies` (in order, then its rules in order) that lets `peer` through on port/protocol, for
 * the side `direction` of `destination`'s traffic: the union of policies. undefined when none does. Allocates
 * only an answer, so callers asking many questions (default-deny probes) can use it directly.
 */
export function allowingRule(
  policies: readonly CompiledPolicy[],
  direction: Direction,
  peer: Endpoint,
  port: number,
  protocol: Protocol,
  destination: PodEndpoint | undefined,
): Allowed | undefined {
  // Indexed loops: default-deny asks this thousands of times, mostly before V8 has optimised it.
  for (let i = 0; i < policies.length; i++) {
    const policy = policies[i] as CompiledPolicy;
    const rules = policy[direction];
    if (rules === undefined) continue;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r] as CompiledRule;
      if (portOk(rule, port, protocol, destination) && peerOk(rule, peer)) return { kind: 'allowed', policy: policy.id, rule: rule.index };
    }
  }
  return undefined;
}

function portOk(rule: CompiledRule, port: number, protocol: Protocol, destination: PodEndpoint | undefined): boolean {
  const ports = rule.ports;
  if (ports === undefined) return true;
  for (let k = 0; k < ports.length; k++) if (portMatches(ports[k] as CompiledPort, port, protocol, destination)) return true;
  return false;
}

function peerOk(rule: CompiledRule, peer: Endpoint): boolean {
  const peers = rule.peers;
  if (peers === undefined) return true;
  for (let k = 0; k < peers.length; k++) {
    const p = peers[k] as CompiledPeer;
    if (peer.kind === 'pod' ? peerMatchesPod(p, peer) : peerMatchesIp(p, peer.ip)) return true;
  }
  return false;
}

function decide(
  policies: CompiledPolicy[],
  direction: Direction,
  peer: Endpoint,
  port: number,
  protocol: Protocol,
  destination: PodEndpoint | undefined,
): DirectionDecision {
  if (policies.length === 0) return { kind: 'not-isolated' };
  return allowingRule(policies, direction, peer, port, protocol, destination) ?? { kind: 'denied', policies: policies.map((p) => p.id) };
}

/** One sentence per side, e.g. "x/a is isolated for ingress by policies [x/deny-all] and no rule allows y/b on 80/TCP". */
export function explain(
  from: Endpoint,
  to: Endpoint,
  port: number,
  protocol: Protocol,
  egress: DirectionDecision,
  ingress: DirectionDecision,
): string {
  const what = `${port}/${protocol}`;
  const side = (d: DirectionDecision, direction: Direction): string => {
    const self = direction === 'egress' ? from : to;
    const other = direction === 'egress' ? `traffic to ${to.id}` : `${from.id}`;
    switch (d.kind) {
      case 'not-isolated':
        return `${self.id} is not isolated for ${direction} (no policy selects it for ${direction === 'egress' ? 'Egress' : 'Ingress'})`;
      case 'allowed':
        return `${direction} allowed by ${d.policy} ${direction} rule ${d.rule}`;
      case 'denied':
        return `${self.id} is isolated for ${direction} by policies [${d.policies.join(', ')}] and no rule allows ${other} on ${what}`;
      case 'out-of-scope':
        return d.why === 'external'
          ? `${self.id} is outside the cluster (no NetworkPolicy applies to its ${direction})`
          : `${self.id} uses hostNetwork: NetworkPolicy does not apply to it (out of scope for ${direction})`;
    }
  };
  const denied = [egress, ingress].some((d) => d.kind === 'denied');
  return `${denied ? 'blocked' : 'allowed'}: ${side(egress, 'egress')}; ${side(ingress, 'ingress')}`;
}
