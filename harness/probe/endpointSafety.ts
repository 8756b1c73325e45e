// What the live API-endpoint probe may do with the addresses a kubeconfig server resolves to. Pure, so the rule
// "traffic goes only to loopback or the project's own containers" is tested without a network.
import ipaddr from 'ipaddr.js';
import { classifyAddress, type AddressClass } from '../evaluate/apiEndpointPrivate/addressClass.ts';

export interface ResolvedEndpoint {
  host: string;
  addresses: string[];
}

export type EndpointDecision =
  /** Some address is public: the endpoint is exposed; no traffic is sent to find out more. */
  | { kind: 'public'; classes: AddressClass[] }
  /** Every address is private, and every one is loopback or a container of this project: safe to handshake. */
  | { kind: 'probe'; classes: AddressClass[] }
  /** Private, but at least one address is someone else's: classified only, never contacted. */
  | { kind: 'classify-only'; classes: AddressClass[]; foreign: string[] }
  | { kind: 'unresolvable'; classes: AddressClass[] };

export function isLoopback(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'loopback';
}

export function decideEndpoint(resolved: ResolvedEndpoint, projectAddresses: ReadonlySet<string>): EndpointDecision {
  const classes = resolved.addresses.map(classifyAddress);
  if (classes.length === 0 || classes.some((c) => c.kind === 'invalid' || c.kind === 'unresolved'))
    return { kind: 'unresolvable', classes };
  if (classes.some((c) => c.kind === 'public' || c.kind === 'all-interfaces')) return { kind: 'public', classes };
  const foreign = resolved.addresses.filter((a) => !isLoopback(a) && !projectAddresses.has(normalise(a)));
  return foreign.length === 0 ? { kind: 'probe', classes } : { kind: 'classify-only', classes, foreign };
}

export function normalise(address: string): string {
  return ipaddr.isValid(address) ? ipaddr.process(address).toString() : address;
}
