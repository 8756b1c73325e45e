// The aws provisioner against a real local AWS API (moto server on loopback): the whole create → inventory →
// delete sequence, the security settings it must get right (IMDSv2 with hop limit 1, an internal NLB, every
// resource tagged with the run id), and a sweep by tag after the `up` process was killed with SIGKILL.
// moto creates instances but never boots them, so no kubeadm runs here: `up` is called with waitForNodes: false.
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeInstancesCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeListenersCommand, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetInstanceProfileCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InputError } from '../../harness/errors.ts';
import { AwsProvisioner } from '../../harness/provision/aws/awsProvisioner.ts';
import { provisionClients, type ProvisionClients } from '../../harness/provision/aws/clients.ts';
import { describeLeft, inventory } from '../../harness/provision/aws/inventory.ts';
import { iamName, RUN_TAG } from '../../harness/provision/aws/tags.ts';
import { kubeadmConfig, userData } from '../../harness/provision/aws/userData.ts';
import { clusterRequest } from '../../harness/provision/request.ts';
import { loadState } from '../../harness/provision/state.ts';
import { startMoto, type MotoServer } from '../support/motoServer.ts';

const REGION = 'eu-west-1';
const IMAGE = 'ami-12c6146b'; // one of moto's built-in AMIs
const env = {
  AWS_ACCESS_KEY_ID: 'AKIAPLANTEDMOTO00042',
  AWS_SECRET_ACCESS_KEY: 'planted-secret-Zq81vXk3',
  AWS_REGION: REGION,
  AWS_EC2_METADATA_DISABLED: 'true',
};
let moto: MotoServer;
let cache: string;
let c: ProvisionClients;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  // moto only knows AWS managed policies (the nodes' AmazonSSMManagedInstanceCore) when asked to load them.
  moto = await startMoto({ MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' });
  cache = mkdtempSync(join(tmpdir(), 'clusterproof-aws-'));
  for (const [k, v] of Object.entries({ ...env, CLUSTERPROOF_CACHE: cache })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  c = provisionClients({ region: REGION, endpoint: moto.url });
}, 60_000);
afterAll(async () => {
  c?.destroy();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await moto?.stop();
  if (cache) rmSync(cache, { recursive: true, force: true });
});

const request = (name: string, runId: string) =>
  clusterRequest(undefined, { provider: 'aws', name, region: REGION, endpointUrl: moto.url, controlPlanes: 3, workers: 2 }, 'x', runId);

describe('aws provisioner against moto', () => {
  test('up (waitForNodes: false: moto never boots instances, so there is no kubeadm to wait for) creates everything tagged; down leaves nothing tagged', async () => {
    const runId = '261207-101500-a1b2';
    const provisioner = new AwsProvisioner();
    const cluster = await provisioner.up(request('awsdev', runId), { waitForNodes: false, imageId: IMAGE });
    expect(cluster.provider).toBe('aws');
    expect(cluster.nodes.map((n) => [n.role, n.zone])).toEqual([
      ['control-plane', 'eu-west-1a'],
      ['control-plane', 'eu-west-1b'],
      ['control-plane', 'eu-west-1c'],
      ['worker', 'eu-west-1a'],
      ['worker', 'eu-west-1b'],
    ]);
    expect(cluster.apiEndpoint).toMatch(/^https:\/\/.+:6443$/);

    const inv = await inventory(c, runId);
    expect(Object.fromEntries(Object.entries(inv).map(([k, v]) => [k, (v as string[]).length]))).toEqual({
      instances: 5,
      loadBalancers: 1,
      targetGroups: 1,
      instanceProfiles: 1,
      roles: 1,
      vpcEndpoints: 4,
      securityGroups: 2,
      subnets: 3,
      routeTables: 1,
      internetGateways: 0,
      vpcs: 1,
      otherTagged: 0,
    });
    // Every resource tagged: nothing in our VPC or among instances lacks the run tag.
    const vpcId = inv.vpcs[0] ?? '';
    const subnets = (await c.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets ?? [];
    expect(subnets.map((s) => s.AvailabilityZone).sort()).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(subnets.every((s) => s.MapPublicIpOnLaunch !== true && s.Tags?.some((t) => t.Key === RUN_TAG && t.Value === runId))).toBe(true);
    const instances = ((await c.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((r) => r.Instances ?? []);
    expect(instances).toHaveLength(5);
    for (const i of instances) {
      expect(i.Tags?.find((t) => t.Key === RUN_TAG)?.Value).toBe(runId);
      expect(i.MetadataOptions?.HttpTokens).toBe('required');
      expect(i.MetadataOptions?.HttpPutResponseHopLimit).toBe(1);
      expect(i.IamInstanceProfile?.Arn).toContain(iamName(runId));
    }
    const role = await c.iam.send(new ListRoleTagsCommand({ RoleName: iamName(runId) }));
    expect(role.Tags?.find((t) => t.Key === RUN_TAG)?.Value).toBe(runId);
    // GetInstanceProfile rather than ListInstanceProfileTags, which moto does not implement.
    const profile = (await c.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: iamName(runId) }))).InstanceProfile;
    expect(profile?.Tags?.find((t) => t.Key === RUN_TAG)?.Value).toBe(runId);
    // The API load balancer is an internal NLB listening on 6443.
    const lb = (await c.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: inv.loadBalancers }))).LoadBalancers?.[0];
    expect([lb?.Type, lb?.Scheme]).toEqual(['network', 'internal']);
    const listeners = await c.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
    expect(listeners.Listeners?.map((l) => [l.Protocol, l.Port])).toEqual([['TCP', 6443]]);

    // Node operations: exec through SSM Run Command, stop/start through EC2 (moto answers both).
    const node = cluster.nodes[3];
    expect((await node?.exec(['true']))?.exitCode).toBe(0);
    await node?.stop();
    await node?.start();
    expect(await provisioner.isUp('awsdev')).toBe(true);

    await provisioner.down('awsdev');
    expect(describeLeft(await inventory(c, runId))).toBe('');
    expect(await loadState('awsdev')).toBeUndefined();
    // The account's default VPC is not ours and stays.
    expect((await c.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.some((v) => v.IsDefault)).toBe(true);
  });

  test('sweep --aws after the `up` process was killed with SIGKILL removes everything tagged with its run', async () => {
    const runId = '261207-101600-c3d4';
    const child = spawn(process.execPath, ['test/provision/support/awsUpChild.ts'], {
      env: { ...process.env, AWS_UP_REQUEST: JSON.stringify(request('awskilled', runId)), AWS_UP_IMAGE: IMAGE },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    // Generous: under load the child needs a while to start and to make the network and VPC endpoints first.
    const deadline = Date.now() + 90_000;
    while ((await inventory(c, runId)).instances.length === 0) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('the child never created an instance');
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await exited;
    expect(describeLeft(await inventory(c, runId))).not.toBe('');

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bin/clusterproof.js', 'sweep', '--aws', '--region', REGION, '--endpoint-url', moto.url, '--run', runId],
      { env: process.env },
    );
    expect(stdout).toContain('nothing tagged is left');
    expect(describeLeft(await inventory(c, runId))).toBe('');
    expect(await loadState('awskilled')).toBeUndefined();
  }, 180_000);
});

