// The private subnets' way out to AWS: no internet gateway or NAT, so the SSM agent (node exec, Session Manager)
// reaches SSM through interface endpoints with private DNS (the public service names resolve to addresses in the
// VPC), behind a security group that admits only HTTPS from the VPC; S3 through a gateway endpoint on the subnets'
// route table. Everything tagged with the run; deleted before the security groups and subnets it sits in.
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeVpcEndpointsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { RunError } from '../../errors.ts';
import { VPC_CIDR } from './network.ts';
import { type RunTags, runFilter, tagSpec } from './tags.ts';

/** What the SSM agent talks to: the API, the session channel and the message delivery service. */
export const INTERFACE_SERVICES = ['ssm', 'ssmmessages', 'ec2messages'] as const;

export interface EndpointPlan {
  region: string;
  vpcId: string;
  subnetIds: string[];
  routeTableId: string;
}

export async function createEndpoints(ec2: EC2Client, plan: EndpointPlan, t: RunTags): Promise<string[]> {
  const sg = await ec2.send(
    new CreateSecurityGroupCommand({
      VpcId: plan.vpcId,
      GroupName: `${t.cluster}-endpoints`,
      Description: `clusterproof ${t.cluster} VPC endpoints (run ${t.runId})`,
      TagSpecifications: tagSpec('security-group', t, `${t.cluster}-endpoints`),
    }),
  );
  const groupId = sg.GroupId ?? '';
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: VPC_CIDR, Description: 'HTTPS from the VPC' }] },
      ],
    }),
  );
  const ids: string[] = [];
  for (const service of INTERFACE_SERVICES) {
    const r = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: plan.vpcId,
        ServiceName: `com.amazonaws.${plan.region}.${service}`,
        VpcEndpointType: 'Interface',
        SubnetIds: plan.subnetIds,
        SecurityGroupIds: [groupId],
        PrivateDnsEnabled: true,
        TagSpecifications: tagSpec('vpc-endpoint', t, `${t.cluster}-${service}`),
      }),
    );
    ids.push(r.VpcEndpoint?.VpcEndpointId ?? '');
  }
  const s3 = await ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: plan.vpcId,
      ServiceName: `com.amazonaws.${plan.region}.s3`,
      VpcEndpointType: 'Gateway',
      RouteTableIds: [plan.routeTableId],
      TagSpecifications: tagSpec('vpc-endpoint', t, `${t.cluster}-s3`),
    }),
  );
  ids.push(s3.VpcEndpoint?.VpcEndpointId ?? '');
  return ids;
}

const GONE = new Set(['deleted', 'rejected', 'failed', 'expired']);

/** The run's endpoints that still exist (a deleted one stays visible for a while in state `deleted`). */
export async function liveEndpoints(ec2: EC2Client, runId?: string): Promise<string[]> {
  const r = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: runFilter(runId) }));
  return (r.VpcEndpoints ?? []).filter((e) => !GONE.has(String(e.State ?? '').toLowerCase())).map((e) => e.VpcEndpointId ?? '');
}

/** Deletes them and waits until AWS has released their network interfaces (the security group and subnets wait on that). */
export async function deleteEndpoints(ec2: EC2Client, ids: string[], runId?: string, timeoutMs = 600_000): Promise<void> {
  if (ids.length === 0) return;
  const r = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: ids }));
  const failed = (r.Unsuccessful ?? []).filter((u) => !/NotFound/.test(u.Error?.Code ?? ''));
  if (failed.length > 0)
    throw new RunError(
      `cannot delete VPC endpoints: ${failed.map((u) => `${u.ResourceId}: ${u.Error?.Code} ${u.Error?.Message ?? ''}`.trim()).join('; ')}`,
    );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = (await liveEndpoints(ec2, runId)).filter((id) => ids.includes(id));
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new RunError(`VPC endpoints still deleting after ${timeoutMs / 1000} s: ${left.join(', ')}`);
    await new Promise((res) => setTimeout(res, 5000));
  }
}
