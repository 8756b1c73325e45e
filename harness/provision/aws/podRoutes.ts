// Pod traffic between zones. kube-router (the kind manifest, no overlay) routes a peer's podCIDR through the peer's
// address only when it is in the same subnet; each zone is its own subnet, so across zones the VPC itself must
// know where a podCIDR lives: one route per node in the subnets' route table, podCIDR → the node's instance (whose
// source/destination check is off, instances.ts). Routes go with the route table at `down`.
import { CreateRouteCommand, type EC2Client, ReplaceRouteCommand } from '@aws-sdk/client-ec2';
import type { V1Node } from '@kubernetes/client-node';
import { RunError } from '../../errors.ts';
import type { SavedNode } from '../state.ts';

export interface PodRoute {
  node: string;
  instanceId: string;
  podCidr: string;
}

/** Each saved node's podCIDR, from the Kubernetes node with its private address as InternalIP. */
export function podRoutes(kubeNodes: V1Node[], saved: SavedNode[]): PodRoute[] {
  const byAddress = new Map<string, V1Node>();
  for (const k of kubeNodes) for (const a of k.status?.addresses ?? []) if (a.type === 'InternalIP') byAddress.set(a.address, k);
  const missing: string[] = [];
  const routes: PodRoute[] = [];
  for (const n of saved) {
    const k = n.addresses.map((a) => byAddress.get(a)).find((x) => x !== undefined);
    const podCidr = k?.spec?.podCIDR;
    if (!podCidr || !n.instanceId)
      missing.push(`${n.name} (${k ? 'no podCIDR' : `no Kubernetes node with InternalIP ${n.addresses.join(', ') || '?'}`})`);
    else routes.push({ node: n.name, instanceId: n.instanceId, podCidr });
  }
  if (missing.length > 0)
    throw new RunError(`cannot route pod addresses between zones: ${missing.join('; ')}`, {
      fix: 'kubeadm allocates podCIDRs when networking.podSubnet is set: check kube-controller-manager on the first control plane',
    });
  return routes;
}

export async function routePodCidrs(ec2: EC2Client, routeTableId: string, routes: PodRoute[]): Promise<void> {
  for (const r of routes) {
    const route = { RouteTableId: routeTableId, DestinationCidrBlock: r.podCidr, InstanceId: r.instanceId };
    try {
      await ec2.send(new CreateRouteCommand(route));
    } catch (error) {
      // A second `up` step after a retry, or a node replaced: point the existing route at the right instance.
      if ((error as Error).name !== 'RouteAlreadyExists')
        throw new RunError(`cannot add the VPC route ${r.podCidr} → ${r.node} (${r.instanceId}): ${(error as Error).message}`, {
          cause: error,
        });
      await ec2.send(new ReplaceRouteCommand(route));
    }
  }
}
