// Control `netpol-default-deny`: every namespace the spec names is default-deny for Ingress (and Egress where
// asked). Two things must hold, per direction:
//  1. coverage: a policy with an empty podSelector ({}) selects every pod of the namespace for that direction;
//  2. nothing re-opens it: no rule admits an unvetted peer on every port of a protocol. "Unvetted" is a pod
//     with no labels in a fresh namespace with no labels, or an address outside the cluster (203.0.113.7,
//     2001:db8::7); "every port" is tested at ports 1 and 65535. Each pod of the namespace, plus an unlabelled
//     stand-in for pods created later, is asked through the NetworkPolicy engine, which names the policy and
//     rule that let the traffic through.
// One finding per required namespace; a namespace missing from the state is an `error`, never a pass.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { InputError } from '../errors.ts';
import type { Evaluator } from '../model/evaluator.ts';
import type { Evidence, Finding } from '../model/findings.ts';
import type { Protocol } from '../model/reachability.ts';
import type { ClusterState } from '../model/state.ts';
import { finding } from './evidence/finding.ts';
import { kubeRef } from './evidence/objectRef.ts';
import type { CompiledPolicy } from './netpol/compile.ts';
import { externalEndpoint, podEndpoints, syntheticPod, type ContainerPort, type Endpoint, type PodEndpoint } from './netpol/endpoints.ts';
import { NetworkPolicyEngine, type Direction, type DirectionDecision } from './netpol/engine.ts';
import type { Labels } from './netpol/selectors.ts';
import { resolveScope } from './scope.ts';

export { reachabilityMatricesFor } from './netpol/reportMatrices.ts';

export const CONTROL_ID = 'netpol-default-deny';
const LAYER = 'config';
const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const PROBE_PORTS = [1, 65535] as const;
const OUTSIDER_NAMESPACE = 'clusterproof-unlabelled-probe';
/** Peers nobody vetted: an unlabelled pod in a fresh unlabelled namespace, and documentation addresses outside. */
const OUTSIDERS: readonly Endpoint[] = [syntheticPod(OUTSIDER_NAMESPACE, 'unlabelled-pod'), externalEndpoint('203.0.113.7'), externalEndpoint('2001:db8::7')];

export const evaluateDefaultDeny: Evaluator = ({ state, spec, control }) => {
  const controlId = control.id;
  const dd = spec.spec.networkPolicy?.defaultDeny;
  if (!dd) {
    return [finding({ controlId, layer: LAYER, result: 'not-applicable', message: 'The spec does not ask for default-deny (no spec.networkPolicy.defaultDeny).', evidence: [{ type: 'missing-input', what: 'spec.networkPolicy.defaultDeny', detail: 'section absent from the ClusterSpec' }] })];
  }
  let engine: NetworkPolicyEngine;
  try {
    engine = NetworkPolicyEngine.fromState(state);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.problems.map((p) => finding({ controlId, layer: LAYER, result: 'error', message: `A NetworkPolicy could not be evaluated: ${p.message} (${p.file}${p.pointer ? ` at ${p.pointer}` : ''}).`, evidence: [{ type: 'missing-input', what: 'valid NetworkPolicy', detail: p.fix ?? p.message }] }));
  }
  const want: Record<Direction, boolean> = { ingress: dd.ingress ?? true, egress: dd.egress ?? true };
  const pods = podEndpoints(state);
  const known = new Set<string>();
  for (const n of state.kubernetes.namespaces) known.add(n.metadata?.name ?? '');
  for (const p of pods) known.add(p.namespace);
  for (const p of state.kubernetes.networkPolicies) known.add(p.metadata?.namespace ?? 'default');
  known.delete('');
  const scope = resolveScope(known, { namespaces: dd.namespaces, exclude: dd.exclude });

  const findings: Finding[] = scope.missing.map((ns) =>
    finding({ controlId, layer: LAYER, result: 'error', message: `Namespace ${ns} is required to be default-deny but is not in the collected state, so it cannot be checked.`, subject: { kind: 'Namespace', name: ns }, evidence: [{ type: 'missing-input', what: `Namespace ${ns}`, detail: `namespace ${ns} not in collected state: collect it, or remove it from spec.networkPolicy.defaultDeny.namespaces` }] }),
  );
  const podsByNs = new Map<string, PodEndpoint[]>();
  for (const pod of pods) {
    const list = podsByNs.get(pod.namespace);
    if (list) list.push(pod);
    else podsByNs.set(pod.namespace, [pod]);
  }
  const policyObjects = new Map(state.kubernetes.networkPolicies.map((n) => [`${n.metadata?.namespace ?? 'default'}/${n.metadata?.name}`, n]));
  for (const ns of scope.inScope) findings.push(checkNamespace(state, engine, ns, podsByNs.get(ns) ?? [], want, controlId, policyObjects));
  if (findings.length === 0) {
    findings.push(finding({ controlId, layer: LAYER, result: 'error', message: `No namespace in the collected state matches spec.networkPolicy.defaultDeny (${dd.namespaces.join(', ')}), so nothing could be checked.`, evidence: [{ type: 'missing-input', what: 'namespaces in scope', detail: `collected namespaces: ${[...known].join(', ') || 'none'}` }] }));
  }
  return findings;
};

