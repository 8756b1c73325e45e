// cidr-non-overlapping: drift between spec.cidrs and the actual ranges (harness/evaluate/cidrNonOverlapping/drift.ts), and which
// side of a conflict is the cluster's own range to change (harness/evaluate/cidrNonOverlapping/rangeToChange.ts).
import { describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { evaluateCidrNonOverlapping } from '../../harness/evaluate/cidrNonOverlapping.ts';
import type { Finding } from '../../harness/model/findings.ts';
import type { CidrSpec, ClusterSpec } from '../../harness/model/spec.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import { cidrControl, specWith, stateWith } from './builders.ts';

const run = (spec: ClusterSpec, state: ClusterState): Finding[] => evaluateCidrNonOverlapping({ spec, state, control: cidrControl });
const isDrift = (f: Finding): boolean => f.evidence.some((e) => e.type === 'rule' && e.rule === 'actual-range-is-spec-range');
const drift = (findings: Finding[]): Finding[] => findings.filter((f) => f.result === 'fail' && isDrift(f));
const comparison = (f: Finding | undefined) => f?.evidence.find((e) => e.type === 'comparison');

const SPEC: CidrSpec = {
  vpcs: [{ name: 'prod-vpc', cidr: '10.40.0.0/16' }],
  subnets: [
    { name: 'private-a', cidr: '10.40.0.0/19' },
    { name: 'private-b', cidr: '10.40.32.0/19' },
  ],
  pods: [{ name: 'pods', cidr: '100.64.0.0/16' }],
  services: [{ name: 'services', cidr: '172.20.0.0/16' }],
};

/** A kubeadm cluster on EC2 whose every actual range is the one SPEC names. */
function inStep(s: ClusterState): void {
  s.cloud.vpcs.push({
    id: 'vpc-1',
    cidrs: ['10.40.0.0/16'],
    ipv6Cidrs: [],
    tags: { Name: 'prod' },
    source: { file: 'vpcs.json', documentIndex: 0, line: 3 },
  });
  s.cloud.subnets.push(
    { id: 'subnet-a', vpcId: 'vpc-1', cidr: '10.40.0.0/19', tags: { Name: 'prod-private-a' } },
    { id: 'subnet-b', vpcId: 'vpc-1', cidr: '10.40.32.0/19', tags: { Name: 'prod-private-b' } },
  );
  s.kubernetes.controlPlane.kubeadm = { networking: { podSubnet: '100.64.0.0/16', serviceSubnet: '172.20.0.0/16' } };
  s.origins['ConfigMap/kube-system/kubeadm-config'] = { file: 'dump.yaml', documentIndex: 0, line: 900 };
  s.kubernetes.controlPlane.kubeProxy = { clusterCIDR: '100.64.0.0/16' };
  s.kubernetes.nodes.push(
    { metadata: { name: 'n1' }, spec: { podCIDRs: ['100.64.1.0/24'] } },
    { metadata: { name: 'n2' }, spec: { podCIDRs: ['100.64.2.0/24'] } },
  );
}

describe('cidr-non-overlapping: drift from spec.cidrs', () => {
  test('every actual range the one the spec names: a single pass that counts them', () => {
    const findings = run(specWith(SPEC), stateWith(inStep));
    expect(findings.map((f) => f.result)).toEqual(['pass']);
    expect(findings[0]?.message).toMatch(/; 7 actual range declaration\(s\) are the ones the spec names\.$/);
    expect(findings[0]?.evidence).toContainEqual({
      type: 'observation',
      what: 'actual ranges that are the ones spec.cidrs names',
      observed: [
        'kubeadm networking.podSubnet 100.64.0.0/16',
        'kube-proxy clusterCIDR 100.64.0.0/16',
        '2 node podCIDR(s) inside pods 100.64.0.0/16',
        'kubeadm networking.serviceSubnet 172.20.0.0/16',
        'VPC vpc-1 (prod) 10.40.0.0/16',
        'subnet subnet-a (prod-private-a) 10.40.0.0/19',
        'subnet subnet-b (prod-private-b) 10.40.32.0/19',
      ],
    });
  });

  test('kubeadm podSubnet left at the CNI default: fail with both values, on the kubeadm-config ConfigMap', () => {
    const findings = drift(
      run(
        specWith(SPEC),
        stateWith((s) => {
          inStep(s);
          s.kubernetes.controlPlane.kubeadm!.networking!.podSubnet = '192.168.0.0/16';
        }),
      ),
    );
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f?.message).toBe(
      "The cluster's pod range kubeadm networking.podSubnet is 192.168.0.0/16 (ConfigMap kube-system/kubeadm-config (dump.yaml:900)), but the spec names 100.64.0.0/16 (pods, spec.cidrs.pods[0]): the actual range is not the one the spec names (the cluster was built with another range, or the spec is stale).",
    );
    expect(f?.subject).toEqual({
      kind: 'ConfigMap',
      namespace: 'kube-system',
      name: 'kubeadm-config',
      source: { file: 'dump.yaml', documentIndex: 0, line: 900 },
    });
    expect(comparison(f)).toMatchObject({ expected: '100.64.0.0/16', actual: '192.168.0.0/16' });
    expect(f?.layer).toBe('config');
  });

  test('node podCIDRs outside the spec pod range: one finding listing the nodes; a slice inside passes', () => {
    const findings = drift(
      run(
        specWith(SPEC),
        stateWith((s) => {
          inStep(s);
          s.kubernetes.nodes.push({ metadata: { name: 'n3' }, spec: { podCIDRs: ['10.244.3.0/24'] } });
        }),
      ),
    );
    expect(findings.map((f) => f.message)).toEqual([
      "1 of 3 node podCIDR(s) lie outside the spec's pod range pods 100.64.0.0/16: n3 10.244.3.0/24. Each node's podCIDR is a slice of the cluster pod range, so the cluster hands out pod IPs from a range the spec does not name.",
    ]);
    expect(comparison(findings[0])).toMatchObject({
      expected: 'inside 100.64.0.0/16',
      actual: '10.244.3.0/24',
      ref: { kind: 'Node', name: 'n3' },
    });
  });

  test('EKS service range differs: fail; from a terraform plan it is a plan-layer finding', () => {
    const eks = (planned: boolean) =>
      stateWith((s) => {
        s.cloud.eksClusters.push({
          name: 'prod',
          vpcId: 'vpc-1',
          serviceIpv4Cidr: '10.100.0.0/16',
          tags: {},
          ...(planned ? { planned } : {}),
        });
      });
    const applied = drift(run(specWith({ services: SPEC.services }), eks(false)));
    expect(applied.map((f) => [f.layer, f.message])).toEqual([
      [
        'config',
        "The cluster's service range prod serviceIpv4Cidr is 10.100.0.0/16 (EksCluster prod), but the spec names 172.20.0.0/16 (services, spec.cidrs.services[0]): the actual range is not the one the spec names (the cluster was built with another range, or the spec is stale).",
      ],
    ]);
    expect(drift(run(specWith({ services: SPEC.services }), eks(true))).map((f) => f.layer)).toEqual(['plan']);
  });

  test('spec dual-stack, cluster IPv4 only: the missing family is drift; spec IPv4 only, cluster dual-stack: IPv6 not compared', () => {
    const dual = drift(run(specWith({ pods: [...SPEC.pods!, { name: 'pods6', cidr: 'fd00:10:244::/56' }] }), stateWith(inStep)));
    expect(dual.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^spec.cidrs.pods names the IPv6 pod range pods6 fd00:10:244::\/56 \(spec.cidrs.pods\[1\]\), but the cluster's pod configuration \(kubeadm networking.podSubnet, kube-proxy clusterCIDR\) has no IPv6 range/,
      ),
    ]);
    const clusterDual = run(
      specWith(SPEC),
      stateWith((s) => {
        inStep(s);
        s.kubernetes.controlPlane.kubeadm!.networking!.podSubnet = '100.64.0.0/16,fd00:10:244::/56';
      }),
    );
    expect(drift(clusterDual)).toEqual([]);
  });

  test('VPC with another CIDR: the only VPC and the only entry left are paired, both values in the evidence', () => {
    const findings = drift(
      run(
        specWith(SPEC),
        stateWith((s) => {
          inStep(s);
          s.cloud.vpcs[0]!.cidrs = ['10.41.0.0/16'];
          for (const subnet of s.cloud.subnets) subnet.cidr = subnet.cidr!.replace('10.40.', '10.41.');
        }),
      ),
    );
    expect(findings.map((f) => f.message.split(':')[0])).toEqual(
      [
        "The cluster's subnet subnet-a (prod-private-a) has 10.41.0.0/19 (Subnet subnet-a), but the spec names 10.40.0.0/19 (private-a, spec.cidrs.subnets[0])",
        "The cluster's subnet subnet-b (prod-private-b) has 10.41.32.0/19 (Subnet subnet-b), but the spec names 10.40.32.0/19 (private-b, spec.cidrs.subnets[1])",
        "The cluster's VPC vpc-1 (prod) has 10.41.0.0/16 (VPC vpc-1 (vpcs.json",
      ].sort((a, b) => (a.includes('VPC vpc') ? -1 : b.includes('VPC vpc') ? 1 : 0)),
    );
    expect(comparison(findings[0])).toMatchObject({ expected: '10.40.0.0/16', actual: '10.41.0.0/16', ref: { kind: 'VPC', id: 'vpc-1' } });
  });

  test('a secondary VPC CIDR and an extra subnet the spec does not list are not drift', () => {
    const findings = run(
      specWith(SPEC),
      stateWith((s) => {
        inStep(s);
        s.cloud.vpcs[0]!.cidrs.push('100.65.0.0/16');
        s.cloud.subnets.push({ id: 'subnet-pods', vpcId: 'vpc-1', cidr: '100.65.0.0/17', tags: {} });
      }),
    );
    expect(findings.map((f) => f.result)).toEqual(['pass']);
  });

  test('an entry matching no subnet by CIDR or name, with several candidates left: not-applicable naming it', () => {
    const findings = run(
      specWith({ ...SPEC, subnets: [...SPEC.subnets!, { name: 'private-c', cidr: '10.40.64.0/19' }] }),
      stateWith((s) => {
        inStep(s);
        s.cloud.subnets.push(
          { id: 'subnet-x', vpcId: 'vpc-1', cidr: '10.40.200.0/24', tags: {} },
          { id: 'subnet-y', vpcId: 'vpc-1', cidr: '10.40.201.0/24', tags: {} },
        );
      }),
    );
    expect(findings.map((f) => f.result)).toEqual(['pass', 'not-applicable']);
    expect(findings[1]?.message).toBe(
      'Drift between spec.cidrs and the actual ranges was not checked for spec.cidrs.subnets[2] (private-c 10.40.64.0/19) (no subnet in the inputs holds this CIDR or is named private-c).',
    );
  });

  test('no actual value in the inputs: not-applicable with the reason per spec section, never an agreement', () => {
    const findings = run(
      specWith(SPEC),
      stateWith((s) => {
        s.cloud.eksClusters.push({ name: 'prod', vpcId: 'vpc-1', serviceIpv4Cidr: '172.20.0.0/16', tags: {} });
      }),
    );
    const na = findings.find((f) => f.result === 'not-applicable');
    expect(na?.evidence.map((e) => (e.type === 'missing-input' ? e.what : ''))).toEqual([
      'spec.cidrs.pods',
      'spec.cidrs.vpcs',
      'spec.cidrs.subnets',
    ]);
    expect(na?.message).toContain(
      'spec.cidrs.pods (pods 100.64.0.0/16: the inputs hold no actual pod range (kubeadm ClusterConfiguration networking.podSubnet, kube-proxy clusterCIDR or Node spec.podCIDRs) to compare with)',
    );
  });

  test("through the loader: a terraform plan whose VPC is not the spec's is plan-layer drift", async () => {
    const state = await loadStateFromPaths(['fixtures/collect/terraform/plan.json']);
    const findings = drift(run(specWith({ vpcs: [{ name: 'staging', cidr: '10.30.0.0/16' }] }), state));
    expect(findings.map((f) => [f.layer, comparison(f)])).toEqual([
      ['plan', expect.objectContaining({ expected: '10.30.0.0/16', actual: '10.20.0.0/16' })],
    ]);
    expect(findings[0]?.message).toMatch(
      /^The cluster's VPC tf:aws_vpc.main \(staging\) has 10.20.0.0\/16 \(VPC tf:aws_vpc.main \(fixtures\/collect\/terraform\/plan.json:\d+\)\), but the spec names 10.30.0.0\/16/,
    );
  });
});

