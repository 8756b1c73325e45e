// The existing provider: a cluster someone else made, reached through a kubeconfig and context. clusterproof never
// creates or deletes anything in it here: `up` only checks it answers and records it; `down` forgets it.
// Nodes have no exec/stop/start (they are not ours to disrupt); chaos suites see that and refuse.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { RunError } from '../../errors.ts';
import type { Cluster, ClusterNode, ClusterRequest, Provisioner, UpOptions } from '../../model/cluster.ts';
import { PhaseClock } from '../phases.ts';
import { attachSaved, loadState, removeState, requireState, saveState, type SavedNode } from '../state.ts';
import { ZONE_LABEL } from '../kind/config.ts';
import { makeApiClient } from '../../kubernetes/apiClient.ts';
import { KubeconfigError, loadKubeConfig } from '../../kubernetes/kubeconfig.ts';

function client(kubeconfig: string, context?: string): { kc: KubeConfig; core: CoreV1Api } {
  let kc: KubeConfig;
  try {
    kc = loadKubeConfig({ kubeconfig, context });
  } catch (error) {
    if (!(error instanceof KubeconfigError)) throw error;
    if (error.problem === 'unknown-context')
      throw new RunError(`context "${context}" is not in ${kubeconfig}`, { fix: `use one of: ${error.contexts.join(', ')}` });
    throw new RunError(`cannot read kubeconfig ${kubeconfig}`, {
      cause: error.cause,
      fix: 'pass --kubeconfig PATH to a readable kubeconfig',
    });
  }
  return { kc, core: makeApiClient(kc, CoreV1Api) };
}

function readOnlyNode(saved: SavedNode): ClusterNode {
  const refuse = (what: string) => (): Promise<never> =>
    Promise.reject(new RunError(`${what} on node ${saved.name}: the existing provider does not touch nodes it did not create`));
  return { ...saved, exec: refuse('exec'), stop: refuse('stop'), start: refuse('start') };
}

export class ExistingProvisioner implements Provisioner {
  readonly name = 'existing' as const;

  async up(request: ClusterRequest, opts: UpOptions = {}): Promise<Cluster> {
    const clock = new PhaseClock(opts.onPhase);
    const kubeconfig = request.kubeconfig;
    if (!kubeconfig) throw new RunError('the existing provider needs a kubeconfig', { fix: 'pass --kubeconfig PATH' });
    const { kc, core } = client(kubeconfig, request.context);
    const server = kc.getCurrentCluster()?.server ?? '';
    const nodes = await clock.run('reach API', async () => {
      try {
        return (await core.listNode()).items;
      } catch (error) {
        throw new RunError(`the cluster at ${server} (context ${kc.getCurrentContext()}) does not answer`, {
          cause: error,
          fix: 'check the kubeconfig, VPN and credentials',
        });
      }
    });
    await mkdir(request.runDir, { recursive: true });
    await saveState({
      name: request.name,
      runId: request.runId,
      provider: 'existing',
      kubeconfigPath: kubeconfig,
      context: kc.getCurrentContext(),
      apiEndpoint: server,
      runDir: request.runDir,
      createdAt: new Date().toISOString(),
      images: {},
      phases: clock.done,
      ...(request.disposableLabel ? { disposableLabel: request.disposableLabel } : {}),
      nodes: nodes.map((n) => ({
        name: n.metadata?.name ?? '',
        role: 'node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {}) ? 'control-plane' : 'worker',
        zone: n.metadata?.labels?.[ZONE_LABEL],
        addresses: n.status?.addresses?.filter((a) => a.type === 'InternalIP').map((a) => a.address) ?? [],
      })),
    });
    return this.attach(request.name);
  }

  /** Forgets the cluster; it is not ours to delete. */
  async down(name: string): Promise<void> {
    await removeState(name);
  }

  async isUp(name: string): Promise<boolean> {
    const state = await loadState(name);
    if (!state) return false;
    try {
      await client(state.kubeconfigPath, state.context).core.listNode({ limit: 1 });
      return true;
    } catch {
      return false;
    }
  }

  /** Logs of an existing cluster are its operators' business; we only record where our state is. */
  async dumpLogs(name: string, dir: string): Promise<string> {
    const state = await requireState(name);
    await mkdir(dir, { recursive: true });
    return join(state.runDir);
  }

  async attach(name: string): Promise<Cluster> {
    return attachSaved(name, 'existing', readOnlyNode);
  }
}
