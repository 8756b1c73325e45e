// The aws provider: real EC2 nodes running kubeadm behind an internal NLB, in a VPC of their own. Everything is
// tagged clusterproof.run=<run id>; a failed or interrupted `up` deletes it all by tag (unless --keep), as does
// `down`, and `sweep --aws` does the same after a SIGKILL.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetConsoleOutputCommand } from '@aws-sdk/client-ec2';
import { RunError } from '../../errors.ts';
import type { Cluster, ClusterRequest, Provisioner, UpOptions } from '../../model/cluster.ts';
import { readVersions } from '../kind/imageRequirements.ts';
import { PhaseClock } from '../phases.ts';
import { kubeconfigPathFor } from '../request.ts';
import { attachSaved, loadState, removeState, requireState, saveState, type SavedCluster } from '../state.ts';
import { type AwsWhere, provisionClients } from './clients.ts';
import { bringUp } from './bringUp.ts';
import { createEndpoints } from './endpoints.ts';
import { createInstanceProfile } from './iam.ts';
import { podNetworkManifests } from './podNetwork.ts';
import { routePodCidrs } from './podRoutes.ts';
import { resolveImageId, runNodes } from './instances.ts';
import { describeLeft, inventory } from './inventory.ts';
import { createApiLoadBalancer, registerControlPlanes } from './loadBalancer.ts';
import { createNetwork } from './network.ts';
import { awsNode } from './nodes.ts';
import { teardownAws } from './teardown.ts';

const KIND_DEFAULT_POD_SUBNET = '10.244.0.0/16';

export interface AwsUpOptions extends UpOptions {
  /** false: return once the resources exist, without waiting for kubeadm (moto: instances never boot). */
  waitForNodes?: boolean;
  /** Default: Canonical's Ubuntu 24.04 AMI for the region (SSM public parameter). */
  imageId?: string;
  instanceType?: string;
  /** How long kubeadm may take on the first control plane. */
  bootTimeoutMs?: number;
}

/** Bare zone letters (the default a,b,c) are letters of the region's zones. */
export function awsZones(region: string, zones: string[]): string[] {
  return zones.map((z) => (/^[a-z]$/.test(z) ? `${region}${z}` : z));
}

function whereOf(state: Pick<SavedCluster, 'aws' | 'name'>): AwsWhere {
  if (!state.aws)
    throw new RunError(`cluster ${state.name} has no AWS region in its saved state`, { fix: 'clusterproof sweep --aws --region R' });
  return state.aws;
}

export class AwsProvisioner implements Provisioner {
  readonly name = 'aws' as const;

