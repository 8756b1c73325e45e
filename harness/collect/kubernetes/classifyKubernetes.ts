// Which typed list of ClusterState a Kubernetes object belongs to, by API group, version and kind.
// Built-in kinds count only at a version a current API server serves (a `networking.k8s.io/v2` NetworkPolicy or an
// `extensions/v1beta1` one would be refused by `kubectl apply`, so it protects nothing); CRD groups (Istio, Argo)
// match any version, as they serve several. Anything else is kept as unknown, with a warning where it looks wrong.
import { apiGroup } from './normalizeObject.ts';

type KubernetesTarget =
  | 'namespaces'
  | 'pods'
  | 'deployments'
  | 'statefulSets'
  | 'daemonSets'
  | 'replicaSets'
  | 'replicationControllers'
  | 'jobs'
  | 'services'
  | 'networkPolicies'
  | 'serviceAccounts'
  | 'nodes'
  | 'cronJobs'
  | 'configMaps'
  | 'secrets'
  | 'peerAuthentications'
  | 'destinationRules'
  | 'rollouts'
  | 'analysisTemplates'
  | 'kubeadmClusterConfiguration'
  | 'kubeadmInitConfiguration'
  | 'kindCluster'
  | 'kubeProxyConfiguration'
  | 'kubeconfig'
  | 'unknown';

const BY_GROUP_KIND: Record<string, KubernetesTarget> = {
  '/Namespace': 'namespaces',
  '/Pod': 'pods',
  '/ReplicationController': 'replicationControllers',
  '/Service': 'services',
  '/ServiceAccount': 'serviceAccounts',
  '/Node': 'nodes',
  '/ConfigMap': 'configMaps',
  '/Secret': 'secrets',
  // A kubeconfig file (`apiVersion: v1, kind: Config`): only the server URL is kept.
  '/Config': 'kubeconfig',
  'apps/Deployment': 'deployments',
  'apps/StatefulSet': 'statefulSets',
  'apps/DaemonSet': 'daemonSets',
  'apps/ReplicaSet': 'replicaSets',
  'batch/Job': 'jobs',
  'batch/CronJob': 'cronJobs',
  'networking.k8s.io/NetworkPolicy': 'networkPolicies',
  'security.istio.io/PeerAuthentication': 'peerAuthentications',
  'networking.istio.io/DestinationRule': 'destinationRules',
  'argoproj.io/Rollout': 'rollouts',
  'argoproj.io/AnalysisTemplate': 'analysisTemplates',
  'argoproj.io/ClusterAnalysisTemplate': 'analysisTemplates',
  'kubeadm.k8s.io/ClusterConfiguration': 'kubeadmClusterConfiguration',
  'kubeadm.k8s.io/InitConfiguration': 'kubeadmInitConfiguration',
  'kind.x-k8s.io/Cluster': 'kindCluster',
  'kubeproxy.config.k8s.io/KubeProxyConfiguration': 'kubeProxyConfiguration',
};

/**
 * Built-in API groups of Kubernetes 1.34: the versions served for the kinds people write in manifests, and those
 * kinds. A kind listed here that no evaluator types is read into the inventory without a warning.
 */
