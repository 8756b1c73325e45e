// Classifies an API server address without network access. An IP literal is classified by its range;
// a hostname cannot be resolved in a pure evaluator, so only names that can never be public are decided
// (localhost and reserved private-use suffixes) and every other name is reported as unresolved — never
// as private, because DNS could point it anywhere.
import ipaddr from 'ipaddr.js';

export type AddressClass =
  | { kind: 'private'; address: string; why: string }
  | { kind: 'public'; address: string; why: string }
  /** 0.0.0.0 / :: as a listen address: every interface of the host. */
  | { kind: 'all-interfaces'; address: string; why: string }
  | { kind: 'unresolved'; address: string; why: string }
  | { kind: 'invalid'; address: string; why: string };

/** Ranges that are not routable on the internet: RFC 1918, RFC 6598 (CGNAT), loopback, link-local, ULA. */
const PRIVATE_RANGES = new Set(['private', 'carrierGradeNat', 'loopback', 'linkLocal', 'uniqueLocal']);

/**
 * Name suffixes that resolve only inside a private network: cluster DNS (`.svc`, `.cluster.local`),
 * `.internal` (ICANN private-use TLD; AWS `ec2.internal`/`compute.internal`), `.home.arpa` (RFC 8375),
 * `.localhost` (RFC 6761) and mDNS `.local` (link-local by definition).
 */
const PRIVATE_NAME_SUFFIXES = ['.svc', '.cluster.local', '.internal', '.home.arpa', '.localhost', '.local'];

export function classifyAddress(raw: string): AddressClass {
  const address = raw.trim().replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.isValid(address)) {
    // process() turns IPv4-mapped IPv6 (::ffff:10.0.0.1) into the IPv4 address it carries.
    const ip = ipaddr.process(address);
    const range = ip.range();
    if (range === 'unspecified') return { kind: 'all-interfaces', address, why: 'unspecified address: listens on every interface' };
    if (PRIVATE_RANGES.has(range)) return { kind: 'private', address, why: `${ip.kind()} ${range} range` };
    return { kind: 'public', address, why: `${ip.kind()} ${range} address, routable outside private networks` };
  }
  const host = address.toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)) {
    return { kind: 'invalid', address, why: 'neither an IP address nor a DNS name' };
  }
  if (host === 'localhost') return { kind: 'private', address, why: 'localhost is loopback' };
  const suffix = PRIVATE_NAME_SUFFIXES.find((s) => host.endsWith(s));
  if (suffix !== undefined) return { kind: 'private', address, why: `name under the private-use suffix ${suffix}` };
  return { kind: 'unresolved', address, why: 'a DNS name: its addresses cannot be known without resolving it' };
}

/** The host part of `https://host:port/path`, `host:port` or `[v6]:port`; undefined when unparseable. */
export function hostOf(endpoint: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  try {
    const host = new URL(withScheme).hostname;
    return host === '' ? undefined : host.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}
