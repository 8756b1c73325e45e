// ipBlock peers: a CIDR minus its `except` ranges, parsed by the one CIDR module (host bits masked, as the
// apiserver does for ipBlocks). IPv4 addresses and ranges are also kept as plain numbers (harness/cidr/ipv4.ts),
// the engine's fast path; an address of one family never matches a block of the other.
import type { V1IPBlock } from '@kubernetes/client-node';
import { formatAddress, parseAddress, parseCidrMasked, type IpFamily } from '../cidr/ipRange.ts';
import { formatDottedQuad, parseDottedQuad } from '../cidr/ipv4.ts';

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
  readonly text: string;
}

interface IpRange {
  readonly family: IpFamily;
  readonly start: bigint;
  readonly end: bigint;
  /** start and end as numbers, for IPv4 (exact: below 2^32). */
  readonly lo: number;
  readonly hi: number;
}

/** An IPv4 address as a plain number: nearly every pod has one, and numbers need no bigint allocated or compared. */
class V4Address implements IpAddress {
  readonly family = 'ipv4' as const;
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
  const range = blockRange(text);
  return range && { ...range, text };
}

/** The first host address of a range: stands for a pod whose address is only known to lie in the range. */
export function firstAddress(range: AddressRange): IpAddress {
  const value = range.end > range.start ? range.start + 1n : range.start;
  if (range.family === 'ipv4') return new V4Address(formatDottedQuad(Number(value)), Number(value));
  return { family: 'ipv6', value, text: formatAddress('ipv6', value) };
}

/** Parses one address in the strict textual forms Kubernetes accepts (no `10.1`, no hex octets). */
export function parseIp(text: string): IpAddress | undefined {
  // The dotted quads nearly every pod has need no allocation besides the result.
  const v4 = parseDottedQuad(text);
  if (v4 !== undefined) return new V4Address(text, v4);
  const address = parseAddress(text);
  return address && { ...address, text };
}

function blockRange(text: string): IpRange | undefined {
  const cidr = parseCidrMasked(text);
  if (!cidr) return undefined;
  const v4 = cidr.family === 'ipv4';
  return { family: cidr.family, start: cidr.start, end: cidr.end, lo: v4 ? Number(cidr.start) : NaN, hi: v4 ? Number(cidr.end) : NaN };
}

export function compileIpBlock(block: V1IPBlock): CompiledIpBlock | { problem: string } {
  const cidr = blockRange(block.cidr);
  if (!cidr) return { problem: `ipBlock.cidr "${block.cidr}" is not a valid CIDR (e.g. 10.0.0.0/16 or fd00::/64)` };
  const excepts: IpRange[] = [];
  for (const [i, text] of (block.except ?? []).entries()) {
    const range = blockRange(text);
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