const BUILT_IN: Record<string, { versions: readonly string[]; kinds: readonly string[] }> = {
  '': {
    versions: ['v1'],
    kinds: [
      'Binding',
      'ComponentStatus',
      'ConfigMap',
      'Endpoints',
      'Event',
      'LimitRange',
      'Namespace',
      'Node',
      'PersistentVolume',
      'PersistentVolumeClaim',
      'Pod',
      'PodTemplate',
      'ReplicationController',
      'ResourceQuota',
      'Secret',
      'Service',
      'ServiceAccount',
      'Config',
    ],
  },
  apps: { versions: ['v1'], kinds: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'] },
  batch: { versions: ['v1'], kinds: ['CronJob', 'Job'] },
  'networking.k8s.io': { versions: ['v1'], kinds: ['Ingress', 'IngressClass', 'NetworkPolicy', 'IPAddress', 'ServiceCIDR'] },
  policy: { versions: ['v1'], kinds: ['PodDisruptionBudget', 'Eviction'] },
  autoscaling: { versions: ['v1', 'v2'], kinds: ['HorizontalPodAutoscaler'] },
  'rbac.authorization.k8s.io': { versions: ['v1'], kinds: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'] },
  'storage.k8s.io': {
    versions: ['v1'],
    kinds: ['CSIDriver', 'CSINode', 'CSIStorageCapacity', 'StorageClass', 'VolumeAttachment', 'VolumeAttributesClass'],
  },
  'admissionregistration.k8s.io': {
    versions: ['v1'],
    kinds: [
      'MutatingWebhookConfiguration',
      'ValidatingWebhookConfiguration',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ],
  },
  'apiextensions.k8s.io': { versions: ['v1'], kinds: ['CustomResourceDefinition'] },
  'apiregistration.k8s.io': { versions: ['v1'], kinds: ['APIService'] },
  'scheduling.k8s.io': { versions: ['v1'], kinds: ['PriorityClass'] },
  'coordination.k8s.io': { versions: ['v1'], kinds: ['Lease'] },
  'certificates.k8s.io': { versions: ['v1'], kinds: ['CertificateSigningRequest'] },
  'node.k8s.io': { versions: ['v1'], kinds: ['RuntimeClass'] },
  'discovery.k8s.io': { versions: ['v1'], kinds: ['EndpointSlice'] },
  'events.k8s.io': { versions: ['v1'], kinds: ['Event'] },
  'flowcontrol.apiserver.k8s.io': { versions: ['v1'], kinds: ['FlowSchema', 'PriorityLevelConfiguration'] },
  'resource.k8s.io': { versions: ['v1'], kinds: ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'] },
  // Removed API groups: everything in them is refused by current servers.
  extensions: { versions: [], kinds: [] },
};

export function classifyKubernetes(apiVersion: string, kind: string): KubernetesTarget {
  const group = apiGroup(apiVersion);
  const builtIn = BUILT_IN[group];
  if (builtIn && !builtIn.versions.includes(apiVersion.slice(group ? group.length + 1 : 0))) return 'unknown';
  return BY_GROUP_KIND[`${group}/${kind}`] ?? 'unknown';
}

/** Why an object the classifier did not type deserves a warning, and the fix; undefined for CRDs and known kinds. */
export function unknownKindWarning(apiVersion: string, kind: string): { message: string; fix: string } | undefined {
  const group = apiGroup(apiVersion);
  const version = apiVersion.slice(group ? group.length + 1 : 0);
  const builtIn = BUILT_IN[group];
  const known = Object.keys(BY_GROUP_KIND).map((k) => k.slice(k.indexOf('/') + 1));
  const servedIn = (k: string): string | undefined => {
    for (const [g, v] of Object.entries(BUILT_IN)) if (v.kinds.includes(k)) return g ? `${g}/${v.versions[0]}` : (v.versions[0] as string);
    return undefined;
  };
  const caseTwin = [...known, ...Object.values(BUILT_IN).flatMap((v) => v.kinds)].find(
    (k) => k !== kind && k.toLowerCase() === kind.toLowerCase(),
  );
  if (caseTwin)
    return {
      message: `unknown kind "${kind}" (apiVersion ${apiVersion}): Kubernetes kinds are case-sensitive`,
      fix: `write kind: ${caseTwin}`,
    };
  if (builtIn && !builtIn.versions.includes(version)) {
    const served = servedIn(kind);
    return {
      message: `${kind} at apiVersion ${apiVersion} is not served by Kubernetes 1.34 (kubectl apply refuses it), so it is not evaluated`,
      fix: served ? `write apiVersion: ${served}` : 'use an apiVersion the cluster serves (kubectl api-resources)',
    };
  }
  if (builtIn && !builtIn.kinds.includes(kind) && !(`${group}/${kind}` in BY_GROUP_KIND)) {
    const served = servedIn(kind);
    return {
      message: `unknown kind "${kind}" in the built-in API group ${apiVersion}`,
      fix: served ? `write apiVersion: ${served}` : 'check the kind and apiVersion against `kubectl api-resources`',
    };
  }
  return undefined;
}

/**
 * Kinds known to live in a namespace: typed and built-in kinds not in CLUSTER_SCOPED. A custom resource's scope is
 * in its CRD, which the inputs rarely hold, so it is left as written.
 */
export function knownNamespaced(apiVersion: string, kind: string): boolean {
  const group = apiGroup(apiVersion);
  if (CLUSTER_SCOPED.has(kind) || group === 'kind.x-k8s.io') return false;
  return `${group}/${kind}` in BY_GROUP_KIND || (BUILT_IN[group]?.kinds.includes(kind) ?? false);
}

/** Kinds without a namespace; everything else we type is namespaced. */
export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'ClusterAnalysisTemplate',
  'ClusterConfiguration',
  'KubeProxyConfiguration',
  'Config',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'CustomResourceDefinition',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'CertificateSigningRequest',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ComponentStatus',
  'DeviceClass',
  'ResourceSlice',
  'IPAddress',
  'ServiceCIDR',
  'VolumeAttributesClass',
  'InitConfiguration',
  'JoinConfiguration',
  'KubeletConfiguration',
]);
