// The kind provider: the real kind CLI with the offline node image, then the NetworkPolicy enforcer, the probe
// image and a readiness gate that observes real traffic. A failed or interrupted `up` dumps kind's logs to a
// directory that outlives the cluster, removes everything the run created (unless --keep) and says both.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { clusterApi } from '../../kubernetes/clusterApi.ts';
import { loadKubeConfig } from '../../kubernetes/kubeconfig.ts';
import { RunError } from '../../errors.ts';
import type { Cluster, ClusterRequest, Provisioner, UpOptions } from '../../model/cluster.ts';
import { assertDockerUsable, createNetwork, inspectContainers, listObjects, removeObjects } from '../docker.ts';
import { readImageSet, requireBuiltImages, resolveKind } from '../images.ts';
import { CLUSTER_LABEL, dockerNetworkName, RUN_LABEL, runLabelFilter } from '../naming.ts';
import { PhaseClock } from '../phases.ts';
import { checkConnectivity, waitNodesReady } from '../readiness/clusterReady.ts';
import { attachSaved, cacheDir, loadState, removeState, saveState, type SavedCluster, type SavedNode } from '../state.ts';
import { kindConfig, kindConfigYaml, ZONE_LABEL } from './config.ts';
import { installDockerShim } from './dockerShim.ts';
import { offlineImageRequirements, readVersions } from './imageRequirements.ts';
import { runKind } from './kindCli.ts';
import { applyEnforcer } from './networkEnforcer.ts';
import { applyRollouts, waitRolloutsAvailable } from './rolloutsController.ts';
import { installAwsEmulation } from '../awsEmulation/install.ts';
import { installIstio } from '../mesh/installIstio.ts';
import { KIND_CLUSTER_LABEL, kindNode } from './nodes.ts';

const NODES_READY_TIMEOUT_MS = 300_000;
const CONNECTIVITY_TIMEOUT_MS = 180_000;
const ROLLOUTS_AVAILABLE_TIMEOUT_MS = 180_000;

export class KindProvisioner implements Provisioner {
  readonly name = 'kind' as const;

