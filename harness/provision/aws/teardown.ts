// Deletes a run's AWS resources (or every clusterproof run's) by tag, in dependency order, then re-reads the
// region and fails naming whatever is still there. Idempotent; safe after SIGKILL (needs no saved state).
import {
  DeleteInternetGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  TerminateInstancesCommand,
  waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2';
import { DeleteLoadBalancerCommand, DeleteTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  ListAttachedRolePoliciesCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import { RunError } from '../../errors.ts';
import type { ProvisionClients } from './clients.ts';
import { deleteEndpoints } from './endpoints.ts';
import { type AwsInventory, describeLeft, inventory } from './inventory.ts';

/** AWS releases dependencies (NLB network interfaces, terminated instances' ENIs) a while after the delete call. */
async function untilFreed(what: string, fn: () => Promise<unknown>, attempts = 40): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await fn();
      return;
    } catch (error) {
      const name = (error as Error).name;
      if (/NotFound|NoSuchEntity/.test(name)) return;
      if (i >= attempts || !/DependencyViolation|ResourceInUse|DeleteConflict|InvalidParameter/.test(name)) {
        throw new RunError(`cannot delete ${what}: ${(error as Error).message}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

export async function deleteByTag(c: ProvisionClients, runId?: string): Promise<AwsInventory> {
  const inv = await inventory(c, runId);
  if (inv.instances.length > 0) {
    await c.ec2.send(new TerminateInstancesCommand({ InstanceIds: inv.instances }));
    await waitUntilInstanceTerminated({ client: c.ec2, maxWaitTime: 900, minDelay: 1 }, { InstanceIds: inv.instances });
  }
  for (const arn of inv.loadBalancers) await c.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
  for (const arn of inv.targetGroups) await untilFreed(arn, () => c.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn })));
  for (const name of inv.instanceProfiles) {
    const profile = await c.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }));
    for (const role of profile.InstanceProfile?.Roles ?? [])
      await c.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: role.RoleName }));
    await c.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name }));
  }
  for (const name of inv.roles) {
    const attached = await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
    for (const p of attached.AttachedPolicies ?? [])
      await c.iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: p.PolicyArn }));
    await untilFreed(`role ${name}`, () => c.iam.send(new DeleteRoleCommand({ RoleName: name })));
  }
  // Endpoints sit in the subnets, hold network interfaces in the endpoint security group and a route in the table.
  await deleteEndpoints(c.ec2, inv.vpcEndpoints, runId);
  for (const id of inv.securityGroups)
    await untilFreed(`security group ${id}`, () => c.ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })));
  for (const id of inv.subnets) await untilFreed(`subnet ${id}`, () => c.ec2.send(new DeleteSubnetCommand({ SubnetId: id })));
  if (inv.routeTables.length > 0) {
    const tables = await c.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: inv.routeTables }));
    for (const a of (tables.RouteTables ?? []).flatMap((t) => t.Associations ?? []))
      if (!a.Main && a.RouteTableAssociationId)
        await c.ec2.send(new DisassociateRouteTableCommand({ AssociationId: a.RouteTableAssociationId }));
  }
  for (const id of inv.routeTables)
    await untilFreed(`route table ${id}`, () => c.ec2.send(new DeleteRouteTableCommand({ RouteTableId: id })));
  if (inv.internetGateways.length > 0) {
    const igws = await c.ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: inv.internetGateways }));
    for (const g of igws.InternetGateways ?? [])
      for (const a of g.Attachments ?? [])
        await c.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: g.InternetGatewayId, VpcId: a.VpcId }));
  }
  for (const id of inv.internetGateways) await c.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: id }));
  for (const id of inv.vpcs) await untilFreed(`VPC ${id}`, () => c.ec2.send(new DeleteVpcCommand({ VpcId: id })));
  return inv;
}

/** Deletes, then proves nothing tagged is left; throws a RunError listing what is. Returns what was deleted. */
export async function teardownAws(c: ProvisionClients, runId?: string): Promise<AwsInventory> {
  const deleted = await deleteByTag(c, runId);
  const left = describeLeft(await inventory(c, runId));
  if (left)
    throw new RunError(`AWS resources tagged clusterproof.run${runId ? `=${runId}` : ''} are still there after teardown: ${left}`, {
      fix: `run clusterproof sweep --aws${runId ? ` --run ${runId}` : ''} again, or delete them in the console`,
    });
  return deleted;
}
