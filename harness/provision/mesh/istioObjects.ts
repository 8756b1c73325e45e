// What `up --mesh istio` puts into a kind cluster and how it checks the result, as plain data (installIstio.ts does
// the I/O). The install is scripts/images.sh's rendering of the istio.io/istio module's own Helm charts (images.json
// `istioManifest`); each object gets the cluster-run label here, at apply time, since the rendering is cached
// across runs. The data plane is proxyless gRPC: the `grpc-agent` injection template (pilot-agent without Envoy).
import type { V1Namespace, V1Pod } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { RunError } from '../../errors.ts';
import { K8S_CLUSTER_RUN_LABEL } from '../../kubernetes/runLabels.ts';
import { GRPC_AGENT_TEMPLATE, INJECT_TEMPLATES_ANNOTATION, INJECTION_LABEL, ISTIO_PROXY_CONTAINER } from '../../model/istio.ts';

export const ISTIO_NAMESPACE = 'istio-system';
export const ISTIOD_DEPLOYMENT = 'istiod';
/** A namespace that lives only while `up` checks that the injector answers. */
export const INJECTION_CHECK_NAMESPACE = 'clusterproof-mesh-check';

interface ManifestObject {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
}

/** The rendered install as one `List`, every object labelled with the run that made the cluster. */
export function labelledInstall(text: string, file: string, runId: string): { kind: 'List'; apiVersion: 'v1'; items: ManifestObject[] } {
  const items: ManifestObject[] = [];
  for (const [index, doc] of parseAllDocuments(text).entries()) {
    if (doc.errors.length > 0) {
      throw new RunError(`${file}: document ${index + 1} is not valid YAML: ${doc.errors[0]?.message ?? ''}`, {
        fix: `delete ${file} and rerun bash scripts/images.sh build (it renders the Istio charts again)`,
      });
    }
    const value = doc.toJS() as ManifestObject | null;
    if (value === null || typeof value !== 'object') continue; // empty documents between `---`
    items.push({ ...value, metadata: { ...value.metadata, labels: { ...value.metadata?.labels, [K8S_CLUSTER_RUN_LABEL]: runId } } });
  }
  if (!items.some((o) => o.kind === 'Deployment' && o.metadata?.name === ISTIOD_DEPLOYMENT)) {
    throw new RunError(`${file} has no istiod Deployment`, {
      fix: `delete ${file} and rerun bash scripts/images.sh build (it renders the Istio charts again)`,
    });
  }
  return { kind: 'List', apiVersion: 'v1', items };
}

export function injectionCheckNamespace(runId: string): V1Namespace {
  return { metadata: { name: INJECTION_CHECK_NAMESPACE, labels: { [INJECTION_LABEL]: 'enabled', [K8S_CLUSTER_RUN_LABEL]: runId } } };
}

/** A Pod asking for the grpc-agent template, created with dryRun=All: the webhook answers, nothing runs. */
export function injectionCheckPod(image: string): V1Pod {
  return {
    metadata: {
      name: 'injection-check',
      namespace: INJECTION_CHECK_NAMESPACE,
      annotations: { [INJECT_TEMPLATES_ANNOTATION]: GRPC_AGENT_TEMPLATE },
    },
    spec: { containers: [{ name: 'app', image }] },
  };
}

/** Why the admitted Pod shows no proxyless agent (pilot-agent from `proxyImage`, Envoy disabled), or undefined. */
export function injectionMissing(admitted: V1Pod, proxyImage: string | undefined): string | undefined {
  const agent = admitted.spec?.containers.find((c) => c.name === ISTIO_PROXY_CONTAINER);
  if (!agent)
    return `admitted without an ${ISTIO_PROXY_CONTAINER} container (containers: ${admitted.spec?.containers.map((c) => c.name).join(', ')})`;
  if (proxyImage !== undefined && agent.image !== proxyImage) return `${ISTIO_PROXY_CONTAINER} runs ${agent.image}, not ${proxyImage}`;
  if (!agent.env?.some((e) => e.name === 'DISABLE_ENVOY' && e.value === 'true'))
    return `${ISTIO_PROXY_CONTAINER} was injected without DISABLE_ENVOY=true: not the ${GRPC_AGENT_TEMPLATE} template`;
  return undefined;
}