  async up(request: ClusterRequest, opts: UpOptions = {}): Promise<Cluster> {
    const clock = new PhaseClock(opts.onPhase);
    const signal = opts.signal;
    const { images, kind } = await clock.run('preflight', async () => {
      await assertDockerUsable(signal);
      const images = request.nodeImage === 'build' ? await requireBuiltImages() : await readImageSet();
      return { images, kind: await resolveKind(images) };
    });
    const existing = await loadState(request.name);
    if (existing && (await this.isUp(request.name))) {
      throw new RunError(`a cluster named "${request.name}" is already up (run ${existing.runId})`, {
        fix: `use it (clusterproof info --name ${request.name}), or remove it first: clusterproof down --name ${request.name}`,
      });
    }
    if (existing) await this.down(request.name); // leftovers of a run that died: clear them first

    const kubeconfigPath = join(request.runDir, 'kubeconfig');
    const probe = images?.probe;
    const state: SavedCluster = {
      name: request.name,
      runId: request.runId,
      provider: 'kind',
      kubeconfigPath,
      apiEndpoint: '',
      runDir: request.runDir,
      createdAt: new Date().toISOString(),
      images: { ...(request.nodeImage === 'build' && images?.node ? { node: images.node } : {}), ...(probe ? { probe } : {}) },
      phases: clock.done,
    };
    try {
      // State first: if this process is killed from here on, `down`/`sweep` still know the run id.
      await saveState(state);
      const labels = { [RUN_LABEL]: request.runId, [CLUSTER_LABEL]: request.name };
      const network = dockerNetworkName(request.name);
      const shimDir = await clock.run('prepare', async () => {
        await mkdir(request.runDir, { recursive: true });
        const image = request.nodeImage === 'build' ? images?.node : undefined;
        const extra = request.nodeImage === 'build' ? offlineImageRequirements(await readVersions()) : {};
        await writeFile(join(request.runDir, 'kind-config.yaml'), kindConfigYaml(kindConfig(request, image, extra)));
        await createNetwork(network, labels);
        const realDocker = (await execa('sh', ['-c', 'command -v docker'])).stdout.trim();
        return installDockerShim(join(request.runDir, 'bin'), realDocker, labels);
      });

      await clock.run('kind create', () =>
        runKind({
          kind,
          args: [
            'create',
            'cluster',
            '--name',
            request.name,
            '--config',
            join(request.runDir, 'kind-config.yaml'),
            '--kubeconfig',
            kubeconfigPath,
            '--retain',
          ],
          env: { PATH: `${shimDir}:${process.env.PATH ?? ''}`, KIND_EXPERIMENTAL_DOCKER_NETWORK: network },
          logFile: join(request.runDir, 'kind-create.log'),
          ...(signal ? { signal } : {}),
          ...(opts.onLog ? { onLine: opts.onLog } : {}),
        }),
      );
      state.apiEndpoint = apiEndpointOf(kubeconfigPath);
      await saveState(state);

      const firstControlPlane = `${request.name}-control-plane`;
      await clock.run(
        'network enforcer',
        () => applyEnforcer(firstControlPlane, images?.networkPolicyManifest, signal),
        (files) => files.map((f) => f.split('/').at(-1)).join(', '),
      );
      // Argo Rollouts (the canary abort drill's controller): the server-side apply of its 3 MB of CRDs runs while
      // the nodes become Ready and the readiness probes run; its Availability is awaited last (part of ready).
      const rollouts = images?.argoRolloutsManifest;
      const argoImage = images?.argoRollouts;
      const rolloutsApplied = rollouts
        ? clock.run(
            'argo rollouts apply',
            async () => {
              if (argoImage && request.nodeImage === 'official') {
                await runKind({
                  kind,
                  args: ['load', 'docker-image', argoImage, '--name', request.name],
                  logFile: join(request.runDir, 'kind-load-argo.log'),
                  ...(signal ? { signal } : {}),
                });
              }
              return applyRollouts(firstControlPlane, rollouts, signal);
            },
            (file) => file.split('/').at(-1) ?? file,
          )
        : undefined;
      // Awaited below; until then a failure must not surface as an unhandled rejection.
      rolloutsApplied?.catch(() => undefined);
      if (!rollouts)
        opts.onLog?.(
          'no Argo Rollouts install recorded in images.json: the canary drill will report not-applicable (run scripts/images.sh build)',
        );
      // The offline node image already carries the probe image in containerd; kind's published one does not.
      if (probe && request.nodeImage === 'official') {
        await clock.run('load probe image', () =>
          runKind({
            kind,
            args: ['load', 'docker-image', probe, '--name', request.name],
            logFile: join(request.runDir, 'kind-load.log'),
            ...(signal ? { signal } : {}),
          }),
        );
      }

      const { core } = clusterApi({ kubeconfig: kubeconfigPath });
      const expected = request.controlPlanes + request.workers;
      const apiNodes = await clock.run(
        'nodes Ready',
        () => waitNodesReady(core, expected, NODES_READY_TIMEOUT_MS, signal),
        (n) => `${n.length} nodes`,
      );
      state.nodes = await savedNodes(request.name, apiNodes);
      await saveState(state);

      if (probe) {
        await clock.run(
          'DNS + pod-to-pod',
          () =>
            checkConnectivity(core, {
              runId: request.runId,
              probeImage: probe,
              nodes: apiNodes,
              timeoutMs: CONNECTIVITY_TIMEOUT_MS,
              ...(signal ? { signal } : {}),
              ...(opts.onLog ? { log: opts.onLog } : {}),
            }),
          (r) =>
            Object.entries(r.attempts)
              .map(([k, v]) => `${k}:${v}`)
              .join(' '),
        );
      } else {
        opts.onLog?.('no probe image recorded: DNS and pod-to-pod readiness not checked (run scripts/images.sh build)');
      }
      if (request.awsEmulation) {
        const emulation = request.awsEmulation;
        await clock.run(
          'aws emulation',
          () =>
            installAwsEmulation(
              firstControlPlane,
              kubeconfigPath,
              request.runId,
              emulation,
              { imds: images?.imdsEmulator, webhook: images?.podIdentityWebhook },
              signal,
            ),
          (what) => what,
        );
      }
      if (request.mesh === 'istio') {
        await clock.run(
          'istio',
          () =>
            installIstio(
              firstControlPlane,
              kubeconfigPath,
              request.runId,
              { manifest: images?.istioManifest, istiod: images?.istiod, proxy: images?.istioProxy, app: probe },
              signal,
            ),
          (what) => what,
        );
      }
      if (rolloutsApplied) {
        await rolloutsApplied;
        await clock.run('argo rollouts Available', () => waitRolloutsAvailable(kubeconfigPath, ROLLOUTS_AVAILABLE_TIMEOUT_MS, signal));
      }
      await saveState(state);
      return this.attach(request.name);
    } catch (error) {
      throw await this.failUp(request, error, opts.keep === true, signal?.aborted === true);
    }
  }