  async up(request: ClusterRequest, opts: AwsUpOptions = {}): Promise<Cluster> {
    if (!request.region) throw new RunError('the aws provider needs a region', { fix: 'pass --region eu-west-1 (or set AWS_REGION)' });
    const where: AwsWhere = { region: request.region, ...(request.awsEndpoint ? { endpoint: request.awsEndpoint } : {}) };
    const clock = new PhaseClock(opts.onPhase);
    const t = { runId: request.runId, cluster: request.name };
    const zones = awsZones(request.region, request.zones);
    const kubeconfigPath = kubeconfigPathFor(request);
    const state: SavedCluster = {
      name: request.name,
      runId: request.runId,
      provider: 'aws',
      kubeconfigPath,
      apiEndpoint: '',
      runDir: request.runDir,
      createdAt: new Date().toISOString(),
      images: {},
      phases: [],
      aws: where,
    };
    // Saved before anything exists, so `down` finds the run even if this process dies mid-way.
    await mkdir(request.runDir, { recursive: true });
    await saveState(state);
    const c = provisionClients(where);
    const step = <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
      opts.signal?.throwIfAborted();
      return clock.run(phase, fn);
    };
    try {
      const versions = await readVersions();
      const podNetwork = await podNetworkManifests();
      const net = await step('network', () => createNetwork(c.ec2, zones, t));
      await step('VPC endpoints', () =>
        createEndpoints(
          c.ec2,
          { region: where.region, vpcId: net.vpcId, subnetIds: Object.values(net.subnets), routeTableId: net.routeTableId },
          t,
        ),
      );
      const profileArn = await step('instance profile', () => createInstanceProfile(c.iam, t));
      const lb = await step('load balancer', () => createApiLoadBalancer(c.elbv2, net.vpcId, Object.values(net.subnets), t));
      const imageId = await resolveImageId(c.ssm, opts.imageId);
      const secrets = {
        token: `${randomBytes(3).toString('hex')}.${randomBytes(8).toString('hex')}`,
        certificateKey: randomBytes(32).toString('hex'),
      };
      const nodes = await step('instances', () =>
        runNodes(
          c.ec2,
          {
            controlPlanes: request.controlPlanes,
            workers: request.workers,
            zones,
            subnets: net.subnets,
            securityGroupId: net.securityGroupId,
            instanceProfileArn: profileArn,
            imageId,
            instanceType: opts.instanceType ?? 't3.medium',
            bootstrap: {
              endpoint: lb.dnsName,
              kubernetesVersion: versions.KUBERNETES_VERSION ?? '',
              etcdImageTag: versions.ETCD_IMAGE_TAG ?? '',
              // kind's default when the spec names none: kube-router routes the podCIDRs kubeadm allocates from it.
              podSubnet: request.podSubnet ?? KIND_DEFAULT_POD_SUBNET,
              ...(request.serviceSubnet ? { serviceSubnet: request.serviceSubnet } : {}),
              ...secrets,
            },
          },
          t,
        ),
      );
      const cps = nodes.filter((n) => n.role === 'control-plane').map((n) => n.instanceId ?? '');
      await step('register API', () => registerControlPlanes(c.elbv2, lb.targetGroupArn, cps));
      Object.assign(state, { apiEndpoint: `https://${lb.dnsName}:6443`, nodes });
      await saveState(state);
      if (opts.waitForNodes !== false)
        await bringUp({
          nodes: nodes.map((n) => awsNode(n, where)),
          kubeconfigPath,
          apiEndpoint: state.apiEndpoint,
          join: { endpoint: lb.dnsName, ...secrets },
          podNetwork,
          saved: nodes,
          routePods: (routes) => routePodCidrs(c.ec2, net.routeTableId, routes),
          step,
          ...(opts.bootTimeoutMs ? { bootTimeoutMs: opts.bootTimeoutMs } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.onLog ? { onLog: opts.onLog } : {}),
        });
      state.phases = clock.done;
      await saveState(state);
      return this.attach(request.name);
    } catch (error) {
      if (!opts.keep) await teardownAws(c, request.runId).then(() => removeState(request.name));
      throw error;
    } finally {
      c.destroy();
    }
  }

  async down(name: string): Promise<void> {
    const state = await requireState(name);
    const c = provisionClients(whereOf(state));
    try {
      await teardownAws(c, state.runId);
    } finally {
      c.destroy();
    }
    await removeState(name);
  }

  async isUp(name: string): Promise<boolean> {
    const state = await loadState(name);
    if (!state?.aws) return false;
    const c = provisionClients(state.aws);
    try {
      return (await inventory(c, state.runId)).instances.length > 0;
    } finally {
      c.destroy();
    }
  }

  /** The instances' console output (cloud-init, kubeadm) and what is tagged with the run. */
  async dumpLogs(name: string, dir: string): Promise<string> {
    const state = await requireState(name);
    const out = join(dir, `${name}-${state.runId}`);
    await mkdir(out, { recursive: true });
    const c = provisionClients(whereOf(state));
    try {
      for (const n of state.nodes ?? []) {
        const r = await c.ec2.send(new GetConsoleOutputCommand({ InstanceId: n.instanceId, Latest: true }));
        await writeFile(join(out, `${n.name}.console.log`), Buffer.from(r.Output ?? '', 'base64').toString('utf8'));
      }
      await writeFile(join(out, 'inventory.txt'), `${describeLeft(await inventory(c, state.runId)) || 'nothing tagged'}\n`);
    } finally {
      c.destroy();
    }
    return out;
  }

  async attach(name: string): Promise<Cluster> {
    const where = whereOf(await requireState(name));
    return attachSaved(name, 'aws', (saved) => awsNode(saved, where));
  }
}
