// One EC2 instance per node, zones round-robin (control planes first, as kind/config.ts), IMDSv2 required with
// hop limit 1 (a pod cannot reach the node's credentials), source/destination check off (pod addresses), bootstrapped
// by the user-data of userData.ts.
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ModifyInstanceAttributeCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { zoneOf } from '../kind/config.ts';
import type { SavedNode } from '../state.ts';
import { type RunTags, tagSpec } from './tags.ts';
import { type BootstrapInput, userData } from './userData.ts';

/** Canonical's published Ubuntu 24.04 AMI, resolved in the cluster's region. */
export const UBUNTU_AMI_PARAMETER = '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id';

/**
 * The nodes' AMI: the one asked for, else CLUSTERPROOF_AWS_IMAGE_ID (an AMI that carries containerd, kubeadm and
 * the pod network's images: `up` has no flag for it yet), else Canonical's Ubuntu 24.04.
 */
export async function resolveImageId(ssm: SSMClient, imageId: string | undefined): Promise<string> {
  const chosen = imageId || process.env.CLUSTERPROOF_AWS_IMAGE_ID;
  if (chosen) return chosen;
  return (await ssm.send(new GetParameterCommand({ Name: UBUNTU_AMI_PARAMETER }))).Parameter?.Value ?? '';
}

export interface NodePlan {
  controlPlanes: number;
  workers: number;
  zones: string[];
  subnets: Record<string, string>;
  securityGroupId: string;
  instanceProfileArn: string;
  imageId: string;
  instanceType: string;
  bootstrap: Omit<BootstrapInput, 'role' | 'init' | 'zone'>;
}

export async function runNodes(ec2: EC2Client, plan: NodePlan, t: RunTags): Promise<SavedNode[]> {
  const nodes: SavedNode[] = [];
  const total = plan.controlPlanes + plan.workers;
  for (let i = 0; i < total; i++) {
    const role = i < plan.controlPlanes ? 'control-plane' : 'worker';
    const zone = zoneOf(i, plan.zones) ?? '';
    const name = `${t.cluster}-${role === 'control-plane' ? 'cp' : 'w'}${i}`;
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: plan.imageId,
        InstanceType: plan.instanceType as never,
        MinCount: 1,
        MaxCount: 1,
        SubnetId: plan.subnets[zone],
        SecurityGroupIds: [plan.securityGroupId],
        IamInstanceProfile: { Arn: plan.instanceProfileArn },
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
        UserData: Buffer.from(userData({ ...plan.bootstrap, role, init: i === 0, zone })).toString('base64'),
        TagSpecifications: [...tagSpec('instance', t, name), ...tagSpec('volume', t, name)],
      }),
    );
    const instance = out.Instances?.[0];
    // Pod traffic leaves a node with pod addresses (kube-router routes podCIDRs without an overlay): EC2 drops it
    // unless the instance may send and receive addresses other than its own.
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instance?.InstanceId, SourceDestCheck: { Value: false } }));
    nodes.push({
      name,
      role,
      zone,
      addresses: instance?.PrivateIpAddress ? [instance.PrivateIpAddress] : [],
      instanceId: instance?.InstanceId ?? '',
    });
  }
  return nodes;
}
