// All-pairs reachability at cluster scale. Pods that no policy can tell apart behave identically, so we
// compress them into equivalence classes and decide classes², not pods²:
//  - a pod as SOURCE is characterised by (policies isolating its egress, peers it matches as a source);
//  - a pod as DESTINATION by (policies isolating its ingress + its named ports, peers it matches as a target).
// "Peers it matches" covers namespace labels, pod labels and ipBlock membership of its IPs. Selectors are
// evaluated once per distinct (selector, label set), not once per pod. Pod-level answers expand lazily.
import type { PortProtocol, ReachabilityVerdict } from '../../model/reachability.ts';
import { portMatches, type CompiledPeer, type CompiledPolicy, type CompiledRule } from './compile.ts';
import type { PodEndpoint } from './endpoints.ts';
import type { Direction, NetworkPolicyEngine } from './engine.ts';
import type { CompiledSelector } from './selectors.ts';

export interface AllPairs {
  readonly pods: readonly PodEndpoint[];
  readonly ports: readonly PortProtocol[];
  readonly sourceClasses: number;
  readonly destinationClasses: number;
  allowed(from: number, to: number, portIndex: number): boolean;
  /** Allowed ordered pod pairs (self included) on one port. */
  countAllowed(portIndex: number): number;
  /** The verdict with its reason, computed on demand for one pair. */
  verdict(from: number, to: number, portIndex: number): ReachabilityVerdict;
}

/** Interns values to small integers so memo tables can be flat arrays. */
class Interner {
  private readonly ids = new Map<string, number>();
  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    return id;
  }
  get size(): number {
    return this.ids.size;
  }
}

/** selector × label-set results, computed on first use (0 unknown, 1 no, 2 yes). */
class SelectorMemo {
  private readonly selectors: CompiledSelector[] = [];
  private readonly bySelector = new Map<string, number>();
  private readonly results: Uint8Array[] = [];
  private readonly labelSets: readonly Readonly<Record<string, string>>[];
  constructor(labelSets: readonly Readonly<Record<string, string>>[]) {
    this.labelSets = labelSets;
  }
  register(selector: CompiledSelector): number {
    let id = this.bySelector.get(selector.key);
    if (id === undefined) {
      id = this.selectors.length;
      this.bySelector.set(selector.key, id);
      this.selectors.push(selector);
      this.results.push(new Uint8Array(this.labelSets.length));
    }
    return id;
  }
  matches(selectorId: number, labelSetId: number): boolean {
    const row = this.results[selectorId] as Uint8Array;
    let r = row[labelSetId] as number;
    if (r === 0) row[labelSetId] = r = (this.selectors[selectorId] as CompiledSelector).matches(this.labelSets[labelSetId] as Record<string, string>) ? 2 : 1;
    return r === 2;
  }
}

interface PeerRef {
  nsSelector: number; // -1: the policy's own namespace
  policyNamespace: number;
  podSelector: number; // -1: all pods
  peer: CompiledPeer;
}

