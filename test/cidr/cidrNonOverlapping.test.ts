// The rule table of cidr-non-overlapping (harness/evaluate/cidrNonOverlapping/rangeRules.ts), case by case.
import { describe, expect, test } from 'vitest';
import { evaluateCidrNonOverlapping } from '../../harness/evaluate/cidrNonOverlapping.ts';
import type { Finding } from '../../harness/model/findings.ts';
import type { CidrSpec, ClusterSpec } from '../../harness/model/spec.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import { cidrControl, specWith, stateWith } from './builders.ts';

function run(spec: ClusterSpec, state: ClusterState = stateWith()): Finding[] {
  return evaluateCidrNonOverlapping({ spec, state, control: cidrControl });
}
const results = (findings: Finding[]): string[] => findings.map((f) => f.result);
const fails = (findings: Finding[]): Finding[] => findings.filter((f) => f.result === 'fail');
const rules = (findings: Finding[]): string[] =>
  fails(findings)
    .map((f) => f.evidence.find((e) => e.type === 'rule'))
    .map((e) => (e?.type === 'rule' ? e.rule : ''));
/** Overlap conflicts only (drift findings carry the rule `actual-range-is-spec-range`). */
const overlaps = (findings: Finding[]): Finding[] =>
  fails(findings).filter((f) => !f.evidence.some((e) => e.type === 'rule' && e.rule === 'actual-range-is-spec-range'));

