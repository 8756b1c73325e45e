// Settings the offline images need in every kind config (images/README.md, images/kind/ha-3cp-2w.yaml): our etcd
// is 3.5 while kubeadm 1.34 would ask for 3.6, so kubeadm is told the tag the node image carries. The value is
// read from images/versions.env, the one record of pinned versions, so it can never drift from the build.
import { readFile } from 'node:fs/promises';
import { RunError } from '../../errors.ts';
import { packagePath } from '../../paths.ts';
import type { ImageRequirements } from './config.ts';

export const VERSIONS_FILE = packagePath('images', 'versions.env');

export function parseVersionsEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m?.[1])
      out[m[1]] = (m[2] ?? '')
        .replace(/\s+#.*$/, '')
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return out;
}

export async function readVersions(): Promise<Record<string, string>> {
  try {
    return parseVersionsEnv(await readFile(VERSIONS_FILE, 'utf8'));
  } catch (error) {
    throw new RunError(`cannot read ${VERSIONS_FILE}`, { cause: error, fix: 'run from a clusterproof checkout' });
  }
}

export function offlineImageRequirements(versions: Record<string, string>): ImageRequirements {
  const etcdTag = versions.ETCD_IMAGE_TAG;
  if (!etcdTag) throw new RunError(`${VERSIONS_FILE} has no ETCD_IMAGE_TAG`, { fix: 'restore it from git' });
  return {
    kubeadmConfigPatches: [`kind: ClusterConfiguration\netcd:\n  local:\n    imageTag: ${etcdTag}\n`],
  };
}
