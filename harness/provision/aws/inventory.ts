// What a run (or every clusterproof run) still has in an AWS region, found by the run tag only. Used by `down` and
// `sweep --aws` to delete in dependency order and then to prove nothing is left.
import {
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, DescribeTagsCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListInstanceProfilesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import type { ProvisionClients } from './clients.ts';
import { liveEndpoints } from './endpoints.ts';
import { strayTagged } from './strays.ts';
import { IAM_PATH, iamName, RUN_TAG, runFilter } from './tags.ts';

export interface AwsInventory {
  instances: string[];
  loadBalancers: string[];
  targetGroups: string[];
  instanceProfiles: string[];
  roles: string[];
  vpcEndpoints: string[];
  securityGroups: string[];
  subnets: string[];
  routeTables: string[];
  internetGateways: string[];
  vpcs: string[];
  /** Tagged EC2 resources of kinds the provisioner does not make (strays.ts): `type:id`, never deleted here. */
  otherTagged: string[];
}

/** ELBv2 has no tag filter on Describe*: read the tags, 20 ARNs a call. */
async function taggedArns(c: ProvisionClients, arns: string[], runId?: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < arns.length; i += 20) {
    const r = await c.elbv2.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }));
    for (const d of r.TagDescriptions ?? []) {
      const tag = d.Tags?.find((t) => t.Key === RUN_TAG);
      if (tag && (runId === undefined || tag.Value === runId) && d.ResourceArn) out.push(d.ResourceArn);
    }
  }
  return out;
}

const ours = (name: string | undefined, runId?: string): boolean => name !== undefined && (runId === undefined || name === iamName(runId));

export async function inventory(c: ProvisionClients, runId?: string): Promise<AwsInventory> {
  const Filters = runFilter(runId);
  const [reservations, lbs, tgs, profiles, roles, endpoints, sgs, subnets, tables, igws, vpcs, other] = await Promise.all([
    c.ec2.send(
      new DescribeInstancesCommand({
        Filters: [...Filters, { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'] }],
      }),
    ),
    c.elbv2.send(new DescribeLoadBalancersCommand({})),
    c.elbv2.send(new DescribeTargetGroupsCommand({})),
    c.iam.send(new ListInstanceProfilesCommand({ PathPrefix: IAM_PATH })),
    c.iam.send(new ListRolesCommand({ PathPrefix: IAM_PATH })),
    liveEndpoints(c.ec2, runId),
    c.ec2.send(new DescribeSecurityGroupsCommand({ Filters })),
    c.ec2.send(new DescribeSubnetsCommand({ Filters })),
    c.ec2.send(new DescribeRouteTablesCommand({ Filters })),
    c.ec2.send(new DescribeInternetGatewaysCommand({ Filters })),
    c.ec2.send(new DescribeVpcsCommand({ Filters })),
    strayTagged(c.ec2, runId),
  ]);
  return {
    instances: (reservations.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? ''),
    loadBalancers: await taggedArns(
      c,
      (lbs.LoadBalancers ?? []).map((l) => l.LoadBalancerArn ?? ''),
      runId,
    ),
    targetGroups: await taggedArns(
      c,
      (tgs.TargetGroups ?? []).map((t) => t.TargetGroupArn ?? ''),
      runId,
    ),
    instanceProfiles: (profiles.InstanceProfiles ?? []).map((p) => p.InstanceProfileName).filter((n) => ours(n, runId)) as string[],
    roles: (roles.Roles ?? []).map((r) => r.RoleName).filter((n) => ours(n, runId)) as string[],
    vpcEndpoints: endpoints,
    securityGroups: (sgs.SecurityGroups ?? []).map((g) => g.GroupId ?? ''),
    subnets: (subnets.Subnets ?? []).map((s) => s.SubnetId ?? ''),
    routeTables: (tables.RouteTables ?? []).map((t) => t.RouteTableId ?? ''),
    internetGateways: (igws.InternetGateways ?? []).map((g) => g.InternetGatewayId ?? ''),
    vpcs: (vpcs.Vpcs ?? []).map((v) => v.VpcId ?? ''),
    otherTagged: other,
  };
}

/** `instances i-1, i-2; vpcs vpc-3`, or '' when nothing is left. */
export function describeLeft(inv: AwsInventory): string {
  return Object.entries(inv)
    .filter(([, ids]) => ids.length > 0)
    .map(([kind, ids]) => `${kind} ${(ids as string[]).join(', ')}`)
    .join('; ');
}
