// CIDR questions the endpoint control asks: is a range the whole internet, and is it inside an allowed list.
import { FAMILY_BITS, parseCidr, parseCidrMasked, type Cidr } from '../../cidr/ipRange.ts';

// AWS reports ranges as it stores them, so host bits are masked here (the strict parse is the spec's job).
export function isValidCidr(cidr: string): boolean {
  return parseCidrMasked(cidr) !== undefined;
}

/** 0.0.0.0/0 or ::/0 (any prefix length 0): every address of the family. */
export function isWholeInternet(cidr: string): boolean {
  return parseCidrMasked(cidr)?.prefix === 0;
}

/** `inner` lies entirely inside `outer` (same family, outer prefix not longer, network bits match). */
function cidrWithin(inner: string, outer: string): boolean {
  const i = parseCidrMasked(inner);
  const o = parseCidrMasked(outer);
  return i !== undefined && o !== undefined && i.family === o.family && o.start <= i.start && i.end <= o.end;
}

/**
 * Whether public sources `cidr` are tolerated when the spec allows a public endpoint. The whole internet is
 * tolerated only when the spec lists it explicitly; without `allowedPublicCidrs`, any narrower range is.
 */
export function publicSourceAllowed(cidr: string, allowed: string[] | undefined): boolean {
  if (allowed === undefined) return !isWholeInternet(cidr);
  return allowed.some((a) => cidrWithin(cidr, a));
}

/**
 * The families (`IPv4`, `IPv6`) whose whole address space `cidrs` cover TOGETHER: 0.0.0.0/1 + 128.0.0.0/1 is the
 * internet as much as 0.0.0.0/0 is, however many ranges it is split into. Invalid entries are ignored here.
 */
export function internetCoveredBy(cidrs: string[]): { family: 'IPv4' | 'IPv6'; ranges: string[] }[] {
  const covered: { family: 'IPv4' | 'IPv6'; ranges: string[] }[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const ranges = cidrs
      .map((text) => ({ text, parsed: parseCidr(text.trim()) }))
      .filter((r): r is { text: string; parsed: { ok: true; cidr: Cidr } } => r.parsed.ok && r.parsed.cidr.family === family);
    // Sweep the sorted ranges: covered when no gap is left from the first address to the last.
    let next = 0n;
    for (const { parsed } of [...ranges].sort((a, b) => (a.parsed.cidr.start < b.parsed.cidr.start ? -1 : 1))) {
      if (parsed.cidr.start > next) break;
      if (parsed.cidr.end + 1n > next) next = parsed.cidr.end + 1n;
    }
    if (ranges.length > 0 && next === 1n << BigInt(FAMILY_BITS[family])) {
      covered.push({ family: family === 'ipv4' ? 'IPv4' : 'IPv6', ranges: ranges.map((r) => r.text) });
    }
  }
  return covered;
}
