// How clusterproof names and labels what it creates, in one place, so `down`, `sweep` and the tests agree.
// Sweeping is label-driven: every container, network and volume of a run carries RUN_LABEL (kind's own
// containers get it through the docker shim in kind/dockerShim.ts), so a runner killed with SIGKILL leaves
// nothing that `clusterproof sweep` cannot find.
import { randomBytes } from 'node:crypto';

export const RUN_LABEL = 'clusterproof.run';
/** The cluster a Docker object belongs to; lets `sweep` also drop the cluster's saved state. */
export const CLUSTER_LABEL = 'clusterproof.cluster';
/** Prefix of generated cluster names; `cp-<run id>`. */
export const CLUSTER_NAME_PREFIX = 'cp-';

const RUN_ID_RE = /^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/;
/** kind accepts ^[a-z0-9.-]+$; we also keep the name a DNS label so node hostnames stay valid. */
const CLUSTER_NAME_RE = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** A run id that sorts by time and is unique enough for one machine: `261125-180012-3fa2` (UTC). */
export function newRunId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-11-25T18:00:12.345Z
  const stamp = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export function isValidRunId(id: string): boolean {
  return RUN_ID_RE.test(id);
}

export function defaultClusterName(runId: string): string {
  return `${CLUSTER_NAME_PREFIX}${runId}`;
}

/** Why a cluster name is unusable, or undefined when it is fine. */
export function clusterNameProblem(name: string): string | undefined {
  if (CLUSTER_NAME_RE.test(name)) return undefined;
  return `"${name}" is not a usable cluster name: use 1-40 lowercase letters, digits and '-', starting and ending with a letter or digit (it becomes part of every node's hostname)`;
}

/** Docker network of one kind cluster: per cluster, so removing a run never touches another's network. */
export function dockerNetworkName(clusterName: string): string {
  return `clusterproof-${clusterName}`;
}

/** `docker --filter` value selecting one run's objects, or every clusterproof object. */
export function runLabelFilter(runId?: string): string {
  return runId === undefined ? `label=${RUN_LABEL}` : `label=${RUN_LABEL}=${runId}`;
}