describe('cidr-non-overlapping: spec ranges', () => {
  const clean: CidrSpec = {
    vpcs: [{ name: 'main', cidr: '10.0.0.0/16' }],
    subnets: [
      { name: 'a', cidr: '10.0.0.0/24' },
      { name: 'b', cidr: '10.0.1.0/24' },
    ],
    pods: [
      { name: 'pods', cidr: '10.244.0.0/16' },
      { name: 'pods6', cidr: 'fd00:10:244::/56' },
    ],
    services: [
      { name: 'svc', cidr: '172.20.0.0/16' },
      { name: 'svc6', cidr: 'fd00:10:96::/112' },
    ],
    nodes: [{ name: 'bridge', cidr: '192.168.0.0/24' }],
    peers: [{ name: 'on-prem', cidr: '10.100.0.0/16' }],
  };

  test('a clean layout passes with a summary of what was compared', () => {
    const findings = run(specWith(clean));
    // Spec only: nothing actual to check drift against, which is said, not passed over.
    expect(results(findings)).toEqual(['pass', 'not-applicable']);
    expect(findings[0]?.message).toMatch(
      /^9 address ranges checked, \d+ routable same-family pairs compared: no conflicting overlap \(2 by-design/,
    );
    expect(findings[1]?.message).toMatch(
      /^Drift between spec.cidrs and the actual ranges was not checked for spec.cidrs.pods \(pods 10.244.0.0\/16, pods6 fd00:10:244::\/56: the inputs hold no actual pod range/,
    );
  });

  test('pod vs service overlap fails with the exact span and both sources', () => {
    const findings = run(specWith({ ...clean, services: [{ name: 'svc', cidr: '10.244.128.0/17' }] }));
    expect(rules(findings)).toEqual(['pod-vs-service']);
    const f = fails(findings)[0];
    expect(f?.message).toBe(
      "Pod range pods (10.244.0.0/16, spec.cidrs.pods[0]) contains service range svc (10.244.128.0/17, spec.cidrs.services[0]); shared span 10.244.128.0–10.244.255.255 (10.244.128.0/17): service virtual IPs are intercepted by kube-proxy, so any other network using them becomes unreachable. Fix: change the cluster's pod range pods, or its service range svc: both are the cluster's own.",
    );
    expect(f?.layer).toBe('config');
  });

  test('anything vs a peer fails, including a subnet inside the VPC that the peer also covers', () => {
    const findings = run(specWith({ ...clean, peers: [{ name: 'on-prem', cidr: '10.0.1.0/24' }] }));
    expect(rules(findings).sort()).toEqual(['peer-vs-subnet', 'peer-vs-vpc']);
  });

  test('two subnets sharing addresses fail; a subnet inside its VPC is by design', () => {
    const findings = run(
      specWith({
        ...clean,
        subnets: [
          { name: 'a', cidr: '10.0.0.0/23' },
          { name: 'b', cidr: '10.0.1.0/24' },
        ],
      }),
    );
    expect(rules(findings)).toEqual(['subnet-vs-subnet']);
    expect(fails(findings)[0]?.message).toContain('shared span 10.0.1.0–10.0.1.255 (10.0.1.0/24)');
  });

  test('a subnet larger than its VPC fails', () => {
    expect(rules(run(specWith({ vpcs: [{ name: 'v', cidr: '10.0.0.0/16' }], subnets: [{ name: 's', cidr: '10.0.0.0/8' }] })))).toEqual([
      'subnet-vs-vpc',
    ]);
  });

  test('IPv6 pod vs service overlap fails; IPv4-mapped IPv6 never meets IPv4', () => {
    const findings = run(
      specWith({
        pods: [
          { name: 'p6', cidr: 'fd00::/48' },
          { name: 'mapped', cidr: '::ffff:172.20.0.0/112' },
        ],
        services: [
          { name: 's6', cidr: 'fd00:0:0:1::/112' },
          { name: 's4', cidr: '172.20.0.0/16' },
        ],
      }),
    );
    expect(rules(findings)).toEqual(['pod-vs-service']);
    expect(fails(findings)[0]?.message).toContain('fd00:0:0:1::–fd00:0:0:1::ffff (fd00:0:0:1::/112)');
  });

  test('node network overlapping the pod range fails', () => {
    expect(rules(run(specWith({ pods: [{ name: 'p', cidr: '10.0.0.0/8' }], nodes: [{ name: 'bridge', cidr: '10.1.0.0/16' }] })))).toEqual([
      'node-vs-pod',
    ]);
  });

  test('invalid values are errors naming the value and its place; the rest is still checked', () => {
    const findings = run(
      specWith({
        pods: [
          { name: 'p', cidr: '10.244.0.1/16' },
          { name: 'q', cidr: '10.96.0.0/16' },
        ],
        services: [{ name: 's', cidr: '10.96.0.0/12' }],
      }),
    );
    expect(results(findings)).toEqual(['error', 'fail', 'not-applicable']);
    expect(findings[0]?.message).toBe(
      'Invalid CIDR "10.244.0.1/16" for p at spec.cidrs.pods[0]: host bits are set (the network of 10.244.0.1/16 is 10.244.0.0/16) (did you mean 10.244.0.0/16?).',
    );
  });

  test('no ranges at all is not-applicable, never pass; one range has nothing to compare', () => {
    expect(results(run(specWith()))).toEqual(['not-applicable']);
    expect(results(run(specWith({ pods: [{ name: 'p', cidr: '10.0.0.0/8' }] })))).toEqual(['not-applicable', 'not-applicable']);
  });
});

describe('cidr-non-overlapping: collected state', () => {
  const cluster = (state: ClusterState): void => {
    state.cloud.vpcs.push({
      id: 'vpc-1',
      cidrs: ['10.0.0.0/16'],
      ipv6Cidrs: [],
      tags: {},
      source: { file: 'vpcs.json', documentIndex: 0 },
    });
    state.cloud.subnets.push(
      { id: 'subnet-a', vpcId: 'vpc-1', cidr: '10.0.0.0/24', tags: {} },
      { id: 'subnet-b', vpcId: 'vpc-1', cidr: '10.0.1.0/24', tags: {} },
    );
    state.cloud.eksClusters.push({ name: 'prod', vpcId: 'vpc-1', serviceIpv4Cidr: '172.20.0.0/16', tags: {} });
    state.kubernetes.controlPlane.kubeadm = { networking: { podSubnet: '10.244.0.0/16,fd00:10:244::/56', serviceSubnet: '172.20.0.0/16' } };
    state.kubernetes.controlPlane.kubeProxy = { clusterCIDR: '10.244.0.0/16' };
    state.kubernetes.nodes.push(
      { metadata: { name: 'n1' }, spec: { podCIDRs: ['10.244.1.0/24'] } },
      { metadata: { name: 'n2' }, spec: { podCIDRs: ['10.244.2.0/24'] } },
    );
  };

  test('spec, EKS, kubeadm, kube-proxy and node podCIDRs agreeing is a pass', () => {
    const spec = specWith({
      vpcs: [{ name: 'main', cidr: '10.0.0.0/16' }],
      pods: [{ name: 'pods', cidr: '10.244.0.0/16' }],
      services: [{ name: 'svc', cidr: '172.20.0.0/16' }],
    });
    expect(results(run(spec, stateWith(cluster)))).toEqual(['pass']);
  });

  test('two nodes with the same podCIDR fail', () => {
    const findings = run(
      specWith(),
      stateWith((s) => {
        cluster(s);
        s.kubernetes.nodes.push({ metadata: { name: 'n3' }, spec: { podCIDRs: ['10.244.1.0/24'] } });
      }),
    );
    expect(rules(findings)).toEqual(['node-pods-vs-node-pods']);
    expect(fails(findings)[0]?.message).toContain('Node n1 spec.podCIDRs');
  });

  test('a subnet outside its VPC overlapping another subnet fails; peered VPCs with overlapping CIDRs fail', () => {
    const findings = run(
      specWith(),
      stateWith((s) => {
        cluster(s);
        s.cloud.vpcs.push({ id: 'vpc-2', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], tags: {} });
        s.cloud.peerings.push({
          id: 'pcx-1',
          requesterVpcId: 'vpc-1',
          accepterVpcId: 'vpc-2',
          requesterCidrs: ['10.0.0.0/16'],
          accepterCidrs: ['10.0.0.0/16'],
          tags: {},
        });
      }),
    );
    expect(rules(findings)).toContain('vpc-vs-vpc');
    expect(fails(findings).find((f) => f.message.includes('vpc-2'))?.message).toContain(
      'VPC range vpc-1 (10.0.0.0/16, VPC vpc-1 (vpcs.json)) is equal to VPC range vpc-2 (10.0.0.0/16, VPC vpc-2)',
    );
  });

  test('an unpeered VPC elsewhere in the account may reuse the same CIDR', () => {
    const findings = run(
      specWith(),
      stateWith((s) => {
        cluster(s);
        s.cloud.vpcs.push({ id: 'vpc-other', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], tags: {} });
        s.cloud.subnets.push({ id: 'subnet-other', vpcId: 'vpc-other', cidr: '10.0.0.0/24', tags: {} });
      }),
    );
    expect(results(findings)).toEqual(['pass']);
  });

  test('a peer named in a peering connection (VPC not in the inputs) overlapping the pod range fails', () => {
    const findings = run(
      specWith(),
      stateWith((s) => {
        cluster(s);
        s.cloud.peerings.push({
          id: 'pcx-2',
          requesterVpcId: 'vpc-1',
          accepterVpcId: 'vpc-remote',
          requesterCidrs: ['10.0.0.0/16'],
          accepterCidrs: ['10.244.0.0/20'],
          tags: {},
        });
      }),
    );
    // kubeadm podSubnet and kube-proxy clusterCIDR both, and nodes n1 and n2's podCIDRs: pods may use the cluster's VPC, not a peer's.
    expect(rules(findings)).toEqual(['pod-vs-vpc', 'pod-vs-vpc', 'node-pods-vs-vpc', 'node-pods-vs-vpc']);
    expect(fails(findings)[0]?.message).toContain('VPC vpc-remote as named by peering pcx-2');
  });

  test('a peered VPC named as a spec peer is by design; a peer inside the cluster VPC is not', () => {
    const peered = (s: ClusterState): void => {
      cluster(s);
      s.cloud.peerings.push({
        id: 'pcx-3',
        requesterVpcId: 'vpc-1',
        accepterVpcId: 'vpc-shared',
        requesterCidrs: ['10.0.0.0/16'],
        accepterCidrs: ['10.20.0.0/16'],
        tags: {},
      });
    };
    expect(results(run(specWith({ peers: [{ name: 'shared', cidr: '10.20.0.0/16' }] }), stateWith(peered)))).toEqual(['pass']);
    expect(rules(run(specWith({ peers: [{ name: 'lab', cidr: '10.0.1.0/24' }] }), stateWith(peered)))).toEqual([
      'peer-vs-vpc',
      'peer-vs-subnet',
    ]);
  });

  test('a spec entry equal to a collected object is reported once, through the collected object', () => {
    const findings = run(
      specWith({ subnets: [{ name: 'a', cidr: '10.0.0.0/24' }], services: [{ name: 'svc', cidr: '10.0.0.0/24' }] }),
      stateWith(cluster),
    );
    expect(
      overlaps(findings).map((f) =>
        f.message.replace(/ \(10\.0\.0\.0\/24, spec.cidrs.services\[0\]\) (?:lies inside|is equal to) (\w+) range (\S+) .*/, ' vs $1 $2'),
      ),
    ).toEqual(['Service range svc vs VPC vpc-1', 'Service range svc vs subnet subnet-a']);
    // The spec's service range is not the cluster's (EKS and kubeadm say 172.20.0.0/16): drift, once per declaration.
    expect(
      fails(findings)
        .filter((f) => !overlaps(findings).includes(f))
        .map((f) => f.subject?.kind),
    ).toEqual(['EksCluster', 'ClusterConfiguration']);
  });

  test('EKS service CIDR inside the VPC fails', () => {
    const findings = run(
      specWith(),
      stateWith((s) => {
        cluster(s);
        s.kubernetes.controlPlane.kubeadm = undefined;
        const eks = s.cloud.eksClusters[0];
        if (eks) eks.serviceIpv4Cidr = '10.0.128.0/17';
      }),
    );
    expect(rules(findings)).toEqual(['service-vs-vpc']);
  });

  test('ranges only from a terraform plan are judged at the plan layer', () => {
    const findings = run(
      specWith(),
      stateWith((s) => {
        s.cloud.vpcs.push({ id: 'aws_vpc.main', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], tags: {}, planned: true });
        s.cloud.subnets.push({ id: 'aws_subnet.a', vpcId: 'aws_vpc.main', cidr: '10.0.0.0/15', tags: {}, planned: true });
      }),
    );
    expect(fails(findings).map((f) => f.layer)).toEqual(['plan']);
  });

  test('an invalid state value names the object and file', () => {
    const findings = run(
      specWith(),
      stateWith((s) => {
        s.cloud.vpcs.push({ id: 'vpc-1', cidrs: ['10.0.0.0/33'], ipv6Cidrs: [], tags: {}, source: { file: 'vpcs.json', line: 4 } });
      }),
    );
    expect(findings[0]?.message).toMatch(/^Invalid CIDR "10.0.0.0\/33" for vpc-1 at VPC vpc-1 \(vpcs.json:4\)/);
    expect(results(findings)).toEqual(['error', 'not-applicable']);
  });
});
