// Strict CIDR parsing for specs. ipaddr.js alone accepts forms nobody means in a spec (`10.1/16`, hex octets), and
// a range with host bits set (`10.0.0.1/16`) is nearly always a typo for a different range, so both are rejected.
import ipaddr from 'ipaddr.js';

export type CidrCheck = { ok: true } | { ok: false; reason: string; suggestion?: string };

export function checkCidr(text: string): CidrCheck {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text);
  if (!match) return { ok: false, reason: 'expected ADDRESS/PREFIX, e.g. 10.0.0.0/16 or fd00::/64' };
  const [, address = '', prefixText = ''] = match;
  const isV6 = address.includes(':');
  const addressOk = isV6 ? ipaddr.IPv6.isValid(address) : ipaddr.IPv4.isValidFourPartDecimal(address);
  if (!addressOk) return { ok: false, reason: `"${address}" is not a valid ${isV6 ? 'IPv6' : 'IPv4 (four decimal octets)'} address` };
  const prefix = Number(prefixText);
  const max = isV6 ? 128 : 32;
  if (prefix > max) return { ok: false, reason: `prefix /${prefix} is longer than /${max}` };
  if (!ipaddr.isValidCIDR(text)) return { ok: false, reason: 'not a valid CIDR' };
  const network = (isV6 ? ipaddr.IPv6.networkAddressFromCIDR(text) : ipaddr.IPv4.networkAddressFromCIDR(text)).toString();
  const given = ipaddr.parse(address).toString();
  if (network !== given) {
    return { ok: false, reason: `host bits are set (the network of ${text} is ${network}/${prefix})`, suggestion: `${network}/${prefix}` };
  }
  return { ok: true };
}
