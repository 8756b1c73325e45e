// How two address ranges relate. Ranges of different families never overlap (see ipRange.ts).
// Two CIDR blocks can only be equal, nested or disjoint; `overlap` exists for general ranges (and as the
// honest answer if a future input is a range rather than a prefix).
import type { IpRange } from '../../cidr/ipRange.ts';

/** `contains`: a contains b; `within`: b contains a. */
export type Relation = 'equal' | 'contains' | 'within' | 'overlap' | 'disjoint';

export function relate(a: IpRange, b: IpRange): Relation {
  if (a.family !== b.family || a.end < b.start || b.end < a.start) return 'disjoint';
  if (a.start === b.start && a.end === b.end) return 'equal';
  if (a.start <= b.start && b.end <= a.end) return 'contains';
  if (b.start <= a.start && a.end <= b.end) return 'within';
  return 'overlap';
}

/** The addresses both ranges hold, or undefined when they share none. */
export function intersection(a: IpRange, b: IpRange): IpRange | undefined {
  if (a.family !== b.family) return undefined;
  const start = a.start > b.start ? a.start : b.start;
  const end = a.end < b.end ? a.end : b.end;
  return start <= end ? { family: a.family, start, end } : undefined;
}
