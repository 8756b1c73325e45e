// The pod network on aws nodes (harness/provision/aws/podNetwork.ts): the kind provider's manifest, found through
// images.json `networkPolicyManifest`, applied over SSM with the first control plane's kubectl, after every node was
// asked for the manifest's images (never pulled from a public registry). Against moto, which records SSM commands
// but runs none: every command "succeeds" with empty output, so no node lists any image.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeInstanceAttributeCommand, DescribeInstancesCommand, DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import { ListCommandsCommand } from '@aws-sdk/client-ssm';
import { describe, expect, test } from 'vitest';
import { RunError } from '../../harness/errors.ts';
import { AwsProvisioner } from '../../harness/provision/aws/awsProvisioner.ts';
import {
  applyManifests,
  applyPodNetwork,
  containerdRef,
  manifestImages,
  podNetworkManifests,
} from '../../harness/provision/aws/podNetwork.ts';
import { describeLeft, inventory } from '../../harness/provision/aws/inventory.ts';
import { podRoutes, routePodCidrs } from '../../harness/provision/aws/podRoutes.ts';
import { requireState } from '../../harness/provision/state.ts';
import { IMAGE, useAwsMoto } from './support/awsMoto.ts';

const aws = useAwsMoto();
const KUBE_ROUTER = 'images/manifests/kube-router.yaml';

/** What each SSM command sent asked the node to run (moto keeps them in order). */
async function sentCommands(): Promise<string[]> {
  return ((await aws.c.ssm.send(new ListCommandsCommand({}))).Commands ?? []).flatMap((c) => c.Parameters?.commands ?? []);
}

