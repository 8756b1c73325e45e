// After the instances exist: wait for `kubeadm init` on the first control plane and fetch its admin.conf (pointed at
// the NLB), pin the CA and join the other nodes (join.ts), apply the pod network (podNetwork.ts), wait for every
// node to be Ready and route each node's podCIDR in the VPC (podRoutes.ts). Everything on the nodes goes over SSM (nodes.ts); never runs against moto (no instance boots).
import { writeFile } from 'node:fs/promises';
import { CoreV1Api } from '@kubernetes/client-node';
import { RunError } from '../../errors.ts';
import type { ClusterNode } from '../../model/cluster.ts';
import { makeApiClient } from '../../kubernetes/apiClient.ts';
import { loadKubeConfig } from '../../kubernetes/kubeconfig.ts';
import { waitNodesReady } from '../readiness/clusterReady.ts';
import { INITIALIZED_MARK, joinNodes, readCaCertHash } from './join.ts';
import type { SavedNode } from '../state.ts';
import { applyPodNetwork, type Manifest } from './podNetwork.ts';
import { type PodRoute, podRoutes } from './podRoutes.ts';

export interface BringUp {
  nodes: ClusterNode[];
  kubeconfigPath: string;
  apiEndpoint: string;
  join: { endpoint: string; token: string; certificateKey: string };
  podNetwork: Manifest[];
  /** Adds the VPC routes of the nodes' podCIDRs (podRoutes.ts), once Kubernetes has allocated them. */
  routePods: (routes: PodRoute[]) => Promise<void>;
  saved: SavedNode[];
  bootTimeoutMs?: number;
  signal?: AbortSignal;
  onLog?: (line: string) => void;
  step: <T>(phase: string, fn: () => Promise<T>) => Promise<T>;
}

export async function bringUp(b: BringUp): Promise<void> {
  const [first, ...others] = b.nodes;
  if (!first) throw new RunError('no node was created');
  await b.step('kubeadm init', () => fetchKubeconfig(first, b));
  await b.step('kubeadm join', async () => joinNodes(others, { ...b.join, caCertHash: await readCaCertHash(first, b.signal) }, b.signal));
  await b.step('pod network', () => applyPodNetwork(b.nodes, b.podNetwork, b.signal));
  const core = makeApiClient(loadKubeConfig({ kubeconfig: b.kubeconfigPath }), CoreV1Api);
  await b.step('nodes Ready', () => waitNodesReady(core, b.nodes.length, 15 * 60_000, b.signal));
  await b.step('pod routes', async () => b.routePods(podRoutes((await core.listNode()).items, b.saved)));
}

/** admin.conf from the first control plane once `kubeadm init` has finished, its server replaced by the NLB's. */
async function fetchKubeconfig(first: ClusterNode, b: BringUp): Promise<void> {
  const deadline = Date.now() + (b.bootTimeoutMs ?? 20 * 60_000);
  for (;;) {
    // admin.conf appears midway through `kubeadm init`; the mark only once the joins can find what they need.
    const r = await first
      .exec(['bash', '-c', `[ -f ${INITIALIZED_MARK} ] && cat /etc/kubernetes/admin.conf`], b.signal ? { signal: b.signal } : {})
      .catch(notRegisteredYet);
    if (r.exitCode === 0 && r.stdout.includes('apiVersion')) {
      await writeFile(b.kubeconfigPath, r.stdout.replace(/server: .*/, `server: ${b.apiEndpoint}`), { mode: 0o600 });
      return;
    }
    if (Date.now() > deadline)
      throw new RunError(`kubeadm did not finish on ${first.name} in time: ${r.stderr.trim() || 'no admin.conf yet'}`);
    b.onLog?.(`waiting for kubeadm on ${first.name}`);
    await new Promise((res) => setTimeout(res, 15_000));
  }
}

/**
 * SSM refuses commands (InvalidInstanceId) until the instance's agent has registered, a minute or two after boot
 * (through the VPC endpoints): until the boot deadline that is "not yet", like a missing admin.conf. moto does not
 * model agent registration (it accepts commands for any instance), so no test reaches this.
 */
function notRegisteredYet(error: unknown): { exitCode: number; stdout: string; stderr: string } {
  if ((error as Error).name !== 'InvalidInstanceId') throw error;
  return { exitCode: -1, stdout: '', stderr: `SSM agent not registered yet (${(error as Error).message})` };
}
