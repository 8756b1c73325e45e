// What the live tier's global setup hands to every live test file: the cluster `clusterproof up` made, as
// `clusterproof info --format json` printed it. Tests reach nodes through the same provisioner the CLI uses.
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { clusterApi } from '../../../harness/kubernetes/clusterApi.ts';
import { loadKubeConfig } from '../../../harness/kubernetes/kubeconfig.ts';
import { execa, type Result } from 'execa';
import { inject } from 'vitest';
import type { Cluster } from '../../../harness/model/cluster.ts';
import { KindProvisioner } from '../../../harness/provision/kind/kindProvisioner.ts';
import { packagePath } from '../../../harness/paths.ts';

export interface LiveClusterInfo {
  name: string;
  runId: string;
  kubeconfig: string;
  apiEndpoint: string;
  nodes: { name: string; role: 'control-plane' | 'worker'; zone: string | null; addresses: string[] }[];
  images: { probe: string | null };
  /** Seconds `clusterproof up` took, measured by the global setup. */
  upSeconds?: number;
}

declare module 'vitest' {
  interface ProvidedContext {
    clusterproofLive: LiveClusterInfo;
  }
}

export function liveInfo(): LiveClusterInfo {
  return inject('clusterproofLive');
}

export function kubeConfig(info: LiveClusterInfo = liveInfo()): KubeConfig {
  return loadKubeConfig({ kubeconfig: info.kubeconfig });
}

export function core(info: LiveClusterInfo = liveInfo()): CoreV1Api {
  return clusterApi({ kubeconfig: info.kubeconfig }).core;
}

export function liveCluster(info: LiveClusterInfo = liveInfo()): Promise<Cluster> {
  return new KindProvisioner().attach(info.name);
}

export function probeImage(info: LiveClusterInfo = liveInfo()): string {
  if (!info.images.probe) throw new Error('the live cluster has no probe image (scripts/images.sh build records it)');
  return info.images.probe;
}

/** Runs the real CLI (bin/clusterproof.js) under the current Node. */
export function cli(args: string[], opts: { timeoutMs?: number; stream?: boolean } = {}): Promise<Result> {
  return execa(process.execPath, [packagePath('bin', 'clusterproof.js'), ...args], {
    reject: false,
    timeout: opts.timeoutMs ?? 120_000,
    stdin: 'ignore',
    ...(opts.stream ? { stderr: ['pipe', 'inherit'] as const } : {}),
  });
}

/** Short unique suffix for test namespaces, so reruns against a kept cluster never collide. */
export function suffix(): string {
  return Math.random().toString(36).slice(2, 7);
}