  /** Dumps logs where they survive cleanup, cleans up unless keep, and returns the error to throw. */
  private async failUp(request: ClusterRequest, error: unknown, keep: boolean, interrupted: boolean): Promise<RunError> {
    const logDir = join(cacheDir(), 'logs', `${request.name}-${request.runId}`);
    // The run dir goes with the cluster, so its kind output and config are kept next to the exported logs.
    await mkdir(logDir, { recursive: true });
    for (const file of ['kind-create.log', 'kind-config.yaml', 'kind-load.log']) {
      await copyFile(join(request.runDir, file), join(logDir, file)).catch(() => undefined);
    }
    let logs: string;
    if (interrupted) {
      // Someone is waiting at Ctrl-C: cleanup first; exporting every node's journal takes a minute.
      logs = `kind's output and config kept in ${logDir} (node logs not exported: interrupted)`;
    } else {
      try {
        await this.dumpLogs(request.name, logDir);
        logs = `logs (kind export logs, kind's output and config): ${logDir}`;
      } catch (dumpError) {
        logs = `kind's output and config kept in ${logDir}; node logs could not be exported (${dumpError instanceof Error ? dumpError.message.split('\n')[0] : String(dumpError)})`;
      }
    }
    let cleanup: string;
    if (keep) cleanup = `kept the cluster for inspection (--keep); remove it with: clusterproof down --name ${request.name}`;
    else {
      await this.down(request.name).catch(() => undefined);
      const left = await leftovers(request.runId);
      cleanup =
        left.length === 0
          ? 'removed everything the run created'
          : `cleanup left ${left.join(', ')}: run clusterproof sweep --run ${request.runId}`;
    }
    // The cause (printed by the CLI after this message) carries the full story, e.g. kind's last lines.
    const what = interrupted
      ? 'up was interrupted'
      : `up failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
    return new RunError(`${what}\n  ${logs}\n  ${cleanup}`, { cause: error });
  }

  async down(name: string): Promise<void> {
    const state = await loadState(name);
    const kind = await resolveKind(await readImageSet()).catch(() => undefined);
    if (kind) {
      // kind also drops its kubeconfig entries; our label sweep below catches anything it missed.
      await execa(kind, ['delete', 'cluster', '--name', name, ...(state ? ['--kubeconfig', state.kubeconfigPath] : [])], {
        reject: false,
        stdin: 'ignore',
      });
    }
    const byCluster = await listObjects('container', [`label=${KIND_CLUSTER_LABEL}=${name}`]);
    await removeObjects('container', byCluster);
    if (state) {
      const filter = runLabelFilter(state.runId);
      await removeObjects('container', await listObjects('container', [filter]));
      await removeObjects('network', await listObjects('network', [filter]));
      await removeObjects('volume', await listObjects('volume', [filter]));
    }
    await removeState(name);
  }

  async isUp(name: string): Promise<boolean> {
    const running = await listObjects('container', [`label=${KIND_CLUSTER_LABEL}=${name}`, 'status=running']);
    return running.length > 0;
  }

  async dumpLogs(name: string, dir: string): Promise<string> {
    const kind = await resolveKind(await readImageSet());
    await mkdir(dir, { recursive: true });
    await runKind({ kind, args: ['export', 'logs', dir, '--name', name], timeoutMs: 300_000 });
    return dir;
  }

  async attach(name: string): Promise<Cluster> {
    return attachSaved(name, 'kind', kindNode);
  }
}

/** The API endpoint the kubeconfig points at (kind: the load balancer's published loopback port). */
export function apiEndpointOf(kubeconfigPath: string): string {
  const server = loadKubeConfig({ kubeconfig: kubeconfigPath }).getCurrentCluster()?.server;
  if (!server) throw new RunError(`${kubeconfigPath} names no cluster server`);
  return server;
}

async function savedNodes(cluster: string, apiNodes: import('@kubernetes/client-node').V1Node[]): Promise<SavedNode[]> {
  const containers = await inspectContainers(await listObjects('container', [`label=${KIND_CLUSTER_LABEL}=${cluster}`]));
  return apiNodes
    .map((n): SavedNode => {
      const name = n.metadata?.name ?? '';
      const labels = n.metadata?.labels ?? {};
      const internal = n.status?.addresses?.filter((a) => a.type === 'InternalIP').map((a) => a.address) ?? [];
      const docker = containers.find((c) => c.name === name)?.ipAddresses ?? [];
      return {
        name,
        role: 'node-role.kubernetes.io/control-plane' in labels ? 'control-plane' : 'worker',
        zone: labels[ZONE_LABEL],
        addresses: [...new Set([...internal, ...docker])],
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What the run still has in Docker, by kind of object (empty when cleanup was complete). */
export async function leftovers(runId: string): Promise<string[]> {
  const filter = runLabelFilter(runId);
  const found: string[] = [];
  for (const kind of ['container', 'network', 'volume'] as const) {
    const ids = await listObjects(kind, [filter]);
    if (ids.length > 0) found.push(`${ids.length} ${kind}${ids.length === 1 ? '' : 's'}`);
  }
  return found;
}
