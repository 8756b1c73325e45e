// Compiles NetworkPolicies into matchers once (cyclonus' pkg/matcher idea): a target selector plus, per
// direction, the rules with their peers and ports. Every part keeps its text so a verdict can say which
// policy and which rule decided it. Invalid policies are reported all at once as InputError.
import type { V1IPBlock, V1LabelSelector, V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicyPort } from '@kubernetes/client-node';
import { InputError, type InputProblem } from '../errors.ts';
import type { Protocol } from '../model/reachability.ts';
import { objectKey, type ClusterState } from '../model/state.ts';
import { asProtocol, type ContainerPort, type PodEndpoint } from './endpoints.ts';
import { compileIpBlock, type CompiledIpBlock, type IpAddress } from './ipBlocks.ts';
import { compileSelector, type CompiledSelector } from './selectors.ts';

export type CompiledPeer =
  | {
      kind: 'pods';
      key: string;
      /** Absent: the policy's own namespace (`policyNamespace`). */
      namespaceSelector?: CompiledSelector;
      policyNamespace?: string;
      /** Absent: every pod of the selected namespaces. */
      podSelector?: CompiledSelector;
    }
  | { kind: 'ipBlock'; key: string; block: CompiledIpBlock };

export type CompiledPort =
  | { kind: 'all'; protocol: Protocol; text: string }
  | { kind: 'range'; protocol: Protocol; from: number; to: number; text: string }
  /** Resolved against the destination pod's container ports (name and protocol must both match). */
  | { kind: 'named'; protocol: Protocol; name: string; text: string };

export interface CompiledRule {
  /** Index in spec.ingress / spec.egress, as a person finds it in the YAML. */
  index: number;
  /** undefined: `from`/`to` empty or absent, i.e. every peer (in-cluster and outside). */
  peers?: CompiledPeer[];
  /** undefined: `ports` empty or absent, i.e. every port and protocol. */
  ports?: CompiledPort[];
}

export interface CompiledPolicy {
  /** "namespace/name" */
  id: string;
  /** The object it was compiled from, for evidence references. */
  source: V1NetworkPolicy;
  namespace: string;
  podSelector: CompiledSelector;
  /** undefined: the policy does not apply to this direction (policyTypes). */
  ingress?: CompiledRule[];
  egress?: CompiledRule[];
}

export function compilePolicies(state: ClusterState): CompiledPolicy[] {
  const problems: InputProblem[] = [];
  const compiled: CompiledPolicy[] = [];
  const cache = new CompileCache();
  for (const [i, np] of state.kubernetes.networkPolicies.entries()) {
    const namespace = np.metadata?.namespace ?? 'default';
    const name = np.metadata?.name ?? `#${i}`;
    // The file is looked up only for an invalid policy: most policies are valid, and the lookup is not free.
    const file = () => state.origins[objectKey('NetworkPolicy', namespace, name)]?.file ?? `NetworkPolicy ${namespace}/${name}`;
    const report = (pointer: string, message: string, fix?: string) => problems.push({ file: file(), pointer, message, fix });
    const policy = compilePolicy(np, namespace, name, report, cache);
    if (policy) compiled.push(policy);
  }
  if (problems.length > 0) throw new InputError(problems);
  return compiled;
}

type Report = (pointer: string, message: string, fix?: string) => void;

type SelectorResult = CompiledSelector | { problem: string };

/**
 * Selectors and peers recur across policies (every `podSelector: {}`, one team's selector in each of its
 * namespaces): each is compiled once per state and shared, so equal peers are one object, which all-pairs
 * tells apart by identity.
 */
class CompileCache {
  private readonly selectors = new Map<string, SelectorResult>();
  private empty: SelectorResult | undefined;
  private readonly peers = new Map<CompiledSelector | string, Map<CompiledSelector | null, CompiledPeer>>();

  selector(selector: V1LabelSelector): SelectorResult {
    // `{}` (every pod) is the most common selector of all: no key to build.
    if (isEmpty(selector)) return (this.empty ??= compileSelector({}));
    // Keyed by JSON, which only represents strings faithfully: other values (NaN, null from loose YAML) are compiled apart.
    if (!stringsOnly(selector)) return compileSelector(selector);
    const key = JSON.stringify(selector);
    let compiled = this.selectors.get(key);
    if (!compiled) this.selectors.set(key, (compiled = compileSelector(selector)));
    return compiled;
  }

