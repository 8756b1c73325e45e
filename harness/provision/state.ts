// Saved state of clusters made by `clusterproof up`, so `info`, `down` and later runs find them by name:
// ~/.cache/clusterproof/clusters/<name>/state.json, next to the cluster's kubeconfig, kind config and logs.
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RunError } from '../errors.ts';
import type { Cluster, ClusterNode, ProviderName } from '../model/cluster.ts';

export interface SavedCluster {
  name: string;
  runId: string;
  provider: ProviderName;
  kubeconfigPath: string;
  context?: string;
  apiEndpoint: string;
  runDir: string;
  createdAt: string;
  images: { node?: string; probe?: string };
  /** Seconds per phase of the `up` that made it. */
  phases: { phase: string; seconds: number }[];
  disposableLabel?: string;
  /** Nodes as the API reported them after `up` (zone read from the node label, not inferred). */
  nodes?: SavedNode[];
  /** aws provider: where its resources live (teardown finds them by the run tag there). */
  aws?: { region: string; endpoint?: string };
}

export interface SavedNode {
  name: string;
  role: 'control-plane' | 'worker';
  zone: string | undefined;
  addresses: string[];
  /** aws provider: the EC2 instance behind the node. */
  instanceId?: string;
}

/** Cache root, shared with scripts/lib.sh (CLUSTERPROOF_CACHE overrides it there too). */
export function cacheDir(): string {
  return process.env.CLUSTERPROOF_CACHE ?? join(homedir(), '.cache', 'clusterproof');
}

export function clusterDir(name: string): string {
  return join(cacheDir(), 'clusters', name);
}

export async function saveState(state: SavedCluster): Promise<void> {
  await mkdir(clusterDir(state.name), { recursive: true });
  await writeFile(join(clusterDir(state.name), 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
}

export async function loadState(name: string): Promise<SavedCluster | undefined> {
  const file = join(clusterDir(name), 'state.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RunError(`cannot read ${file}`, { cause: error });
  }
  try {
    return JSON.parse(text) as SavedCluster;
  } catch (error) {
    throw new RunError(`${file} is not valid JSON`, { cause: error, fix: `remove ${clusterDir(name)} (clusterproof down --name ${name})` });
  }
}

export async function requireState(name: string): Promise<SavedCluster> {
  const state = await loadState(name);
  if (state) return state;
  const known = await listStates();
  throw new RunError(`no cluster named "${name}" was made by clusterproof on this machine (looked in ${clusterDir(name)})`, {
    fix: known.length > 0 ? `known clusters: ${known.map((s) => s.name).join(', ')}` : 'create one: clusterproof up --name ' + name,
  });
}

export async function listStates(): Promise<SavedCluster[]> {
  let names: string[];
  try {
    names = await readdir(join(cacheDir(), 'clusters'));
  } catch {
    return [];
  }
  const states = await Promise.all(names.map((n) => loadState(n).catch(() => undefined)));
  return states.filter((s): s is SavedCluster => s !== undefined);
}

/** Forgets a cluster. Logs of failed runs live elsewhere (see kind/kindProvisioner.ts), so this may delete the dir. */
export async function removeState(name: string): Promise<void> {
  await rm(clusterDir(name), { recursive: true, force: true });
}

/** A `Cluster` handle for a cluster recorded by `up`, with nodes as the provider drives them. */
export async function attachSaved(name: string, provider: ProviderName, node: (saved: SavedNode) => ClusterNode): Promise<Cluster> {
  const state = await requireState(name);
  return {
    name,
    runId: state.runId,
    provider,
    kubeconfigPath: state.kubeconfigPath,
    apiEndpoint: state.apiEndpoint,
    nodes: (state.nodes ?? []).map(node),
    images: { probe: state.images.probe },
  };
}
