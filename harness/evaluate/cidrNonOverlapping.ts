// Control `cidr-non-overlapping`: no two networks that can meet on a route share addresses — VPCs, subnets,
// pod, service and node ranges, and named peers (on-prem, peered VPCs), IPv4 and IPv6.
//
// Every range is gathered from the spec and the state (gatherRanges.ts), every connected pair is related
// (equal / contains / overlap) and judged by the rule table in cidrNonOverlapping/rangeRules.ts, which also documents
// which overlaps are by design (a subnet inside its VPC, a node's podCIDR inside the cluster pod range).
// One `fail` per conflicting pair, naming the exact shared span and which side is the cluster's own range to
// change (cidrNonOverlapping/rangeToChange.ts); one `fail` per actual range that is not the one the spec names (drift,
// cidrNonOverlapping/drift.ts), `not-applicable` with the reason where the inputs hold no actual value to compare; one `pass`
// summary when clean; invalid values are `error` findings naming the value and where it came from; no ranges at
// all is not a pass.
import type { Evaluator } from '../model/evaluator.ts';
import type { Evidence, Finding, Layer } from '../model/findings.ts';
import type { ClusterState } from '../model/state.ts';
import { gatherRanges, type NamedRange } from './cidrNonOverlapping/gatherRanges.ts';
import { checkDrift } from './cidrNonOverlapping/drift.ts';
import { describeRange, rangeToCidrs } from '../cidr/ipRange.ts';
import { connected, judge, type Connectivity } from './cidrNonOverlapping/rangeRules.ts';
import { fixSentence, rangeLabel, rangeToChange } from './cidrNonOverlapping/rangeToChange.ts';
import { intersection, relate, type Relation } from './cidrNonOverlapping/relation.ts';

const RELATION_TEXT: Record<Exclude<Relation, 'disjoint'>, string> = {
  equal: 'is equal to',
  contains: 'contains',
  within: 'lies inside',
  overlap: 'overlaps',
};

export const CONTROL_ID = 'cidr-non-overlapping';