  podPeer(
    namespaceSelector: CompiledSelector | undefined,
    policyNamespace: string,
    podSelector: CompiledSelector | undefined,
  ): CompiledPeer {
    const outer = namespaceSelector ?? policyNamespace;
    let byPod = this.peers.get(outer);
    if (!byPod) this.peers.set(outer, (byPod = new Map()));
    let peer = byPod.get(podSelector ?? null);
    if (!peer) {
      const nsText = namespaceSelector ? `namespaces {${namespaceSelector.key}}` : `namespace ${policyNamespace}`;
      const podText = podSelector ? `pods {${podSelector.key}}` : 'all pods';
      peer = {
        kind: 'pods',
        key: `${podText} in ${nsText}`,
        namespaceSelector,
        policyNamespace: namespaceSelector ? undefined : policyNamespace,
        podSelector,
      };
      byPod.set(podSelector ?? null, peer);
    }
    return peer;
  }
}

function isEmpty(selector: V1LabelSelector): boolean {
  for (const key in selector.matchLabels ?? {}) if (Object.hasOwn(selector.matchLabels ?? {}, key)) return false;
  return (selector.matchExpressions?.length ?? 0) === 0;
}

function stringsOnly(selector: V1LabelSelector): boolean {
  for (const key in selector.matchLabels ?? {}) if (typeof selector.matchLabels?.[key] !== 'string') return false;
  for (const e of selector.matchExpressions ?? []) {
    if (typeof e.key !== 'string' || typeof e.operator !== 'string') return false;
    if (e.values !== undefined) for (const v of e.values) if (typeof v !== 'string') return false;
  }
  return true;
}

function compilePolicy(
  np: V1NetworkPolicy,
  namespace: string,
  name: string,
  report: Report,
  cache: CompileCache,
): CompiledPolicy | undefined {
  const spec = np.spec;
  if (!spec) {
    report('/spec', 'NetworkPolicy has no spec', 'add spec.podSelector: {} at least');
    return undefined;
  }
  const podSelector = cache.selector(spec.podSelector ?? {});
  if ('problem' in podSelector) {
    report('/spec/podSelector', podSelector.problem);
    return undefined;
  }
  const types = policyTypes(np);
  for (const t of types)
    if (t !== 'Ingress' && t !== 'Egress') report('/spec/policyTypes', `unknown policy type "${t}"`, 'use Ingress and/or Egress');
  const rules = (direction: 'ingress' | 'egress'): CompiledRule[] =>
    (spec[direction] ?? []).map((rule, index) => {
      // YAML/JSON carry `from`; client-node's generated class names the same field `_from`. Accept both.
      const wire = rule as { from?: V1NetworkPolicyPeer[]; _from?: V1NetworkPolicyPeer[]; to?: V1NetworkPolicyPeer[] };
      const peersIn = direction === 'ingress' ? (wire.from ?? wire._from) : wire.to;
      const field = direction === 'ingress' ? 'from' : 'to';
      const base = `/spec/${direction}/${index}`;
      return {
        index,
        peers: peersIn && peersIn.length > 0 ? compilePeers(peersIn, namespace, `${base}/${field}`, report, cache) : undefined,
        ports: rule.ports && rule.ports.length > 0 ? compilePorts(rule.ports, `${base}/ports`, report) : undefined,
      };
    });
  return {
    id: `${namespace}/${name}`,
    source: np,
    namespace,
    podSelector,
    ingress: types.includes('Ingress') ? rules('ingress') : undefined,
    egress: types.includes('Egress') ? rules('egress') : undefined,
  };
}

