// The pairwise overlap list behind `clusterproof cidrs`: every pair of named ranges sharing addresses,
// with `contains` oriented so that `a` contains `b`. Pure; the command only parses and prints.
import { formatAddress, rangeToCidrs, type Cidr } from '../../cidr/ipRange.ts';
import { intersection, relate } from './relation.ts';

export interface NamedCidrValue {
  name: string;
  cidr: Cidr;
}

export interface Overlap {
  a: string;
  b: string;
  relation: 'overlap' | 'contains' | 'equal';
  /** First and last shared address and the CIDR blocks covering exactly that span. */
  span: { first: string; last: string; cidrs: string[] };
}

/** Pairs in input order (i < j); different families never overlap. */
export function findOverlaps(ranges: readonly NamedCidrValue[]): Overlap[] {
  const overlaps: Overlap[] = [];
  ranges.forEach((x, i) => {
    for (const y of ranges.slice(i + 1)) {
      const relation = relate(x.cidr, y.cidr);
      const span = intersection(x.cidr, y.cidr);
      if (relation === 'disjoint' || !span) continue;
      const [a, b] = relation === 'within' ? [y, x] : [x, y];
      overlaps.push({
        a: a.name,
        b: b.name,
        relation: relation === 'within' ? 'contains' : relation,
        span: { first: formatAddress(span.family, span.start), last: formatAddress(span.family, span.end), cidrs: rangeToCidrs(span) },
      });
    }
  });
  return overlaps;
}
