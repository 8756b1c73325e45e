// Of two conflicting ranges, which one a person should change. A finding that names only "the peer" leaves the
// reader to work out that the peer (an on-prem network, somebody else's VPC) is fixed and the cluster's own range
// must move, so every conflict says which side is the cluster's and which one to change.
import type { NamedRange, RangeKind } from './gatherRanges.ts';

/**
 * When both ranges are the cluster's own, the kind listed first is the one to change: pod and service ranges are chosen
 * at `kubeadm init` / cluster creation, while re-addressing subnets and VPCs moves every node as well.
 */
const CHANGE_ORDER: readonly RangeKind[] = ['pod', 'service', 'node-pods', 'node', 'subnet', 'vpc', 'peer'];

interface ChangeAdvice {
  /** The range to change. */
  change: NamedRange;
  /** The other range. */
  other: NamedRange;
  /** Whether `change` / `other` are the cluster's own ranges. */
  changeIsOwn: boolean;
  otherIsOwn: boolean;
}

/** The cluster's own range (not a named peer, not a VPC or subnet on the far side of a peering). */
function isClusterOwn(range: NamedRange): boolean {
  return range.kind !== 'peer' && range.home;
}

export function rangeToChange(a: NamedRange, b: NamedRange): ChangeAdvice {
  const [ownA, ownB] = [isClusterOwn(a), isClusterOwn(b)];
  let aFirst: boolean;
  if (ownA !== ownB) aFirst = ownA;
  else aFirst = CHANGE_ORDER.indexOf(a.kind) <= CHANGE_ORDER.indexOf(b.kind);
  return aFirst
    ? { change: a, other: b, changeIsOwn: ownA, otherIsOwn: ownB }
    : { change: b, other: a, changeIsOwn: ownB, otherIsOwn: ownA };
}

/** `pod range kubeadm networking.podSubnet`, as the fix sentence names a range. */
export function rangeLabel(range: NamedRange): string {
  return `${KIND_LABEL[range.kind]} range ${range.name}`;
}

const KIND_LABEL: Record<RangeKind, string> = {
  vpc: 'VPC',
  subnet: 'subnet',
  pod: 'pod',
  service: 'service',
  node: 'node network',
  'node-pods': 'node podCIDR',
  peer: 'peer',
};

/** The closing sentence of a conflict finding: which range to change, and why not the other. */
export function fixSentence(advice: ChangeAdvice): string {
  const { change, other, changeIsOwn, otherIsOwn } = advice;
  if (!changeIsOwn) {
    return `Fix: neither range is the cluster's own; correct the ${rangeLabel(change)} or re-address the ${rangeLabel(other)}.`;
  }
  if (otherIsOwn) {
    return `Fix: change the cluster's ${rangeLabel(change)}, or its ${rangeLabel(other)}: both are the cluster's own.`;
  }
  return `Fix: change the cluster's ${rangeLabel(change)}; the ${rangeLabel(other)} is not the cluster's to change.`;
}