/** The apiserver's defaulting: Ingress always; Egress only when the policy has egress rules. */
export function policyTypes(np: V1NetworkPolicy): string[] {
  const declared = np.spec?.policyTypes;
  if (declared && declared.length > 0) return declared;
  return (np.spec?.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function compilePeers(
  peers: V1NetworkPolicyPeer[],
  policyNamespace: string,
  pointer: string,
  report: Report,
  cache: CompileCache,
): CompiledPeer[] {
  const out: CompiledPeer[] = [];
  // Indexed, and pointers built only for a problem: this runs for every peer of every policy.
  for (let i = 0; i < peers.length; i++) {
    const peer = peers[i] as V1NetworkPolicyPeer;
    if (peer.ipBlock) {
      if (peer.podSelector || peer.namespaceSelector)
        report(`${pointer}/${i}`, 'a peer with ipBlock cannot also set podSelector or namespaceSelector', 'split it into two peers');
      const block = compileIpBlockCached(peer.ipBlock);
      if ('problem' in block) report(`${pointer}/${i}/ipBlock`, block.problem);
      else out.push({ kind: 'ipBlock', key: `ipBlock ${block.key}`, block });
      continue;
    }
    if (!peer.podSelector && !peer.namespaceSelector) {
      report(
        `${pointer}/${i}`,
        'peer sets none of podSelector, namespaceSelector, ipBlock',
        'use podSelector: {} to mean every pod of this namespace',
      );
      continue;
    }
    const podSelector = peer.podSelector ? cache.selector(peer.podSelector) : undefined;
    const namespaceSelector = peer.namespaceSelector ? cache.selector(peer.namespaceSelector) : undefined;
    if (podSelector && 'problem' in podSelector) report(`${pointer}/${i}/podSelector`, podSelector.problem);
    else if (namespaceSelector && 'problem' in namespaceSelector) report(`${pointer}/${i}/namespaceSelector`, namespaceSelector.problem);
    else out.push(cache.podPeer(namespaceSelector, policyNamespace, podSelector));
  }
  return out;
}

/** The same ipBlock (e.g. "internet except private ranges") recurs in many policies: parse it once. */
const ipBlocks = new Map<string, ReturnType<typeof compileIpBlock>>();
function compileIpBlockCached(block: V1IPBlock): ReturnType<typeof compileIpBlock> {
  const key = JSON.stringify([block.cidr, block.except ?? []]);
  let compiled = ipBlocks.get(key);
  if (!compiled) {
    if (ipBlocks.size >= 10_000) ipBlocks.clear(); // bounded: a long-lived process sees many clusters
    ipBlocks.set(key, (compiled = compileIpBlock(block)));
  }
  return compiled;
}

function compilePorts(ports: V1NetworkPolicyPort[], pointer: string, report: Report): CompiledPort[] {
  const out: CompiledPort[] = [];
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i] as V1NetworkPolicyPort;
    const protocol = p.protocol === undefined ? 'TCP' : asProtocol(p.protocol);
    if (!protocol) {
      report(`${pointer}/${i}/protocol`, `protocol "${p.protocol}" is not TCP, UDP or SCTP`, 'protocol: TCP');
      continue;
    }
    const port = typeof p.port === 'string' && /^\d+$/.test(p.port) ? Number(p.port) : p.port;
    if (port === undefined) {
      if (p.endPort !== undefined) report(`${pointer}/${i}/endPort`, 'endPort needs port', 'port: 8000\n    endPort: 8100');
      out.push({ kind: 'all', protocol, text: `any/${protocol}` });
    } else if (typeof port === 'string') {
      if (p.endPort !== undefined)
        report(`${pointer}/${i}/endPort`, `endPort cannot be used with the named port "${port}"`, 'use a numeric port');
      out.push({ kind: 'named', protocol, name: port, text: `${port}/${protocol}` });
    } else {
      const to = p.endPort ?? port;
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        report(`${pointer}/${i}/port`, `port ${port} is outside 1-65535`, 'port: 8080');
      else if (!Number.isInteger(to) || to < port || to > 65535)
        report(`${pointer}/${i}/endPort`, `endPort ${to} must be between port ${port} and 65535`, `endPort: ${Math.max(port, 1) + 10}`);
      else out.push({ kind: 'range', protocol, from: port, to, text: to === port ? `${port}/${protocol}` : `${port}-${to}/${protocol}` });
    }
  }
  return out;
}

export function selectsPod(policy: CompiledPolicy, pod: PodEndpoint): boolean {
  return !pod.hostNetwork && pod.namespace === policy.namespace && policy.podSelector.matches(pod.labels);
}

/** hostNetwork pods are seen as their node's address: only ipBlock peers can match them. */
export function peerMatchesPod(peer: CompiledPeer, pod: PodEndpoint): boolean {
  if (peer.kind === 'ipBlock') {
    for (let k = 0; k < pod.ips.length; k++) if (peer.block.contains(pod.ips[k] as IpAddress)) return true;
    return false;
  }
  if (pod.hostNetwork) return false;
  const nsOk = peer.namespaceSelector ? peer.namespaceSelector.matches(pod.namespaceLabels) : pod.namespace === peer.policyNamespace;
  return nsOk && (peer.podSelector ? peer.podSelector.matches(pod.labels) : true);
}

export function peerMatchesIp(peer: CompiledPeer, ip: IpAddress): boolean {
  return peer.kind === 'ipBlock' && peer.block.contains(ip);
}

export function portMatches(p: CompiledPort, port: number, protocol: Protocol, destination: PodEndpoint | undefined): boolean {
  if (p.protocol !== protocol) return false;
  switch (p.kind) {
    case 'all':
      return true;
    case 'range':
      return port >= p.from && port <= p.to;
    case 'named':
      return destination !== undefined && hasNamedPort(destination.containerPorts, p.name, port, protocol);
  }
}

function hasNamedPort(ports: readonly ContainerPort[], name: string, port: number, protocol: Protocol): boolean {
  for (let k = 0; k < ports.length; k++) {
    const c = ports[k] as ContainerPort;
    if (c.name === name && c.protocol === protocol && c.port === port) return true;
  }
  return false;
}
