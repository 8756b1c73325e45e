// The nodes' instance profile: a role EC2 may assume, with only the SSM managed policy (node exec goes through
// SSM Run Command; no SSH keys, no open port).
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { IAM_PATH, iamName, type RunTags, tagList } from './tags.ts';

export const SSM_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export async function createInstanceProfile(iam: IAMClient, t: RunTags): Promise<string> {
  const name = iamName(t.runId);
  await iam.send(new CreateRoleCommand({ RoleName: name, Path: IAM_PATH, AssumeRolePolicyDocument: TRUST, Tags: tagList(t) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: SSM_POLICY }));
  const profile = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, Path: IAM_PATH, Tags: tagList(t) }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  return profile.InstanceProfile?.Arn ?? '';
}
