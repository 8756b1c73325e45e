// The pod network on aws nodes: the same manifest the kind provider applies (kube-router, found through images.json
// `networkPolicyManifest`, else images/manifests), applied with the first control plane's kubectl over SSM. Its
// images are clusterproof's own builds (`imagePullPolicy: Never`): the nodes must already hold them in containerd
// (baked into the AMI, or imported with `ctr -n k8s.io images import`). Nothing is pulled from a public registry:
// before applying, every node is asked which images it has, and a missing one fails `up` with one line naming it.
import { parseAllDocuments } from 'yaml';
import { RunError } from '../../errors.ts';
import type { ClusterNode } from '../../model/cluster.ts';
import { readImageSet } from '../images.ts';
import { enforcerManifests } from '../kind/networkEnforcer.ts';

export interface Manifest {
  file: string;
  text: string;
}

/** The pod network manifest(s), found as the kind provider finds them. */
export async function podNetworkManifests(): Promise<Manifest[]> {
  return enforcerManifests((await readImageSet())?.networkPolicyManifest);
}

/** Every container and init container image the manifests' pod templates name, in order, once each. */
export function manifestImages(manifests: Manifest[]): string[] {
  const images = new Set<string>();
  const walk = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) {
      for (const item of v) {
        if ((key === 'containers' || key === 'initContainers') && typeof item === 'object' && item !== null) {
          const image = (item as { image?: unknown }).image;
          if (typeof image === 'string') images.add(image);
        }
        walk(item);
      }
    } else if (typeof v === 'object' && v !== null) for (const [k, child] of Object.entries(v)) walk(child, k);
  };
  for (const m of manifests) for (const doc of parseAllDocuments(m.text)) walk(doc.toJS());
  return [...images];
}

/** The name containerd lists an image under: `busybox:1` is `docker.io/library/busybox:1`. */
export function containerdRef(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const ref = hasRegistry ? image : `docker.io/${slash < 0 ? 'library/' : ''}${image}`;
  return /[:@][^/]*$/.test(ref.slice(ref.lastIndexOf('/'))) ? ref : `${ref}:latest`;
}

export const LIST_IMAGES = ['ctr', '--namespace', 'k8s.io', 'images', 'list', '--quiet'];

/** Asks every node for its containerd images; a RunError naming each missing image and the nodes that lack it. */
export async function requireImagesOnNodes(nodes: ClusterNode[], images: string[], source: string, signal?: AbortSignal): Promise<void> {
  const lacking = new Map<string, string[]>();
  await Promise.all(
    nodes.map(async (node) => {
      const r = await node.exec(LIST_IMAGES, signal ? { signal } : {});
      if (r.exitCode !== 0)
        throw new RunError(
          `cannot list the container images on ${node.name} (exit ${r.exitCode}): ${r.stderr.trim().split('\n').at(-1) ?? ''}`,
        );
      const present = new Set(r.stdout.split('\n').map((l) => l.trim()));
      for (const image of images) if (!present.has(containerdRef(image))) lacking.set(image, [...(lacking.get(image) ?? []), node.name]);
    }),
  );
  if (lacking.size === 0) return;
  const what = [...lacking].map(([image, on]) => `${image} (on ${on.sort().join(', ')})`).join('; ');
  throw new RunError(
    `the aws nodes lack the pod network's images, which clusterproof never pulls from a public registry: ${what}; needed by ${source}`,
    {
      fix: 'bake them into the AMI (--image-id) or import them on every node: docker save IMAGE | ctr -n k8s.io images import - (README: "Real nodes in an account")',
    },
  );
}

/** SSM Run Command parameters are limited in size; the manifest travels base64-encoded inside the command. */
const MAX_MANIFEST_BYTES = 48 * 1024;

export function applyScript(m: Manifest): string {
  const encoded = Buffer.from(m.text).toString('base64');
  if (encoded.length > MAX_MANIFEST_BYTES)
    throw new RunError(`${m.file} is too large to send over SSM (${encoded.length} bytes encoded, at most ${MAX_MANIFEST_BYTES})`);
  return `echo ${encoded} | base64 -d | kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f -`;
}

/** Applies each manifest with the kubectl of the first control plane (admin.conf), over SSM. */
export async function applyManifests(first: ClusterNode, manifests: Manifest[], signal?: AbortSignal): Promise<void> {
  for (const m of manifests) {
    const r = await first.exec(['bash', '-c', applyScript(m)], signal ? { signal } : {});
    if (r.exitCode !== 0)
      throw new RunError(
        `kubectl apply of ${m.file} failed on ${first.name} (exit ${r.exitCode}): ${r.stderr.trim().split('\n').at(-1) ?? ''}`,
      );
  }
}

/** Checks the images on every node (nothing is applied when one lacks any), then applies the manifests. */
export async function applyPodNetwork(nodes: ClusterNode[], manifests: Manifest[], signal?: AbortSignal): Promise<string[]> {
  const [first] = nodes;
  if (!first) throw new RunError('no node to apply the pod network on');
  await requireImagesOnNodes(nodes, manifestImages(manifests), manifests.map((m) => m.file).join(', '), signal);
  await applyManifests(first, manifests, signal);
  return manifests.map((m) => m.file);
}
