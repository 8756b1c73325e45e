// The API endpoint: an internal NLB on 6443 forwarding to the control planes (never internet-facing).
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  type ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { type RunTags, tagList } from './tags.ts';

export interface ApiLoadBalancer {
  arn: string;
  dnsName: string;
  targetGroupArn: string;
}

export async function createApiLoadBalancer(
  elbv2: ElasticLoadBalancingV2Client,
  vpcId: string,
  subnetIds: string[],
  t: RunTags,
): Promise<ApiLoadBalancer> {
  // ELB names: ≤ 32 characters, so the run id (unique) rather than the cluster name.
  const name = `cp-${t.runId}`.slice(0, 32);
  const lb = await elbv2.send(
    new CreateLoadBalancerCommand({ Name: name, Type: 'network', Scheme: 'internal', Subnets: subnetIds, Tags: tagList(t) }),
  );
  const arn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
  const tg = await elbv2.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'TCP',
      Port: 6443,
      VpcId: vpcId,
      TargetType: 'instance',
      HealthCheckProtocol: 'TCP',
      Tags: tagList(t),
    }),
  );
  const targetGroupArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';
  await elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: arn,
      Protocol: 'TCP',
      Port: 6443,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
      Tags: tagList(t),
    }),
  );
  return { arn, dnsName: lb.LoadBalancers?.[0]?.DNSName ?? '', targetGroupArn };
}

export async function registerControlPlanes(
  elbv2: ElasticLoadBalancingV2Client,
  targetGroupArn: string,
  instanceIds: string[],
): Promise<void> {
  await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: instanceIds.map((Id) => ({ Id, Port: 6443 })) }));
}
