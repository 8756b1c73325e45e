// Collects every address range the cidr-non-overlapping control compares, from the spec and from the
// collected state, each with a kind, a readable name and where it came from. Invalid values are returned as
// problems (the control reports them as `error`), never thrown: one bad value must not hide the others.
import type { ObjectRef, SourceLocation } from '../../model/findings.ts';
import type { CidrSpec, ClusterSpec, NamedCidr } from '../../model/spec.ts';
import { objectKey, type ClusterState } from '../../model/state.ts';
import { kubeadmRef } from '../evidence/objectRef.ts';
import { parseCidr, type Cidr } from '../../cidr/ipRange.ts';

/**
 * `node`: the network nodes live on (spec `nodes`, e.g. a bridge); `node-pods`: one node's `spec.podCIDRs` slice.
 */
export type RangeKind = 'vpc' | 'subnet' | 'node' | 'pod' | 'node-pods' | 'service' | 'peer';

export interface NamedRange {
  kind: RangeKind;
  name: string;
  cidr: Cidr;
  origin: 'spec' | 'state';
  /** Human-readable origin: `spec.cidrs.pods[0]` or `VPC vpc-123 (vpcs.json)`. */
  where: string;
  ref: ObjectRef;
  /** Identity of the object the range belongs to: two ranges of one object are never a conflict. */
  identity: string;
  /** The VPC a state VPC/subnet range lives in; undefined for cluster-wide ranges (pods, services, spec). */
  vpcId?: string;
  /**
   * False for VPC/subnet ranges of a VPC that is not the cluster's own (a peer VPC): pod and node ranges may sit
   * inside the cluster's VPC (VPC CNI) but never inside somebody else's.
   */
  home: boolean;
  planned: boolean;
  /** State VPCs and subnets: the id and the Name tag, by which a spec entry may name the object. */
  aliases?: string[];
}

interface RangeProblem {
  name: string;
  value: string;
  where: string;
  ref: ObjectRef;
  reason: string;
  suggestion?: string;
}

interface GatheredRanges {
  ranges: NamedRange[];
  problems: RangeProblem[];
}

type RangeDraft = Omit<NamedRange, 'cidr' | 'home'>;

export function gatherRanges(spec: ClusterSpec | undefined, state: ClusterState): GatheredRanges {
  const out: GatheredRanges = { ranges: [], problems: [] };
  // The cluster's own VPCs: the EKS cluster's, or (no EKS cluster in the inputs) every VPC object collected;
  // a VPC known only from a peering connection is always someone else's.
  const eksVpcs = state.cloud.eksClusters.map((c) => c.vpcId).filter((v): v is string => v !== undefined);
  const homeVpcs = new Set(eksVpcs.length > 0 ? eksVpcs : state.cloud.vpcs.map((v) => v.id));
  const add = (value: string, draft: RangeDraft): void => {
    const home = draft.vpcId === undefined || homeVpcs.has(draft.vpcId);
    // Dual-stack settings (kubeadm podSubnet, kube-proxy clusterCIDR) are comma-separated lists.
    for (const part of value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')) {
      const parsed = parseCidr(part);
      if (parsed.ok) out.ranges.push({ ...draft, home, cidr: parsed.cidr });
      else
        out.problems.push({
          name: draft.name,
          value: part,
          where: draft.where,
          ref: draft.ref,
          reason: parsed.reason,
          suggestion: parsed.suggestion,
        });
    }
  };
  gatherSpec(spec?.spec.cidrs, add);
  gatherState(state, add);
  return out;
}

const SPEC_KINDS: [keyof CidrSpec, RangeKind][] = [
  ['vpcs', 'vpc'],
  ['subnets', 'subnet'],
  ['pods', 'pod'],
  ['services', 'service'],
  ['nodes', 'node'],
  ['peers', 'peer'],
];

function gatherSpec(cidrs: CidrSpec | undefined, add: (value: string, draft: RangeDraft) => void): void {
  if (!cidrs) return;
  for (const [field, kind] of SPEC_KINDS) {
    (cidrs[field] ?? []).forEach((entry: NamedCidr, index) => {
      const where = `spec.cidrs.${field}[${index}]`;
      add(entry.cidr, {
        kind,
        name: entry.name,
        origin: 'spec',
        where,
        identity: `spec:${field}:${entry.name}`,
        planned: false,
        ref: { kind: 'ClusterSpec', name: `cidrs.${field}.${entry.name}` },
      });
    });
  }
}