// moto calls slow down when the machine is busy: more than the unit project's 30 s default per test.
describe('pod network on aws nodes', { timeout: 120_000 }, () => {
  test('the manifest is the one images.json names as networkPolicyManifest (as for kind), and its only image is clusterproof-built kube-router', async () => {
    const recorded = join(aws.cache, 'kube-router-recorded.yaml');
    copyFileSync(KUBE_ROUTER, recorded);
    writeFileSync(join(aws.cache, 'images.json'), JSON.stringify({ networkPolicyManifest: recorded }));
    const manifests = await podNetworkManifests();
    expect(manifests.map((m) => m.file)).toEqual([recorded]);
    expect(manifestImages(manifests)).toEqual(['clusterproof.local/kube-router:v2.1.0']);
    expect(manifests[0]?.text).toContain('imagePullPolicy: Never');
  });

  test('image names as containerd lists them', () => {
    expect(containerdRef('clusterproof.local/kube-router:v2.1.0')).toBe('clusterproof.local/kube-router:v2.1.0');
    expect(containerdRef('busybox:1.36')).toBe('docker.io/library/busybox:1.36');
    expect(containerdRef('cloudnativelabs/kube-router')).toBe('docker.io/cloudnativelabs/kube-router:latest');
    expect(containerdRef('localhost:5000/x@sha256:ab')).toBe('localhost:5000/x@sha256:ab');
  });

  test('moto runs no command, so ctr lists no image: up of the pod network fails with one line naming the missing image and nodes, and applies nothing', async () => {
    const provisioner = new AwsProvisioner();
    const cluster = await provisioner.up(aws.request('awspn', '261207-140000-d1d1'), { waitForNodes: false, imageId: IMAGE });
    const manifests = [{ file: KUBE_ROUTER, text: readFileSync(KUBE_ROUTER, 'utf8') }];
    const before = (await sentCommands()).length;
    const error = await applyPodNetwork(cluster.nodes, manifests).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toBe(
      "the aws nodes lack the pod network's images, which clusterproof never pulls from a public registry: clusterproof.local/kube-router:v2.1.0 (on awspn-cp0, awspn-w1); needed by images/manifests/kube-router.yaml",
    );
    // The nodes were asked over SSM (one `ctr images list` each) and nothing was applied.
    const sent = (await sentCommands()).slice(before);
    expect(sent).toEqual([
      "'ctr' '--namespace' 'k8s.io' 'images' 'list' '--quiet'",
      "'ctr' '--namespace' 'k8s.io' 'images' 'list' '--quiet'",
    ]);
    await provisioner.down('awspn');
  });

  test('the apply goes over SSM to the first control plane: kubectl with admin.conf, the manifest byte for byte', async () => {
    const provisioner = new AwsProvisioner();
    const cluster = await provisioner.up(aws.request('awspn2', '261207-140100-d2d2'), { waitForNodes: false, imageId: IMAGE });
    const text = readFileSync(KUBE_ROUTER, 'utf8');
    const before = (await sentCommands()).length;
    const [first] = cluster.nodes;
    if (!first) throw new Error('no node');
    await applyManifests(first, [{ file: KUBE_ROUTER, text }]);
    const sent = (await sentCommands()).slice(before);
    expect(sent).toHaveLength(1);
    const match =
      /^'bash' '-c' 'echo ([A-Za-z0-9+/=]+) \| base64 -d \| kubectl --kubeconfig \/etc\/kubernetes\/admin\.conf apply -f -'$/.exec(
        sent[0] ?? '',
      );
    expect(Buffer.from(match?.[1] ?? '', 'base64').toString('utf8')).toBe(text);
    await provisioner.down('awspn2');
  });

  test('nodes may carry pod addresses (source/destination check off) and kubeadm allocates podCIDRs from the default pod subnet of kind', async () => {
    const provisioner = new AwsProvisioner();
    await provisioner.up(aws.request('awspn3', '261207-140200-d3d3'), { waitForNodes: false, imageId: IMAGE });
    const { nodes = [] } = await requireState('awspn3');
    for (const n of nodes) {
      const attr = await aws.c.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: n.instanceId, Attribute: 'sourceDestCheck' }));
      expect(attr.SourceDestCheck?.Value).toBe(false);
    }
    const init = await aws.c.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: nodes[0]?.instanceId, Attribute: 'userData' }));
    expect(Buffer.from(init.UserData?.Value ?? '', 'base64').toString('utf8')).toContain('podSubnet: 10.244.0.0/16');
    await provisioner.down('awspn3');
  });

  test('pod routes between zones: the podCIDR of each node routed to its instance in the route table of the subnets; a second pass replaces, down removes', async () => {
    const runId = '261207-140300-d4d4';
    const provisioner = new AwsProvisioner();
    await provisioner.up(aws.request('awspr', runId, { controlPlanes: 1, workers: 2 }), { waitForNodes: false, imageId: IMAGE });
    const { nodes = [] } = await requireState('awspr');
    const kubeNodes = nodes.map((n, i) => ({
      status: { addresses: [{ type: 'InternalIP', address: n.addresses[0] ?? '' }] },
      spec: { podCIDR: `10.244.${i}.0/24` },
    }));
    const routes = podRoutes(kubeNodes, nodes);
    expect(routes.map((r) => [r.node, r.podCidr])).toEqual([
      ['awspr-cp0', '10.244.0.0/24'],
      ['awspr-w1', '10.244.1.0/24'],
      ['awspr-w2', '10.244.2.0/24'],
    ]);
    const [routeTableId = ''] = (await inventory(aws.c, runId)).routeTables;
    await routePodCidrs(aws.c.ec2, routeTableId, routes);
    // Again, with two nodes' CIDRs swapped (a replaced node): the routes follow.
    const swapped = routes.map((r, i) => ({ ...r, instanceId: routes[(i + 1) % routes.length]?.instanceId ?? '' }));
    await routePodCidrs(aws.c.ec2, routeTableId, swapped);
    const table = (await aws.c.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [routeTableId] }))).RouteTables?.[0];
    const podRoutesInVpc = (table?.Routes ?? []).filter((r) => r.DestinationCidrBlock?.startsWith('10.244.'));
    expect(podRoutesInVpc.map((r) => [r.DestinationCidrBlock, r.InstanceId])).toEqual(swapped.map((r) => [r.podCidr, r.instanceId]));
    await provisioner.down('awspr');
    expect(describeLeft(await inventory(aws.c, runId))).toBe('');
  });

  test('a node without a podCIDR (or unknown to Kubernetes) stops the routing with one line naming it', () => {
    const saved = [
      { name: 'a-cp0', role: 'control-plane' as const, zone: 'z', addresses: ['10.50.0.5'], instanceId: 'i-1' },
      { name: 'a-w1', role: 'worker' as const, zone: 'z', addresses: ['10.50.32.6'], instanceId: 'i-2' },
    ];
    const kube = [{ status: { addresses: [{ type: 'InternalIP', address: '10.50.0.5' }] }, spec: {} }];
    expect(() => podRoutes(kube, saved)).toThrow(
      'cannot route pod addresses between zones: a-cp0 (no podCIDR); a-w1 (no Kubernetes node with InternalIP 10.50.32.6)',
    );
  });

  test('an AMI that carries the images is chosen with CLUSTERPROOF_AWS_IMAGE_ID (up has no flag for it) and used for every node', async () => {
    const carrying = 'ami-1e749f67'; // another of moto's built-in AMIs
    process.env.CLUSTERPROOF_AWS_IMAGE_ID = carrying;
    try {
      const provisioner = new AwsProvisioner();
      await provisioner.up(aws.request('awsami', '261207-140400-d5d5'), { waitForNodes: false });
      const ids = ((await requireState('awsami')).nodes ?? []).map((n) => n.instanceId ?? '');
      const described = await aws.c.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
      const images = (described.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.ImageId);
      expect(images).toEqual([carrying, carrying]);
      await provisioner.down('awsami');
    } finally {
      delete process.env.CLUSTERPROOF_AWS_IMAGE_ID;
    }
  });
});
