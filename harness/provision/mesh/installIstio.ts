// Installs Istio on a fresh kind cluster (istioObjects.ts says what) and returns once it works: istiod's Deployment
// is Available (its readiness probe: /ready on 8080), and the sidecar injector injects the grpc-agent template into a
// server-side dry-run Pod in a namespace labelled istio-injection=enabled. That namespace is removed afterwards.
import { readFile } from 'node:fs/promises';
import { AppsV1Api } from '@kubernetes/client-node';
import { RunError } from '../../errors.ts';
import { makeApiClient } from '../../kubernetes/apiClient.ts';
import { clusterApi } from '../../kubernetes/clusterApi.ts';
import { applyInNode } from '../kind/applyInNode.ts';
import { deploymentNotAvailable } from '../kind/rolloutsController.ts';
import { settle } from '../settle.ts';
import {
  INJECTION_CHECK_NAMESPACE,
  injectionCheckNamespace,
  injectionCheckPod,
  injectionMissing,
  ISTIO_NAMESPACE,
  ISTIOD_DEPLOYMENT,
  labelledInstall,
} from './istioObjects.ts';

const READY_TIMEOUT_MS = 240_000;
const BUILD_FIX = 'bash scripts/images.sh build';
const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10.1';

export interface IstioImages {
  manifest?: string | undefined;
  istiod?: string | undefined;
  proxy?: string | undefined;
  /** Any image, for the dry-run Pod (never started); default the pause image. */
  app?: string | undefined;
}

export async function installIstio(
  controlPlaneContainer: string,
  kubeconfig: string,
  runId: string,
  images: IstioImages,
  signal?: AbortSignal,
): Promise<string> {
  if (!images.manifest || !images.istiod || !images.proxy) {
    throw new RunError('up --mesh istio was asked for, but images.json records no istioManifest/istiod/istioProxy', { fix: BUILD_FIX });
  }
  let text: string;
  try {
    text = await readFile(images.manifest, 'utf8');
  } catch (error) {
    throw new RunError(`cannot read the Istio install ${images.manifest} named in images.json`, { cause: error, fix: BUILD_FIX });
  }
  const install = labelledInstall(text, images.manifest, runId);
  // Server-side: the CRDs (DestinationRule's alone is 180 KB) outgrow client-side apply's last-applied annotation.
  await applyInNode(
    controlPlaneContainer,
    images.manifest,
    JSON.stringify(install),
    ['--server-side', '--field-manager=clusterproof'],
    signal,
  );

  const { kc, core } = clusterApi({ kubeconfig });
  const apps = makeApiClient(kc, AppsV1Api);
  const options = {
    component: 'Istio',
    timeoutMs: READY_TIMEOUT_MS,
    fix: `kubectl -n ${ISTIO_NAMESPACE} describe pods; kubectl -n ${ISTIO_NAMESPACE} logs deploy/${ISTIOD_DEPLOYMENT}; is images.json "istiod" (${images.istiod}) in the node image? (${BUILD_FIX})`,
    signal,
  };
  await settle(
    'istiod to be Ready',
    async () => deploymentNotAvailable(await apps.readNamespacedDeployment({ name: ISTIOD_DEPLOYMENT, namespace: ISTIO_NAMESPACE })),
    options,
  );
  await core.createNamespace({ body: injectionCheckNamespace(runId) });
  try {
    const proxy = images.proxy;
    await settle(
      'the sidecar injector to inject the grpc-agent template',
      async () =>
        injectionMissing(
          await core.createNamespacedPod({
            namespace: INJECTION_CHECK_NAMESPACE,
            body: injectionCheckPod(images.app ?? PAUSE_IMAGE),
            dryRun: 'All',
          }),
          proxy,
        ),
      options,
    );
  } finally {
    await core.deleteNamespace({ name: INJECTION_CHECK_NAMESPACE }).catch(() => undefined);
  }
  return `istiod ${images.istiod}, ${install.items.length} objects; grpc-agent injection`;
}
