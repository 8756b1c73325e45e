// The traffic endpoints the engine reasons about: pods as the policy semantics see them (namespace labels,
// pod labels, IPs, named container ports) and addresses outside the cluster.
import type { V1Namespace, V1Pod } from '@kubernetes/client-node';
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

export function namespaceLabels(ns: V1Namespace | undefined, name: string): Labels {
  return { ...(ns?.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
}

export function podEndpoint(pod: V1Pod, nsLabels: Labels): PodEndpoint | undefined {
  const name = pod.metadata?.name;
  const namespace = pod.metadata?.namespace ?? 'default';
  if (!name) return undefined;
  // Plain loops, no intermediate Sets or spreads: this runs once per pod of clusters with thousands of them.
  const ips: IpAddress[] = [];
  const addIp = (text: string | undefined) => {
    if (!text || ips.some((ip) => ip.text === text)) return;
    const ip = parseIp(text);
    if (ip) ips.push(ip);
  };
  for (const entry of pod.status?.podIPs ?? []) addIp(entry.ip);
  addIp(pod.status?.podIP);
  const containerPorts: ContainerPort[] = [];
  for (const list of [pod.spec?.initContainers, pod.spec?.containers]) {
    for (const container of list ?? []) {
      for (const p of container.ports ?? []) containerPorts.push({ name: p.name, port: p.containerPort, protocol: asProtocol(p.protocol) ?? 'TCP' });
    }
  }
  return {
    kind: 'pod',
    id: `${namespace}/${name}`,
    namespace,
    name,
    labels: pod.metadata?.labels ?? {},
    namespaceLabels: nsLabels,
    ips,
    hostNetwork: pod.spec?.hostNetwork === true,
    containerPorts,
  };
}

/** Every pod of the state, in a stable order (namespace, then name), with its namespace's labels. */
export function podEndpoints(state: ClusterState): PodEndpoint[] {
  const namespaces = new Map(state.kubernetes.namespaces.map((ns) => [ns.metadata?.name ?? '', ns]));
  const labelsByNs = new Map<string, Labels>();
  const out: PodEndpoint[] = [];
  for (const pod of state.kubernetes.pods) {
    const nsName = pod.metadata?.namespace ?? 'default';
    let nsLabels = labelsByNs.get(nsName);
    if (!nsLabels) labelsByNs.set(nsName, (nsLabels = namespaceLabels(namespaces.get(nsName), nsName)));
    const endpoint = podEndpoint(pod, nsLabels);
    if (endpoint) out.push(endpoint);
  }
  // Compare the parts, not `id`: template-literal ids are rope strings that every comparison would flatten.
  return out.sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
