// Groups pods the way NetworkPolicy sees them, so all-pairs decides groups, not pods. Four groupings:
//  - egress rows:   the policies isolating the pod's egress (the pod as source);
//  - ingress rows:  the policies isolating its ingress, plus its named ports (the pod as destination);
//  - source columns: the peers it matches (what ingress rules see of it);
//  - destination columns: the peers it matches, plus its named ports (what egress rules see of it).
// Labels count only under keys some pod selector reads (pod-template-hash makes every Deployment's label set
// unique, yet no policy selects on it), so a label group — namespace × projected labels × hostNetwork —
// holds many Deployments, and its policies and peers are worked out once, with selector answers memoised
// per (selector, label set). Per pod there is only integer work: its IPs against ipBlock peers, and ids.
import type { PortProtocol } from '../model/reachability.ts';
import type { CompiledRule } from './compile.ts';
import type { ContainerPort, PodEndpoint } from './endpoints.ts';
import type { NetworkPolicyEngine } from './engine.ts';
import { Interner, PairInterner } from './interning.ts';
import { LabelGroups, type LabelKeys } from './labelGroups.ts';
import { LabelProjection } from './labelProjection.ts';
import type { IpPeer, PeerCatalogue } from './peerCatalogue.ts';
import type { Labels } from './selectors.ts';

/** A row of the decision tables: the rules that may admit traffic; undefined when nothing isolates the pod. */
export interface RowGroup {
  readonly rules: readonly CompiledRule[] | undefined;
  /** The first pod of the group: named ports resolve against it (all members have the same ones). */
  readonly rep: PodEndpoint;
}

/** A column of the decision tables: the peers (by catalogue number) its pods match. */
export interface ColumnGroup {
  readonly peers: Int32Array;
  readonly rep: PodEndpoint;
}

export interface PodGroups {
  /** Per pod, its group in each grouping. */
  readonly egressOf: Int32Array;
  readonly ingressOf: Int32Array;
  readonly sourceOf: Int32Array;
  readonly destOf: Int32Array;
  readonly egressRows: readonly RowGroup[];
  readonly ingressRows: readonly RowGroup[];
  readonly sourceColumns: readonly ColumnGroup[];
  readonly destColumns: readonly ColumnGroup[];
}

export function groupPods(
  engine: NetworkPolicyEngine,
  pods: readonly PodEndpoint[],
  ports: readonly PortProtocol[],
  catalogue: PeerCatalogue,
): PodGroups {
  // One small method per pod, each loop in a function of its own: V8 optimises such code from its own
  // feedback, rather than recompiling one large function on stack replacement, loop after loop.
  const keys = keyPods(pods, ports, catalogue);
  return placePods(new Placer(new LabelGroups(engine, catalogue, keys), keys, pods));
}

function keyPods(pods: readonly PodEndpoint[], ports: readonly PortProtocol[], catalogue: PeerCatalogue): PodKeys {
  const keys = new PodKeys(pods.length, ports, catalogue);
  for (let i = 0; i < pods.length; i++) keys.add(i, pods[i] as PodEndpoint, i > 0 ? pods[i - 1] : undefined);
  return keys;
}

function placePods(placer: Placer): PodGroups {
  for (let i = 0; i < placer.pods.length; i++) placer.place(i);
  return placer;
}

/** Per pod: namespace, projected label set, ipBlock membership and named-port signature, as small integers. */
class PodKeys implements LabelKeys {
  readonly ns: Int32Array;
  readonly labels: Int32Array;
  readonly ips: Int32Array;
  readonly named: Int32Array;
  readonly nsNames: string[] = [];
  readonly nsLabelSets: Labels[] = [];
  readonly labelSets: Labels[] = [];
  /** By membership id: the ipBlock peers (catalogue numbers) the pod's IPs fall in. Id 0: none. */
  readonly ipPeerLists: number[][] = [[]];
  private readonly catalogue: PeerCatalogue;
  private readonly namespaces = new Interner();
  private readonly projection: LabelProjection;
  private readonly projected = new Interner();
  private readonly ipSets = new Interner();
  private readonly signatures = new Interner();
  private readonly requested: readonly PortProtocol[];

