// ipBlock peers: a CIDR minus its `except` ranges. Addresses become integer ranges (bigint, so IPv4 and IPv6
// share one code path, with plain numbers for parsed IPv4 addresses); an address of one family never matches
// a block of the other.
import ipaddr from 'ipaddr.js';
import type { V1IPBlock } from '@kubernetes/client-node';

export type Family = 4 | 6;

export interface IpAddress {
  readonly family: Family;
  readonly value: bigint;
  readonly text: string;
}

interface IpRange {
  readonly family: Family;
  readonly start: bigint;
  readonly end: bigint;
  /** start and end as numbers, for IPv4 (exact: below 2^32). */
  readonly lo: number;
  readonly hi: number;
}

/** An IPv4 address as a plain number: nearly every pod has one, and numbers need no bigint allocated or compared. */
class V4Address implements IpAddress {
  readonly family = 4 as const;
  readonly text: string;
  readonly v4: number;
  constructor(text: string, v4: number) {
    this.text = text;
    this.v4 = v4;
  }
  get value(): bigint {
    return BigInt(this.v4);
  }
}

export interface CompiledIpBlock {
  /** `cidr` or `cidr except [a, b]`: used to explain verdicts and as a cache key. */
  readonly key: string;
  contains(ip: IpAddress): boolean;
  /** How much of a range the block admits: every address, none, or some (the answer depends on the address). */
  covers(range: AddressRange): 'all' | 'none' | 'some';
}

/** A CIDR as an address range (pod ranges that template workloads' addresses come from). */
export type AddressRange = IpRange & { readonly text: string };

export function parseRange(text: string): AddressRange | undefined {
  const range = parseCidr(text);
  return range && { ...range, text };
}

/** The first host address of a range: stands for a pod whose address is only known to lie in the range. */
export function firstAddress(range: AddressRange): IpAddress {
  const value = range.end > range.start ? range.start + 1n : range.start;
  if (range.family === 4) {
    const v4 = Number(value);
    return new V4Address([24, 16, 8, 0].map((s) => (v4 >>> s) & 255).join('.'), v4);
  }
  return { family: 6, value, text: ipaddr.fromByteArray(toBytes(value, 16)).toString() };
}

function toBytes(value: bigint, length: number): number[] {
  const bytes: number[] = [];
  for (let i = length - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 255n));
  return bytes;
}

/** Parses one address in the strict textual forms Kubernetes accepts (no `10.1`, no hex octets). */
export function parseIp(text: string): IpAddress | undefined {
  // Fast path for the dotted quads nearly every pod has (no allocation besides the result); anything
  // unusual falls through to ipaddr.js, which decides strictly.
  const v4 = parseDottedQuad(text);
  if (v4 !== undefined) return new V4Address(text, v4);
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return new V4Address(text, Number(toBigint(ipaddr.IPv4.parse(text).toByteArray())));
  if (ipaddr.IPv6.isValid(text)) return { family: 6, value: toBigint(ipaddr.IPv6.parse(text).toByteArray()), text };
  return undefined;
}

function parseCidr(text: string): IpRange | undefined {
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) parsed = ipaddr.IPv4.parseCIDR(text);
  else if (ipaddr.IPv6.isValidCIDR(text)) parsed = ipaddr.IPv6.parseCIDR(text);
  else return undefined;
  const [addr, prefix] = parsed;
  const family: Family = addr.kind() === 'ipv4' ? 4 : 6;
  const bits = BigInt(family === 4 ? 32 : 128);
  const hostBits = bits - BigInt(prefix);
  // Host bits set below the prefix (`10.0.0.1/8`) are masked, as the apiserver's CIDR parsing does.
  const start = (toBigint(addr.toByteArray()) >> hostBits) << hostBits;
  const end = start + (1n << hostBits) - 1n;
  return { family, start, end, lo: family === 4 ? Number(start) : NaN, hi: family === 4 ? Number(end) : NaN };
}

export function compileIpBlock(block: V1IPBlock): CompiledIpBlock | { problem: string } {
  const cidr = parseCidr(block.cidr);
  if (!cidr) return { problem: `ipBlock.cidr "${block.cidr}" is not a valid CIDR (e.g. 10.0.0.0/16 or fd00::/64)` };
  const excepts: IpRange[] = [];
  for (const [i, text] of (block.except ?? []).entries()) {
    const range = parseCidr(text);
    if (!range) return { problem: `ipBlock.except[${i}] "${text}" is not a valid CIDR (e.g. 10.0.1.0/24)` };
    if (range.family !== cidr.family || range.start < cidr.start || range.end > cidr.end) {
      return { problem: `ipBlock.except[${i}] "${text}" is not inside ipBlock.cidr "${block.cidr}"` };
    }
    excepts.push(range);
  }
  return new IpBlock(excepts.length === 0 ? block.cidr : `${block.cidr} except [${(block.except ?? []).join(', ')}]`, cidr, excepts);
}

/** A class, not a closure: one shared `contains`, so call sites stay monomorphic across blocks and scans. */
class IpBlock implements CompiledIpBlock {
  readonly key: string;
  private readonly cidr: IpRange;
  private readonly excepts: readonly IpRange[];
  constructor(key: string, cidr: IpRange, excepts: readonly IpRange[]) {
    this.key = key;
    this.cidr = cidr;
    this.excepts = excepts;
  }
  covers(range: AddressRange): 'all' | 'none' | 'some' {
    const c = this.cidr;
    if (c.family !== range.family || c.end < range.start || c.start > range.end) return 'none';
    for (const e of this.excepts) if (e.start <= range.start && e.end >= range.end) return 'none';
    const inside = c.start <= range.start && c.end >= range.end;
    return inside && this.excepts.every((e) => e.end < range.start || e.start > range.end) ? 'all' : 'some';
  }
  contains(ip: IpAddress): boolean {
    if (!inRange(this.cidr, ip)) return false;
    for (let k = 0; k < this.excepts.length; k++) if (inRange(this.excepts[k] as IpRange, ip)) return false;
    return true;
  }
}

function inRange(range: IpRange, ip: IpAddress): boolean {
  if (range.family !== ip.family) return false;
  if (ip instanceof V4Address) return ip.v4 >= range.lo && ip.v4 <= range.hi;
  return ip.value >= range.start && ip.value <= range.end;
}

function toBigint(bytes: number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** `a.b.c.d` with decimal octets 0-255 and no leading zeros, as a 32-bit number; undefined otherwise. */
function parseDottedQuad(text: string): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return undefined; // leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}
