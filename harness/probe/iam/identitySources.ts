// Where a pod could get an AWS identity on this cluster, decided from the cluster itself before any probe runs:
// EC2 nodes (providerID aws://) or clusterproof's AWS emulation (its metadata DaemonSet) mean a metadata service at
// 169.254.169.254; a pod identity webhook (EKS's, or the emulation's) means IRSA. With none of them the IAM live
// layers are not-applicable and no metadata address is contacted.
import { AdmissionregistrationV1Api, AppsV1Api } from '@kubernetes/client-node';
import { makeApiClient } from '../../kubernetes/apiClient.ts';
import { clusterApi } from '../../kubernetes/clusterApi.ts';
import { EMULATION_LABEL } from '../../model/awsIdentity.ts';
import type { Evidence } from '../../model/findings.ts';
import type { LiveCheckInput } from '../../model/liveCheck.ts';

export interface IdentitySources {
  /** Node providerID schemes seen (aws, kind, …). */
  providerSchemes: string[];
  /** A metadata service pods may meet: `ec2` nodes, the emulation's, or none. */
  metadataService: 'ec2' | 'emulated' | undefined;
  /** The MutatingWebhookConfiguration that injects IRSA, when one is installed. */
  irsaWebhook: string | undefined;
  /** Emulated nodes: what the metadata service says of itself (settings, whether the hop limit is emulated). */
  emulation?: string;
}

export async function identitySources(input: LiveCheckInput): Promise<IdentitySources> {
  const providerSchemes = [...new Set(input.state.kubernetes.nodes.map((n) => (n.spec?.providerID ?? '').split('://')[0] || '(none)'))];
  const { kc } = clusterApi(input.run);
  const emulated = await makeApiClient(kc, AppsV1Api).listDaemonSetForAllNamespaces({ labelSelector: `${EMULATION_LABEL}=imds` });
  const webhooks = await makeApiClient(kc, AdmissionregistrationV1Api).listMutatingWebhookConfiguration();
  const irsa = webhooks.items.find((w) =>
    (w.webhooks ?? []).some((h) => h.name.startsWith('pod-identity-webhook') || h.clientConfig.service?.name === 'pod-identity-webhook'),
  );
  const metadataService = providerSchemes.includes('aws') ? 'ec2' : emulated.items.length > 0 ? 'emulated' : undefined;
  const emulation = metadataService === 'emulated' ? await emulationStatus(input, emulated.items[0]?.metadata?.namespace ?? '') : undefined;
  return { providerSchemes, metadataService, irsaWebhook: irsa?.metadata?.name, ...(emulation ? { emulation } : {}) };
}

/** The `emulate-imds:` line an emulated metadata service logs first (images/imds-emulator/emulate-imds). */
async function emulationStatus(input: LiveCheckInput, namespace: string): Promise<string> {
  const { core } = clusterApi(input.run);
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `${EMULATION_LABEL}=imds` });
  const name = pods.items[0]?.metadata?.name;
  if (!name) return 'no metadata pod found';
  const log = String(await core.readNamespacedPodLog({ name, namespace, limitBytes: 4096 }).catch(() => ''));
  return log.split('\n').find((l) => l.startsWith('emulate-imds:')) ?? 'the metadata pod did not say how it runs';
}

export function sourcesEvidence(s: IdentitySources): Evidence {
  return {
    type: 'observation',
    what: 'AWS identity sources on this cluster',
    observed: {
      nodeProviders: s.providerSchemes,
      metadataService: s.metadataService ?? 'none (nodes are not EC2 and no AWS emulation is installed)',
      irsaWebhook: s.irsaWebhook ?? 'none',
      ...(s.emulation ? { emulation: s.emulation } : {}),
    },
  };
}