describe("cidr-non-overlapping: a conflict names the cluster's own range to change", () => {
  const onPrem: CidrSpec = { peers: [{ name: 'onprem-dc', cidr: '192.168.128.0/17' }] };

  test('pod range (kubeadm) vs a spec peer: the subject is the kubeadm-config ConfigMap, not the peer', () => {
    const findings = run(
      specWith(onPrem),
      stateWith((s) => {
        s.kubernetes.controlPlane.kubeadm = { networking: { podSubnet: '192.168.0.0/16' } };
        s.origins['ConfigMap/kube-system/kubeadm-config'] = { file: 'dump.yaml', documentIndex: 0, line: 900 };
      }),
    );
    const [f] = findings.filter((x) => x.result === 'fail');
    expect(f?.subject).toMatchObject({ kind: 'ConfigMap', name: 'kubeadm-config' });
    expect(f?.message).toBe(
      "Pod range kubeadm networking.podSubnet (192.168.0.0/16, ConfigMap kube-system/kubeadm-config (dump.yaml:900)) contains peer range onprem-dc (192.168.128.0/17, spec.cidrs.peers[0]); shared span 192.168.128.0–192.168.255.255 (192.168.128.0/17): traffic to the peer network would be routed locally or ambiguously. Fix: change the cluster's pod range kubeadm networking.podSubnet; the peer range onprem-dc is not the cluster's to change.",
    );
    expect(f?.evidence.filter((e) => e.type === 'object').map((e) => (e.type === 'object' ? e.detail : ''))).toEqual([
      "pod kubeadm networking.podSubnet 192.168.0.0/16 from ConfigMap kube-system/kubeadm-config (dump.yaml:900) (the cluster's own range, to change)",
      "peer onprem-dc 192.168.128.0/17 from spec.cidrs.peers[0] (not the cluster's)",
    ]);
  });

  test('the peer listed first in the pair still ends up as the range to keep', () => {
    // Spec peers are gathered before state ranges, so the peer is `a` of the pair here.
    const [f] = run(specWith({ ...onPrem, pods: [{ name: 'calico', cidr: '192.168.0.0/16' }] }), stateWith()).filter(
      (x) => x.result === 'fail',
    );
    expect(f?.subject).toEqual({ kind: 'ClusterSpec', name: 'cidrs.pods.calico' });
    expect(f?.message).toMatch(/^Pod range calico \(192.168.0.0\/16, spec.cidrs.pods\[0\]\) contains peer range onprem-dc/);
  });

  test("a peer VPC reusing the cluster VPC range: change the cluster's VPC, not the peer's", () => {
    const [f] = run(
      specWith(),
      stateWith((s) => {
        s.cloud.eksClusters.push({ name: 'prod', vpcId: 'vpc-1', tags: {} });
        s.cloud.vpcs.push({ id: 'vpc-1', cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], tags: {} });
        s.cloud.peerings.push({
          id: 'pcx-1',
          requesterVpcId: 'vpc-1',
          accepterVpcId: 'vpc-peer',
          requesterCidrs: ['10.0.0.0/16'],
          accepterCidrs: ['10.0.128.0/17'],
          tags: {},
        });
      }),
    ).filter((x) => x.result === 'fail');
    expect(f?.subject).toMatchObject({ kind: 'VPC', id: 'vpc-1' });
    expect(f?.message).toContain("Fix: change the cluster's VPC range vpc-1; the VPC range vpc-peer is not the cluster's to change.");
  });

  test("two peers overlapping: neither is the cluster's own, and the finding says so", () => {
    const [f] = run(
      specWith({
        peers: [
          { name: 'dc-a', cidr: '10.1.0.0/16' },
          { name: 'dc-b', cidr: '10.1.128.0/17' },
        ],
      }),
      stateWith(),
    ).filter((x) => x.result === 'fail');
    expect(f?.message).toContain("Fix: neither range is the cluster's own; correct the peer range dc-a or re-address the peer range dc-b.");
  });
});
