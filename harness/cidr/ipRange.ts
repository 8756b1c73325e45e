// Strict CIDR parsing and BigInt address ranges. ipaddr.js validates the syntax (it rejects /33 and bad octets);
// the range arithmetic is ours because no well-kept library both rejects garbage and does set operations
// (cidr-tools accepts `10.0.0.300/24`, see shared/notes/packages.md §6).
//
// Families: an address is IPv4 only when written as dotted quad. IPv4-mapped IPv6 (`::ffff:10.0.0.0/104`) is
// IPv6: AWS and Kubernetes configure and route the two families separately, so a mapped range never overlaps
// an IPv4 range here.
import ipaddr from 'ipaddr.js';

export type IpFamily = 'ipv4' | 'ipv6';

export interface IpRange {
  family: IpFamily;
  /** First and last address, inclusive, as unsigned integers. */
  start: bigint;
  end: bigint;
}

export interface Cidr extends IpRange {
  prefix: number;
  /** Canonical text (lower-case, compressed IPv6), e.g. `10.0.0.0/8`, `fd00::/8`. */
  text: string;
}

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; reason: string; suggestion?: string };

export const FAMILY_BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };

/**
 * Parses `ADDRESS/PREFIX` strictly: dotted-quad IPv4 without leading zeros or short forms, IPv6 without zone ids,
 * and no host bits set. Kubernetes rejects `10.0.0.1/8` as a podSubnet, so we do too, suggesting the network.
 */
export function parseCidr(text: string): CidrParse {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'missing /PREFIX', suggestion: hostSuggestion(trimmed) };
  const addressText = trimmed.slice(0, slash);
  const prefixText = trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, reason: `prefix "${prefixText}" is not a number` };
  if (addressText.includes('%')) return { ok: false, reason: 'IPv6 zone ids are not allowed in a CIDR' };
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(trimmed);
  } catch {
    return { ok: false, reason: 'not a valid IPv4 or IPv6 CIDR (prefix at most /32 for IPv4, /128 for IPv6)' };
  }
  const [address, prefix] = parsed;
  const family: IpFamily = address.kind();
  // ipaddr.js also accepts `10.1`, `0x0a.0.0.0` and `010.0.0.0` (octal!); nothing in Kubernetes or AWS does.
  if (family === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(addressText)) {
    return { ok: false, reason: `"${addressText}" is not a dotted-quad IPv4 address (four decimal octets, no leading zeros)` };
  }
  const bits = FAMILY_BITS[family];
  const value = bytesToBigInt(address.toByteArray());
  const hostBits = BigInt(bits - prefix);
  const mask = (1n << hostBits) - 1n;
  const start = value & ~mask;
  if (start !== value) {
    const network = formatCidr(family, start, prefix);
    return { ok: false, reason: `host bits are set (the network of ${trimmed} is ${network})`, suggestion: network };
  }
  return { ok: true, cidr: { family, start, end: start | mask, prefix, text: formatCidr(family, start, prefix) } };
}

function hostSuggestion(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  return `${address}/${ipaddr.parse(address).kind() === 'ipv4' ? 32 : 128}`;
}

function bytesToBigInt(bytes: number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

export function formatAddress(family: IpFamily, value: bigint): string {
  const length = FAMILY_BITS[family] / 8;
  const bytes: number[] = [];
  for (let i = length - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

export function formatCidr(family: IpFamily, start: bigint, prefix: number): string {
  return `${formatAddress(family, start)}/${prefix}`;
}

/** The smallest list of CIDR blocks that exactly covers [start, end] (used to print an overlapping span). */
export function rangeToCidrs(range: IpRange): string[] {
  const bits = FAMILY_BITS[range.family];
  const blocks: string[] = [];
  let cursor = range.start;
  while (cursor <= range.end) {
    // Largest block aligned at `cursor` that does not run past `end`.
    let size = 0;
    while (size < bits) {
      const next = 1n << BigInt(size + 1);
      if ((cursor & (next - 1n)) !== 0n || cursor + next - 1n > range.end) break;
      size++;
    }
    blocks.push(formatCidr(range.family, cursor, bits - size));
    cursor += 1n << BigInt(size);
  }
  return blocks;
}

export function describeRange(range: IpRange): string {
  return `${formatAddress(range.family, range.start)}–${formatAddress(range.family, range.end)}`;
}
