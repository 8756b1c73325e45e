// The rule table of cidr-non-overlapping: which overlaps between two kinds of range are by design (MAY_CONTAIN,
// SAME_NETWORK_KINDS, a peer naming a peered VPC, the spec describing an object) and which are conflicts
// (everything else, each reason in conflictWhy). Kept apart from the evaluator so the table reads as data;
// test/cidr/cidrNonOverlapping.test.ts walks it case by case.
//
// Only ranges that can meet on a route are compared (see `connected`): state VPCs/subnets are compared with
// ranges of their own VPC or a directly peered VPC (peering is not transitive); cluster-wide ranges (spec,
// pods, services, nodes) meet the cluster's VPCs (the EKS cluster's VPC and its peers, or every VPC when no
// EKS cluster names one).
import type { NamedRange, RangeKind } from './gatherRanges.ts';
import type { Relation } from './relation.ts';

/**
 * Nesting that is by design (outer kind → inner kinds): subnets carve their own VPC; nodes live in subnets and the
 * VPC CNI gives pods VPC addresses (only in the cluster's own VPC, never in a peer's); each node's podCIDR is a
 * slice of the cluster pod range.
 */
const MAY_CONTAIN: Record<RangeKind, readonly RangeKind[]> = {
  vpc: ['subnet', 'node', 'pod', 'node-pods'],
  subnet: ['node', 'pod', 'node-pods'],
  node: [],
  pod: ['node-pods'],
  'node-pods': [],
  service: [],
  peer: [],
};

/**
 * Kinds that are cluster-wide settings: the spec, kubeadm, kube-proxy and EKS describe the same network at
 * different granularity, so declarations that are nested or equal agree.
 */
const SAME_NETWORK_KINDS: readonly RangeKind[] = ['pod', 'service', 'node'];

interface Judgement {
  ok: boolean;
  /** Stable rule id for evidence, e.g. `subnet-inside-vpc`, `pod-vs-service`. */
  rule: string;
  why: string;
}

/** Judges two overlapping ranges; `relation` is a's relation to b and never `disjoint` here. */
export function judge(a: NamedRange, b: NamedRange, relation: Exclude<Relation, 'disjoint'>): Judgement {
  if (a.kind === b.kind) return judgeSameKind(a, b, relation);
  const nested = relation === 'equal' || relation === 'contains' || relation === 'within';
  const [outer, inner] = relation === 'within' ? [b, a] : [a, b];
  if (nested && outer.kind === 'peer' && (inner.kind === 'vpc' || inner.kind === 'subnet') && !inner.home) {
    return {
      ok: true,
      rule: 'peered-network-named-as-peer',
      why: `the peer range covers ${inner.name}, a VPC outside the cluster reached by peering`,
    };
  }
  if (nested && mayContain(outer, inner)) {
    return { ok: true, rule: `${inner.kind}-inside-${outer.kind}`, why: `a ${inner.kind} range inside a ${outer.kind} range is by design` };
  }
  if (relation === 'equal' && mayContain(inner, outer)) {
    return {
      ok: true,
      rule: `${outer.kind}-inside-${inner.kind}`,
      why: `a ${outer.kind} range equal to a ${inner.kind} range is by design`,
    };
  }
  const [first, second] = [a.kind, b.kind].sort();
  return { ok: false, rule: `${first}-vs-${second}`, why: conflictWhy(a.kind, b.kind) };
}

function mayContain(outer: NamedRange, inner: NamedRange): boolean {
  if (!MAY_CONTAIN[outer.kind].includes(inner.kind)) return false;
  if (inner.kind === 'subnet') return outer.vpcId === undefined || inner.vpcId === undefined || outer.vpcId === inner.vpcId;
  return outer.home;
}

function judgeSameKind(a: NamedRange, b: NamedRange, relation: Exclude<Relation, 'disjoint'>): Judgement {
  const kind = a.kind;
  if (a.identity === b.identity) return { ok: true, rule: `same-${kind}`, why: 'both ranges belong to the same object' };
  if (SAME_NETWORK_KINDS.includes(kind) && relation !== 'overlap') {
    return { ok: true, rule: `${kind}-declarations-agree`, why: `several declarations of the ${kind} network, equal or nested` };
  }
  if ((kind === 'vpc' || kind === 'subnet') && relation === 'equal' && (a.origin === 'spec' || b.origin === 'spec')) {
    return { ok: true, rule: `${kind}-declared-in-spec`, why: `the spec describes this ${kind}` };
  }
  return { ok: false, rule: `${kind}-vs-${kind}`, why: conflictWhy(kind, kind) };
}

function conflictWhy(a: RangeKind, b: RangeKind): string {
  if (a === 'service' || b === 'service')
    return 'service virtual IPs are intercepted by kube-proxy, so any other network using them becomes unreachable';
  if (a === 'peer' || b === 'peer') return 'traffic to the peer network would be routed locally or ambiguously';
  if (a === 'node-pods' && b === 'node-pods') return 'two nodes would hand out the same pod IPs';
  if (a === b) return `two ${a} networks that are routed together share addresses`;
  return `a ${a} range and a ${b} range that are routed together share addresses`;
}

export interface Connectivity {
  /** VPCs cluster-wide ranges meet; undefined = every VPC. */
  clusterVpcs: Set<string> | undefined;
  peered: (a: string, b: string) => boolean;
}

export function connected(a: NamedRange, b: NamedRange, net: Connectivity): boolean {
  if (a.vpcId === b.vpcId) return true;
  if (a.vpcId !== undefined && b.vpcId !== undefined) return net.peered(a.vpcId, b.vpcId);
  const vpcId = (a.vpcId ?? b.vpcId) as string;
  return net.clusterVpcs === undefined || net.clusterVpcs.has(vpcId);
}
