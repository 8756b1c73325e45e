// cidr-non-overlapping verdicts that mutation testing (npm run mutation) showed no test pinned down: when the
// summary pass is given (and when not), what it counts, the layer of a mixed plan/live conflict, and which VPCs
// the cluster-wide ranges (pods, services) can meet on a route.
import { describe, expect, it } from 'vitest';
import { evaluateCidrNonOverlapping } from '../../harness/evaluate/cidrNonOverlapping.ts';
import type { Finding } from '../../harness/model/findings.ts';
import type { CidrSpec } from '../../harness/model/spec.ts';
import type { ClusterState, Vpc, VpcPeering } from '../../harness/model/state.ts';
import { control, spec, state } from './stateBuilder.ts';

const run = (s: ClusterState, cidrs?: CidrSpec): Finding[] =>
  evaluateCidrNonOverlapping({ state: s, spec: spec(cidrs ? { cidrs } : {}), control: control('cidr-non-overlapping') });
const results = (findings: Finding[]) => findings.map((f) => f.result);
const rule = (f: Finding | undefined) => f?.evidence.find((e) => e.type === 'rule');
const vpc = (id: string, cidr: string, extra: Partial<Vpc> = {}): Vpc => ({ id, cidrs: [cidr], ipv6Cidrs: [], tags: {}, ...extra });
const peering = (id: string, requesterVpcId: string, accepterVpcId: string): VpcPeering => ({
  id,
  requesterVpcId,
  accepterVpcId,
  requesterCidrs: [],
  accepterCidrs: [],
  tags: {},
});

describe('cidr-non-overlapping: when the summary pass is given', () => {
  it('counts only same-family pairs and says nothing about drift when no actual range was compared with the spec', () => {
    const findings = run(state(), {
      pods: [
        { name: 'pods', cidr: '10.244.0.0/16' },
        { name: 'pods6', cidr: 'fd00:10:244::/56' },
      ],
      services: [{ name: 'svc', cidr: '172.20.0.0/16' }],
    });
    expect(results(findings)).toEqual(['pass', 'not-applicable']);
    const [pass] = findings;
    expect(pass?.message).toBe(
      '3 address ranges checked, 1 routable same-family pairs compared: no conflicting overlap (0 by-design containments such as subnets inside their VPC).',
    );
    expect(pass?.evidence).toEqual([
      {
        type: 'observation',
        what: 'ranges compared',
        observed: [
          'pod pods 10.244.0.0/16 (spec.cidrs.pods[0])',
          'pod pods6 fd00:10:244::/56 (spec.cidrs.pods[1])',
          'service svc 172.20.0.0/16 (spec.cidrs.services[0])',
        ],
      },
    ]);
  });

  it('gives no pass next to a conflict, an invalid value or a drifting range', () => {
    const conflict = run(state(), { pods: [{ name: 'pods', cidr: '10.0.0.0/8' }], services: [{ name: 'svc', cidr: '10.96.0.0/12' }] });
    expect(results(conflict)).toEqual(['fail', 'not-applicable']);

    const invalid = run(state(), {
      pods: [{ name: 'pods', cidr: '10.244.0.0/16' }],
      services: [
        { name: 'svc', cidr: '172.20.0.0/16' },
        { name: 'typo', cidr: '172.30.0.1/16' },
      ],
    });
    expect(results(invalid)).toEqual(['error', 'not-applicable']);

    const drifting = run(
      state((s) => {
        s.kubernetes.controlPlane.kubeadm = { networking: { podSubnet: '192.168.0.0/16' } };
      }),
      { pods: [{ name: 'pods', cidr: '10.244.0.0/16' }] },
    );
    expect(results(drifting)).toEqual(['fail']);
    expect(rule(drifting[0])).toMatchObject({ rule: 'actual-range-is-spec-range' });
  });

  it('passes a single range that is the one the spec names, and not when an invalid value sits beside it', () => {
    const agreeing = (s: ClusterState) => {
      s.kubernetes.controlPlane.kubeadm = { networking: { podSubnet: '10.244.0.0/16' } };
    };
    const one = run(state(agreeing), { pods: [{ name: 'pods', cidr: '10.244.0.0/16' }] });
    expect(results(one)).toEqual(['pass']);
    expect(one[0]?.message).toBe(
      'The actual ranges are the ones the spec names (kubeadm networking.podSubnet 10.244.0.0/16); only one distinct range (kubeadm networking.podSubnet 10.244.0.0/16), so no pair to compare for overlap.',
    );
    expect(one[0]?.evidence).toEqual([
      {
        type: 'observation',
        what: 'actual ranges that are the ones spec.cidrs names',
        observed: ['kubeadm networking.podSubnet 10.244.0.0/16'],
      },
    ]);

    const withTypo = run(state(agreeing), {
      pods: [{ name: 'pods', cidr: '10.244.0.0/16' }],
      services: [{ name: 'svc', cidr: '10.96.0.1/12' }],
    });
    expect(results(withTypo)).toEqual(['error', 'not-applicable']);
  });

  it('says whether there was no range at all or just one, and what input would add some', () => {
    const missing = { type: 'missing-input', what: 'address ranges', detail: 'add spec.cidrs or VPC/subnet/EKS/kubeadm/Node inputs' };
    const none = run(state());
    expect(none.map((f) => [f.result, f.message, f.evidence])).toEqual([
      [
        'not-applicable',
        'No address ranges to compare: the spec declares no cidrs and the inputs hold no VPCs, subnets, service, pod or node ranges.',
        [missing],
      ],
    ]);
    const [one] = run(state((s) => s.cloud.vpcs.push(vpc('vpc-1', '10.0.0.0/16'))));
    expect([one?.result, one?.message, one?.evidence]).toEqual([
      'not-applicable',
      'Only one address range (vpc-1 10.0.0.0/16) was found, so there is no pair to compare.',
      [missing],
    ]);
  });
});

