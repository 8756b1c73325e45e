// fixtures/iam pass/fail pairs, loaded the way `scan` loads them (real file loader, spec read with `yaml`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { evaluateIamNodeRoleInheritance } from '../../harness/evaluate/iamNodeRoleInheritance.ts';
import { evaluateIamPodIsolation } from '../../harness/evaluate/iamPodIsolation.ts';
import type { Finding } from '../../harness/model/findings.ts';
import type { ClusterSpec } from '../../harness/model/spec.ts';
import { control } from './builders.ts';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'controls');
const FOLDER = { 'pod-isolation': 'iam-pod-isolation', 'node-role': 'iam-node-role-inheritance' } as const;

async function evaluate(kind: 'pod-isolation' | 'node-role', name: 'pass' | 'fail'): Promise<string[]> {
  const path = join(dir, FOLDER[kind], name);
  const state = await loadStateFromPaths([path]);
  const spec = parse(readFileSync(join(path, 'clusterproof.yaml'), 'utf8')) as ClusterSpec;
  const findings: Finding[] =
    kind === 'pod-isolation'
      ? await evaluateIamPodIsolation({ state, spec, control: control('iam-pod-isolation') })
      : evaluateIamNodeRoleInheritance({ state, spec, control: control('iam-node-role-inheritance') });
  return findings.map((f) => `${f.result}: ${f.message}`);
}

describe('fixtures/iam', () => {
  test('pod-isolation/pass', async () => {
    expect(await evaluate('pod-isolation', 'pass')).toEqual([
      "pass: 1 role(s) checked (1 tenant role(s)): each can be obtained only by its tenants' service accounts, and no trust admits a wildcard of service accounts (irsa).",
    ]);
  });

  test('pod-isolation/fail: the namespace wildcard and the role without a sub condition', async () => {
    expect(await evaluate('pod-isolation', 'fail')).toEqual([
      expect.stringMatching(/^fail: Any service account in namespace team-a can assume team-a-any, which belongs to team-a\/app/),
      expect.stringMatching(/^fail: Any service account in any namespace can assume no-sub: IRSA: Sid "AudienceOnly"/),
    ]);
  });

  test('node-role/pass', async () => {
    expect(await evaluate('node-role', 'pass')).toEqual([
      expect.stringMatching(
        /^pass: 1 node instance\(s\) and 2 launch template version\(s\) require IMDSv2 with hop limit ≤ 1, and 1 node role\(s\)/,
      ),
    ]);
  });

  test('node-role/fail: IMDSv1, hop limit 2, S3 full access and an inline application policy, on instances and launch templates', async () => {
    expect(await evaluate('node-role', 'fail')).toEqual([
      expect.stringMatching(/^fail: Instance i-0a1b2c3d4e5f60001 allows IMDSv1/),
      expect.stringMatching(/^fail: Instance i-0a1b2c3d4e5f60001 has IMDS hop limit 2/),
      'fail: Node role prod-node (instance profile prod-nodes) carries application permissions every pod can inherit through IMDS: attached policy arn:aws:iam::aws:policy/AmazonS3FullAccess; policy app-data allows s3:*, dynamodb:GetItem, secretsmanager:GetSecretValue.',
      // The launch templates new nodes come from: describe-launch-template-versions, and a terraform plan.
      expect.stringMatching(/^fail: Launch template prod-general \(lt-0a1b2c3d4e5f60001\) version 2 \(\$Default\) allows IMDSv1/),
      expect.stringMatching(/^fail: Launch template prod-general \(lt-0a1b2c3d4e5f60001\) version 2 \(\$Default\) has IMDS hop limit 2/),
      expect.stringMatching(/^fail: Launch template prod-batch \(tf:aws_launch_template.batch\) \(planned\) does not set HttpTokens/),
      expect.stringMatching(
        /^fail: Launch template prod-batch \(tf:aws_launch_template.batch\) \(planned\) does not set HttpPutResponseHopLimit/,
      ),
      'fail: Node role prod-batch-node (instance profile prod-batch-nodes) carries application permissions every pod can inherit through IMDS: attached policy arn:aws:iam::aws:policy/AmazonS3FullAccess.',
    ]);
  });
});
