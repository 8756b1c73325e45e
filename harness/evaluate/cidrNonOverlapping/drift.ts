// Drift between the CIDRs the spec names and the ranges the cluster actually has. The overlap analysis trusts every
// declaration; this check asks whether the declarations agree with the spec, so a cluster built with another range
// (kubeadm's podSubnet left at a CNI default, a VPC created from a stale tfvars) is reported even when it happens
// not to overlap anything yet.
//
// Where each actual range is read is SOURCES, and what it must be is RULE: equal to a spec range of its family, a
// node's podCIDR inside one. A family the spec names but the cluster lacks (spec dual-stack, cluster IPv4 only) is
// drift too. An entry the inputs hold no actual value for is `not-applicable` with the reason, never agreement.
// Spec `nodes` and `peers` have no actual counterpart in the inputs.
import type { Evidence, Finding } from '../../model/findings.ts';
import type { NamedRange, RangeKind } from './gatherRanges.ts';
import { relate } from './relation.ts';

interface DriftResult {
  /** `fail` findings, one per drifting declaration or object (node podCIDRs: one for all nodes). */
  failures: Finding[];
  /** Actual ranges found equal to (or inside) the spec's, for the pass summary. */
  matched: string[];
  /** What could not be compared, with the reason (reported as one `not-applicable` finding). */
  unchecked: { what: string; detail: string }[];
}

const RULE: Evidence = {
  type: 'rule',
  rule: 'actual-range-is-spec-range',
  detail:
    'each actual pod, service, VPC and subnet range is the one spec.cidrs names for it; each node podCIDR lies inside a spec pod range',
};

const SOURCES: Record<'pod' | 'service' | 'vpc' | 'subnet' | 'node', string> = {
  pod: 'kubeadm ClusterConfiguration networking.podSubnet, kube-proxy clusterCIDR or Node spec.podCIDRs',
  service: 'kubeadm ClusterConfiguration networking.serviceSubnet or EKS kubernetesNetworkConfig.serviceIpv4Cidr/serviceIpv6Cidr',
  vpc: "the cluster's VPC (`aws ec2 describe-vpcs` output or a terraform plan with aws_vpc)",
  subnet: "the cluster's subnets (`aws ec2 describe-subnets` output or a terraform plan with aws_subnet)",
  node: 'the node network as a CIDR (no input states it)',
};

const PLURAL: Record<'pod' | 'service' | 'vpc' | 'subnet' | 'node', string> = {
  pod: 'pods',
  service: 'services',
  vpc: 'vpcs',
  subnet: 'subnets',
  node: 'nodes',
};

/** Node podCIDRs listed in the evidence at most; the message gives the count. */
const MAX_NODES_LISTED = 50;

export function checkDrift(controlId: string, ranges: readonly NamedRange[]): DriftResult {
  const out: DriftResult = { failures: [], matched: [], unchecked: [] };
  const spec = (kind: RangeKind): NamedRange[] => ranges.filter((r) => r.origin === 'spec' && r.kind === kind);
  const actual = (kind: RangeKind): NamedRange[] => ranges.filter((r) => r.origin === 'state' && r.kind === kind && r.home);
  clusterWide(controlId, 'pod', spec('pod'), actual('pod'), actual('node-pods'), out);
  clusterWide(controlId, 'service', spec('service'), actual('service'), [], out);
  objects(controlId, 'vpc', spec('vpc'), actual('vpc'), out);
  objects(controlId, 'subnet', spec('subnet'), actual('subnet'), out);
  if (spec('node').length > 0) out.unchecked.push({ what: 'spec.cidrs.nodes', detail: `not compared: the inputs hold ${SOURCES.node}` });
  return out;
}