function gatherState(state: ClusterState, add: (value: string, draft: RangeDraft) => void): void {
  const cloud = state.cloud;
  const seenVpcCidrs = new Set<string>();
  for (const vpc of cloud.vpcs) {
    for (const cidr of [...vpc.cidrs, ...vpc.ipv6Cidrs]) {
      seenVpcCidrs.add(`${vpc.id} ${cidr}`);
      add(cidr, {
        ...cloudDraft('vpc', 'VPC', vpc.id, vpc.source, vpc.id, vpc.planned),
        name: withNameTag(vpc.id, vpc.tags),
        aliases: aliases(vpc.id, vpc.tags),
      });
    }
  }
  for (const subnet of cloud.subnets) {
    for (const cidr of [subnet.cidr, subnet.ipv6Cidr]) {
      if (cidr)
        add(cidr, {
          ...cloudDraft('subnet', 'Subnet', subnet.id, subnet.source, subnet.vpcId, subnet.planned),
          name: withNameTag(subnet.id, subnet.tags),
          aliases: aliases(subnet.id, subnet.tags),
        });
    }
  }
  // A peering names both sides' CIDRs; they matter even when the peer VPC itself is not in the inputs.
  for (const peering of cloud.peerings) {
    const sides: [string, string[]][] = [
      [peering.requesterVpcId, peering.requesterCidrs],
      [peering.accepterVpcId, peering.accepterCidrs],
    ];
    for (const [vpcId, cidrs] of sides) {
      for (const cidr of cidrs) {
        if (seenVpcCidrs.has(`${vpcId} ${cidr}`)) continue;
        seenVpcCidrs.add(`${vpcId} ${cidr}`);
        const draft = cloudDraft('vpc', 'VpcPeeringConnection', peering.id, peering.source, vpcId, peering.planned);
        add(cidr, {
          ...draft,
          name: vpcId,
          identity: `VPC:${vpcId}`,
          where: `VPC ${vpcId} as named by peering ${peering.id}${fileSuffix(peering.source)}`,
        });
      }
    }
  }
  for (const cluster of cloud.eksClusters) {
    const services: [string, string | undefined][] = [
      ['serviceIpv4Cidr', cluster.serviceIpv4Cidr],
      ['serviceIpv6Cidr', cluster.serviceIpv6Cidr],
    ];
    for (const [field, cidr] of services) {
      const draft = cloudDraft('service', 'EksCluster', cluster.name, cluster.source, undefined, cluster.planned);
      if (cidr) add(cidr, { ...draft, name: `${cluster.name} ${field}`, identity: 'cluster:services' });
    }
  }
  const controlPlane = state.kubernetes.controlPlane;
  const networking = controlPlane.kubeadm?.networking;
  // kubeadm, kube-proxy and the spec describe the same cluster-wide networks, so they share an identity per kind.
  if (networking?.podSubnet) add(networking.podSubnet, k8sDraft('pod', 'kubeadm networking.podSubnet', 'cluster:pods', kubeadmRef(state)));
  if (networking?.serviceSubnet)
    add(networking.serviceSubnet, k8sDraft('service', 'kubeadm networking.serviceSubnet', 'cluster:services', kubeadmRef(state)));
  if (controlPlane.kubeProxy?.clusterCIDR)
    add(controlPlane.kubeProxy.clusterCIDR, k8sDraft('pod', 'kube-proxy clusterCIDR', 'cluster:pods', kubeProxyRef(state)));
  for (const node of state.kubernetes.nodes) {
    const name = node.metadata?.name ?? '(unnamed node)';
    const cidrs = node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : []);
    const source = state.origins[`Node/${name}`];
    for (const cidr of cidrs) {
      add(cidr, {
        kind: 'node-pods',
        name,
        origin: 'state',
        identity: `node:${name}`,
        planned: false,
        where: `Node ${name} spec.podCIDRs${fileSuffix(source)}`,
        ref: { kind: 'Node', name, source },
      });
    }
  }
}

function cloudDraft(
  kind: RangeKind,
  objectKind: string,
  id: string,
  source: SourceLocation | undefined,
  vpcId: string | undefined,
  planned: boolean | undefined,
): RangeDraft {
  return {
    kind,
    name: id,
    origin: 'state',
    where: `${objectKind} ${id}${fileSuffix(source)}`,
    identity: `${objectKind}:${id}`,
    ref: { kind: objectKind, name: id, id, source },
    vpcId,
    planned: planned === true,
  };
}

function k8sDraft(kind: RangeKind, name: string, identity: string, ref: ObjectRef): RangeDraft {
  const object = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  return { kind, name, origin: 'state', where: `${object}${fileSuffix(ref.source)}`, identity, planned: false, ref };
}

/** kube-proxy's configuration: the kube-system/kube-proxy ConfigMap, or a KubeProxyConfiguration file. */
function kubeProxyRef(state: ClusterState): ObjectRef {
  const fromConfigMap = state.origins[objectKey('ConfigMap', 'kube-system', 'kube-proxy')];
  if (fromConfigMap) return { kind: 'ConfigMap', namespace: 'kube-system', name: 'kube-proxy', source: fromConfigMap };
  const key = Object.keys(state.origins).find((k) => k.startsWith('KubeProxyConfiguration/'));
  const name = key?.slice('KubeProxyConfiguration/'.length) ?? 'kube-proxy';
  const source = key === undefined ? undefined : state.origins[key];
  return source === undefined ? { kind: 'KubeProxyConfiguration', name } : { kind: 'KubeProxyConfiguration', name, source };
}

function aliases(id: string, tags: Record<string, string>): string[] {
  return tags.Name ? [id, tags.Name] : [id];
}

/** `subnet-0abc (private-b)`: ids alone mean little to the person reading the finding. */
function withNameTag(id: string, tags: Record<string, string>): string {
  return tags.Name ? `${id} (${tags.Name})` : id;
}

function fileSuffix(source: SourceLocation | undefined): string {
  return source ? ` (${source.file}${source.line === undefined ? '' : `:${source.line}`})` : '';
}
