// Evidence bundle: the collected ClusterState as `state.json` plus `manifest.json` holding its sha256, so a later
// `scan` reads back exactly what was collected and can prove it was not edited. Secrets were redacted at load time.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState, type ClusterState } from '../model/state.ts';
import { errorMessage, InputError } from '../errors.ts';
import { isRecord } from '../model/isRecord.ts';

const BUNDLE_FORMAT = 'clusterproof.dev/evidence-bundle/v1';
const MANIFEST_FILE = 'manifest.json';
const STATE_FILE = 'state.json';

interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  createdAt: string;
  source: ClusterState['source'];
  files: { path: string; sha256: string; bytes: number }[];
}

export async function writeBundle(state: ClusterState, dir: string): Promise<BundleManifest> {
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify(state, null, 1)}\n`;
  await writeFile(join(dir, STATE_FILE), text);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    createdAt: new Date().toISOString(),
    source: state.source,
    files: [{ path: STATE_FILE, sha256: sha256(text), bytes: Buffer.byteLength(text) }],
  };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** True when `dir` is a directory holding a bundle manifest. */
export async function isBundleDir(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as unknown;
    return isRecord(manifest) && manifest.format === BUNDLE_FORMAT;
  } catch {
    return false;
  }
}

export async function readBundle(dir: string): Promise<ClusterState> {
  const manifestPath = join(dir, MANIFEST_FILE);
  const statePath = join(dir, STATE_FILE);
  let manifest: BundleManifest;
  let text: string;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as BundleManifest;
    text = await readFile(statePath, 'utf8');
  } catch (error) {
    throw new InputError(
      [
        {
          file: dir,
          message: `cannot read evidence bundle: ${errorMessage(error)}`,
          fix: 'pass the directory written by `clusterproof collect --out DIR`',
        },
      ],
      { cause: error },
    );
  }
  if (manifest.format !== BUNDLE_FORMAT) {
    throw new InputError([
      {
        file: manifestPath,
        pointer: '/format',
        message: `unknown bundle format ${JSON.stringify(manifest.format)}`,
        fix: `collect the bundle again with this version of clusterproof (expects ${BUNDLE_FORMAT})`,
      },
    ]);
  }
  const expected = manifest.files?.find((f) => f.path === STATE_FILE)?.sha256;
  if (expected !== sha256(text)) {
    throw new InputError([
      {
        file: statePath,
        message: `state.json does not match the sha256 in manifest.json (expected ${expected ?? 'none'}, got ${sha256(text)}); the evidence was edited or truncated`,
        fix: 'collect the bundle again with `clusterproof collect --out DIR`',
      },
    ]);
  }
  try {
    return withDefaults(JSON.parse(text) as ClusterState);
  } catch (error) {
    throw new InputError([{ file: statePath, message: 'state.json is not valid JSON', fix: 'collect the bundle again' }], { cause: error });
  }
}

/** A bundle written before a list existed reads as an empty list, not a crash in the evaluator that reads it. */
function withDefaults(state: ClusterState): ClusterState {
  const empty = emptyState(state.source);
  return { ...empty, ...state, kubernetes: { ...empty.kubernetes, ...state.kubernetes }, cloud: { ...empty.cloud, ...state.cloud } };
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
