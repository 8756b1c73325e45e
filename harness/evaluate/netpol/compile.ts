// Compiles NetworkPolicies into matchers once (cyclonus' pkg/matcher idea): a target selector plus, per
// direction, the rules with their peers and ports. Every part keeps its text so a verdict can say which
// policy and which rule decided it. Invalid policies are reported all at once as InputError.
import type { V1IPBlock, V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicyPort } from '@kubernetes/client-node';
import { InputError, type InputProblem } from '../../errors.ts';
import type { Protocol } from '../../model/reachability.ts';
import { objectKey, type ClusterState } from '../../model/state.ts';
import { asProtocol, type PodEndpoint } from './endpoints.ts';
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
  namespace: string;
  podSelector: CompiledSelector;
  /** undefined: the policy does not apply to this direction (policyTypes). */
  ingress?: CompiledRule[];
  egress?: CompiledRule[];
}

export function compilePolicies(state: ClusterState): CompiledPolicy[] {
  const problems: InputProblem[] = [];
  const compiled: CompiledPolicy[] = [];
  for (const [i, np] of state.kubernetes.networkPolicies.entries()) {
    const namespace = np.metadata?.namespace ?? 'default';
    const name = np.metadata?.name ?? `#${i}`;
    // The file is looked up only for an invalid policy: most policies are valid, and the lookup is not free.
    const file = () => state.origins[objectKey('NetworkPolicy', namespace, name)]?.file ?? `NetworkPolicy ${namespace}/${name}`;
    const report = (pointer: string, message: string, fix?: string) => problems.push({ file: file(), pointer, message, fix });
    const policy = compilePolicy(np, namespace, name, report);
    if (policy) compiled.push(policy);
  }
  if (problems.length > 0) throw new InputError(problems);
  return compiled;
}

type Report = (pointer: string, message: string, fix?: string) => void;

function compilePolicy(np: V1NetworkPolicy, namespace: string, name: string, report: Report): CompiledPolicy | undefined {
  const spec = np.spec;
  if (!spec) {
    report('/spec', 'NetworkPolicy has no spec', 'add spec.podSelector: {} at least');
    return undefined;
  }
  const podSelector = compileSelector(spec.podSelector ?? {});
  if ('problem' in podSelector) {
    report('/spec/podSelector', podSelector.problem);
    return undefined;
  }
  const types = policyTypes(np);
  for (const t of types) if (t !== 'Ingress' && t !== 'Egress') report('/spec/policyTypes', `unknown policy type "${t}"`, 'use Ingress and/or Egress');
  const rules = (direction: 'ingress' | 'egress'): CompiledRule[] =>
    (spec[direction] ?? []).map((rule, index) => {
      // YAML/JSON carry `from`; client-node's generated class names the same field `_from`. Accept both.
      const wire = rule as { from?: V1NetworkPolicyPeer[]; _from?: V1NetworkPolicyPeer[]; to?: V1NetworkPolicyPeer[] };
      const peersIn = direction === 'ingress' ? (wire.from ?? wire._from) : wire.to;
      const field = direction === 'ingress' ? 'from' : 'to';
      const base = `/spec/${direction}/${index}`;
      return {
        index,
        peers: peersIn && peersIn.length > 0 ? compilePeers(peersIn, namespace, `${base}/${field}`, report) : undefined,
        ports: rule.ports && rule.ports.length > 0 ? compilePorts(rule.ports, `${base}/ports`, report) : undefined,
      };
    });
  return {
    id: `${namespace}/${name}`,
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

function compilePeers(peers: V1NetworkPolicyPeer[], policyNamespace: string, pointer: string, report: Report): CompiledPeer[] {
  const out: CompiledPeer[] = [];
  for (const [i, peer] of peers.entries()) {
    const at = `${pointer}/${i}`;
    if (peer.ipBlock) {
      if (peer.podSelector || peer.namespaceSelector) report(at, 'a peer with ipBlock cannot also set podSelector or namespaceSelector', 'split it into two peers');
      const block = compileIpBlockCached(peer.ipBlock);
      if ('problem' in block) report(`${at}/ipBlock`, block.problem);
      else out.push({ kind: 'ipBlock', key: `ipBlock ${block.key}`, block });
      continue;
    }
    if (!peer.podSelector && !peer.namespaceSelector) {
      report(at, 'peer sets none of podSelector, namespaceSelector, ipBlock', 'use podSelector: {} to mean every pod of this namespace');
      continue;
    }
    const podSelector = peer.podSelector ? compileSelector(peer.podSelector) : undefined;
    const namespaceSelector = peer.namespaceSelector ? compileSelector(peer.namespaceSelector) : undefined;
    if (podSelector && 'problem' in podSelector) report(`${at}/podSelector`, podSelector.problem);
    else if (namespaceSelector && 'problem' in namespaceSelector) report(`${at}/namespaceSelector`, namespaceSelector.problem);
    else {
      const nsText = namespaceSelector ? `namespaces {${namespaceSelector.key}}` : `namespace ${policyNamespace}`;
      const podText = podSelector ? `pods {${podSelector.key}}` : 'all pods';
      out.push({
        kind: 'pods',
        key: `${podText} in ${nsText}`,
        namespaceSelector,
        policyNamespace: namespaceSelector ? undefined : policyNamespace,
        podSelector,
      });
    }
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
  for (const [i, p] of ports.entries()) {
    const at = `${pointer}/${i}`;
    const protocol = p.protocol === undefined ? 'TCP' : asProtocol(p.protocol);
    if (!protocol) {
      report(`${at}/protocol`, `protocol "${p.protocol}" is not TCP, UDP or SCTP`, 'protocol: TCP');
      continue;
    }
    const port = typeof p.port === 'string' && /^\d+$/.test(p.port) ? Number(p.port) : p.port;
    if (port === undefined) {
      if (p.endPort !== undefined) report(`${at}/endPort`, 'endPort needs port', 'port: 8000\n    endPort: 8100');
      out.push({ kind: 'all', protocol, text: `any/${protocol}` });
    } else if (typeof port === 'string') {
      if (p.endPort !== undefined) report(`${at}/endPort`, `endPort cannot be used with the named port "${port}"`, 'use a numeric port');
      out.push({ kind: 'named', protocol, name: port, text: `${port}/${protocol}` });
    } else {
      const to = p.endPort ?? port;
      if (!Number.isInteger(port) || port < 1 || port > 65535) report(`${at}/port`, `port ${port} is outside 1-65535`, 'port: 8080');
      else if (!Number.isInteger(to) || to < port || to > 65535) report(`${at}/endPort`, `endPort ${to} must be between port ${port} and 65535`, `endPort: ${Math.max(port, 1) + 10}`);
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
  if (peer.kind === 'ipBlock') return pod.ips.some((ip) => peer.block.contains(ip));
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
      return destination?.containerPorts.some((c) => c.name === p.name && c.protocol === protocol && c.port === port) ?? false;
  }
}