function clusterWide(
  controlId: string,
  kind: 'pod' | 'service',
  expected: NamedRange[],
  declared: NamedRange[],
  nodes: NamedRange[],
  out: DriftResult,
): void {
  if (expected.length === 0) return;
  if (declared.length + nodes.length === 0) {
    out.unchecked.push({
      what: `spec.cidrs.${PLURAL[kind]}`,
      detail: `${names(expected)}: the inputs hold no actual ${kind} range (${SOURCES[kind]}) to compare with`,
    });
    return;
  }
  for (const r of declared) {
    const sameFamily = expected.filter((e) => e.cidr.family === r.cidr.family);
    if (sameFamily.length === 0) continue; // the spec names no range of this family: nothing to drift from
    if (sameFamily.some((e) => e.cidr.text === r.cidr.text)) {
      out.matched.push(`${r.name} ${r.cidr.text}`);
      continue;
    }
    out.failures.push(drifted(controlId, r, sameFamily, `${kind} range ${r.name}`, 'is'));
  }
  const present = [...declared, ...nodes];
  for (const e of expected) {
    if (present.some((r) => r.cidr.family === e.cidr.family)) continue;
    const sources = [...new Set(declared.map((r) => r.name))];
    if (sources.length === 0) continue; // only node podCIDRs of the other family: nothing declares the network
    const first = declared[0] as NamedRange;
    out.failures.push({
      controlId,
      layer: first.planned ? 'plan' : 'config',
      result: 'fail',
      subject: first.ref,
      message: `spec.cidrs.${PLURAL[kind]} names the ${family(e)} ${kind} range ${e.name} ${e.cidr.text} (${e.where}), but the cluster's ${kind} configuration (${sources.join(', ')}) has no ${family(e)} range: the cluster is not the dual-stack network the spec describes.`,
      evidence: [
        {
          type: 'comparison',
          what: `${family(e)} ${kind} range (${sources.join(', ')} vs ${e.where})`,
          expected: e.cidr.text,
          actual: declared.map((r) => r.cidr.text).join(', '),
          ref: first.ref,
        },
        { type: 'object', ref: e.ref, detail: `expected: ${e.name} ${e.cidr.text} from ${e.where}` },
        RULE,
      ],
    });
  }
  if (kind === 'pod') nodePodCidrs(controlId, expected, nodes, out);
}

/** Each node's podCIDR must be a slice of a spec pod range of its family; all nodes outside in one finding. */
function nodePodCidrs(controlId: string, expected: NamedRange[], nodes: NamedRange[], out: DriftResult): void {
  const outside: { node: NamedRange; pools: NamedRange[] }[] = [];
  let compared = 0;
  for (const n of nodes) {
    const pools = expected.filter((e) => e.cidr.family === n.cidr.family);
    if (pools.length === 0) continue;
    compared++;
    const inside = pools.some((p) => {
      const rel = relate(n.cidr, p.cidr);
      return rel === 'equal' || rel === 'within';
    });
    if (!inside) outside.push({ node: n, pools });
  }
  if (compared > 0 && outside.length === 0) out.matched.push(`${compared} node podCIDR(s) inside ${names(expected)}`);
  if (outside.length === 0) return;
  const pools = [...new Set(outside.flatMap((o) => o.pools))];
  const shown = outside
    .slice(0, 10)
    .map((o) => `${o.node.name} ${o.node.cidr.text}`)
    .join(', ');
  const first = outside[0]!.node;
  out.failures.push({
    controlId,
    layer: 'config',
    result: 'fail',
    subject: first.ref,
    message: `${outside.length} of ${compared} node podCIDR(s) lie outside the spec's pod range ${names(pools)}: ${shown}${outside.length > 10 ? ', …' : ''}. Each node's podCIDR is a slice of the cluster pod range, so the cluster hands out pod IPs from a range the spec does not name.`,
    evidence: [
      ...outside.slice(0, MAX_NODES_LISTED).map(
        (o): Evidence => ({
          type: 'comparison',
          what: `Node ${o.node.name} spec.podCIDRs inside spec.cidrs.pods`,
          expected: `inside ${o.pools.map((p) => p.cidr.text).join(' or ')}`,
          actual: o.node.cidr.text,
          ref: o.node.ref,
        }),
      ),
      ...pools.map((p): Evidence => ({ type: 'object', ref: p.ref, detail: `expected: ${p.name} ${p.cidr.text} from ${p.where}` })),
      RULE,
    ],
  });
}

interface ActualObject {
  identity: string;
  ranges: NamedRange[];
}

/**
 * Pairs each spec entry with a VPC or subnet: the one holding its CIDR (in step), else the one it names (drifted),
 * else the only object and entry left (drifted); an entry with none of these is unchecked.
 */
