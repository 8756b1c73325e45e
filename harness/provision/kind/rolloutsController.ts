// The Argo Rollouts controller for kind clusters (the canary-auto-rollback chaos drill drives it): its CRDs, RBAC
// and Deployment from the install scripts/images.sh assembled (images.json `argoRolloutsManifest`), applied with
// the kubectl inside a control-plane node (applyInNode.ts). Server-side apply: the CRDs carry ~600 KB of
// schema each, more than client-side apply can keep in its last-applied annotation (256 KB).
import { readFile } from 'node:fs/promises';
import { AppsV1Api, type V1Deployment } from '@kubernetes/client-node';
import { errorMessage, RunError } from '../../errors.ts';
import { applyInNode } from './applyInNode.ts';
import { makeApiClient } from '../../kubernetes/apiClient.ts';
import { loadKubeConfig } from '../../kubernetes/kubeconfig.ts';
import { waitFor, WaitTimeout } from '../../kubernetes/waitFor.ts';

export const ROLLOUTS_NAMESPACE = 'argo-rollouts';
export const ROLLOUTS_DEPLOYMENT = 'argo-rollouts';
/** The checked-in part of the install (images/manifests): the network enforcer's fallback must not apply it. */
export const ROLLOUTS_MANIFEST_FILE = 'argo-rollouts.yaml';

export async function applyRollouts(controlPlaneContainer: string, manifest: string, signal?: AbortSignal): Promise<string> {
  let text: string;
  try {
    text = await readFile(manifest, 'utf8');
  } catch (error) {
    throw new RunError(`cannot read the Argo Rollouts manifest ${manifest} named in images.json`, {
      cause: error,
      fix: 'bash scripts/images.sh build',
    });
  }
  await applyInNode(controlPlaneContainer, manifest, text, ['--server-side', '--field-manager=clusterproof'], signal);
  return manifest;
}

/** Why a Deployment is not Available yet, or undefined when it is (condition Available=True for its generation). */
export function deploymentNotAvailable(d: V1Deployment): string | undefined {
  const available = d.status?.conditions?.find((c) => c.type === 'Available');
  const observed = (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  if (observed && available?.status === 'True') return undefined;
  const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
  const replicas = `${d.status?.availableReplicas ?? 0}/${d.spec?.replicas ?? 1} replicas available`;
  return [replicas, available?.message, progressing?.message].filter(Boolean).join('; ');
}

/** Waits (bounded) until the controller Deployment is Available; says what it was still waiting for on timeout. */
export async function waitRolloutsAvailable(kubeconfigPath: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const apps = makeApiClient(loadKubeConfig({ kubeconfig: kubeconfigPath }), AppsV1Api);
  try {
    await waitFor(
      `the Argo Rollouts controller to be Available`,
      async () => {
        try {
          const why = deploymentNotAvailable(
            await apps.readNamespacedDeployment({ name: ROLLOUTS_DEPLOYMENT, namespace: ROLLOUTS_NAMESPACE }),
          );
          return why === undefined ? { done: true, value: undefined } : { done: false, why };
        } catch (error) {
          return { done: false, why: `Deployment ${ROLLOUTS_NAMESPACE}/${ROLLOUTS_DEPLOYMENT}: ${errorMessage(error)}` };
        }
      },
      { timeout: timeoutMs, interval: 1000, signal },
    );
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error;
    throw new RunError(`the Argo Rollouts controller was not Available after ${timeoutMs / 1000}s: ${error.why}`, {
      fix: `kubectl -n ${ROLLOUTS_NAMESPACE} describe pods; is images.json "argoRollouts" in the node image? (bash scripts/images.sh build)`,
    });
  }
}