  constructor(n: number, ports: readonly PortProtocol[], catalogue: PeerCatalogue) {
    this.ns = new Int32Array(n);
    this.labels = new Int32Array(n);
    this.ips = new Int32Array(n);
    this.named = new Int32Array(n);
    this.catalogue = catalogue;
    this.projection = new LabelProjection(catalogue.podSelectorKeys);
    this.requested = ports;
    this.ipSets.id('');
    this.signatures.id('');
  }

  get namedCount(): number {
    return this.signatures.size;
  }

  /**
   * Pod `i`'s keys. Neighbours usually share a namespace and a Deployment (podEndpoints sorts by namespace and
   * name), so each key is first compared with the previous pod's, before any text is built and hashed.
   */
  add(i: number, pod: PodEndpoint, previous: PodEndpoint | undefined): void {
    this.ns[i] = previous && pod.namespace === previous.namespace ? (this.ns[i - 1] as number) : this.namespaceId(pod);
    this.labels[i] = previous && this.projection.equal(pod.labels, previous.labels) ? (this.labels[i - 1] as number) : this.labelId(pod);
    this.ips[i] = this.catalogue.ipPeers.length === 0 || pod.ips.length === 0 ? 0 : this.ipMembership(pod);
    if (this.catalogue.hasNamedPorts) {
      this.named[i] =
        previous && samePorts(pod.containerPorts, previous.containerPorts)
          ? (this.named[i - 1] as number)
          : this.signatures.id(namedSignature(pod.containerPorts, this.requested));
    }
  }

  private namespaceId(pod: PodEndpoint): number {
    const ns = this.namespaces.id(pod.namespace);
    if (ns === this.nsNames.length) {
      this.nsNames.push(pod.namespace);
      this.nsLabelSets.push(pod.namespaceLabels);
    }
    return ns;
  }

  private labelId(pod: PodEndpoint): number {
    const l = this.projected.id(this.projection.key(pod.labels));
    if (l === this.labelSets.length) this.labelSets.push(pod.labels);
    return l;
  }

  /** The ipBlock peers the pod's IPs fall in, as an id. */
  private ipMembership(pod: PodEndpoint): number {
    let hits: number[] | undefined;
    const peers = this.catalogue.ipPeers;
    for (let k = 0; k < peers.length; k++) {
      const peer = peers[k] as IpPeer;
      if (anyIpIn(peer.block, pod.ips)) (hits ??= []).push(peer.number);
    }
    if (!hits) return 0;
    const id = this.ipSets.id(hits.join(','));
    if (id === this.ipPeerLists.length) this.ipPeerLists.push(hits);
    return id;
  }
}

function anyIpIn(block: IpPeer['block'], ips: PodEndpoint['ips']): boolean {
  for (let k = 0; k < ips.length; k++) if (block.contains(ips[k] as PodEndpoint['ips'][number])) return true;
  return false;
}

/** Puts each pod in its four groups, recording each new group's data from its first pod. */
class Placer implements PodGroups {
  readonly egressOf: Int32Array;
  readonly ingressOf: Int32Array;
  readonly sourceOf: Int32Array;
  readonly destOf: Int32Array;
  readonly egressRows: RowGroup[] = [];
  readonly ingressRows: RowGroup[] = [];
  readonly sourceColumns: ColumnGroup[] = [];
  readonly destColumns: ColumnGroup[] = [];
  readonly pods: readonly PodEndpoint[];
  private readonly labelGroups: LabelGroups;
  private readonly keys: PodKeys;
  /** Egress rows by policy set id, in order of first appearance (set ids are not). */
  private readonly egressRowOf: (number | undefined)[] = [];
  private readonly ingressIds: PairInterner;
  private readonly sourceIds: PairInterner;
  private readonly destIds: PairInterner;

  constructor(labelGroups: LabelGroups, keys: PodKeys, pods: readonly PodEndpoint[]) {
    const n = pods.length;
    this.egressOf = new Int32Array(n);
    this.ingressOf = new Int32Array(n);
    this.sourceOf = new Int32Array(n);
    this.destOf = new Int32Array(n);
    this.pods = pods;
    this.labelGroups = labelGroups;
    this.keys = keys;
    this.ingressIds = new PairInterner(keys.namedCount);
    this.sourceIds = new PairInterner(keys.ipPeerLists.length);
    this.destIds = new PairInterner(keys.namedCount);
  }

