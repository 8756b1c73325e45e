// Whether a namespace's and a workload's traffic goes through the mesh at all. Without a sidecar (or the
// ambient ztunnel) there is no mTLS, whatever PeerAuthentication says.
//   namespace: `istio-injection=enabled`, or `istio.io/rev=<rev>` (revisioned injection) → sidecar;
//              `istio.io/dataplane-mode=ambient` → ambient; `istio-injection=disabled` wins over a revision.
//   workload:  label or annotation `sidecar.istio.io/inject: "false"` opts out of sidecar injection (the label
//              takes precedence, as in Istio); `istio.io/dataplane-mode: none` opts out of ambient;
//              `sidecar.istio.io/inject: "true"` opts a pod in even where the namespace is not labelled.

export type Enrollment = 'sidecar' | 'ambient' | 'none';

export function namespaceEnrollment(labels: Record<string, string>): Enrollment {
  if (labels['istio-injection'] === 'disabled') return labels['istio.io/dataplane-mode'] === 'ambient' ? 'ambient' : 'none';
  if (labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined) return 'sidecar';
  if (labels['istio.io/dataplane-mode'] === 'ambient') return 'ambient';
  return 'none';
}

/** The workload's own injection setting: label first, then annotation. */
export function injectSetting(labels: Record<string, string>, annotations: Record<string, string>): 'true' | 'false' | undefined {
  const v = labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
  return v === 'true' || v === 'false' ? v : undefined;
}

export function optsOut(enrollment: Enrollment, labels: Record<string, string>, annotations: Record<string, string>): string | undefined {
  if (enrollment === 'sidecar' && injectSetting(labels, annotations) === 'false') return 'sidecar.istio.io/inject: "false"';
  if (enrollment === 'ambient' && labels['istio.io/dataplane-mode'] === 'none') return 'istio.io/dataplane-mode: none';
  return undefined;
}
