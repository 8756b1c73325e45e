// The traffic endpoints the engine reasons about: pods as the policy semantics see them (namespace labels,
// pod labels, IPs, named container ports) and addresses outside the cluster.
import type { V1Container, V1Namespace, V1Pod } from '@kubernetes/client-node';
import type { Protocol } from '../../model/reachability.ts';
import type { ClusterState } from '../../model/state.ts';
import { parseIp, type IpAddress } from './ipBlocks.ts';
import type { Labels } from './selectors.ts';

/** The apiserver sets this label on every namespace (1.21+); selectors rely on it, so we add it when a dump lacks it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

export interface PodEndpoint {
  readonly kind: 'pod';
  /** "namespace/name" */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly namespaceLabels: Labels;
  readonly ips: readonly IpAddress[];
  /** hostNetwork pods share the node's network namespace: NetworkPolicy does not apply to them. */
  readonly hostNetwork: boolean;
  readonly containerPorts: readonly ContainerPort[];
}

export interface ExternalEndpoint {
  readonly kind: 'external';
  readonly id: string;
  readonly ip: IpAddress;
}

export type Endpoint = PodEndpoint | ExternalEndpoint;

/**
 * Gives pods with equal labels (same keys, values and key order, as a Deployment's pods have) one shared
 * labels object, so consumers group pods by object identity instead of serialising every label set. Label
 * sets that differ only in key order stay apart: that costs an extra, equivalent group, never a wrong answer.
 * Container port lists likewise.
 */
class EndpointInterner {
  private readonly labelRoot: TrieNode<Labels> = { next: new Map() };
  private readonly portRoot: TrieNode<readonly ContainerPort[]> = { next: new Map() };
  labels(labels: Labels): Labels {
    let node = this.labelRoot;
    for (const key in labels) {
      if (!Object.hasOwn(labels, key)) continue;
      node = child(child(node, key), labels[key]);
    }
    return (node.value ??= labels);
  }
  /** Likewise for container port lists (a Deployment's pods declare the same ones). */
  ports(ports: readonly ContainerPort[]): readonly ContainerPort[] {
    let node = this.portRoot;
    for (const p of ports) node = child(child(child(node, p.name), p.port), p.protocol);
    return (node.value ??= ports);
  }
}

/** A trie over sequences of values (compared as Map keys, SameValueZero); `value` is the interned object. */
interface TrieNode<T> {
  value?: T;
  next: Map<unknown, TrieNode<T>>;
}

function child<T>(node: TrieNode<T>, part: unknown): TrieNode<T> {
  let next = node.next.get(part);
  if (!next) node.next.set(part, (next = { next: new Map() }));
  return next;
}

