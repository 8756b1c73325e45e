// Pod network + NetworkPolicy enforcement for kind clusters: kube-router (iptables + ipset), built offline by
// scripts/images.sh, applied from images/manifests after `kind create` (kindnet is disabled in the config).
// Applied with the kubectl inside a control-plane node so the host needs no kubectl of its own.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunError } from '../../errors.ts';
import { packagePath } from '../../paths.ts';
import { applyInNode } from './applyInNode.ts';
import { ROLLOUTS_MANIFEST_FILE } from './rolloutsController.ts';

export const MANIFEST_DIR = packagePath('images', 'manifests');

/** The manifest images.json names (it matches the built images), else every enforcer manifest in images/manifests. */
export async function enforcerManifests(recorded?: string): Promise<{ file: string; text: string }[]> {
  if (recorded) {
    try {
      return [{ file: recorded, text: await readFile(recorded, 'utf8') }];
    } catch (error) {
      throw new RunError(`cannot read the NetworkPolicy enforcer manifest ${recorded} named in images.json`, {
        cause: error,
        fix: 'bash scripts/images.sh build',
      });
    }
  }
  let files: string[];
  try {
    // argo-rollouts.yaml lives there too but is no enforcer (and needs its CRDs first): rolloutsController.ts.
    files = (await readdir(MANIFEST_DIR)).filter((f) => /\.ya?ml$/.test(f) && f !== ROLLOUTS_MANIFEST_FILE).sort();
  } catch (error) {
    throw new RunError(`no NetworkPolicy enforcer manifests in ${MANIFEST_DIR}`, { cause: error, fix: 'bash scripts/images.sh build' });
  }
  if (files.length === 0)
    throw new RunError(`no NetworkPolicy enforcer manifests in ${MANIFEST_DIR}`, { fix: 'bash scripts/images.sh build' });
  return Promise.all(files.map(async (f) => ({ file: join(MANIFEST_DIR, f), text: await readFile(join(MANIFEST_DIR, f), 'utf8') })));
}

export async function applyEnforcer(controlPlaneContainer: string, recorded: string | undefined, signal?: AbortSignal): Promise<string[]> {
  const applied: string[] = [];
  for (const { file, text } of await enforcerManifests(recorded)) {
    await applyInNode(controlPlaneContainer, file, text, [], signal);
    applied.push(file);
  }
  return applied;
}
