// What re-opens a default-deny namespace: rules through which an unvetted peer passes on every probed port
// of some protocol. "Unvetted" is an unlabelled pod in a fresh unlabelled namespace, or an address outside
// the cluster (203.0.113.7, 2001:db8::7). The engine names the rule that decided each probe.
import type { Protocol } from '../../model/reachability.ts';
import type { CompiledPolicy } from '../../netpol/compile.ts';
import { externalEndpoint, syntheticPod, type Endpoint, type PodEndpoint } from '../../netpol/endpoints.ts';
import { allowingRule, type Allowed, type Direction, type NetworkPolicyEngine } from '../../netpol/engine.ts';
import { PROBE_PORTS, type Member } from './members.ts';

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const OUTSIDER_NAMESPACE = 'clusterproof-unlabelled-probe';
/** Peers nobody vetted: an unlabelled pod in a fresh unlabelled namespace, and documentation addresses outside. */
const OUTSIDERS: readonly Endpoint[] = [
  syntheticPod(OUTSIDER_NAMESPACE, 'unlabelled-pod'),
  externalEndpoint('203.0.113.7'),
  externalEndpoint('2001:db8::7'),
];

interface Reopening {
  policy: string;
  rule: number;
  peers: Set<string>;
  targets: Set<string>;
  protocols: Set<Protocol>;
}

/** What an outsider gets through on every probe port of one protocol: the deciding rules, one per port. */
interface Passage {
  outsider: Endpoint;
  protocol: Protocol;
  decisions: Allowed[];
}

/** Rules through which an unvetted peer passes on every probed port of some protocol. */
export function findReopenings(
  engine: NetworkPolicyEngine,
  direction: Direction,
  members: readonly Member[],
  outsiders: readonly Endpoint[] = OUTSIDERS,
): Reopening[] {
  const found = new Map<string, Reopening>();
  // The answers depend only on the policies selecting the member and, for ingress (the member is the
  // destination of named ports), its ports on the probe ports: members sharing both share the probes.
  const probed = new Map<string, Passage[]>();
  for (const { pod: member, stands, probePorts } of members) {
    const selecting = engine.selecting(member, direction);
    const key = `${selectionKey(engine, member.namespace, selecting)}|${direction === 'ingress' ? probePorts : ''}`;
    let passages = probed.get(key);
    if (!passages) probed.set(key, (passages = probe(direction, member, selecting, outsiders)));
    for (const { outsider, protocol, decisions } of passages) {
      for (const d of decisions) {
        const key = `${d.policy}#${d.rule}`;
        const r = found.get(key) ?? { policy: d.policy, rule: d.rule, peers: new Set(), targets: new Set(), protocols: new Set() };
        r.peers.add(outsider.kind === 'external' ? `outside address ${outsider.id}` : 'an unlabelled pod in an unlabelled namespace');
        for (const id of stands) r.targets.add(id);
        r.protocols.add(protocol);
        found.set(key, r);
      }
    }
  }
  return [...found.values()];
}

/** The selecting policies by position in their namespace's list (ids may repeat across inputs; positions do not). */
function selectionKey(engine: NetworkPolicyEngine, namespace: string, selecting: readonly CompiledPolicy[]): string {
  const all = engine.inNamespace(namespace);
  let key = '';
  for (const p of selecting) key += `${all.indexOf(p)},`;
  return key;
}

function probe(direction: Direction, member: PodEndpoint, selecting: readonly CompiledPolicy[], outsiders: readonly Endpoint[]): Passage[] {
  const passages: Passage[] = [];
  // Indexed loops: run for every member of every namespace, mostly before V8 has optimised this.
  for (let o = 0; o < outsiders.length; o++) {
    const outsider = outsiders[o] as Endpoint;
    // Named ports resolve against the destination: the member for ingress, the outsider for egress.
    const destination = direction === 'ingress' ? member : outsider.kind === 'pod' ? outsider : undefined;
    for (let p = 0; p < PROTOCOLS.length; p++) {
      const protocol = PROTOCOLS[p] as Protocol;
      // Stop at the first probe port that is not allowed: that is the common answer in a default-deny namespace.
      const decisions: Allowed[] = [];
      for (let k = 0; k < PROBE_PORTS.length; k++) {
        const d = allowingRule(selecting, direction, outsider, PROBE_PORTS[k] as number, protocol, destination);
        if (!d) break;
        decisions.push(d);
      }
      if (decisions.length === PROBE_PORTS.length) passages.push({ outsider, protocol, decisions });
    }
  }
  return passages;
}
