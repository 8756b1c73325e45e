// The network of an aws cluster: a VPC, one private subnet per zone (no internet gateway: nothing is exposed),
// a tagged route table for them, and one node security group open only inside the VPC. The way out to AWS's own
// services (SSM, S3) is endpoints.ts.
import {
  AssociateRouteTableCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  ModifyVpcAttributeCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { type RunTags, tagSpec } from './tags.ts';

export const VPC_CIDR = '10.50.0.0/16';

export interface Network {
  vpcId: string;
  /** zone → subnet id */
  subnets: Record<string, string>;
  /** The subnets' route table (the S3 gateway endpoint adds its route there). */
  routeTableId: string;
  securityGroupId: string;
}

export async function createNetwork(ec2: EC2Client, zones: string[], t: RunTags): Promise<Network> {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: VPC_CIDR, TagSpecifications: tagSpec('vpc', t, t.cluster) }));
  const vpcId = vpc.Vpc?.VpcId ?? '';
  // The NLB's DNS name must resolve inside the VPC for kubeadm join.
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const table = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, TagSpecifications: tagSpec('route-table', t, t.cluster) }));
  const routeTableId = table.RouteTable?.RouteTableId ?? '';
  const subnets: Record<string, string> = {};
  for (const [i, zone] of zones.entries()) {
    const s = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        AvailabilityZone: zone,
        CidrBlock: `10.50.${i * 32}.0/19`,
        TagSpecifications: tagSpec('subnet', t, `${t.cluster}-${zone}`),
      }),
    );
    const subnetId = s.Subnet?.SubnetId ?? '';
    subnets[zone] = subnetId;
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: routeTableId, SubnetId: subnetId }));
  }
  const sg = await ec2.send(
    new CreateSecurityGroupCommand({
      VpcId: vpcId,
      GroupName: `${t.cluster}-nodes`,
      Description: `clusterproof ${t.cluster} nodes (run ${t.runId})`,
      TagSpecifications: tagSpec('security-group', t, `${t.cluster}-nodes`),
    }),
  );
  const securityGroupId = sg.GroupId ?? '';
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: securityGroupId,
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: VPC_CIDR, Description: 'node to node, NLB health checks and API' }] }],
    }),
  );
  return { vpcId, subnets, routeTableId, securityGroupId };
}
