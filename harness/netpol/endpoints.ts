// The traffic endpoints the engine reasons about: pods as the policy semantics see them (namespace labels,
// pod labels, IPs, named container ports) and addresses outside the cluster.
import type { V1Container, V1ContainerPort, V1Namespace, V1Pod } from '@kubernetes/client-node';
import type { Protocol } from '../model/reachability.ts';
import type { ClusterState } from '../model/state.ts';
import { workloadsOf, type Workload } from '../model/workloads.ts';
import { firstAddress, parseIp, parseRange, type AddressRange, type IpAddress } from './ipBlocks.ts';
import type { Labels } from './selectors.ts';

/** The apiserver sets this label on every namespace (1.21+); selectors rely on it, so we add it when a dump lacks it. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

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
  /**
   * False for a workload read from a template: its address is not known, and `ips` holds at most a stand-in from
   * the pod range (podRanges), so a verdict an ipBlock could change says it depends on the address (addressCaveat.ts).
   */
  readonly addressKnown: boolean;
  readonly containerPorts: readonly ContainerPort[];
}

interface ExternalEndpoint {
  readonly kind: 'external';
  readonly id: string;
  readonly ip: IpAddress;
}

export type Endpoint = PodEndpoint | ExternalEndpoint;

export function namespaceLabels(ns: V1Namespace | undefined, name: string): Labels {
  return { ...(ns?.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
}

/** `namespace`, when given, is the pod's namespace name as one string shared by all its pods (see below). */
function podEndpoint(pod: V1Pod, nsLabels: Labels, namespace: string = pod.metadata?.namespace ?? 'default'): PodEndpoint | undefined {
  const name = pod.metadata?.name;
  if (!name) return undefined;
  // Indexed loops, no closures, intermediate Sets or spreads: this runs once per pod of clusters with thousands
  // of them, mostly before V8 has optimised it (for-of costs twice as much in its first tiers).
  const ips: IpAddress[] = [];
  const podIPs = pod.status?.podIPs;
  if (podIPs) for (let k = 0; k < podIPs.length; k++) addIp(ips, podIPs[k]?.ip);
  addIp(ips, pod.status?.podIP);
  const containerPorts: ContainerPort[] = [];
  addPorts(containerPorts, pod.spec?.initContainers);
  addPorts(containerPorts, pod.spec?.containers);
  return {
    kind: 'pod',
    id: `${namespace}/${name}`,
    namespace,
    name,
    labels: pod.metadata?.labels ?? {},
    namespaceLabels: nsLabels,
    ips,
    hostNetwork: pod.spec?.hostNetwork === true,
    addressKnown: ips.length > 0 || pod.spec?.hostNetwork === true,
    containerPorts,
  };
}

function addIp(ips: IpAddress[], text: string | undefined): void {
  if (!text) return;
  for (let k = 0; k < ips.length; k++) if ((ips[k] as IpAddress).text === text) return;
  const ip = parseIp(text);
  if (ip) ips.push(ip);
}

function addPorts(out: ContainerPort[], containers: readonly V1Container[] | undefined): void {
  if (!containers) return;
  for (let c = 0; c < containers.length; c++) {
    const ports = (containers[c] as V1Container).ports;
    if (!ports) continue;
    for (let k = 0; k < ports.length; k++) {
      const p = ports[k] as V1ContainerPort;
      out.push({ name: p.name, port: p.containerPort, protocol: asProtocol(p.protocol) ?? 'TCP' });
    }
  }
}

/** Endpoints by the workload list they were built from (weak: dropped with the state). */
const built = new WeakMap<object, { namespaces: object; nsLength: number; podCidrs: unknown; endpoints: readonly PodEndpoint[] }>();

/**
 * Every workload of the state (Pods and pod templates, see model/workloads.ts), in a stable order (namespace,
 * then name), with its namespace's labels. Built once per state (default-deny and all-pairs both ask); a change
 * to the workload or namespace lists rebuilds. Each call returns its own array, so a caller may sort or filter it
 * freely. Labels are the pod's own object: consumers that group pods project labels onto the keys their selectors
 * read (labelClasses.ts), which is cheaper than interning whole label sets and groups more.
 */
export function podEndpoints(state: ClusterState): PodEndpoint[] {
  const workloads = workloadsOf(state);
  const { namespaces } = state.kubernetes;
  const hit = built.get(workloads);
  if (hit && hit.namespaces === namespaces && hit.nsLength === namespaces.length && hit.podCidrs === state.podCidrs)
    return hit.endpoints.slice();
  const endpoints = sortedByNamespaceAndName(bucketByNamespace(state, workloads));
  built.set(workloads, { namespaces, nsLength: namespaces.length, podCidrs: state.podCidrs, endpoints });
  return endpoints.slice();
}

/** A namespace's pods as they are built, with the namespace's labels and its name as one shared string. */
interface Bucket {
  name: string;
  labels: Labels;
  pods: PodEndpoint[];
}

function bucketByNamespace(state: ClusterState, workloads: readonly Workload[]): Map<string, Bucket> {
  const namespaces = new Map(state.kubernetes.namespaces.map((ns) => [ns.metadata?.name ?? '', ns]));
  // Every endpoint of a namespace carries the same string object as its namespace: consumers key maps by it,
  // and V8 hashes a string once per object, so 300 hashes serve 5,000 pods.
  const buckets = new Map<string, Bucket>();
  // A template's pods have addresses in the pod range: one stand-in address per family, shared by all templates.
  const standIns = podRanges(state)
    .filter((r, i, all) => all.findIndex((o) => o.family === r.family) === i)
    .map(firstAddress);
  for (let i = 0; i < workloads.length; i++) {
    const w = workloads[i] as Workload;
    let bucket = buckets.get(w.namespace);
    if (!bucket)
      buckets.set(
        w.namespace,
        (bucket = { name: w.namespace, labels: namespaceLabels(namespaces.get(w.namespace), w.namespace), pods: [] }),
      );
    const endpoint = podEndpoint(w.pod, bucket.labels, bucket.name);
    if (!endpoint) continue;
    bucket.pods.push(w.fromTemplate && !endpoint.hostNetwork && standIns.length > 0 ? { ...endpoint, ips: standIns } : endpoint);
  }
  return buckets;
}

/** The pod address ranges the inputs give (ClusterState.podCidrs) or hold (kubeadm podSubnet, kube-proxy clusterCIDR). */
export function podRanges(state: ClusterState): AddressRange[] {
  const { kubeadm, kubeProxy } = state.kubernetes.controlPlane;
  const texts = [
    ...(state.podCidrs ?? []),
    ...(kubeadm?.networking?.podSubnet ?? '').split(','),
    ...(kubeProxy?.clusterCIDR ?? '').split(','),
  ];
  return [...new Set(texts.map((t) => t.trim()).filter(Boolean))].flatMap((t) => parseRange(t) ?? []);
}

/**
 * By namespace, then name (a stable sort, so equal names keep input order): the few namespace names sorted,
 * then each bucket by name, unless it already is (collected lists usually are).
 */
function sortedByNamespaceAndName(buckets: Map<string, Bucket>): PodEndpoint[] {
  const sorted: PodEndpoint[] = [];
  for (const ns of [...buckets.keys()].sort(compareText)) {
    const pods = (buckets.get(ns) as Bucket).pods;
    if (!sortedByName(pods)) pods.sort(byName);
    for (let i = 0; i < pods.length; i++) sorted.push(pods[i] as PodEndpoint);
  }
  return sorted;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a === b ? 0 : 1;
}

function byName(a: PodEndpoint, b: PodEndpoint): number {
  return compareText(a.name, b.name);
}

function sortedByName(pods: readonly PodEndpoint[]): boolean {
  for (let i = 1; i < pods.length; i++) if ((pods[i - 1] as PodEndpoint).name > (pods[i] as PodEndpoint).name) return false;
  return true;
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
    addressKnown: true,
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