export function computeAllPairs(engine: NetworkPolicyEngine, pods: readonly PodEndpoint[], ports: readonly PortProtocol[]): AllPairs {
  // ---- intern namespaces and label sets ----
  const nsNames = new Interner();
  const podLabelKeys = new Interner();
  const nsLabelSets: Record<string, string>[] = [];
  const podLabelSets: Record<string, string>[] = [];
  const podNs = new Int32Array(pods.length);
  const podLabelId = new Int32Array(pods.length);
  for (const [i, pod] of pods.entries()) {
    const ns = nsNames.id(pod.namespace);
    if (ns === nsLabelSets.length) nsLabelSets.push(pod.namespaceLabels as Record<string, string>);
    podNs[i] = ns;
    // Serialised as given: the same Deployment template yields the same key order, and a different order
    // only costs an extra (equivalent) label set, never a wrong answer.
    const key = JSON.stringify(pod.labels);
    const l = podLabelKeys.id(key);
    if (l === podLabelSets.length) podLabelSets.push(pod.labels as Record<string, string>);
    podLabelId[i] = l;
  }
  const nsMemo = new SelectorMemo(nsLabelSets);
  const podMemo = new SelectorMemo(podLabelSets);

  // ---- distinct peers across every rule; rules refer to them by index ----
  const peerIndex = new Map<string, number>();
  const podPeers: PeerRef[] = [];
  const ipPeers: CompiledPeer[] = [];
  const rulePeers = new Map<CompiledRule, number[]>(); // ipBlock peers get index podPeers.length + k later
  const ipPeerIndex = new Map<string, number>();
  let hasNamedPorts = false;
  for (const policy of engine.policies) {
    for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
      if (rule.ports?.some((p) => p.kind === 'named')) hasNamedPorts = true;
      if (!rule.peers) continue;
      const ids: number[] = [];
      for (const peer of rule.peers) {
        if (peer.kind === 'ipBlock') {
          let k = ipPeerIndex.get(peer.key);
          if (k === undefined) ipPeerIndex.set(peer.key, (k = ipPeers.push(peer) - 1));
          ids.push(-1 - k);
          continue;
        }
        let id = peerIndex.get(peer.key);
        if (id === undefined) {
          id = podPeers.length;
          peerIndex.set(peer.key, id);
          podPeers.push({
            nsSelector: peer.namespaceSelector ? nsMemo.register(peer.namespaceSelector) : -1,
            policyNamespace: peer.policyNamespace === undefined ? -1 : nsNames.id(peer.policyNamespace),
            podSelector: peer.podSelector ? podMemo.register(peer.podSelector) : -1,
            peer,
          });
        }
        ids.push(id);
      }
      rulePeers.set(rule, ids);
    }
  }
  const peerCount = podPeers.length + ipPeers.length;
  const peersByNamespace = new Map<number, number[]>();
  // namespaceSelector peers grouped by selector: one namespace test admits or skips the whole group.
  const peersByNsSelector = new Map<number, number[]>();
  for (let id = 0; id < podPeers.length; id++) {
    const ref = podPeers[id] as PeerRef;
    if (ref.nsSelector >= 0) {
      const list = peersByNsSelector.get(ref.nsSelector);
      if (list) list.push(id);
      else peersByNsSelector.set(ref.nsSelector, [id]);
    } else {
      const list = peersByNamespace.get(ref.policyNamespace);
      if (list) list.push(id);
      else peersByNamespace.set(ref.policyNamespace, [id]);
    }
  }
  const toBit = (id: number) => (id >= 0 ? id : podPeers.length + (-1 - id));
  // Policies are named by position in sets: two inputs may carry the same namespace/name.
  const policyIndex = new Map(engine.policies.map((p, i) => [p, i]));
  const requested = new Set(ports.map((p) => `${p.port}/${p.protocol}`));

  // ---- per pod: policy sets and matched peers, computed once per (namespace, labels, hostNetwork) ----
  interface LabelGroup { egress: string; ingress: string; peers: number[]; peerKey: string; first: PodEndpoint; named: string; destKey: string; destPeerKey: string }
  /** The destination's named ports that can resolve to a requested port: part of its identity for named-port rules. */
  const namedSignature = (pod: PodEndpoint): string =>
    hasNamedPorts ? pod.containerPorts.filter((c) => c.name && requested.has(`${c.port}/${c.protocol}`)).map((c) => `${c.name}@${c.port}/${c.protocol}`).sort().join(',') : '';
  const groups = new Map<number, LabelGroup>();
  const sourceKeys: string[] = new Array(pods.length);
  const destKeys: string[] = new Array(pods.length);
  const sourcePeerKey: string[] = new Array(pods.length);
  const destPeerKey: string[] = new Array(pods.length);
  const peerLists: number[][] = new Array(pods.length);
  const candidatesByNamespace = new Map<number, number[][]>();
  for (const [i, pod] of pods.entries()) {
    const gk = (((podLabelId[i] as number) * nsNames.size + (podNs[i] as number)) * 2) + (pod.hostNetwork ? 1 : 0);
    let group = groups.get(gk);
    if (!group) {
      const matched: number[] = [];
      if (!pod.hostNetwork) {
        const ns = podNs[i] as number;
        const labels = podLabelId[i] as number;
        // Only peers that can see this namespace: its own podSelector-only peers, and namespaceSelector peers.
        let candidates = candidatesByNamespace.get(ns);
        if (!candidates) {
          candidates = [peersByNamespace.get(ns) ?? []];
          for (const [nsSelector, ids] of peersByNsSelector) if (nsMemo.matches(nsSelector, ns)) candidates.push(ids);
          candidatesByNamespace.set(ns, candidates);
        }
        for (const ids of candidates) {
          for (let k = 0; k < ids.length; k++) {
            const id = ids[k] as number;
            const ref = podPeers[id] as PeerRef;
            if (ref.podSelector < 0 || podMemo.matches(ref.podSelector, labels)) matched.push(id);
          }
        }
        matched.sort((a, b) => a - b);
      }
      const ids = (d: Direction) => (pod.hostNetwork ? 'H' : engine.selecting(pod, d).map((p) => policyIndex.get(p) as number).join(','));
      const peerKey = matched.join(',');
      group = { egress: ids('egress'), ingress: ids('ingress'), peers: matched, peerKey, first: pod, named: '', destKey: '', destPeerKey: '' };
      group.named = namedSignature(pod);
      group.destKey = `${group.ingress}|${group.named}`;
      group.destPeerKey = `${peerKey}|${group.named}`;
      groups.set(gk, group);
    }
    // Strings are reused from the label group whenever the pod adds nothing of its own (the common case):
    // fewer allocations, and V8 caches the hash of a string instance for the Map lookups below.
    let peers = group.peers;
    let peerKey = group.peerKey;
    if (ipPeers.length > 0 && pod.ips.length > 0) {
      let extra: number[] | undefined;
      for (let k = 0; k < ipPeers.length; k++) {
        const peer = ipPeers[k] as CompiledPeer;
        if (peer.kind === 'ipBlock' && pod.ips.some((ip) => peer.block.contains(ip))) (extra ??= []).push(podPeers.length + k);
      }
      if (extra) {
        peers = [...peers, ...extra];
        peerKey = peers.join(',');
      }
    }
    peerLists[i] = peers;
    const sameNamed = pod === group.first || sameContainerPorts(pod, group.first);
    const named = sameNamed ? group.named : namedSignature(pod);
    sourcePeerKey[i] = peerKey;
    destPeerKey[i] = sameNamed && peerKey === group.peerKey ? group.destPeerKey : `${peerKey}|${named}`;
    sourceKeys[i] = group.egress;
    destKeys[i] = sameNamed ? group.destKey : `${group.ingress}|${named}`;
  }

  // ---- the four small groupings and their representatives ----
  const egressGroups = groupBy(sourceKeys); // egress isolation of the source
  const sourcePeerGroups = groupBy(sourcePeerKey); // what the source looks like to ingress rules
  const ingressGroups = groupBy(destKeys); // ingress isolation (+ named ports) of the destination
  const destPeerGroups = groupBy(destPeerKey); // what the destination looks like to egress rules

  // Rules per group, resolved once; a rule's peers as bit positions, so a cell is a few array reads.

  const rulesOf = (key: string, direction: Direction): CompiledRule[] | undefined => {
    const setKey = key.split('|')[0] as string;
    if (setKey === '' || setKey === 'H') return undefined; // not isolated, or hostNetwork: open
    return setKey.split(',').flatMap((index) => (engine.policies[Number(index)] as CompiledPolicy)[direction] ?? []);
  };
  const egressRules = egressGroups.reps.map((rep) => rulesOf(sourceKeys[rep] as string, 'egress'));
  const ingressRules = ingressGroups.reps.map((rep) => rulesOf(destKeys[rep] as string, 'ingress'));
  const ruleBits = new Map<CompiledRule, Int32Array>();
  for (const [rule, ids] of rulePeers) ruleBits.set(rule, Int32Array.from(ids, toBit));

  // Decision tables per port: egress[egressGroup][destPeerGroup], ingress[ingressGroup][sourcePeerGroup].
  // Built row-wise: a rule's peer test depends only on the column's peer bits, so each distinct rule gets
  // one "admits" vector over the columns, and a row is the OR of the vectors of its rules whose ports match.
  const admitsOver = (columnPeers: number[][]) => {
    // Inverted index: for each column, walk the (few) peers it matches and mark the rules naming them.
    const rulesByPeer: CompiledRule[][] = Array.from({ length: peerCount }, () => []);
    for (const [rule, bits] of ruleBits) for (const b of bits) (rulesByPeer[b] as CompiledRule[]).push(rule);
    const vectors = new Map<CompiledRule, Uint8Array>();
    for (let c = 0; c < columnPeers.length; c++) {
      for (const peer of columnPeers[c] as number[]) {
        for (const rule of rulesByPeer[peer] as CompiledRule[]) {
          let v = vectors.get(rule);
          if (!v) vectors.set(rule, (v = new Uint8Array(columnPeers.length)));
          v[c] = 1;
        }
      }
    }
    const everyone = new Uint8Array(columnPeers.length).fill(1);
    const nobody = new Uint8Array(columnPeers.length);
    return (rule: CompiledRule): Uint8Array => (rule.peers ? (vectors.get(rule) ?? nobody) : everyone);
  };
  const egressAdmits = admitsOver(destPeerGroups.reps.map((rep) => peerLists[rep] as number[]));
  const ingressAdmits = admitsOver(sourcePeerGroups.reps.map((rep) => peerLists[rep] as number[]));
  const portOk = (rule: CompiledRule, pp: PortProtocol, destination: PodEndpoint) =>
    !rule.ports || rule.ports.some((p) => portMatches(p, pp.port, pp.protocol, destination));
  const egressTable = ports.map((pp) => {
    const cols = destPeerGroups.count;
    const out = new Uint8Array(egressGroups.count * cols);
    for (let eg = 0; eg < egressGroups.count; eg++) {
      const rules = egressRules[eg];
      const row = out.subarray(eg * cols, (eg + 1) * cols);
      if (!rules) { row.fill(1); continue; }
      for (const rule of rules) {
        const admits = egressAdmits(rule);
        const named = rule.ports?.some((p) => p.kind === 'named') ?? false;
        // Numeric/absent ports do not depend on the destination; named ports are checked per destination.
        const ruleOkForAll = !named && portOk(rule, pp, pods[0] as PodEndpoint);
        for (let c = 0; c < cols; c++) {
          if (row[c] === 1 || admits[c] === 0) continue;
          if (named ? portOk(rule, pp, pods[destPeerGroups.reps[c] as number] as PodEndpoint) : ruleOkForAll) row[c] = 1;
        }
      }
    }
    return out;
  });
  const ingressTable = ports.map((pp) => {
    const cols = sourcePeerGroups.count;
    const out = new Uint8Array(ingressGroups.count * cols);
    for (let ig = 0; ig < ingressGroups.count; ig++) {
      const rules = ingressRules[ig];
      const row = out.subarray(ig * cols, (ig + 1) * cols);
      if (!rules) { row.fill(1); continue; }
      const dest = pods[ingressGroups.reps[ig] as number] as PodEndpoint;
      for (const rule of rules) {
        if (!portOk(rule, pp, dest)) continue;
        const admits = ingressAdmits(rule);
        for (let c = 0; c < cols; c++) if (admits[c] === 1) row[c] = 1;
      }
    }
    return out;
  });

  // ---- classes: source = (egress group, source-peer group), destination = (ingress group, dest-peer group) ----
  const sourceClass = classes(pods.length, (i) => (egressGroups.of[i] as number) * sourcePeerGroups.count + (sourcePeerGroups.of[i] as number));
  const destClass = classes(pods.length, (i) => (ingressGroups.of[i] as number) * destPeerGroups.count + (destPeerGroups.of[i] as number));
  const S = sourceClass.count;
  const D = destClass.count;
  // The class matrix is never materialised: a cell is one AND of two table reads, so pod-level answers and
  // counts are computed straight from the tables (classes² work, no classes² memory).
  const destPeerCol = Int32Array.from(destClass.rep, (r) => destPeerGroups.of[r] as number);
  const ingressRow = Int32Array.from(destClass.rep, (r) => (ingressGroups.of[r] as number) * sourcePeerGroups.count);
  const sourceEgressRow = Int32Array.from(sourceClass.rep, (r) => (egressGroups.of[r] as number) * destPeerGroups.count);
  const sourcePeerCol = Int32Array.from(sourceClass.rep, (r) => sourcePeerGroups.of[r] as number);
  const classAllowed = (s: number, d: number, pi: number): boolean =>
    (egressTable[pi] as Uint8Array)[(sourceEgressRow[s] as number) + (destPeerCol[d] as number)] === 1 &&
    (ingressTable[pi] as Uint8Array)[(ingressRow[d] as number) + (sourcePeerCol[s] as number)] === 1;

  return {
    pods,
    ports,
    sourceClasses: S,
    destinationClasses: D,
    allowed: (from, to, pi) => classAllowed(sourceClass.of[from] as number, destClass.of[to] as number, pi),
    countAllowed(pi) {
      const eT = egressTable[pi] as Uint8Array;
      const iT = ingressTable[pi] as Uint8Array;
      let total = 0;
      for (let s = 0; s < S; s++) {
        const eRow = sourceEgressRow[s] as number;
        const sp = sourcePeerCol[s] as number;
        let row = 0;
        for (let d = 0; d < D; d++) {
          if (eT[eRow + (destPeerCol[d] as number)] === 1 && iT[(ingressRow[d] as number) + sp] === 1) row += destClass.size[d] as number;
        }
        total += row * (sourceClass.size[s] as number);
      }
      return total;
    },
    verdict(from, to, pi) {
      const pp = ports[pi] as PortProtocol;
      const a = pods[from] as PodEndpoint;
      const b = pods[to] as PodEndpoint;
      const v = engine.evaluate(a, b, pp.port, pp.protocol);
      return { from: a.id, to: b.id, port: pp.port, protocol: pp.protocol, allowed: v.allowed, reason: v.reason };
    },
  };
}