  place(i: number): void {
    const pod = this.pods[i] as PodEndpoint;
    if (i > 0 && this.sameKeys(i, pod)) {
      this.egressOf[i] = this.egressOf[i - 1] as number;
      this.ingressOf[i] = this.ingressOf[i - 1] as number;
      this.sourceOf[i] = this.sourceOf[i - 1] as number;
      this.destOf[i] = this.destOf[i - 1] as number;
      return;
    }
    const lg = this.labelGroups;
    const g = lg.of(i, pod);
    const named = this.keys.named[i] as number;
    const egressSet = lg.egressSet[g] as number;
    let egress = this.egressRowOf[egressSet];
    if (egress === undefined) {
      this.egressRowOf[egressSet] = egress = this.egressRows.length;
      this.egressRows.push({ rules: lg.egressRules[egressSet], rep: pod });
    }
    this.egressOf[i] = egress;
    const ingressSet = lg.ingressSet[g] as number;
    const ingress = this.ingressIds.id(ingressSet, named);
    if (ingress === this.ingressRows.length) this.ingressRows.push({ rules: lg.ingressRules[ingressSet], rep: pod });
    this.ingressOf[i] = ingress;
    const peerSet = lg.peerSet[g] as number;
    const ipId = this.keys.ips[i] as number;
    const source = this.sourceIds.id(peerSet, ipId);
    if (source === this.sourceColumns.length)
      this.sourceColumns.push({
        peers: withIpPeers(lg.peerSets[peerSet] as Int32Array, this.keys.ipPeerLists[ipId] as number[]),
        rep: pod,
      });
    this.sourceOf[i] = source;
    const dest = this.destIds.id(source, named);
    if (dest === this.destColumns.length) this.destColumns.push({ peers: (this.sourceColumns[source] as ColumnGroup).peers, rep: pod });
    this.destOf[i] = dest;
  }

  /** Whether pod i has the previous pod's keys, hence its groups (neighbours are often replicas). */
  private sameKeys(i: number, pod: PodEndpoint): boolean {
    const k = this.keys;
    return (
      k.ns[i] === k.ns[i - 1] &&
      k.labels[i] === k.labels[i - 1] &&
      k.named[i] === k.named[i - 1] &&
      k.ips[i] === k.ips[i - 1] &&
      pod.hostNetwork === (this.pods[i - 1] as PodEndpoint).hostNetwork
    );
  }
}

function withIpPeers(podPeers: Int32Array, ipPeers: number[]): Int32Array {
  if (ipPeers.length === 0) return podPeers;
  const out = new Int32Array(podPeers.length + ipPeers.length);
  out.set(podPeers);
  out.set(ipPeers, podPeers.length);
  return out;
}

function samePorts(a: readonly ContainerPort[], b: readonly ContainerPort[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const p = a[k] as ContainerPort;
    const q = b[k] as ContainerPort;
    if (p.name !== q.name || p.port !== q.port || p.protocol !== q.protocol) return false;
  }
  return true;
}

function isRequested(c: ContainerPort, requested: readonly PortProtocol[]): boolean {
  for (let k = 0; k < requested.length; k++) {
    const r = requested[k] as PortProtocol;
    if (r.port === c.port && r.protocol === c.protocol) return true;
  }
  return false;
}

/** The destination's named ports that can resolve to a requested port: part of its identity for named-port rules. */
function namedSignature(ports: readonly ContainerPort[], requested: readonly PortProtocol[]): string {
  let parts: string[] | undefined;
  for (let k = 0; k < ports.length; k++) {
    const c = ports[k] as ContainerPort;
    if (c.name && isRequested(c, requested)) (parts ??= []).push(`${c.name}@${c.port}/${c.protocol}`);
  }
  // Usually none or one: sorted (order-free) only when there are several.
  return parts === undefined ? '' : parts.length === 1 ? (parts[0] as string) : parts.sort().join(',');
}