function objects(controlId: string, kind: 'vpc' | 'subnet', expected: NamedRange[], actualRanges: NamedRange[], out: DriftResult): void {
  if (expected.length === 0) return;
  const label = kind === 'vpc' ? 'VPC' : 'subnet';
  const byIdentity = new Map<string, ActualObject>();
  for (const r of actualRanges) {
    const o = byIdentity.get(r.identity) ?? { identity: r.identity, ranges: [] };
    o.ranges.push(r);
    byIdentity.set(r.identity, o);
  }
  const all = [...byIdentity.values()];
  if (all.length === 0) {
    out.unchecked.push({
      what: `spec.cidrs.${PLURAL[kind]}`,
      detail: `${names(expected)}: the inputs hold ${SOURCES[kind]}, so there is nothing to compare with`,
    });
    return;
  }
  const claimed = new Set<string>();
  const pending: NamedRange[] = [];
  // 1. The object that holds the CIDR the spec names: in step.
  for (const e of expected) {
    const o = all.find((x) => x.ranges.some((r) => r.cidr.text === e.cidr.text));
    if (!o) {
      pending.push(e);
      continue;
    }
    claimed.add(o.identity);
    out.matched.push(`${label} ${o.ranges[0]!.name} ${e.cidr.text}`);
  }
  // 2. The object the entry names (id or Name tag), 3. the only object and entry left: drifted.
  const unresolved: NamedRange[] = [];
  for (const e of pending) {
    const o = all.find((x) => !claimed.has(x.identity) && namedBy(x, e.name));
    if (!o) {
      unresolved.push(e);
      continue;
    }
    claimed.add(o.identity);
    out.failures.push(objectDrift(controlId, label, o, e));
  }
  const free = all.filter((x) => !claimed.has(x.identity));
  if (unresolved.length === 1 && free.length === 1) {
    out.failures.push(objectDrift(controlId, label, free[0]!, unresolved[0]!));
    return;
  }
  for (const e of unresolved) {
    out.unchecked.push({
      what: `${e.where} (${e.name} ${e.cidr.text})`,
      detail: `no ${label} in the inputs holds this CIDR or is named ${e.name}`,
    });
  }
}

function objectDrift(controlId: string, label: string, o: ActualObject, e: NamedRange): Finding {
  const sameFamily = o.ranges.filter((r) => r.cidr.family === e.cidr.family);
  const shown = (sameFamily.length > 0 ? sameFamily : o.ranges)[0]!;
  return drifted(
    controlId,
    shown,
    [e],
    `${label} ${shown.name}`,
    'has',
    (sameFamily.length > 0 ? sameFamily : o.ranges).map((r) => r.cidr.text).join(', '),
  );
}

function drifted(
  controlId: string,
  r: NamedRange,
  expected: NamedRange[],
  subject: string,
  verb: 'is' | 'has',
  actualText = r.cidr.text,
): Finding {
  const wanted = expected.map((e) => `${e.cidr.text} (${e.name}, ${e.where})`).join(' or ');
  const where = expected.map((e) => e.where).join(', ');
  return {
    controlId,
    layer: r.planned ? 'plan' : 'config',
    result: 'fail',
    subject: r.ref,
    message: `The cluster's ${subject} ${verb} ${actualText} (${r.where}), but the spec names ${wanted}: the actual range is not the one the spec names (the cluster was built with another range, or the spec is stale).`,
    evidence: [
      {
        type: 'comparison',
        what: `${subject} vs ${where}`,
        expected: expected.length === 1 ? expected[0]!.cidr.text : expected.map((e) => e.cidr.text),
        actual: actualText,
        ref: r.ref,
      },
      { type: 'object', ref: r.ref, detail: `actual: ${r.name} ${actualText} from ${r.where}` },
      ...expected.map((e): Evidence => ({ type: 'object', ref: e.ref, detail: `expected: ${e.name} ${e.cidr.text} from ${e.where}` })),
      RULE,
    ],
  };
}

/** A spec entry names an object by its id or Name tag, or by the Name tag's last part (`payments-prod-private-a` ← `private-a`). */
function namedBy(o: ActualObject, name: string): boolean {
  const wanted = name.toLowerCase();
  return o.ranges.some((r) =>
    (r.aliases ?? []).some((a) => {
      const alias = a.toLowerCase();
      return alias === wanted || alias.endsWith(`-${wanted}`);
    }),
  );
}

function names(ranges: readonly NamedRange[]): string {
  return ranges.map((r) => `${r.name} ${r.cidr.text}`).join(', ');
}

function family(r: NamedRange): string {
  return r.cidr.family === 'ipv4' ? 'IPv4' : 'IPv6';
}
