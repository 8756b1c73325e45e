// Installs AWS emulation on a fresh kind cluster (objects.ts says what) and returns once it works: the metadata
// service answers on every node (the DaemonSet's readiness probe asks 169.254.169.254 from each node) and the
// webhook injects (a server-side dry-run Pod with an annotated ServiceAccount comes back with AWS_ROLE_ARN).
import { AppsV1Api, type CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { RunError } from '../../errors.ts';
import { makeApiClient } from '../../kubernetes/apiClient.ts';
import { clusterApi } from '../../kubernetes/clusterApi.ts';
import { K8S_CLUSTER_RUN_LABEL } from '../../kubernetes/runLabels.ts';
import type { AwsEmulation } from '../../model/cluster.ts';
import { issueServingCertificate } from '../certificates.ts';
import { applyInNode } from '../kind/applyInNode.ts';
import { settle, type SettleOptions } from '../settle.ts';
import { deploymentNotAvailable } from '../kind/rolloutsController.ts';
import { EMULATED_ACCOUNT, EMULATION_NAMESPACE, IRSA_ROLE_ANNOTATION } from '../../model/awsIdentity.ts';
import { emulationObjects, IMDS_DAEMONSET, WEBHOOK_NAME, webhookDnsNames, type EmulationImages } from './objects.ts';

const READY_TIMEOUT_MS = 180_000;
const CHECK_ACCOUNT = 'clusterproof-irsa-check';

export async function installAwsEmulation(
  controlPlaneContainer: string,
  kubeconfig: string,
  runId: string,
  emulation: AwsEmulation,
  images: Partial<EmulationImages>,
  signal?: AbortSignal,
): Promise<string> {
  if (!images.imds || !images.webhook) {
    throw new RunError('AWS emulation was asked for, but images.json records no imdsEmulator/podIdentityWebhook image', {
      fix: 'bash scripts/images.sh build',
    });
  }
  const certificate = emulation.irsa ? await issueServingCertificate(webhookDnsNames()[0] ?? WEBHOOK_NAME, webhookDnsNames()) : undefined;
  const objects = emulationObjects(runId, emulation, { imds: images.imds, webhook: images.webhook }, certificate);
  await applyInNode(
    controlPlaneContainer,
    'AWS emulation objects',
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
    [],
    signal,
  );
  const { kc, core } = clusterApi({ kubeconfig });
  const apps = makeApiClient(kc, AppsV1Api);
  await settle(
    'the metadata service on every node',
    async () => {
      const ds = await apps.readNamespacedDaemonSet({ name: IMDS_DAEMONSET, namespace: EMULATION_NAMESPACE });
      const want = ds.status?.desiredNumberScheduled ?? 0;
      const ready = ds.status?.numberReady ?? 0;
      return want > 0 && ready === want ? undefined : `${ready}/${want} imds pods ready`;
    },
    settleOptions(signal),
  );
  if (!emulation.irsa) return `imds (hop limit ${emulation.hopLimit}, IMDSv1 ${emulation.imdsV1 ? 'on' : 'off'})`;
  await settle(
    'the pod identity webhook to be Available',
    async () => deploymentNotAvailable(await apps.readNamespacedDeployment({ name: WEBHOOK_NAME, namespace: EMULATION_NAMESPACE })),
    settleOptions(signal),
  );
  await core.createNamespacedServiceAccount({
    namespace: EMULATION_NAMESPACE,
    body: {
      metadata: {
        name: CHECK_ACCOUNT,
        labels: { [K8S_CLUSTER_RUN_LABEL]: runId },
        annotations: { [IRSA_ROLE_ANNOTATION]: `arn:aws:iam::${EMULATED_ACCOUNT}:role/${CHECK_ACCOUNT}` },
      },
    },
  });
  await settle('the pod identity webhook to inject a role', () => injectionMissing(core), settleOptions(signal));
  return `imds (hop limit ${emulation.hopLimit}, IMDSv1 ${emulation.imdsV1 ? 'on' : 'off'}) + IRSA webhook`;
}

/** Why a dry-run Pod of the annotated ServiceAccount is admitted without AWS_ROLE_ARN, or undefined once it has it. */
async function injectionMissing(core: CoreV1Api): Promise<string | undefined> {
  const pod: V1Pod = {
    metadata: { name: CHECK_ACCOUNT, namespace: EMULATION_NAMESPACE },
    spec: { serviceAccountName: CHECK_ACCOUNT, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10.1' }] },
  };
  const admitted = await core.createNamespacedPod({ namespace: EMULATION_NAMESPACE, body: pod, dryRun: 'All' });
  const env = admitted.spec?.containers[0]?.env ?? [];
  return env.some((e) => e.name === 'AWS_ROLE_ARN') ? undefined : 'admitted without AWS_ROLE_ARN';
}

const settleOptions = (signal: AbortSignal | undefined): SettleOptions => ({
  component: 'AWS emulation',
  timeoutMs: READY_TIMEOUT_MS,
  fix: `kubectl -n ${EMULATION_NAMESPACE} get pods,events; are images.json imdsEmulator/podIdentityWebhook in the node image? (bash scripts/images.sh build)`,
  signal,
});
