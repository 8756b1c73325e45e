// iam-node-role-inheritance: node role permissions and IMDS hardening, states built in code.
import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { evaluateIamNodeRoleInheritance } from '../../harness/evaluate/iamNodeRoleInheritance.ts';
import type { Finding } from '../../harness/model/findings.ts';
import type { IamSpec } from '../../harness/model/spec.ts';
import type { ClusterState, Ec2Instance, IamRole } from '../../harness/model/state.ts';
import { cluster, control, role, specWith, stateWith } from './builders.ts';

const ec2Trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const cleanRole = (): IamRole =>
  role('prod-node', ec2Trust, {
    attachedPolicyArns: [
      managed('AmazonEKSWorkerNodePolicy'),
      managed('AmazonEKS_CNI_Policy'),
      managed('AmazonEC2ContainerRegistryReadOnly'),
    ],
  });
const instance = (metadataOptions: Ec2Instance['metadataOptions'], id = 'i-0123456789abcdef0'): Ec2Instance => ({
  id,
  instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/prod-node',
  tags: { 'eks:cluster-name': 'prod' },
  ...(metadataOptions ? { metadataOptions } : {}),
});
const hardened = { httpTokens: 'required' as const, httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' as const };

function state(nodeRole: IamRole | undefined, ...instances: Ec2Instance[]): ClusterState {
  return stateWith((s) => {
    s.cloud.eksClusters.push(cluster);
    s.cloud.instanceProfiles.push({
      name: 'prod-node',
      arn: 'arn:aws:iam::111122223333:instance-profile/prod-node',
      roleNames: ['prod-node'],
    });
    if (nodeRole) s.cloud.iamRoles.push(nodeRole);
    s.cloud.instances.push(...instances);
  });
}
const run = (s: ClusterState, iam?: IamSpec): Finding[] =>
  evaluateIamNodeRoleInheritance({ spec: specWith(iam), state: s, control: control('iam-node-role-inheritance') });
const summary = (findings: Finding[]): string[] => findings.map((f) => `${f.result}: ${f.message}`);

describe('iam-node-role-inheritance', () => {
  test('worker/CNI/ECR policies only, IMDSv2 required, hop limit 1: pass', () => {
    expect(summary(run(state(cleanRole(), instance(hardened))))).toEqual([
      'pass: 1 node instance(s) require IMDSv2 with hop limit ≤ 1, and 1 node role(s) carry only node permissions.',
    ]);
  });

  test('node role with an inline s3:* policy and an extra managed policy: fail listing both', () => {
    const r = cleanRole();
    r.attachedPolicyArns.push(managed('AmazonS3FullAccess'));
    r.permissionPolicies.push({
      name: 'app-secrets',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:*', 'ec2:DescribeInstances'], Resource: '*' },
          { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
          { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' },
        ],
      },
    });
    expect(summary(run(state(r, instance(hardened))))).toEqual([
      'fail: Node role prod-node (instance profile prod-node) carries application permissions every pod can inherit through IMDS: attached policy arn:aws:iam::aws:policy/AmazonS3FullAccess; policy app-secrets allows s3:*, secretsmanager:GetSecretValue.',
    ]);
  });

  test('sts:AssumeRole on application roles and NotAction are application permissions too', () => {
    const r = cleanRole();
    r.permissionPolicies.push({
      name: 'hop',
      document: {
        Statement: [
          { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111122223333:role/app-*' },
          { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
        ],
      },
    });
    expect(run(state(r, instance(hardened)))[0]?.message).toContain(
      'policy hop allows sts:AssumeRole, NotAction "iam:*" (allows everything else).',
    );
  });

  test('a permission policy AWS would reject (Effect "allow") is an error naming policy, statement and field, not a pass', () => {
    const r = cleanRole();
    r.permissionPolicies.push({
      name: 'sloppy',
      document: { Version: '2012-10-17', Statement: [{ Sid: 'S3', Effect: 'allow', Action: 's3:*', Resource: '*' }] },
    });
    expect(summary(run(state(r, instance(hardened))))).toEqual([
      'error: Node role prod-node (instance profile prod-node) has a permission policy that is not valid IAM (AWS would reject it), so its permissions cannot be judged: policy sloppy: statement #0 (Sid "S3"), Effect: Effect must be present and exactly "Allow" or "Deny".',
    ]);
  });

  test('IMDSv1 allowed (httpTokens optional): fail', () => {
    expect(summary(run(state(cleanRole(), instance({ ...hardened, httpTokens: 'optional' }))))).toEqual([
      "fail: Instance i-0123456789abcdef0 allows IMDSv1 (httpTokens optional): any pod can read the node role's credentials without a session token.",
    ]);
  });

  test('hop limit 2: fail; a spec allowing 2 passes', () => {
    const s = state(cleanRole(), instance({ ...hardened, httpPutResponseHopLimit: 2 }));
    expect(summary(run(s))).toEqual([expect.stringMatching(/^fail: Instance i-0123456789abcdef0 has IMDS hop limit 2 \(max 1\)/)]);
    expect(run(s, { mode: 'irsa', tenants: [], imds: { maxHopLimit: 2 } }).map((f) => f.result)).toEqual(['pass']);
  });

  test('IMDS disabled entirely is fine', () => {
    expect(run(state(cleanRole(), instance({ httpEndpoint: 'disabled' }))).map((f) => f.result)).toEqual(['pass']);
  });

  test('missing metadata options, missing role, missing instances: errors, never pass', () => {
    expect(summary(run(state(cleanRole(), instance(undefined))))).toEqual([
      expect.stringMatching(/^error: Instance i-0123456789abcdef0: metadata options .* are missing/),
    ]);
    expect(summary(run(state(undefined, instance(hardened))))).toEqual([
      expect.stringMatching(/^error: Node role prod-node \(instance profile prod-node\) is not in the inputs/),
    ]);
    expect(run(state(cleanRole())).map((f) => f.result)).toEqual(['error']);
    expect(run(stateWith(() => {})).map((f) => f.result)).toEqual(['not-applicable']);
  });

  describe('Kubernetes Nodes identify node instances by providerID, tagged or not', () => {
    const node = (name: string, providerID: string): V1Node => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name },
      spec: { providerID },
    });
    const untagged = (metadataOptions: Ec2Instance['metadataOptions'], id: string): Ec2Instance => ({
      ...instance(metadataOptions, id),
      tags: { Name: 'worker' },
    });

    test('an untagged instance named by a Node is judged alongside the tagged ones', () => {
      const s = state(
        cleanRole(),
        instance(hardened),
        untagged({ ...hardened, httpTokens: 'optional', httpPutResponseHopLimit: 2 }, 'i-0e9d8c7b6a5f43210'),
      );
      s.kubernetes.nodes.push(node('ip-10-40-34-99.eu-west-1.compute.internal', 'aws:///eu-west-1b/i-0e9d8c7b6a5f43210'));
      expect(summary(run(s))).toEqual([
        "fail: Instance i-0e9d8c7b6a5f43210 allows IMDSv1 (httpTokens optional): any pod can read the node role's credentials without a session token.",
        expect.stringMatching(/^fail: Instance i-0e9d8c7b6a5f43210 has IMDS hop limit 2 \(max 1\)/),
      ]);
    });

    test('without the Node, the untagged instance is not a node (tag rule unchanged)', () => {
      const s = state(cleanRole(), instance(hardened), untagged({ ...hardened, httpTokens: 'optional' }, 'i-0e9d8c7b6a5f43210'));
      expect(run(s).map((f) => f.result)).toEqual(['pass']);
    });

    test('a Node whose instance is not in the inputs: error naming it, and no pass', () => {
      const s = state(cleanRole(), instance(hardened));
      s.kubernetes.nodes.push(
        node('ip-10-40-34-99', 'aws:///eu-west-1b/i-0e9d8c7b6a5f43210'),
        node('fargate-ip-10-0-0-1', 'aws:///eu-west-1a/0f1e2d3c/fargate-ip-10-0-0-1'),
        node('kind-worker', 'kind://docker/kind/kind-worker'),
      );
      const findings = run(s);
      expect(summary(findings)).toEqual([
        'error: Node ip-10-40-34-99 runs on EC2 instance i-0e9d8c7b6a5f43210 (providerID aws:///eu-west-1b/i-0e9d8c7b6a5f43210), which is not in the inputs, so its IMDS settings and role are unknown; add `aws ec2 describe-instances` output for i-0e9d8c7b6a5f43210.',
      ]);
      expect(findings[0]?.subject).toEqual({ kind: 'Node', name: 'ip-10-40-34-99' });
    });

    test('no instances in the inputs at all but an AWS Node: error, not not-applicable', () => {
      const s = stateWith((st) => {
        st.kubernetes.nodes.push(node('ip-10-40-34-99', 'aws:///eu-west-1b/i-0e9d8c7b6a5f43210'));
      });
      expect(run(s).map((f) => f.result)).toEqual(['error']);
    });
  });
});

