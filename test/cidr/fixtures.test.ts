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
  test('pass/: one pass finding', async () => {
    const findings = await evaluate('pass');
    expect(findings.map((f) => f.result)).toEqual(['pass']);
    expect(findings[0]?.message).toMatch(/^10 address ranges checked/);
  });

  test('fail/: service vs pods, peered VPC reuse, on-prem inside a subnet — each pair once, with its span', async () => {
    const findings = await evaluate('fail');
    expect(findings.every((f) => f.result === 'fail')).toBe(true);
    const rules = findings.map((f) => f.evidence.find((e) => e.type === 'rule')).map((e) => (e?.type === 'rule' ? e.rule : ''));
    expect(rules).toEqual(['pod-vs-service', 'peer-vs-vpc', 'peer-vs-subnet', 'peer-vs-vpc', 'vpc-vs-vpc', 'service-vs-vpc', 'subnet-vs-vpc', 'subnet-vs-vpc', 'service-vs-subnet']);
    expect(findings[0]?.message).toContain('Pod range pods (100.64.0.0/17, spec.cidrs.pods[0]) and service range prod serviceIpv4Cidr (100.64.64.0/18, EksCluster prod (');
    expect(findings.find((f) => f.message.includes('vpc-0shared00000000001') && f.message.includes('are equal'))?.message).toContain('shared span 10.0.0.0–10.0.255.255 (10.0.0.0/16)');
    expect(findings.find((f) => f.message.includes('on-prem') && f.message.includes('subnet-0a1b2c3d4e5f60002 (private-b)'))?.message).toContain('10.0.32.0–10.0.47.255 (10.0.32.0/20)');
  });
});
