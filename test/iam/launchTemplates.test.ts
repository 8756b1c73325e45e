// iam-node-role-inheritance on launch templates: nodes launched later inherit the template's IMDS options and
// instance profile. States built in code for the rules; the AWS CLI and terraform shapes through the real loader.
import { describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { evaluateIamNodeRoleInheritance } from '../../harness/evaluate/iamNodeRoleInheritance.ts';
import { nodeLaunchTemplates } from '../../harness/evaluate/iam/launchTemplates.ts';
import type { Finding } from '../../harness/model/findings.ts';
import type { IamSpec } from '../../harness/model/spec.ts';
import type { ClusterState, Ec2Instance } from '../../harness/model/state.ts';
import { cluster, control, role, specWith, stateWith } from './builders.ts';

const ec2Trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const PROFILE_ARN = 'arn:aws:iam::111122223333:instance-profile/prod-node';
const hardened = { httpTokens: 'required' as const, httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' as const };

function template(
  version: number | undefined,
  metadataOptions: Ec2Instance['metadataOptions'],
  extra: Partial<Ec2Instance> = {},
): Ec2Instance {
  return {
    id: 'lt-0abc',
    kind: 'launch-template',
    instanceProfileArn: PROFILE_ARN,
    tags: {},
    tagsCollected: false,
    launchTemplate: { name: 'workers', ...(version === undefined ? {} : { version }) },
    ...(metadataOptions ? { metadataOptions } : {}),
    ...extra,
  };
}
function state(...templates: Ec2Instance[]): ClusterState {
  return stateWith((s) => {
    s.cloud.eksClusters.push(cluster);
    s.cloud.instanceProfiles.push({ name: 'prod-node', arn: PROFILE_ARN, roleNames: ['prod-node'] });
    s.cloud.iamRoles.push(role('prod-node', ec2Trust, { attachedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy'] }));
    s.cloud.instances.push(...templates);
  });
}
const run = (s: ClusterState, iam?: IamSpec): Finding[] =>
  evaluateIamNodeRoleInheritance({ spec: specWith(iam), state: s, control: control('iam-node-role-inheritance') });
const summary = (findings: Finding[]): string[] => findings.map((f) => `${f.result}: ${f.message}`);

describe('iam-node-role-inheritance: launch templates', () => {
  test('a hardened template (and no instances yet) passes, counted in the summary', () => {
    expect(summary(run(state(template(1, hardened, { launchTemplate: { name: 'workers', version: 1, isDefault: true } }))))).toEqual([
      'pass: 0 node instance(s) and 1 launch template version(s) require IMDSv2 with hop limit ≤ 1, and 1 node role(s) carry only node permissions.',
    ]);
  });

  test('IMDSv1 and hop limit 2 in the $Default version: two fails on the template, with the CLI field names', () => {
    const findings = run(
      state(
        template(
          2,
          { ...hardened, httpTokens: 'optional', httpPutResponseHopLimit: 2 },
          { launchTemplate: { name: 'workers', version: 2, isDefault: true } },
        ),
      ),
    );
    expect(summary(findings)).toEqual([
      "fail: Launch template workers (lt-0abc) version 2 ($Default) allows IMDSv1 (HttpTokens optional): any pod on its nodes can read the node role's credentials without a session token; every node launched from it inherits this.",
      'fail: Launch template workers (lt-0abc) version 2 ($Default) has IMDS hop limit 2 (max 1): pods behind one network hop on its nodes can fetch an IMDSv2 token; every node launched from it inherits this.',
    ]);
    expect(findings[0]?.subject).toEqual({ kind: 'LaunchTemplate', name: 'workers v2', id: 'lt-0abc' });
    expect(findings[0]?.evidence[0]).toEqual({
      type: 'comparison',
      what: 'LaunchTemplateData.MetadataOptions.HttpTokens',
      expected: 'required',
      actual: 'optional',
      ref: findings[0]?.subject,
    });
  });

  test('a template that does not set the options fails (AWS defaults apply), it is not missing input', () => {
    const findings = run(state(template(1, undefined)));
    expect(findings.map((f) => [f.result, f.evidence[0]?.type === 'comparison' ? f.evidence[0].actual : ''])).toEqual([
      ['fail', 'not set (AMI or account default)'],
      ['fail', 'not set (AMI or account default)'],
    ]);
    expect(findings[0]?.message).toContain("does not set HttpTokens: its nodes get the AMI's or account's default, which allows IMDSv1");
  });

  test("IMDS disabled in the template is fine; the spec's own hop limit is honoured", () => {
    expect(run(state(template(1, { httpEndpoint: 'disabled' }))).map((f) => f.result)).toEqual(['pass']);
    expect(
      run(state(template(1, { ...hardened, httpPutResponseHopLimit: 2 })), { mode: 'irsa', tenants: [], imds: { maxHopLimit: 2 } }).map(
        (f) => f.result,
      ),
    ).toEqual(['pass']);
  });

  test("the template's instance profile role is judged like a node's; a profile not in the inputs is an error", () => {
    const s = state(template(1, hardened));
    s.cloud.iamRoles[0]!.attachedPolicyArns.push('arn:aws:iam::aws:policy/AmazonS3FullAccess');
    expect(summary(run(s))).toEqual([
      'fail: Node role prod-node (instance profile prod-node) carries application permissions every pod can inherit through IMDS: attached policy arn:aws:iam::aws:policy/AmazonS3FullAccess.',
    ]);
    const unknownProfile = state(template(1, hardened, { instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/other' }));
    expect(summary(run(unknownProfile))).toEqual([
      expect.stringMatching(
        /^error: Launch template workers \(lt-0abc\) version 1: instance profile arn:aws:iam::111122223333:instance-profile\/other is not in the inputs/,
      ),
    ]);
  });

  test('a planned template (terraform) is judged on the plan layer', () => {
    const findings = run(
      state(template(undefined, { ...hardened, httpTokens: 'optional' }, { id: 'tf:aws_launch_template.nodes', planned: true })),
    );
    expect(findings.map((f) => [f.layer, f.result])).toEqual([['plan', 'fail']]);
    expect(findings[0]?.message).toMatch(/^Launch template workers \(tf:aws_launch_template.nodes\) \(planned\) allows IMDSv1/);
  });
});

describe('which launch templates and versions are judged', () => {
  const ids = (t: Ec2Instance[]): string[] => t.map((x) => `${x.id}:${x.launchTemplate?.version ?? '-'}`);

  test('$Default and $Latest of each template, not the superseded versions in between', () => {
    const s = state(
      template(1, hardened),
      template(2, hardened, { launchTemplate: { name: 'workers', version: 2, isDefault: true } }),
      template(3, hardened),
      template(4, hardened),
    );
    expect(ids(nodeLaunchTemplates(s, []))).toEqual(['lt-0abc:2', 'lt-0abc:4']);
  });

  test('a version a node instance was launched from (aws:ec2launchtemplate tags) is judged too, and marks its template', () => {
    const node: Ec2Instance = {
      id: 'i-1',
      kind: 'instance',
      tags: { 'aws:ec2launchtemplate:id': 'lt-0abc', 'aws:ec2launchtemplate:version': '1' },
    };
    const bastion = template(7, hardened, { id: 'lt-0bastion' });
    expect(ids(nodeLaunchTemplates(state(template(1, hardened), template(2, hardened), bastion), [node]))).toEqual([
      'lt-0abc:1',
      'lt-0abc:2',
    ]);
  });

  test('templates marked for a cluster (own tags or instance tag specifications) are judged; unmarked ones only when none is marked', () => {
    const nodes = template(1, hardened, { id: 'lt-nodes', instanceTags: { 'kubernetes.io/cluster/prod': 'owned' } });
    const other = template(1, hardened, { id: 'lt-other' });
    expect(ids(nodeLaunchTemplates(state(nodes, other), []))).toEqual(['lt-nodes:1']);
    expect(ids(nodeLaunchTemplates(state(other), []))).toEqual(['lt-other:1']);
  });
});

describe('launch templates through the files loader', () => {
  const dir = 'fixtures/controls/iam-node-role-inheritance';

  test('aws ec2 describe-launch-template-versions: one entry per version, MetadataOptions, profile, instance tags; no template tags, no UserData', async () => {
    const s = await loadStateFromPaths([`${dir}/fail/describe-launch-template-versions.json`]);
    expect(s.cloud.instances).toEqual([
      expect.objectContaining({
        id: 'lt-0a1b2c3d4e5f60001',
        kind: 'launch-template',
        launchTemplate: { name: 'prod-general', version: 2, isDefault: true },
        instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/prod-nodes',
        metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
        instanceTags: { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'general' },
        tags: {},
        tagsCollected: false,
        source: expect.objectContaining({ file: `${dir}/fail/describe-launch-template-versions.json`, line: 3 }),
      }),
      expect.objectContaining({ launchTemplate: { name: 'prod-general', version: 1, isDefault: false } }),
    ]);
  });

  test('terraform aws_launch_template: metadata_options, tag_specifications, and a profile named by reference to one in the same plan', async () => {
    const s = await loadStateFromPaths([`${dir}/fail/terraform-plan.json`]);
    expect(s.cloud.instances).toEqual([
      expect.objectContaining({
        id: 'tf:aws_launch_template.batch',
        kind: 'launch-template',
        launchTemplate: { name: 'prod-batch' },
        planned: true,
        instanceProfileName: 'prod-batch-nodes',
        instanceProfileArn: 'tf:aws_iam_instance_profile.batch',
        instanceTags: { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'batch' },
        tags: { Name: 'prod-batch' },
      }),
    ]);
    expect(s.cloud.instances[0]?.metadataOptions).toBeUndefined();
    expect(s.cloud.iamRoles.map((r) => [r.name, r.planned])).toEqual([['prod-batch-node', true]]);
  });

  test("fixtures fail/: the CLI template, the planned template and the planned template's role all fail", async () => {
    const s = await loadStateFromPaths([`${dir}/fail`]);
    const findings = run(s, { mode: 'irsa', tenants: [], imds: { requireV2: true, maxHopLimit: 1 } });
    const about = (kind: string) =>
      findings
        .filter((f) => f.subject?.kind === kind)
        .map((f) => `${f.layer} ${f.subject?.name}: ${f.evidence[0]?.type === 'comparison' ? f.evidence[0].what : f.message.slice(0, 40)}`);
    expect(about('LaunchTemplate')).toEqual([
      'config prod-general v2: LaunchTemplateData.MetadataOptions.HttpTokens',
      'config prod-general v2: LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit',
      'plan prod-batch: LaunchTemplateData.MetadataOptions.HttpTokens',
      'plan prod-batch: LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit',
    ]);
    expect(findings.find((f) => f.subject?.name === 'prod-batch-node')).toMatchObject({ layer: 'plan', result: 'fail' });
  });
});