interface Reopening {
  policy: string;
  rule: number;
  peers: Set<string>;
  targets: Set<string>;
  protocols: Set<Protocol>;
}

function checkNamespace(
  state: ClusterState, engine: NetworkPolicyEngine, ns: string, nsPods: PodEndpoint[], want: Record<Direction, boolean>, controlId: string,
  policyObjects: Map<string, V1NetworkPolicy>,
): Finding {
  // Probed only for a direction some policy covers (many namespaces fail coverage outright).
  let members: Member[] | undefined;
  const probeMembers = (): Member[] =>
    (members ??= [...distinctByPolicyView(nsPods.filter((p) => !p.hostNetwork)), { pod: syntheticPod(ns, '(any new pod)'), stands: ['any pod'], probePorts: '' }]);
  const evidence: Evidence[] = [];
  const problems: string[] = [];
  const covered: string[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    if (!want[direction]) continue;
    const word = direction === 'ingress' ? 'Ingress' : 'Egress';
    const cover = engine.inNamespace(ns).filter((p) => p.podSelector.matchesAll && p[direction] !== undefined);
    for (const p of cover) {
      const np = policyObjects.get(p.id);
      evidence.push({ type: 'object', ref: np ? kubeRef(state, 'NetworkPolicy', np) : { kind: 'NetworkPolicy', name: p.id }, detail: `selects all pods (podSelector: {}) for ${word}` });
    }
    if (cover.length === 0) {
      problems.push(`no policy selects all pods (podSelector: {}) for ${word}`);
      evidence.push({ type: 'rule', rule: `a NetworkPolicy in ${ns} with podSelector: {} and policyTypes including ${word}`, detail: 'none found' });
      continue;
    }
    const reopenings = findReopenings(engine, direction, probeMembers(), OUTSIDERS);
    for (const r of reopenings) {
      const text = `${r.policy} ${direction} rule ${r.rule} re-opens ${word}: admits ${[...r.peers].join(', ')} on every ${[...r.protocols].join('/')} port ${direction === 'ingress' ? 'to' : 'from'} ${[...r.targets].join(', ')}`;
      problems.push(text);
      evidence.push({ type: 'rule', rule: `${r.policy} ${direction} rule ${r.rule}`, ref: { kind: 'NetworkPolicy', namespace: ns, name: r.policy.split('/')[1] ?? r.policy }, detail: text });
    }
    if (reopenings.length === 0) covered.push(`${word} (${cover.map((p) => p.id).join(', ')})`);
  }
  const hostNet = nsPods.filter((p) => p.hostNetwork).map((p) => p.id);
  if (hostNet.length > 0) evidence.push({ type: 'observation', what: 'hostNetwork pods (out of NetworkPolicy scope)', observed: hostNet, detail: 'NetworkPolicy does not apply to pods on the host network' });
  const subject = { kind: 'Namespace', name: ns };
  if (problems.length > 0) {
    return finding({ controlId, layer: LAYER, result: 'fail', message: `Namespace ${ns} is not default-deny: ${problems.join('; ')}.`, subject, evidence });
  }
  return finding({ controlId, layer: LAYER, result: 'pass', message: `Namespace ${ns} is default-deny for ${covered.join(' and ')}, and no rule re-opens it to unvetted peers.`, subject, evidence });
}

