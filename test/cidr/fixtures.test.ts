// fixtures/cidr pass/fail, loaded the way `scan` loads them (real file loader, spec read with `yaml`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { evaluateCidrNonOverlapping } from '../../harness/evaluate/cidrNonOverlapping.ts';
import type { ClusterSpec } from '../../harness/model/spec.ts';
import { cidrControl } from './builders.ts';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'controls', 'cidr-non-overlapping');

async function evaluate(name: 'pass' | 'fail') {
  const state = await loadStateFromPaths([join(dir, name)]);
  const spec = parse(readFileSync(join(dir, name, 'clusterproof.yaml'), 'utf8')) as ClusterSpec;
  return evaluateCidrNonOverlapping({ state, spec, control: cidrControl });
}

describe('fixtures/controls/cidr-non-overlapping', () => {
  test('pass/: one pass finding; drift not checkable for pods (VPC CNI) is said, not passed', async () => {
    const findings = await evaluate('pass');
    expect(findings.map((f) => f.result)).toEqual(['pass', 'not-applicable']);
    expect(findings[0]?.message).toMatch(/^10 address ranges checked, .*; 4 actual range declaration\(s\) are the ones the spec names\.$/);
    expect(findings[1]?.message).toContain('spec.cidrs.pods (pods 100.64.0.0/17: the inputs hold no actual pod range');
  });

  test('fail/: service vs pods, peered VPC reuse, on-prem inside a subnet — each pair once, with its span', async () => {
    const all = await evaluate('fail');
    expect(all.map((f) => f.result).filter((r) => r !== 'fail')).toEqual(['not-applicable']); // pods: no actual range
    const findings = all.filter((f) => f.result === 'fail');
    const rules = findings.map((f) => f.evidence.find((e) => e.type === 'rule')).map((e) => (e?.type === 'rule' ? e.rule : ''));
    expect(rules).toEqual([
      'actual-range-is-spec-range',
      'pod-vs-service',
      'peer-vs-vpc',
      'peer-vs-subnet',
      'peer-vs-vpc',
      'vpc-vs-vpc',
      'service-vs-vpc',
      'subnet-vs-vpc',
      'subnet-vs-vpc',
      'service-vs-subnet',
    ]);
    expect(findings[0]?.message).toMatch(
      /^The cluster's subnet subnet-0a1b2c3d4e5f60003 \(pods-a\) has 100.64.0.0\/17 \(Subnet subnet-0a1b2c3d4e5f60003 \(.*describe-subnets.json:\d+\)\), but the spec names 100.64.128.0\/17 \(pods-a, spec.cidrs.subnets\[2\]\)/,
    );
    expect(findings[0]?.evidence[0]).toMatchObject({ type: 'comparison', expected: '100.64.128.0/17', actual: '100.64.0.0/17' });
    expect(findings[1]?.message).toContain(
      'Pod range pods (100.64.0.0/17, spec.cidrs.pods[0]) contains service range prod serviceIpv4Cidr (100.64.64.0/18, EksCluster prod (',
    );
    expect(findings[1]?.message).toContain(
      "Fix: change the cluster's pod range pods, or its service range prod serviceIpv4Cidr: both are the cluster's own.",
    );
    expect(findings.find((f) => f.message.includes('vpc-0shared00000000001') && f.message.includes('is equal to'))?.message).toContain(
      'shared span 10.0.0.0–10.0.255.255 (10.0.0.0/16)',
    );
    expect(
      findings.find((f) => f.message.includes('on-prem') && f.message.includes('subnet-0a1b2c3d4e5f60002 (private-b)'))?.message,
    ).toContain('10.0.32.0–10.0.47.255 (10.0.32.0/20)');
  });
});
