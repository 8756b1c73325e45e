// The one CIDR parser, with BigInt address ranges for every step: the spec checks, the range controls, the CLI
// and the NetworkPolicy engine (whose IPv4 fast path is ipv4.ts). ipaddr.js validates IPv6 syntax; IPv4 is
// our strict dotted quad, because ipaddr.js also accepts `10.1`, `0x0a.0.0.0` and `010.0.0.0` (octal!), which
// nothing in Kubernetes or AWS does. The range arithmetic is ours: the CIDR libraries on npm either accept
// garbage (cidr-tools takes `10.0.0.300/24`) or do no set operations.
//
// Families: an address is IPv4 only when written as dotted quad. IPv4-mapped IPv6 (`::ffff:10.0.0.0/104`) is
// IPv6: AWS and Kubernetes configure and route the two families separately, so a mapped range never overlaps
// an IPv4 range here.
import ipaddr from 'ipaddr.js';
import { parseDottedQuad } from './ipv4.ts';

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

type CidrParse = { ok: true; cidr: Cidr } | { ok: false; reason: string; suggestion?: string };

export const FAMILY_BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };

/**
 * Parses `ADDRESS/PREFIX` strictly: dotted-quad IPv4 without leading zeros or short forms, IPv6 without zone ids,
 * and no host bits set. Kubernetes rejects `10.0.0.1/8` as a podSubnet, so we do too, suggesting the network.
 */
export function parseCidr(text: string): CidrParse {
  const slash = text.indexOf('/');
  if (slash >= 0 && text.slice(0, slash).includes('%')) return { ok: false, reason: 'IPv6 zone ids are not allowed in a CIDR' };
  const read = readCidr(text);
  if (!read.ok) return read;
  const { family, value, prefix } = read;
  const mask = hostMask(family, prefix);
  const start = value & ~mask;
  if (start !== value) {
    const network = formatCidr(family, start, prefix);
    return { ok: false, reason: `host bits are set (the network of ${text} is ${network})`, suggestion: network };
  }
  return { ok: true, cidr: { family, start, end: start | mask, prefix, text: formatCidr(family, start, prefix) } };
}

/**
 * A NetworkPolicy ipBlock's CIDR: host bits below the prefix (`10.0.0.1/8`) are masked, as the apiserver's
 * CIDR parsing does, and an IPv6 zone id is ignored. Undefined when the text is not a CIDR.
 */
export function parseCidrMasked(text: string): Cidr | undefined {
  const read = readCidr(text);
  if (!read.ok) return undefined;
  const mask = hostMask(read.family, read.prefix);
  const start = read.value & ~mask;
  return { family: read.family, start, end: start | mask, prefix: read.prefix, text: formatCidr(read.family, start, read.prefix) };
}

/** One address in the strict textual forms Kubernetes accepts (no `10.1`, no hex octets). */
export function parseAddress(text: string): { family: IpFamily; value: bigint } | undefined {
  const v4 = parseDottedQuad(text);
  if (v4 !== undefined) return { family: 'ipv4', value: BigInt(v4) };
  if (ipaddr.IPv6.isValid(text)) return { family: 'ipv6', value: bytesToBigInt(ipaddr.IPv6.parse(text).toByteArray()) };
  return undefined;
}

type CidrRead = { ok: true; family: IpFamily; value: bigint; prefix: number } | { ok: false; reason: string; suggestion?: string };

function readCidr(text: string): CidrRead {
  const slash = text.indexOf('/');
  if (slash < 0) {
    return {
      ok: false,
      reason: 'missing /PREFIX (expected ADDRESS/PREFIX, e.g. 10.0.0.0/16 or fd00::/64)',
      suggestion: hostSuggestion(text),
    };
  }
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, reason: `prefix "${prefixText}" is not a number` };
  const address = parseAddress(addressText);
  if (!address) {
    return addressText.includes(':')
      ? { ok: false, reason: `"${addressText}" is not a valid IPv6 address` }
      : { ok: false, reason: `"${addressText}" is not a valid IPv4 address (a dotted-quad: four decimal octets, no leading zeros)` };
  }
  const prefix = Number(prefixText);
  const bits = FAMILY_BITS[address.family];
  if (prefix > bits) return { ok: false, reason: `prefix /${prefix} is longer than /${bits}` };
  return { ok: true, ...address, prefix };
}

function hostMask(family: IpFamily, prefix: number): bigint {
  return (1n << BigInt(FAMILY_BITS[family] - prefix)) - 1n;
}

function hostSuggestion(text: string): string | undefined {
  const address = parseAddress(text);
  return address && `${text}/${FAMILY_BITS[address.family]}`;
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
