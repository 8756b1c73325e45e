// Which Kubernetes objects teardown-clean does not ask to carry the ownership label: those Kubernetes itself (or a
// controller acting for an owned object) creates and removes. Everything else in the inputs — of any kind, typed by
// clusterproof or not (an Istio Gateway, a cert-manager Certificate, a ClusterRole, a CRD) — was created by the
// cluster's owner and must carry the label, or teardown cannot find it.

export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/** What is skipped, by the reason the evidence reports. */
const SYSTEM_MADE = {
  'system-namespace': 'objects in kube-system, kube-public, kube-node-lease',
  owned:
    'objects with ownerReferences (ReplicaSets, Pods, Jobs, EndpointSlices, CertificateRequests…): garbage-collected with their owner, which is checked',
  event: 'Events (core and events.k8s.io): written by components, expire after an hour',
  lease: 'coordination.k8s.io Leases: leader-election and heartbeat records of running components',
  csr: "CertificateSigningRequests: kubelets' bootstrap and serving certificates, garbage-collected",
  'controller-endpoints':
    'Endpoints labelled endpoints.kubernetes.io/managed-by, or named after a Service with a selector (the endpoints controller writes them); ' +
    'EndpointSlices labelled endpointslice.kubernetes.io/managed-by',
  'api-default': 'Service default/kubernetes, ServiceCIDR `kubernetes`, IPAddresses labelled ipaddress.kubernetes.io/managed-by',
  'namespace-default':
    "each namespace's `default` ServiceAccount and the `kube-root-ca.crt` / `istio-ca-root-cert` ConfigMaps copied into every namespace",
  'generated-secret':
    'service-account token Secrets (belong to their ServiceAccount) and Helm release records (removed by `helm uninstall`)',
  'bootstrap-default':
    'RBAC defaults (label kubernetes.io/bootstrapping=rbac-defaults, or a `system:` name), built-in APIServices (label ' +
    'kube-aggregator.kubernetes.io/automanaged), API Priority and Fairness defaults (annotation apf.kubernetes.io/autoupdate-spec), `system-` PriorityClasses',
  'provisioned-volume': 'PersistentVolumes a provisioner made for a claim (annotation pv.kubernetes.io/provisioned-by)',
} as const;

export type SystemMadeReason = keyof typeof SYSTEM_MADE;

/** The rule in one sentence, for finding messages and the rule evidence. */
export const OWNERSHIP_RULE =
  'every Kubernetes object in the inputs, of any kind, outside kube-system, kube-public and kube-node-lease, except what ' +
  'Kubernetes makes and removes itself (objects with ownerReferences, Events, Leases, CSRs, controller-managed Endpoints/EndpointSlices, ' +
  "each namespace's default ServiceAccount and CA ConfigMaps, token and Helm release Secrets, RBAC/APIService/APF/PriorityClass " +
  'defaults, dynamically provisioned PersistentVolumes)';

/** The same rule, short enough for a finding message (the full one goes in the rule evidence). */
export const OWNERSHIP_RULE_SHORT =
  'every object in the inputs outside kube-system, kube-public and kube-node-lease, of any kind (custom resources included), ' +
  'except what Kubernetes makes itself (owned objects, Events, Leases, controller Endpoints, defaults)';

export interface KubeMeta {
  /** API group: `` for core, `apps`, `networking.istio.io`, … */
  group: string;
  kind: string;
  name: string;
  namespace?: string;
  labels: Readonly<Record<string, string>>;
  annotationKeys: readonly string[];
  owned: boolean;
  /** Secrets only: `type`. */
  secretType?: string;
}

export interface SystemContext {
  /** `namespace/name` of every Service with a selector: the endpoints controller writes an Endpoints of that name. */
  selectorServices: ReadonlySet<string>;
}

/** Why Kubernetes made this object itself, or undefined when the cluster's owner made it. */
export function systemMadeReason(o: KubeMeta, ctx: SystemContext): SystemMadeReason | undefined {
  const { group, kind, name, namespace } = o;
  if (namespace !== undefined && SYSTEM_NAMESPACES.has(namespace)) return 'system-namespace';
  if (o.owned) return 'owned';
  if (kind === 'Event' && (group === '' || group === 'events.k8s.io')) return 'event';
  if (kind === 'Lease' && group === 'coordination.k8s.io') return 'lease';
  if (kind === 'CertificateSigningRequest' && group === 'certificates.k8s.io') return 'csr';
  if (
    kind === 'Endpoints' &&
    group === '' &&
    ('endpoints.kubernetes.io/managed-by' in o.labels || ctx.selectorServices.has(`${namespace ?? 'default'}/${name}`))
  )
    return 'controller-endpoints';
  if (kind === 'EndpointSlice' && group === 'discovery.k8s.io' && 'endpointslice.kubernetes.io/managed-by' in o.labels)
    return 'controller-endpoints';
  if (kind === 'Service' && group === '' && (namespace ?? 'default') === 'default' && name === 'kubernetes') return 'api-default';
  if (
    group === 'networking.k8s.io' &&
    ((kind === 'ServiceCIDR' && name === 'kubernetes') || (kind === 'IPAddress' && 'ipaddress.kubernetes.io/managed-by' in o.labels))
  )
    return 'api-default';
  if (
    group === '' &&
    ((kind === 'ServiceAccount' && name === 'default') ||
      (kind === 'ConfigMap' && (name === 'kube-root-ca.crt' || name === 'istio-ca-root-cert')))
  )
    return 'namespace-default';
  if (
    kind === 'Secret' &&
    group === '' &&
    (o.secretType === 'kubernetes.io/service-account-token' || o.secretType === 'helm.sh/release.v1')
  )
    return 'generated-secret';
  if (group === 'rbac.authorization.k8s.io' && (o.labels['kubernetes.io/bootstrapping'] === 'rbac-defaults' || name.startsWith('system:')))
    return 'bootstrap-default';
  if (group === 'apiregistration.k8s.io' && kind === 'APIService' && 'kube-aggregator.kubernetes.io/automanaged' in o.labels)
    return 'bootstrap-default';
  if (group === 'flowcontrol.apiserver.k8s.io' && o.annotationKeys.includes('apf.kubernetes.io/autoupdate-spec'))
    return 'bootstrap-default';
  if (group === 'scheduling.k8s.io' && kind === 'PriorityClass' && name.startsWith('system-')) return 'bootstrap-default';
  if (group === '' && kind === 'PersistentVolume' && o.annotationKeys.includes('pv.kubernetes.io/provisioned-by'))
    return 'provisioned-volume';
  return undefined;
}

/** The group part of an apiVersion: `networking.istio.io/v1` → `networking.istio.io`, `v1` → `` (core). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