export const evaluateCidrNonOverlapping: Evaluator = ({ state, spec, control }) => {
  const controlId = control.id;
  const gathered = gatherRanges(spec, state);
  const { problems } = gathered;
  const ranges = withoutSpecEchoes(gathered.ranges);
  const findings: Finding[] = problems.map((p) => ({
    controlId,
    layer: 'config',
    result: 'error',
    message: `Invalid CIDR "${p.value}" for ${p.name} at ${p.where}: ${p.reason}${p.suggestion ? ` (did you mean ${p.suggestion}?)` : ''}.`,
    subject: p.ref,
    evidence: [{ type: 'object', ref: p.ref, detail: `value ${JSON.stringify(p.value)}` }],
  }));

  // Drift is judged on every declaration, spec echoes included: an echo is exactly a range that agrees.
  const drift = checkDrift(controlId, gathered.ranges);
  findings.push(...drift.failures);
  const driftNotChecked: Finding[] =
    drift.unchecked.length === 0
      ? []
      : [
          {
            controlId,
            layer: 'config',
            result: 'not-applicable',
            message: `Drift between spec.cidrs and the actual ranges was not checked for ${drift.unchecked.map((u) => `${u.what} (${u.detail})`).join('; ')}.`,
            evidence: drift.unchecked.map((u): Evidence => ({ type: 'missing-input', what: u.what, detail: u.detail })),
          },
        ];
  const driftAgrees = drift.matched.length > 0 ? `; ${drift.matched.length} actual range declaration(s) are the ones the spec names` : '';
  const driftEvidence: Evidence[] =
    drift.matched.length > 0
      ? [{ type: 'observation', what: 'actual ranges that are the ones spec.cidrs names', observed: drift.matched }]
      : [];

  if (ranges.length < 2) {
    if (drift.matched.length > 0 && drift.failures.length === 0 && problems.length === 0) {
      findings.push({
        controlId,
        layer: layerOf(...gathered.ranges),
        result: 'pass',
        message: `The actual ranges are the ones the spec names (${drift.matched.join('; ')}); only one distinct range (${ranges[0]?.name} ${ranges[0]?.cidr.text}), so no pair to compare for overlap.`,
        evidence: driftEvidence,
      });
      return [...findings, ...driftNotChecked];
    }
    findings.push({
      controlId,
      layer: 'config',
      result: 'not-applicable',
      message:
        ranges.length === 0
          ? 'No address ranges to compare: the spec declares no cidrs and the inputs hold no VPCs, subnets, service, pod or node ranges.'
          : `Only one address range (${ranges[0]?.name} ${ranges[0]?.cidr.text}) was found, so there is no pair to compare.`,
      evidence: [{ type: 'missing-input', what: 'address ranges', detail: 'add spec.cidrs or VPC/subnet/EKS/kubeadm/Node inputs' }],
    });
    return [...findings, ...driftNotChecked];
  }

  const net = connectivity(state);
  let pairs = 0;
  let byDesign = 0;
  let conflicts = 0;
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i] as NamedRange;
      const b = ranges[j] as NamedRange;
      if (a.cidr.family !== b.cidr.family || !connected(a, b, net)) continue;
      pairs++;
      const relation = relate(a.cidr, b.cidr);
      if (relation === 'disjoint') continue;
      const verdict = judge(a, b, relation);
      if (verdict.ok) {
        byDesign++;
        continue;
      }
      conflicts++;
      const span = intersection(a.cidr, b.cidr);
      if (!span) continue; // unreachable: relation is not disjoint
      const spanText = `${describeRange(span)} (${rangeToCidrs(span).join(', ')})`;
      const advice = rangeToChange(a, b);
      const { change, other } = advice;
      const how = RELATION_TEXT[relate(change.cidr, other.cidr) as Exclude<Relation, 'disjoint'>];
      const role = (r: NamedRange, own: boolean): string =>
        r === change ? (own ? "the cluster's own range, to change" : 'to correct') : own ? "the cluster's own range" : "not the cluster's";
      const evidence: Evidence[] = [
        {
          type: 'object',
          ref: change.ref,
          detail: `${change.kind} ${change.name} ${change.cidr.text} from ${change.where} (${role(change, advice.changeIsOwn)})`,
        },
        {
          type: 'object',
          ref: other.ref,
          detail: `${other.kind} ${other.name} ${other.cidr.text} from ${other.where} (${role(other, advice.otherIsOwn)})`,
        },
        { type: 'rule', rule: verdict.rule, detail: verdict.why },
        { type: 'comparison', what: 'shared addresses', expected: 'none', actual: spanText },
      ];
      findings.push({
        controlId,
        layer: layerOf(a, b),
        result: 'fail',
        subject: change.ref,
        evidence,
        message: `${capital(rangeLabel(change))} (${change.cidr.text}, ${change.where}) ${how} ${rangeLabel(other)} (${other.cidr.text}, ${other.where}); shared span ${spanText}: ${verdict.why}. ${fixSentence(advice)}`,
      });
    }
  }

  if (conflicts === 0 && problems.length === 0 && drift.failures.length === 0) {
    findings.push({
      controlId,
      layer: layerOf(...ranges),
      result: 'pass',
      message: `${ranges.length} address ranges checked, ${pairs} routable same-family pairs compared: no conflicting overlap (${byDesign} by-design containments such as subnets inside their VPC)${driftAgrees}.`,
      evidence: [
        { type: 'observation', what: 'ranges compared', observed: ranges.map((r) => `${r.kind} ${r.name} ${r.cidr.text} (${r.where})`) },
        ...driftEvidence,
      ],
    });
  }
  return [...findings, ...driftNotChecked];
};

/**
 * A spec entry equal to a collected range of the same kind in the cluster's own network describes that object;
 * comparing both with everything else would report each conflict twice, so the collected one (with its file and
 * line) stands for both.
 */
function withoutSpecEchoes(ranges: NamedRange[]): NamedRange[] {
  return ranges.filter(
    (r) => r.origin !== 'spec' || !ranges.some((s) => s.origin === 'state' && s.home && s.kind === r.kind && s.cidr.text === r.cidr.text),
  );
}

/** `plan` when every range involved comes from a terraform plan, `config` as soon as one is live/collected state. */
function layerOf(...ranges: NamedRange[]): Layer {
  return ranges.every((r) => r.planned) ? 'plan' : 'config';
}

function connectivity(state: ClusterState): Connectivity {
  const pairs = new Set<string>();
  for (const p of state.cloud.peerings) {
    pairs.add(`${p.requesterVpcId} ${p.accepterVpcId}`);
    pairs.add(`${p.accepterVpcId} ${p.requesterVpcId}`);
  }
  const peered = (a: string, b: string): boolean => pairs.has(`${a} ${b}`);
  const eksVpcs = state.cloud.eksClusters.map((c) => c.vpcId).filter((v): v is string => v !== undefined);
  if (eksVpcs.length === 0) return { clusterVpcs: undefined, peered };
  const clusterVpcs = new Set(eksVpcs);
  for (const vpc of eksVpcs)
    for (const p of state.cloud.peerings) {
      if (p.requesterVpcId === vpc) clusterVpcs.add(p.accepterVpcId);
      if (p.accepterVpcId === vpc) clusterVpcs.add(p.requesterVpcId);
    }
  return { clusterVpcs, peered };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