describe('cidr-non-overlapping: what a finding carries', () => {
  it('names the object holding an invalid value in the evidence', () => {
    const findings = run(
      state((s) => {
        s.cloud.vpcs.push(vpc('vpc-1', '10.0.0.0/33'), vpc('vpc-2', '10.1.0.0/16'), vpc('vpc-3', '10.2.0.0/16'));
      }),
    );
    expect(findings[0]?.result).toBe('error');
    expect(findings[0]?.evidence).toEqual([
      { type: 'object', ref: { kind: 'VPC', name: 'vpc-1', id: 'vpc-1' }, detail: 'value "10.0.0.0/33"' },
    ]);
  });

  it('states the shared addresses of a conflict as a comparison with "none"', () => {
    const [f] = run(state(), { pods: [{ name: 'pods', cidr: '10.0.0.0/8' }], services: [{ name: 'svc', cidr: '10.96.0.0/12' }] });
    expect(f?.evidence).toContainEqual({
      type: 'comparison',
      what: 'shared addresses',
      expected: 'none',
      actual: '10.96.0.0–10.111.255.255 (10.96.0.0/12)',
    });
  });

  it('judges a conflict at the config layer as soon as one side is live state, at the plan layer only when both are planned', () => {
    const findings = run(
      state((s) => {
        s.cloud.vpcs.push(vpc('aws_vpc.main', '10.0.0.0/16', { planned: true }));
        s.cloud.subnets.push({ id: 'subnet-live', vpcId: 'aws_vpc.main', cidr: '10.0.0.0/15', tags: {} });
      }),
    );
    expect(findings.map((f) => [f.result, f.layer])).toEqual([['fail', 'config']]);
  });
});

describe('cidr-non-overlapping: which VPCs the cluster-wide ranges meet', () => {
  const PODS: CidrSpec = { pods: [{ name: 'pods', cidr: '10.244.0.0/16' }] };
  const eksIn = (vpcId: string | undefined) => (s: ClusterState) => {
    s.cloud.eksClusters.push({ name: 'prod', ...(vpcId ? { vpcId } : {}), tags: {} });
  };
  /** Each conflict as its rule and the two objects it names. */
  const conflicts = (findings: Finding[]) =>
    findings
      .filter((f) => f.result === 'fail')
      .map((f) => [
        rule(f)?.type === 'rule' ? rule(f)?.rule : '',
        ...f.evidence.flatMap((e) => (e.type === 'object' ? [e.ref.name] : [])).sort(),
      ]);

  it("ignores a VPC that is neither the EKS cluster's nor peered with it, even when a peering joins it to another", () => {
    const findings = run(
      state((s) => {
        eksIn('vpc-1')(s);
        s.cloud.vpcs.push(vpc('vpc-1', '10.0.0.0/16'), vpc('vpc-x', '10.244.0.0/20'), vpc('vpc-y', '10.244.16.0/20'));
        s.cloud.peerings.push(peering('pcx-xy', 'vpc-x', 'vpc-y'));
      }),
      PODS,
    );
    expect(results(findings)).toEqual(['pass', 'not-applicable']);
  });

  it("meets a VPC peered with the cluster's, whichever side requested the peering", () => {
    for (const p of [peering('pcx-1', 'vpc-1', 'vpc-peer'), peering('pcx-1', 'vpc-peer', 'vpc-1')]) {
      const findings = run(
        state((s) => {
          eksIn('vpc-1')(s);
          s.cloud.vpcs.push(vpc('vpc-1', '10.0.0.0/16'), vpc('vpc-peer', '10.244.0.0/20'));
          s.cloud.peerings.push(p);
        }),
        PODS,
      );
      expect(conflicts(findings)).toEqual([['pod-vs-vpc', 'cidrs.pods.pods', 'vpc-peer']]);
    }
  });

  it('compares two peered VPCs whichever of them requested the peering', () => {
    const findings = run(
      state((s) => {
        s.cloud.vpcs.push(vpc('vpc-1', '10.0.0.0/16'), vpc('vpc-2', '10.0.0.0/16'));
        s.cloud.peerings.push(peering('pcx-1', 'vpc-2', 'vpc-1'));
      }),
    );
    expect(conflicts(findings)).toEqual([['vpc-vs-vpc', 'vpc-1', 'vpc-2']]);
  });

  it('meets every collected VPC when the EKS cluster names no VPC', () => {
    const findings = run(
      state((s) => {
        eksIn(undefined)(s);
        s.cloud.vpcs.push(vpc('vpc-1', '10.0.0.0/16'), vpc('vpc-2', '10.1.0.0/16'));
      }),
      { services: [{ name: 'svc', cidr: '10.1.128.0/17' }] },
    );
    expect(conflicts(findings)).toEqual([['service-vs-vpc', 'cidrs.services.svc', 'vpc-2']]);
  });
});
