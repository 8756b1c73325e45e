// All-pairs reachability at cluster scale. Pods that no policy can tell apart behave identically, so we
// compress them into equivalence classes and decide classes², not pods²:
//  - a pod as SOURCE is characterised by (policies isolating its egress, peers it matches as a source);
//  - a pod as DESTINATION by (policies isolating its ingress + its named ports, peers it matches as a target).
// "Peers it matches" covers namespace labels, pod labels and ipBlock membership of its IPs. Selectors are
// evaluated once per distinct (selector, label set), not once per pod. Pod-level answers expand lazily.
import type { PortProtocol, ReachabilityVerdict } from '../../model/reachability.ts';
import { portMatches, type CompiledPeer, type CompiledPolicy, type CompiledRule } from './compile.ts';
import type { ContainerPort, PodEndpoint } from './endpoints.ts';
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
  // Pod labels count only under keys some pod selector reads (pod-template-hash makes every Deployment's
  // set unique, yet no policy selects on it): sets equal on those keys share one id, and one label group.
  const selectedKeys = new Set<string>();
  const addKeys = (selector: CompiledSelector | undefined) => {
    if (selector) for (const k of selector.keys) selectedKeys.add(k);
  };
  for (const policy of engine.policies) {
    addKeys(policy.podSelector);
    for (const rules of [policy.ingress, policy.egress]) {
      for (const rule of rules ?? []) for (const peer of rule.peers ?? []) if (peer.kind === 'pods') addKeys(peer.podSelector);
    }
  }
  const sortedKeys = [...selectedKeys].sort();
  const podLabelIds = new Map<object, number>();
  const projectedIds = new Map<string, number>();
  const nsLabelSets: Record<string, string>[] = [];
  const podLabelSets: Record<string, string>[] = [];
  const podNs = new Int32Array(pods.length);
  const podLabelId = new Int32Array(pods.length);
  for (const [i, pod] of pods.entries()) {
    const ns = nsNames.id(pod.namespace);
    if (ns === nsLabelSets.length) nsLabelSets.push(pod.namespaceLabels as Record<string, string>);
    podNs[i] = ns;
    // By identity: podEndpoints shares one labels object between pods with equal labels. Equal sets in
    // distinct objects (hand-built endpoints) only cost an extra, equivalent label set.
    let l = podLabelIds.get(pod.labels);
    if (l === undefined) {
      const projected = projectLabels(pod.labels, selectedKeys, sortedKeys);
      l = projectedIds.get(projected);
      if (l === undefined) projectedIds.set(projected, (l = projectedIds.size));
      podLabelIds.set(pod.labels, l);
    }
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
  // As parallel arrays: walked once per namespace, without a Map iterator's entry pairs.
  const nsSelectorIds = [...peersByNsSelector.keys()];
  const nsSelectorPeers = [...peersByNsSelector.values()];
  const toBit = (id: number) => (id >= 0 ? id : podPeers.length + (-1 - id));
  // Policies are named by position in sets: two inputs may carry the same namespace/name.
  const policyIndex = new Map(engine.policies.map((p, i) => [p, i]));
  const requested = new Set(ports.map((p) => `${p.port}/${p.protocol}`));

  // ---- per pod: policy sets and matched peers, computed once per (namespace, labels, hostNetwork) ----
  // Four groupings of the pods, keyed by text but interned once per label group: a pod only builds a key of
  // its own when it differs from its group (extra ipBlock peers, other named ports).
  const egressGroups = new Grouping(pods.length); // egress isolation of the source
  const sourcePeerGroups = new Grouping(pods.length); // what the source looks like to ingress rules
  const ingressGroups = new Grouping(pods.length); // ingress isolation (+ named ports) of the destination
  const destPeerGroups = new Grouping(pods.length); // what the destination looks like to egress rules
  interface LabelGroup { ingress: string; peers: number[]; peerKey: string; first: PodEndpoint; named: string; egressId: number; sourcePeerId: number; ingressId: number; destPeerId: number }
  /** The destination's named ports that can resolve to a requested port: part of its identity for named-port rules. */
  const signatures = new Map<readonly ContainerPort[], string>(); // podEndpoints shares equal port lists
  const namedSignature = (pod: PodEndpoint): string => {
    if (!hasNamedPorts) return '';
    let signature = signatures.get(pod.containerPorts);
    if (signature === undefined) {
      signature = pod.containerPorts.filter((c) => c.name && requested.has(`${c.port}/${c.protocol}`)).map((c) => `${c.name}@${c.port}/${c.protocol}`).sort().join(',');
      signatures.set(pod.containerPorts, signature);
    }
    return signature;
  };
  const groups = new Map<number, LabelGroup>();
  const egressSets: string[] = []; // by egress group: the isolating policies' indices
  const ingressSets: string[] = []; // by ingress group
  const peerLists: number[][] = new Array(pods.length);
  const candidatesByNamespace = new Map<number, number[][]>();
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i] as PodEndpoint;
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
          for (let k = 0; k < nsSelectorIds.length; k++) if (nsMemo.matches(nsSelectorIds[k] as number, ns)) candidates.push(nsSelectorPeers[k] as number[]);
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
      const egress = ids('egress');
      const ingress = ids('ingress');
      const peerKey = matched.join(',');
      const named = namedSignature(pod);
      const egressId = egressGroups.id(egress, i);
      if (egressId === egressSets.length) egressSets.push(egress);
      const ingressId = ingressGroups.id(`${ingress}|${named}`, i);
      if (ingressId === ingressSets.length) ingressSets.push(ingress);
      // The peer groups are interned by the first pod that has exactly the group's peers (no extra ipBlock
      // peers): a group's representative must match what its key says.
      group = { ingress, peers: matched, peerKey, first: pod, named, egressId, ingressId, sourcePeerId: -1, destPeerId: -1 };
      groups.set(gk, group);
    }
    let peers = group.peers;
    let extra: number[] | undefined;
    if (ipPeers.length > 0 && pod.ips.length > 0) {
      for (let k = 0; k < ipPeers.length; k++) {
        const peer = ipPeers[k] as CompiledPeer;
        if (peer.kind === 'ipBlock' && pod.ips.some((ip) => peer.block.contains(ip))) (extra ??= []).push(podPeers.length + k);
      }
      if (extra) peers = [...peers, ...extra];
    }
    peerLists[i] = peers;
    const sameNamed = !hasNamedPorts || pod === group.first || sameContainerPorts(pod, group.first);
    const named = sameNamed ? group.named : namedSignature(pod);
    const peerKey = extra ? peers.join(',') : group.peerKey;
    egressGroups.of[i] = group.egressId;
    if (extra) sourcePeerGroups.of[i] = sourcePeerGroups.id(peerKey, i);
    else sourcePeerGroups.of[i] = group.sourcePeerId >= 0 ? group.sourcePeerId : (group.sourcePeerId = sourcePeerGroups.id(peerKey, i));
    if (!sameNamed || extra) destPeerGroups.of[i] = destPeerGroups.id(`${peerKey}|${named}`, i);
    else destPeerGroups.of[i] = group.destPeerId >= 0 ? group.destPeerId : (group.destPeerId = destPeerGroups.id(`${peerKey}|${named}`, i));
    if (sameNamed) ingressGroups.of[i] = group.ingressId;
    else {
      const id = ingressGroups.id(`${group.ingress}|${named}`, i);
      if (id === ingressSets.length) ingressSets.push(group.ingress);
      ingressGroups.of[i] = id;
    }
  }

  // Rules per group, resolved once; a rule's peers as bit positions, so a cell is a few array reads.
  const rulesOf = (setKey: string, direction: Direction): CompiledRule[] | undefined => {
    if (setKey === '' || setKey === 'H') return undefined; // not isolated, or hostNetwork: open
    return setKey.split(',').flatMap((index) => (engine.policies[Number(index)] as CompiledPolicy)[direction] ?? []);
  };
  const egressRules = egressSets.map((key) => rulesOf(key, 'egress'));
  const ingressRules = ingressSets.map((key) => rulesOf(key, 'ingress'));
  const ruleBits = new Map<CompiledRule, Int32Array>();
  for (const [rule, ids] of rulePeers) ruleBits.set(rule, Int32Array.from(ids, toBit));

  // Decision tables per port as bitsets: egress[egressGroup] over destPeerGroups, ingress[ingressGroup] over
  // sourcePeerGroups. A rule's peer test depends only on the column's peer bits, so each distinct rule gets
  // one "admits" bitset over the columns, and a row is the OR of the bitsets of its rules whose ports match.
  const admitsOver = (columnPeers: number[][], words: number) => {
    // Inverted index: for each column, walk the (few) peers it matches and mark the rules naming them.
    const rulesByPeer: CompiledRule[][] = Array.from({ length: peerCount }, () => []);
    for (const [rule, bits] of ruleBits) for (const b of bits) (rulesByPeer[b] as CompiledRule[]).push(rule);
    const vectors = new Map<CompiledRule, Uint32Array>();
    for (let c = 0; c < columnPeers.length; c++) {
      for (const peer of columnPeers[c] as number[]) {
        for (const rule of rulesByPeer[peer] as CompiledRule[]) {
          let v = vectors.get(rule);
          if (!v) vectors.set(rule, (v = new Uint32Array(words)));
          v[c >>> 5] = (v[c >>> 5] as number) | (1 << (c & 31));
        }
      }
    }
    const everyone = new Uint32Array(words).fill(0xffffffff);
    const nobody = new Uint32Array(words);
    return (rule: CompiledRule): Uint32Array => (rule.peers ? (vectors.get(rule) ?? nobody) : everyone);
  };
  const destWords = (destPeerGroups.count + 31) >>> 5;
  const sourceWords = (sourcePeerGroups.count + 31) >>> 5;
  const egressAdmits = admitsOver(destPeerGroups.reps.map((rep) => peerLists[rep] as number[]), destWords);
  const ingressAdmits = admitsOver(sourcePeerGroups.reps.map((rep) => peerLists[rep] as number[]), sourceWords);
  const portOk = (rule: CompiledRule, pp: PortProtocol, destination: PodEndpoint) =>
    !rule.ports || rule.ports.some((p) => portMatches(p, pp.port, pp.protocol, destination));
  const egressTable = ports.map((pp) => {
    const out = new Uint32Array(egressGroups.count * destWords);
    for (let eg = 0; eg < egressGroups.count; eg++) {
      const rules = egressRules[eg];
      const base = eg * destWords;
      if (!rules) { out.fill(0xffffffff, base, base + destWords); continue; }
      for (const rule of rules) {
        const admits = egressAdmits(rule);
        if (!rule.ports?.some((p) => p.kind === 'named')) {
          // Numeric/absent ports do not depend on the destination: the whole bitset at once.
          if (!portOk(rule, pp, pods[0] as PodEndpoint)) continue;
          for (let w = 0; w < destWords; w++) out[base + w] = (out[base + w] as number) | (admits[w] as number);
          continue;
        }
        // Named ports resolve per destination.
        for (let c = 0; c < destPeerGroups.count; c++) {
          const w = base + (c >>> 5);
          const bit = 1 << (c & 31);
          if ((out[w] as number) & bit || ((admits[c >>> 5] as number) & bit) === 0) continue;
          if (portOk(rule, pp, pods[destPeerGroups.reps[c] as number] as PodEndpoint)) out[w] = (out[w] as number) | bit;
        }
      }
    }
    return out;
  });
  const ingressTable = ports.map((pp) => {
    const out = new Uint32Array(ingressGroups.count * sourceWords);
    for (let ig = 0; ig < ingressGroups.count; ig++) {
      const rules = ingressRules[ig];
      const base = ig * sourceWords;
      if (!rules) { out.fill(0xffffffff, base, base + sourceWords); continue; }
      const dest = pods[ingressGroups.reps[ig] as number] as PodEndpoint;
      for (const rule of rules) {
        if (!portOk(rule, pp, dest)) continue;
        const admits = ingressAdmits(rule);
        for (let w = 0; w < sourceWords; w++) out[base + w] = (out[base + w] as number) | (admits[w] as number);
      }
    }
    return out;
  });

  // ---- classes: source = (egress group, source-peer group), destination = (ingress group, dest-peer group) ----
  const sourceClass = classes(egressGroups.of, sourcePeerGroups.of, sourcePeerGroups.count);
  const destClass = classes(ingressGroups.of, destPeerGroups.of, destPeerGroups.count);
  const S = sourceClass.count;
  const D = destClass.count;
  // The class matrix is never materialised: a cell is one AND of two bit reads, so pod-level answers and
  // counts are computed straight from the tables (classes² work, no classes² memory).
  const destPeerCol = Int32Array.from(destClass.rep, (r) => destPeerGroups.of[r] as number);
  const ingressRow = Int32Array.from(destClass.rep, (r) => (ingressGroups.of[r] as number) * sourceWords);
  const sourceEgressRow = Int32Array.from(sourceClass.rep, (r) => (egressGroups.of[r] as number) * destWords);
  const sourcePeerCol = Int32Array.from(sourceClass.rep, (r) => sourcePeerGroups.of[r] as number);
  const bit = (table: Uint32Array, row: number, col: number): boolean => (((table[row + (col >>> 5)] as number) >>> (col & 31)) & 1) === 1;
  const classAllowed = (s: number, d: number, pi: number): boolean =>
    bit(egressTable[pi] as Uint32Array, sourceEgressRow[s] as number, destPeerCol[d] as number) &&
    bit(ingressTable[pi] as Uint32Array, ingressRow[d] as number, sourcePeerCol[s] as number);

  return {
    pods,
    ports,
    sourceClasses: S,
    destinationClasses: D,
    allowed: (from, to, pi) => classAllowed(sourceClass.of[from] as number, destClass.of[to] as number, pi),
    countAllowed(pi) {
      const eT = egressTable[pi] as Uint32Array;
      const iT = ingressTable[pi] as Uint32Array;
      let total = 0;
      for (let s = 0; s < S; s++) {
        const eRow = sourceEgressRow[s] as number;
        const sp = sourcePeerCol[s] as number;
        const spWord = sp >>> 5;
        const spShift = sp & 31;
        let row = 0;
        for (let d = 0; d < D; d++) {
          const dp = destPeerCol[d] as number;
          if ((((eT[eRow + (dp >>> 5)] as number) >>> (dp & 31)) & ((iT[(ingressRow[d] as number) + spWord] as number) >>> spShift) & 1) === 1) row += destClass.size[d] as number;
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

/** The labels under `keys` (`sorted`: the same keys, sorted), as canonical text in key order. */
function projectLabels(labels: Readonly<Record<string, string>>, keys: ReadonlySet<string>, sorted: readonly string[]): string {
  let kept: readonly string[];
  if (sorted.length <= 8) kept = sorted; // few keys (the usual case): probe each, already in order
  else {
    const own: string[] = [];
    for (const key in labels) if (keys.has(key)) own.push(key);
    kept = own.sort();
  }
  let text = '';
  // Length-prefixed, so no key or value can run into the next.
  for (const key of kept) {
    if (!Object.hasOwn(labels, key)) continue;
    // Hand-built or loosely parsed input may carry a non-string value: it stays distinct from its text form.
    const raw: unknown = labels[key];
    const value = typeof raw === 'string' ? `s${raw}` : `j${String(JSON.stringify(raw))}`;
    text += `${key.length}:${key}${value.length}:${value}`;
  }
  return text;
}

function sameContainerPorts(a: PodEndpoint, b: PodEndpoint): boolean {
  if (a.containerPorts === b.containerPorts) return true;
  if (a.containerPorts.length !== b.containerPorts.length) return false;
  for (let i = 0; i < a.containerPorts.length; i++) {
    const p = a.containerPorts[i] as ContainerPort;
    const q = b.containerPorts[i] as ContainerPort;
    if (p.name !== q.name || p.port !== q.port || p.protocol !== q.protocol) return false;
  }
  return true;
}

/** Pods grouped by a text key: group ids in order of first appearance, each with its first pod as representative. */
class Grouping {
  readonly of: Int32Array;
  readonly reps: number[] = [];
  private readonly ids = new Map<string, number>();
  constructor(n: number) {
    this.of = new Int32Array(n);
  }
  /** The group of `key`, created with representative pod `i` when new. */
  id(key: string, i: number): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      this.ids.set(key, (id = this.reps.length));
      this.reps.push(i);
    }
    return id;
  }
  get count(): number {
    return this.reps.length;
  }
}

/** Classes of pods by the pair (a[i], b[i]), b < bCount; ids in order of first appearance. */
function classes(a: Int32Array, b: Int32Array, bCount: number): { of: Int32Array; count: number; rep: number[]; size: number[] } {
  const n = a.length;
  const ids = new Map<number, number>();
  const of = new Int32Array(n);
  const rep: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = (a[i] as number) * bCount + (b[i] as number);
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
