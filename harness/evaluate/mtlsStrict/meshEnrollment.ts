// Whether a namespace's and a workload's traffic goes through the mesh at all. Without a sidecar (or the
// ambient ztunnel) there is no mTLS, whatever PeerAuthentication says.
//   namespace: `istio-injection=enabled`, or `istio.io/rev=<rev>` (revisioned injection) → sidecar;
//              `istio.io/dataplane-mode=ambient` → ambient; `istio-injection=disabled` wins over a revision.
//   workload:  label or annotation `sidecar.istio.io/inject: "false"` opts out of sidecar injection (the label
//              takes precedence, as in Istio); `istio.io/dataplane-mode: none` opts out of ambient;
//              `sidecar.istio.io/inject: "true"` opts a pod in even where the namespace is not labelled.

type Enrollment = 'sidecar' | 'ambient' | 'none';

export function namespaceEnrollment(labels: Record<string, string>): Enrollment {
  if (labels['istio-injection'] === 'disabled') return labels['istio.io/dataplane-mode'] === 'ambient' ? 'ambient' : 'none';
  if (labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined) return 'sidecar';
  if (labels['istio.io/dataplane-mode'] === 'ambient') return 'ambient';
  return 'none';
}

/** The workload's own injection setting: label first, then annotation. */
function injectSetting(labels: Record<string, string>, annotations: Record<string, string>): 'true' | 'false' | undefined {
  const v = labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
  return v === 'true' || v === 'false' ? v : undefined;
}

export interface Dataplane {
  dataplane: Enrollment;
  /** Why, in Istio's terms (which label or annotation decided). */
  reason: string;
}

/**
 * Which dataplane serves one workload. Sidecar injection follows the default MutatingWebhookConfiguration of
 * istio.io/istio manifests/charts/istio-control/istio-discovery (namespace `istio-injection=enabled`, or
 * `istio.io/rev` without `istio-injection`; in a namespace with neither, only the pod *label*
 * `sidecar.istio.io/inject=true` or `istio.io/rev` reaches the webhook) and pkg/kube/inject/inject.go
 * injectRequired (the `sidecar.istio.io/inject` label wins over the annotation; "false" skips injection).
 * A running pod's containers are the final word. Ambient: `istio.io/dataplane-mode=ambient` on the pod or its
 * namespace, `none` on the pod opts out; ztunnel skips pods that have a sidecar.
 */
export function dataplaneOf(
  nsLabels: Record<string, string>,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  hasSidecar?: boolean,
): Dataplane {
  const sidecar = sidecarInjection(nsLabels, labels, annotations);
  if (hasSidecar === true) return { dataplane: 'sidecar', reason: 'running pod has an istio-proxy container' };
  if (hasSidecar === undefined && sidecar.injected) return { dataplane: 'sidecar', reason: sidecar.reason };
  const podMode = labels['istio.io/dataplane-mode'];
  if (podMode === 'none')
    return {
      dataplane: 'none',
      reason: `${hasSidecar === false ? 'running pod has no istio-proxy container; ' : ''}istio.io/dataplane-mode: none on the workload`,
    };
  if (podMode === 'ambient') return { dataplane: 'ambient', reason: 'istio.io/dataplane-mode: ambient on the workload' };
  if (nsLabels['istio.io/dataplane-mode'] === 'ambient')
    return { dataplane: 'ambient', reason: 'istio.io/dataplane-mode: ambient on the namespace' };
  if (hasSidecar === false) return { dataplane: 'none', reason: `running pod has no istio-proxy container (${sidecar.reason})` };
  return { dataplane: 'none', reason: sidecar.reason };
}

function sidecarInjection(
  nsLabels: Record<string, string>,
  labels: Record<string, string>,
  annotations: Record<string, string>,
): { injected: boolean; reason: string } {
  const setting = injectSetting(labels, annotations);
  const from = labels['sidecar.istio.io/inject'] !== undefined ? 'label' : 'annotation';
  const nsInjection = nsLabels['istio-injection'];
  const nsRev = nsLabels['istio.io/rev'];
  if (nsInjection === 'disabled') return { injected: false, reason: 'namespace istio-injection=disabled' };
  if (nsInjection === 'enabled' || (nsInjection === undefined && nsRev !== undefined)) {
    const by = nsInjection === 'enabled' ? 'namespace istio-injection=enabled' : `namespace istio.io/rev=${nsRev}`;
    return setting === 'false'
      ? { injected: false, reason: `sidecar.istio.io/inject: "false" ${from} (over ${by})` }
      : { injected: true, reason: by };
  }
  if (nsInjection !== undefined) return { injected: false, reason: `namespace istio-injection=${nsInjection} (only "enabled" injects)` };
  if (setting === 'false') return { injected: false, reason: `sidecar.istio.io/inject: "false" ${from}` };
  if (labels['sidecar.istio.io/inject'] === 'true') return { injected: true, reason: 'sidecar.istio.io/inject=true label' };
  if (labels['istio.io/rev'] !== undefined)
    return { injected: true, reason: `istio.io/rev=${labels['istio.io/rev']} label on the workload` };
  const hint = annotations['sidecar.istio.io/inject'] === 'true' ? '; the inject annotation alone does not reach the webhook' : '';
  return { injected: false, reason: `namespace has no istio-injection or istio.io/rev label${hint}` };
}
