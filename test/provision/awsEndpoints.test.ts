// The private subnets' way out to SSM and S3 (harness/provision/aws/endpoints.ts) against moto: interface endpoints
// for ssm, ssmmessages and ec2messages with private DNS behind a security group admitting only HTTPS from the VPC,
// an S3 gateway endpoint on the subnets' route table, all tagged with the run; `down` deletes them before the
// security groups and subnets, and the leftover check (inventory) lists an endpoint that is still there.
import {
  CreateVpcEndpointCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, test } from 'vitest';
import { AwsProvisioner } from '../../harness/provision/aws/awsProvisioner.ts';
import { describeLeft, inventory } from '../../harness/provision/aws/inventory.ts';
import { VPC_CIDR } from '../../harness/provision/aws/network.ts';
import { RUN_TAG, tagSpec } from '../../harness/provision/aws/tags.ts';
import { teardownAws } from '../../harness/provision/aws/teardown.ts';
import { IMAGE, REGION, useAwsMoto } from './support/awsMoto.ts';

const aws = useAwsMoto();

// moto calls slow down when the machine is busy: more than the unit project's 30 s default per test.
describe('VPC endpoints of an aws cluster, against moto', { timeout: 120_000 }, () => {
  test('up makes ssm, ssmmessages and ec2messages interface endpoints (private DNS, HTTPS from the VPC only) and an S3 gateway; down removes them', async () => {
    const runId = '261207-120000-e1e1';
    const provisioner = new AwsProvisioner();
    await provisioner.up(aws.request('awsvpce', runId), { waitForNodes: false, imageId: IMAGE });
    const inv = await inventory(aws.c, runId);
    expect(inv.vpcEndpoints).toHaveLength(4);
    const endpoints = (await aws.c.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: inv.vpcEndpoints }))).VpcEndpoints ?? [];
    const byService = Object.fromEntries(endpoints.map((e) => [e.ServiceName?.split('.').at(-1), e]));
    expect(Object.keys(byService).sort()).toEqual(['ec2messages', 's3', 'ssm', 'ssmmessages']);
    for (const e of endpoints) {
      expect(e.VpcId).toBe(inv.vpcs[0]);
      expect(e.ServiceName).toMatch(new RegExp(`^com\\.amazonaws\\.${REGION}\\.`));
      expect(e.Tags?.find((t) => t.Key === RUN_TAG)?.Value).toBe(runId);
    }
    const endpointGroups = new Set<string>();
    for (const service of ['ssm', 'ssmmessages', 'ec2messages']) {
      const e = byService[service];
      expect(e?.VpcEndpointType).toBe('Interface');
      expect(e?.PrivateDnsEnabled).toBe(true);
      expect([...(e?.SubnetIds ?? [])].sort()).toEqual([...inv.subnets].sort());
      for (const g of e?.Groups ?? []) endpointGroups.add(g.GroupId ?? '');
    }
    expect(byService.s3?.VpcEndpointType).toBe('Gateway');
    expect(byService.s3?.RouteTableIds).toEqual(inv.routeTables);
    // One security group for all three, tagged with the run, admitting TCP 443 from the VPC's CIDR and nothing else.
    expect(endpointGroups.size).toBe(1);
    const [groupId = ''] = [...endpointGroups];
    expect(inv.securityGroups).toContain(groupId);
    const group = (await aws.c.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.[0];
    expect(group?.Tags?.find((t) => t.Key === RUN_TAG)?.Value).toBe(runId);
    expect(group?.IpPermissions?.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges?.map((r) => r.CidrIp)])).toEqual([
      ['tcp', 443, 443, [VPC_CIDR]],
    ]);

    await provisioner.down('awsvpce');
    expect(describeLeft(await inventory(aws.c, runId))).toBe('');
    // Deleted endpoints stay visible for a while in state `deleted`; none of ours is in any other state.
    const after = (await aws.c.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: inv.vpcEndpoints }))).VpcEndpoints ?? [];
    expect(after.map((e) => e.State)).toEqual(['deleted', 'deleted', 'deleted', 'deleted']);
  });

  test('the leftover check lists a tagged endpoint left on its own, and teardown by tag deletes it', async () => {
    const runId = '261207-120100-e2e2';
    // The account's default VPC: a resource tagged with a run id anywhere is that run's leftover.
    const defaultVpc = (await aws.c.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.find((v) => v.IsDefault);
    const leaked = await aws.c.ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: defaultVpc?.VpcId,
        ServiceName: `com.amazonaws.${REGION}.s3`,
        VpcEndpointType: 'Gateway',
        TagSpecifications: tagSpec('vpc-endpoint', { runId, cluster: 'leaky' }),
      }),
    );
    const id = leaked.VpcEndpoint?.VpcEndpointId ?? '';
    expect(describeLeft(await inventory(aws.c, runId))).toBe(`vpcEndpoints ${id}`);
    await teardownAws(aws.c, runId);
    expect(describeLeft(await inventory(aws.c, runId))).toBe('');
  });
});
