// The offline images and the kind binary, as recorded by `scripts/images.sh build` in images.json. This module
// only reads that record; building is the script's job (`clusterproof image build` runs it).
import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { RunError } from '../errors.ts';
import { imageExists } from './docker.ts';
import { cacheDir } from './state.ts';

export interface ImageSet {
  node?: string;
  loadBalancer?: string;
  probe?: string;
  kubernetesVersion?: string;
  /** Absolute path of the kind binary scripts/images.sh installed. */
  kind?: string;
  /** Absolute path of the kubectl built with the cluster's Kubernetes version. */
  kubectl?: string;
  /** The kube-router manifest (pod network + NetworkPolicy enforcer) matching the built images. */
  networkPolicyManifest?: string;
  /** The Argo Rollouts controller image (in the node image) and its install: CRDs + RBAC + Deployment. */
  argoRollouts?: string;
  argoRolloutsManifest?: string;
  /** AWS emulation (in the node image): the metadata service and the EKS pod identity webhook. */
  imdsEmulator?: string;
  podIdentityWebhook?: string;
  /** Istio (in the node image; `up --mesh istio`): istiod, the grpc-agent proxy image and the rendered install. */
  istiod?: string;
  istioProxy?: string;
  istioManifest?: string;
}

const BUILD_FIX = 'bash scripts/images.sh build   (or: clusterproof image build)';

export function imagesFile(): string {
  return join(cacheDir(), 'images.json');
}

export async function readImageSet(): Promise<ImageSet | undefined> {
  let text: string;
  try {
    text = await readFile(imagesFile(), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const pick = (k: string): string | undefined => (typeof raw[k] === 'string' ? raw[k] : undefined);
    const set: ImageSet = {};
    for (const k of [
      'node',
      'loadBalancer',
      'probe',
      'kubernetesVersion',
      'kind',
      'networkPolicyManifest',
      'argoRollouts',
      'argoRolloutsManifest',
      'imdsEmulator',
      'podIdentityWebhook',
      'istiod',
      'istioProxy',
      'istioManifest',
    ] as const) {
      const v = pick(k);
      if (v !== undefined) set[k] = v;
    }
    return set;
  } catch (error) {
    throw new RunError(`${imagesFile()} is not valid JSON`, { cause: error, fix: BUILD_FIX });
  }
}

/** The offline images `nodeImage: build` needs, each present in the local engine, or a RunError saying which is not. */
export async function requireBuiltImages(): Promise<Required<Pick<ImageSet, 'node' | 'probe'>> & ImageSet> {
  const set = await readImageSet();
  if (!set) throw new RunError(`the offline images are not built (no ${imagesFile()})`, { fix: BUILD_FIX });
  const missing: string[] = [];
  for (const key of ['node', 'loadBalancer', 'probe'] as const) {
    const ref = set[key];
    if (ref === undefined) missing.push(`${key} (not recorded in ${imagesFile()})`);
    else if (!(await imageExists(ref))) missing.push(`${key} image ${ref} (recorded but not in the local Docker engine)`);
  }
  if (missing.length > 0 || set.node === undefined || set.probe === undefined) {
    throw new RunError(`offline images missing: ${missing.join('; ')}`, { fix: BUILD_FIX });
  }
  return { ...set, node: set.node, probe: set.probe };
}

/** The kind binary: the one images.json names, else `kind` on PATH; a RunError naming the fix when neither runs. */
export async function resolveKind(set: ImageSet | undefined): Promise<string> {
  if (set?.kind) {
    try {
      await access(set.kind, constants.X_OK);
      return set.kind;
    } catch {
      // Recorded but gone (cache wiped): fall through to PATH before giving up.
    }
  }
  const onPath = await execa('kind', ['version'], { reject: false });
  if (onPath.exitCode === 0) return 'kind';
  throw new RunError(
    `the kind CLI is not installed${set?.kind ? ` (${set.kind} from ${imagesFile()} is missing)` : ''} and no \`kind\` is on PATH`,
    {
      fix: BUILD_FIX,
    },
  );
}
