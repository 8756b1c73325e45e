// CIDR questions the endpoint control asks: is a range the whole internet, and is it inside an allowed list.
import ipaddr from 'ipaddr.js';

export function isValidCidr(cidr: string): boolean {
  return ipaddr.isValidCIDR(cidr);
}

/** 0.0.0.0/0 or ::/0 (any prefix length 0): every address of the family. */
export function isWholeInternet(cidr: string): boolean {
  return ipaddr.isValidCIDR(cidr) && ipaddr.parseCIDR(cidr)[1] === 0;
}

/** `inner` lies entirely inside `outer` (same family, outer prefix not longer, network bits match). */
export function cidrWithin(inner: string, outer: string): boolean {
  if (!ipaddr.isValidCIDR(inner) || !ipaddr.isValidCIDR(outer)) return false;
  const [innerAddr, innerBits] = ipaddr.parseCIDR(inner);
  const [outerAddr, outerBits] = ipaddr.parseCIDR(outer);
  if (innerAddr.kind() !== outerAddr.kind() || outerBits > innerBits) return false;
  return innerAddr.match(outerAddr, outerBits);
}

/**
 * Whether public sources `cidr` are tolerated when the spec allows a public endpoint. The whole internet is
 * tolerated only when the spec lists it explicitly; without `allowedPublicCidrs`, any narrower range is.
 */
export function publicSourceAllowed(cidr: string, allowed: string[] | undefined): boolean {
  if (allowed === undefined) return !isWholeInternet(cidr);
  return allowed.some((a) => cidrWithin(cidr, a));
}