/**
 * Pods with the same labels and the same ports on the probe ports get the same answers, so each such group
 * is probed once (a namespace usually holds a few Deployments of many replicas).
 */
function distinctByPolicyView(pods: PodEndpoint[]): Member[] {
  // podEndpoints gives equal label sets one shared object, so labels group by identity (no serialising).
  const members: Member[] = [];
  const byLabels = new Map<Labels, Map<string, Member>>();
  for (const pod of pods) {
    let probePorts: ContainerPort[] | undefined;
    for (const c of pod.containerPorts) if ((PROBE_PORTS as readonly number[]).includes(c.port)) (probePorts ??= []).push(c);
    const portsKey = probePorts === undefined ? '' : JSON.stringify(probePorts);
    let byPorts = byLabels.get(pod.labels);
    if (!byPorts) byLabels.set(pod.labels, (byPorts = new Map()));
    const member = byPorts.get(portsKey);
    if (member) member.stands.push(pod.id);
    else {
      const created = { pod, stands: [pod.id], probePorts: portsKey };
      byPorts.set(portsKey, created);
      members.push(created);
    }
  }
  return members;
}

interface Member {
  pod: PodEndpoint;
  /** The pods this one answers for, by id ("any pod" for the unlabelled stand-in). */
  stands: string[];
  /** The member's container ports on the probe ports (JSON), '' for none: named-port rules resolve against them. */
  probePorts: string;
}

/** What an outsider gets through on every probe port of one protocol: the deciding rules, one per port. */
interface Passage {
  outsider: Endpoint;
  protocol: Protocol;
  decisions: Extract<DirectionDecision, { kind: 'allowed' }>[];
}

/** Rules through which an unvetted peer passes on every probed port of some protocol. */
function findReopenings(engine: NetworkPolicyEngine, direction: Direction, members: Member[], outsiders: readonly Endpoint[]): Reopening[] {
  const found = new Map<string, Reopening>();
  // The answers depend only on the policies selecting the member and, for ingress (the member is the
  // destination of named ports), its ports on the probe ports: members sharing both share the probes.
  const probed = new Map<string, Passage[]>();
  for (const { pod: member, stands, probePorts } of members) {
    const selecting = engine.selecting(member, direction);
    const key = `${selectionKey(engine, member.namespace, selecting)}|${direction === 'ingress' ? probePorts : ''}`;
    let passages = probed.get(key);
    if (!passages) probed.set(key, (passages = probe(engine, direction, member, selecting, outsiders)));
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

function probe(engine: NetworkPolicyEngine, direction: Direction, member: PodEndpoint, selecting: CompiledPolicy[], outsiders: readonly Endpoint[]): Passage[] {
  const passages: Passage[] = [];
  for (const outsider of outsiders) {
    for (const protocol of PROTOCOLS) {
      // Stop at the first probe port that is not allowed: that is the common answer in a default-deny namespace.
      const decisions: Extract<DirectionDecision, { kind: 'allowed' }>[] = [];
      for (const port of PROBE_PORTS) {
        const d = direction === 'ingress' ? engine.decideIngress(outsider, member, port, protocol, selecting) : engine.decideEgress(member, outsider, port, protocol, selecting);
        if (d.kind !== 'allowed') break;
        decisions.push(d);
      }
      if (decisions.length === PROBE_PORTS.length) passages.push({ outsider, protocol, decisions });
    }
  }
  return passages;
}