describe('aws request and bootstrap', () => {
  test('--provider aws without a region names --region', () => {
    const saved = process.env.AWS_REGION;
    delete process.env.AWS_REGION;
    try {
      expect(() => clusterRequest(undefined, { provider: 'aws' })).toThrow(InputError);
      expect(() => clusterRequest(undefined, { provider: 'aws' })).toThrow(/--region/);
    } finally {
      process.env.AWS_REGION = saved;
    }
  });

  test('kubeadm config carries what the kind node image sets: subnets, iptables kube-proxy, etcd tag, zone label, NLB endpoint', () => {
    const base = {
      zone: 'eu-west-1b',
      endpoint: 'api.internal',
      kubernetesVersion: 'v1.34.4',
      etcdImageTag: '3.5.21-0',
      token: 'abcdef.0123456789abcdef',
      certificateKey: 'k',
    };
    const init = kubeadmConfig({ ...base, role: 'control-plane', init: true, podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12' });
    for (const s of [
      'podSubnet: 10.244.0.0/16',
      'serviceSubnet: 10.96.0.0/12',
      'mode: iptables',
      'imageTag: 3.5.21-0',
      'topology.kubernetes.io/zone=eu-west-1b',
      'controlPlaneEndpoint: api.internal:6443',
    ])
      expect(init).toContain(s);
    // The other nodes' user-data only prepares them: they join over SSM with the CA pinned (awsJoin.test.ts).
    const join = userData({ ...base, role: 'control-plane', init: false });
    expect(join).not.toMatch(/^kubeadm /m);
    // Packages only when the AMI lacks them (the private subnets reach AWS only, through VPC endpoints).
    expect(join).toMatch(/^if ! command -v containerd >\/dev\/null \|\| ! command -v kubeadm >\/dev\/null; then\n  apt-get update/m);
    expect(join).not.toContain(base.token);
  });
});