describe('iam-node-role-inheritance: the static twin of the probe (tenant namespaces → 169.254.169.254)', () => {
  const tenants: IamSpec = {
    mode: 'irsa',
    tenants: [
      { namespace: 'shop', serviceAccount: 'app', role: 'shop' },
      { namespace: 'blog', serviceAccount: 'app', role: 'blog' },
    ],
  };
  const withPolicy = (s: ClusterState): ClusterState => {
    s.kubernetes.namespaces.push({ metadata: { name: 'shop' } }, { metadata: { name: 'blog' } });
    s.kubernetes.networkPolicies.push({
      metadata: { name: 'deny-imds', namespace: 'shop' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }],
      },
    });
    return s;
  };
  const open = { httpTokens: 'optional' as const, httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' as const };

  test('an open instance: the namespace whose policy excludes the address passes, the other fails naming both sides', () => {
    const findings = run(withPolicy(state(cleanRole(), instance(open))), tenants).filter((f) => f.subject?.kind === 'Namespace');
    expect(summary(findings)).toEqual([
      'fail: Pods of tenant namespace blog can borrow the node role: they reach the metadata service (no NetworkPolicy selects its pods for egress) and instance(s) i-0123456789abcdef0 hand credentials to a pod one hop away.',
      'pass: Pods of tenant namespace shop cannot reach the metadata service: NetworkPolicy shop/deny-imds denies egress to 169.254.169.254.',
    ]);
    expect(findings).toHaveLength(2);
  });

  test('hardened instances: reachable namespaces add no failure, the blocked one is stated as a pass', () => {
    const findings = run(withPolicy(state(cleanRole(), instance(hardened))), tenants);
    expect(findings.filter((f) => f.result !== 'pass')).toEqual([]);
    expect(findings.filter((f) => f.subject?.kind === 'Namespace').map((f) => f.subject?.name)).toEqual(['shop']);
  });
});