export function namespaceLabels(ns: V1Namespace | undefined, name: string): Labels {
  return { ...(ns?.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
}

export function podEndpoint(pod: V1Pod, nsLabels: Labels, interner?: EndpointInterner): PodEndpoint | undefined {
  const name = pod.metadata?.name;
  const namespace = pod.metadata?.namespace ?? 'default';
  if (!name) return undefined;
  // Plain loops, no closures, intermediate Sets or spreads: this runs once per pod of clusters with thousands of them.
  const ips: IpAddress[] = [];
  const podIPs = pod.status?.podIPs;
  if (podIPs) for (const entry of podIPs) addIp(ips, entry.ip);
  addIp(ips, pod.status?.podIP);
  const containerPorts: ContainerPort[] = [];
  addPorts(containerPorts, pod.spec?.initContainers);
  addPorts(containerPorts, pod.spec?.containers);
  return {
    kind: 'pod',
    id: `${namespace}/${name}`,
    namespace,
    name,
    labels: interner ? interner.labels(pod.metadata?.labels ?? {}) : (pod.metadata?.labels ?? {}),
    namespaceLabels: nsLabels,
    ips,
    hostNetwork: pod.spec?.hostNetwork === true,
    containerPorts: interner ? interner.ports(containerPorts) : containerPorts,
  };
}

function addIp(ips: IpAddress[], text: string | undefined): void {
  if (!text) return;
  for (const ip of ips) if (ip.text === text) return;
  const ip = parseIp(text);
  if (ip) ips.push(ip);
}

function addPorts(out: ContainerPort[], containers: readonly V1Container[] | undefined): void {
  if (!containers) return;
  for (const container of containers) {
    for (const p of container.ports ?? []) out.push({ name: p.name, port: p.containerPort, protocol: asProtocol(p.protocol) ?? 'TCP' });
  }
}

/** Endpoints by the pod array they were built from (weak: dropped with the state). */
const built = new WeakMap<object, { length: number; namespaces: object; nsLength: number; endpoints: readonly PodEndpoint[] }>();

/**
 * Every pod of the state, in a stable order (namespace, then name), with its namespace's labels; pods with
 * equal labels share one labels object (EndpointInterner). Built once
 * per state (default-deny and all-pairs both ask); a push to the pod or namespace list, or a new list,
 * rebuilds. Each call returns its own array, so a caller may sort or filter it freely.
 */
export function podEndpoints(state: ClusterState): PodEndpoint[] {
  const { pods, namespaces } = state.kubernetes;
  const hit = built.get(pods);
  if (hit && hit.length === pods.length && hit.namespaces === namespaces && hit.nsLength === namespaces.length) return hit.endpoints.slice();
  const endpoints = buildPodEndpoints(state);
  built.set(pods, { length: pods.length, namespaces, nsLength: namespaces.length, endpoints });
  return endpoints.slice();
}

function buildPodEndpoints(state: ClusterState): PodEndpoint[] {
  const namespaces = new Map(state.kubernetes.namespaces.map((ns) => [ns.metadata?.name ?? '', ns]));
  const labelsByNs = new Map<string, Labels>();
  const interner = new EndpointInterner();
  const out: PodEndpoint[] = [];
  for (const pod of state.kubernetes.pods) {
    const nsName = pod.metadata?.namespace ?? 'default';
    let nsLabels = labelsByNs.get(nsName);
    if (!nsLabels) labelsByNs.set(nsName, (nsLabels = namespaceLabels(namespaces.get(nsName), nsName)));
    const endpoint = podEndpoint(pod, nsLabels, interner);
    if (endpoint) out.push(endpoint);
  }
  // By namespace, then name (a stable sort, so equal names keep input order): bucket by namespace, sort the
  // few namespace names, then each bucket by name. Fewer string comparisons than one sort over every pod.
  const buckets = new Map<string, PodEndpoint[]>();
  for (const e of out) {
    const bucket = buckets.get(e.namespace);
    if (bucket) bucket.push(e);
    else buckets.set(e.namespace, [e]);
  }
  const sorted: PodEndpoint[] = [];
  for (const ns of [...buckets.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const bucket = (buckets.get(ns) as PodEndpoint[]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of bucket) sorted.push(e);
  }
  return sorted;
}

/** A pod that exists only to ask "what if": e.g. an unlabelled pod in a namespace nobody selects. */
export function syntheticPod(namespace: string, name: string, labels: Labels = {}, nsLabels?: Labels): PodEndpoint {
  return {
    kind: 'pod',
    id: `${namespace}/${name}`,
    namespace,
    name,
    labels,
    namespaceLabels: nsLabels ?? { [NAMESPACE_NAME_LABEL]: namespace },
    ips: [],
    hostNetwork: false,
    containerPorts: [],
  };
}

export function externalEndpoint(ipText: string): ExternalEndpoint {
  const ip = parseIp(ipText);
  if (!ip) throw new Error(`externalEndpoint: "${ipText}" is not an IP address`);
  return { kind: 'external', id: ipText, ip };
}

export function asProtocol(value: string | undefined): Protocol | undefined {
  return value === 'TCP' || value === 'UDP' || value === 'SCTP' ? value : undefined;
}
