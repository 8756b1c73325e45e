// What `clusterproof reachability` asks: verdicts from a set of pods to a set of pods, on given ports or, when
// none are given, on each destination's declared container ports. One all-pairs over the union of both sets
// answers every pair; this file only decides which (from, to, port) cells are asked.
import type { PortProtocol, ReachabilityVerdict } from '../model/reachability.ts';
import type { ClusterState } from '../model/state.ts';
import { computeAllPairs, type AllPairs } from './allPairs.ts';
import { podEndpoints, podRanges, type PodEndpoint } from './endpoints.ts';
import { NetworkPolicyEngine } from './engine.ts';

export interface ReachabilityQuery {
  readonly engine: NetworkPolicyEngine;
  /** All-pairs over the pods that are a source or a destination (or both). */
  readonly pairs: AllPairs;
  /** Indices into `pairs.pods`, in pod order. */
  readonly from: readonly number[];
  readonly to: readonly number[];
  /** Per pod index: the indices into `pairs.ports` asked when it is the destination. */
  readonly portsOf: readonly (readonly number[])[];
  /** Ports omitted: destinations that declare no container port (and so get no verdicts). */
  readonly undeclared: readonly string[];
  /** How many verdicts the query holds: |from| × Σ over destinations of their ports. */
  readonly size: number;
}

export interface QueryOptions {
  /** Omitted: each destination's declared container ports (with their protocols). */
  ports?: readonly PortProtocol[];
  from?: (pod: PodEndpoint) => boolean;
  to?: (pod: PodEndpoint) => boolean;
}

export function queryReachability(state: ClusterState, options: QueryOptions = {}): ReachabilityQuery {
  const all = podEndpoints(state);
  const isFrom = all.map((p) => options.from?.(p) ?? true);
  const isTo = all.map((p) => options.to?.(p) ?? true);
  const kept = all.filter((_, i) => isFrom[i] || isTo[i]);
  const keptFrom = all.flatMap((_, i) => (isFrom[i] || isTo[i] ? [isFrom[i] as boolean] : []));
  const keptTo = all.flatMap((_, i) => (isFrom[i] || isTo[i] ? [isTo[i] as boolean] : []));
  const from: number[] = [];
  const to: number[] = [];
  keptFrom.forEach((yes, i) => yes && from.push(i));
  keptTo.forEach((yes, i) => yes && to.push(i));
  const ports = options.ports ?? declaredPorts(to.map((i) => kept[i] as PodEndpoint));
  const index = new Map(ports.map((p, i) => [portKey(p), i]));
  const everyPort = ports.map((_, i) => i);
  const portsOf = kept.map((p) => (options.ports ? everyPort : uniqueIndices(p, index)));
  const undeclared = options.ports ? [] : to.filter((i) => (portsOf[i] as number[]).length === 0).map((i) => (kept[i] as PodEndpoint).id);
  const engine = NetworkPolicyEngine.fromState(state);
  const size = from.length * to.reduce((n, j) => n + (portsOf[j] as number[]).length, 0);
  return { engine, pairs: computeAllPairs(engine, kept, ports, podRanges(state)), from, to, portsOf, undeclared, size };
}

/** Every asked verdict: per port, rows `from` in order, columns `to` that are asked on that port. */
export function* queryVerdicts(q: ReachabilityQuery): Generator<ReachabilityVerdict> {
  for (let pi = 0; pi < q.pairs.ports.length; pi++) {
    const columns = q.to.filter((j) => (q.portsOf[j] as number[]).includes(pi));
    for (const i of q.from) for (const j of columns) yield q.pairs.verdict(i, j, pi);
  }
}

function declaredPorts(destinations: readonly PodEndpoint[]): PortProtocol[] {
  const seen = new Map<string, PortProtocol>();
  for (const d of destinations) for (const c of d.containerPorts) seen.set(portKey(c), { port: c.port, protocol: c.protocol });
  return [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

function uniqueIndices(pod: PodEndpoint, index: ReadonlyMap<string, number>): number[] {
  const out = new Set<number>();
  for (const c of pod.containerPorts) {
    const i = index.get(portKey(c));
    if (i !== undefined) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

function portKey(p: { port: number; protocol: string }): string {
  return `${p.port}/${p.protocol}`;
}
