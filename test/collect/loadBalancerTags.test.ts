// Load balancer tags and DNS names from AWS CLI outputs: `describe-load-balancers` prints no tags, so
// `describe-tags` {TagDescriptions} is joined to the load balancers by ARN (elbv2) or name (classic ELB), in any file order.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';

const ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/payments-prod-api/5f0c1e2d3a4b5c6d';
const OTHER_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/0a1b2c3d4e5f6a7b';

const elbv2LoadBalancers = {
  LoadBalancers: [
    {
      LoadBalancerArn: ARN,
      DNSName: 'payments-prod-api-5f0c1e2d3a4b5c6d.elb.eu-west-1.amazonaws.com',
      LoadBalancerName: 'payments-prod-api',
      Scheme: 'internal',
      VpcId: 'vpc-0c4f2a9e71b35d801',
      Type: 'network',
      SecurityGroups: [],
    },
    {
      LoadBalancerArn: OTHER_ARN,
      DNSName: 'web-1234567890.eu-west-1.elb.amazonaws.com',
      LoadBalancerName: 'web',
      Scheme: 'internet-facing',
      Type: 'application',
      SecurityGroups: ['sg-0web'],
    },
  ],
};
const elbv2Tags = {
  TagDescriptions: [
    {
      ResourceArn: ARN,
      Tags: [
        { Key: 'clusterproof.run', Value: 'r-1' },
        { Key: 'Name', Value: 'payments-prod-api' },
      ],
    },
    // A target group's tags (same command, other resource): matches no load balancer and is ignored.
    { ResourceArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/api/0f0f0f0f', Tags: [{ Key: 'x', Value: 'y' }] },
  ],
};
const classicLoadBalancers = {
  LoadBalancerDescriptions: [
    {
      LoadBalancerName: 'legacy-api',
      DNSName: 'internal-legacy-api-42.eu-west-1.elb.amazonaws.com',
      Scheme: 'internal',
      VPCId: 'vpc-0c4f2a9e71b35d801',
      SecurityGroups: [],
      ListenerDescriptions: [{ Listener: { Protocol: 'TCP', LoadBalancerPort: 6443, InstancePort: 6443 } }],
    },
  ],
};
const classicTags = { TagDescriptions: [{ LoadBalancerName: 'legacy-api', Tags: [{ Key: 'clusterproof.run', Value: 'r-1' }] }] };

let dir = '';
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clusterproof-lb-tags-'));
  await writeFile(file('elbv2-describe-load-balancers.json'), JSON.stringify(elbv2LoadBalancers, null, 2));
  await writeFile(file('elbv2-describe-tags.json'), JSON.stringify(elbv2Tags, null, 2));
  await writeFile(file('elb-describe-load-balancers.json'), JSON.stringify(classicLoadBalancers, null, 2));
  await writeFile(file('elb-describe-tags.json'), JSON.stringify(classicTags, null, 2));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('load balancer tags from describe-tags', () => {
  test('elbv2 tags are merged into the load balancer with that ARN, whichever file is read first', async () => {
    for (const order of [
      ['elbv2-describe-load-balancers.json', 'elbv2-describe-tags.json'],
      ['elbv2-describe-tags.json', 'elbv2-describe-load-balancers.json'],
    ]) {
      const { cloud } = await loadStateFromPaths(order.map(file));
      expect(cloud.loadBalancers.map((lb) => [lb.name, lb.tags])).toEqual([
        ['payments-prod-api', { 'clusterproof.run': 'r-1', Name: 'payments-prod-api' }],
        ['web', {}],
      ]);
    }
  });

  test('classic ELB tags are matched by LoadBalancerName, whichever file is read first', async () => {
    for (const order of [
      ['elb-describe-load-balancers.json', 'elb-describe-tags.json'],
      ['elb-describe-tags.json', 'elb-describe-load-balancers.json'],
    ]) {
      const { cloud } = await loadStateFromPaths(order.map(file));
      expect(cloud.loadBalancers).toMatchObject([
        { name: 'legacy-api', type: 'classic', tags: { 'clusterproof.run': 'r-1' }, listenerPorts: [6443] },
      ]);
    }
  });

  test('a classic tag description does not tag an elbv2 load balancer of the same name', async () => {
    const { cloud } = await loadStateFromPaths([file('elbv2-describe-load-balancers.json'), file('elb-describe-tags.json')]);
    expect(cloud.loadBalancers.every((lb) => Object.keys(lb.tags).length === 0)).toBe(true);
  });

  test('DNS names are kept for elbv2 and classic load balancers', async () => {
    const { cloud } = await loadStateFromPaths(['elbv2-describe-load-balancers.json', 'elb-describe-load-balancers.json'].map(file));
    expect(Object.fromEntries(cloud.loadBalancers.map((lb) => [lb.name, lb.dnsName]))).toEqual({
      'payments-prod-api': 'payments-prod-api-5f0c1e2d3a4b5c6d.elb.eu-west-1.amazonaws.com',
      web: 'web-1234567890.eu-west-1.elb.amazonaws.com',
      'legacy-api': 'internal-legacy-api-42.eu-west-1.elb.amazonaws.com',
    });
  });
});

describe('load balancer DNS name from a terraform plan', () => {
  const plan = (after: Record<string, unknown>, afterUnknown: Record<string, unknown>) => ({
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: { resources: [] } },
    resource_changes: [
      {
        address: 'aws_lb.api',
        mode: 'managed',
        type: 'aws_lb',
        name: 'api',
        provider_name: 'registry.terraform.io/hashicorp/aws',
        change: { actions: ['update'], before: null, after, after_unknown: afterUnknown },
      },
    ],
  });

  test('dns_name is kept when known and absent when unknown until apply', async () => {
    await writeFile(
      file('known.tfplan.json'),
      JSON.stringify(plan({ name: 'api', internal: true, dns_name: 'internal-api-1.eu-west-1.elb.amazonaws.com' }, {})),
    );
    await writeFile(file('unknown.tfplan.json'), JSON.stringify(plan({ name: 'api', internal: true }, { dns_name: true })));
    expect((await loadStateFromPaths([file('known.tfplan.json')])).cloud.loadBalancers[0]).toMatchObject({
      name: 'api',
      scheme: 'internal',
      dnsName: 'internal-api-1.eu-west-1.elb.amazonaws.com',
    });
    const unknown = (await loadStateFromPaths([file('unknown.tfplan.json')])).cloud.loadBalancers[0];
    expect(unknown?.name).toBe('api');
    expect(unknown?.dnsName).toBeUndefined();
  });
});
