// All-pairs reachability at cluster scale. Pods that no policy can tell apart behave identically, so we
// compress them into equivalence classes and decide classes², not pods²:
//  - a pod as SOURCE is characterised by (policies isolating its egress, peers it matches as a source);
//  - a pod as DESTINATION by (policies isolating its ingress + its named ports, peers it matches as a target).
// "Peers it matches" covers namespace labels, pod labels and ipBlock membership of its IPs (podGroups.ts).
// The per-port decision tables (decisionTables.ts) are bitsets over those groups; a pair's answer is two bit
// reads (pairClasses.ts), and its reason (the policy and rule that decided) comes from the engine on demand.
import type { PortProtocol, ReachabilityVerdict } from '../model/reachability.ts';
import { decisionTables } from './decisionTables.ts';
import { addressCaveat } from './addressCaveat.ts';
import type { PodEndpoint } from './endpoints.ts';
import type { AddressRange } from './ipBlocks.ts';
import type { NetworkPolicyEngine } from './engine.ts';
import { PairClasses } from './pairClasses.ts';
import { catalogPeers } from './peerCatalogue.ts';
import { groupPods } from './podGroups.ts';

export interface AllPairs {
  readonly pods: readonly PodEndpoint[];
  readonly ports: readonly PortProtocol[];
  readonly sourceClasses: number;
  readonly destinationClasses: number;
  /** Per pod: its source class and its destination class (pods of one class get the same verdicts). */
  readonly sourceClassOf: Int32Array;
  readonly destinationClassOf: Int32Array;
  allowed(from: number, to: number, portIndex: number): boolean;
  /** Allowed ordered pod pairs (self included) on one port. */
  countAllowed(portIndex: number): number;
  /** The verdict with its reason, computed on demand for one pair. */
  verdict(from: number, to: number, portIndex: number): ReachabilityVerdict;
}

/** `ranges`: the pod address ranges (podRanges), against which ipBlock rules are judged for template workloads. */
export function computeAllPairs(
  engine: NetworkPolicyEngine,
  pods: readonly PodEndpoint[],
  ports: readonly PortProtocol[],
  ranges: readonly AddressRange[] = [],
): AllPairs {
  const catalogue = catalogPeers(engine.policies);
  const groups = groupPods(engine, pods, ports, catalogue);
  const tables = decisionTables(groups, catalogue, ports);
  const classes = new PairClasses(groups, tables);
  return {
    pods,
    ports,
    sourceClasses: classes.source.count,
    destinationClasses: classes.dest.count,
    sourceClassOf: classes.source.of,
    destinationClassOf: classes.dest.of,
    allowed: (from, to, pi) => classes.allowed(tables.egress[pi] as Uint32Array, tables.ingress[pi] as Uint32Array, from, to),
    countAllowed: (pi) => classes.count(tables.egress[pi] as Uint32Array, tables.ingress[pi] as Uint32Array),
    verdict(from, to, pi) {
      const pp = ports[pi] as PortProtocol;
      const a = pods[from] as PodEndpoint;
      const b = pods[to] as PodEndpoint;
      const v = engine.evaluate(a, b, pp.port, pp.protocol);
      const caveat = a.addressKnown && b.addressKnown ? undefined : addressCaveat(engine, a, b, ranges);
      return {
        from: a.id,
        to: b.id,
        port: pp.port,
        protocol: pp.protocol,
        allowed: v.allowed,
        reason: caveat ? `${v.reason}; ${caveat}` : v.reason,
      };
    },
  };
}