function sameContainerPorts(a: PodEndpoint, b: PodEndpoint): boolean {
  if (a.containerPorts.length !== b.containerPorts.length) return false;
  return a.containerPorts.every((p, i) => {
    const q = b.containerPorts[i];
    return q !== undefined && p.name === q.name && p.port === q.port && p.protocol === q.protocol;
  });
}

interface Grouping { of: Int32Array; count: number; reps: number[] }

function groupBy(keys: readonly string[]): Grouping {
  const ids = new Map<string, number>();
  const of = new Int32Array(keys.length);
  const reps: number[] = [];
  for (const [i, key] of keys.entries()) {
    let id = ids.get(key);
    if (id === undefined) {
      ids.set(key, (id = reps.length));
      reps.push(i);
    }
    of[i] = id;
  }
  return { of, count: reps.length, reps };
}

function classes(n: number, keyOf: (i: number) => number): { of: Int32Array; count: number; rep: number[]; size: number[] } {
  const ids = new Map<number, number>();
  const of = new Int32Array(n);
  const rep: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    let id = ids.get(key);
    if (id === undefined) {
      ids.set(key, (id = rep.length));
      rep.push(i);
      size.push(0);
    }
    of[i] = id;
    size[id] = (size[id] as number) + 1;
  }
  return { of, count: rep.length, rep, size };
}
