// What the live collector lists: the kinds ClusterState types, cluster-wide (the `-A` of kubectl get).
interface BuiltInResource {
  path: string;
  apiVersion: string;
  kind: string;
  /** Older servers serve the kind only at an earlier version (CronJob: batch/v1beta1 before 1.21). */
  fallback?: { path: string; apiVersion: string };
}

export const BUILT_IN: readonly BuiltInResource[] = [
  { path: '/api/v1/namespaces', apiVersion: 'v1', kind: 'Namespace' },
  { path: '/api/v1/pods', apiVersion: 'v1', kind: 'Pod' },
  { path: '/api/v1/services', apiVersion: 'v1', kind: 'Service' },
  { path: '/api/v1/serviceaccounts', apiVersion: 'v1', kind: 'ServiceAccount' },
  { path: '/api/v1/nodes', apiVersion: 'v1', kind: 'Node' },
  { path: '/api/v1/configmaps', apiVersion: 'v1', kind: 'ConfigMap' },
  // Read whole (kubectl shows `type`), redacted by the StateBuilder before anything is kept.
  { path: '/api/v1/secrets', apiVersion: 'v1', kind: 'Secret' },
  { path: '/apis/apps/v1/deployments', apiVersion: 'apps/v1', kind: 'Deployment' },
  { path: '/apis/apps/v1/statefulsets', apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { path: '/apis/apps/v1/daemonsets', apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { path: '/apis/apps/v1/replicasets', apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { path: '/api/v1/replicationcontrollers', apiVersion: 'v1', kind: 'ReplicationController' },
  { path: '/apis/batch/v1/jobs', apiVersion: 'batch/v1', kind: 'Job' },
  { path: '/apis/networking.k8s.io/v1/networkpolicies', apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  {
    path: '/apis/batch/v1/cronjobs',
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    fallback: { path: '/apis/batch/v1beta1/cronjobs', apiVersion: 'batch/v1beta1' },
  },
];

export interface CustomResource {
  group: string;
  plural: string;
  kind: string;
}

/** CRDs read when installed; a missing group is an empty list, not an error. */
export const CUSTOM: readonly CustomResource[] = [
  { group: 'security.istio.io', plural: 'peerauthentications', kind: 'PeerAuthentication' },
  { group: 'networking.istio.io', plural: 'destinationrules', kind: 'DestinationRule' },
  { group: 'argoproj.io', plural: 'rollouts', kind: 'Rollout' },
  { group: 'argoproj.io', plural: 'analysistemplates', kind: 'AnalysisTemplate' },
  { group: 'argoproj.io', plural: 'clusteranalysistemplates', kind: 'ClusterAnalysisTemplate' },
];

/** The `kubectl get` resource list that yields the same objects (used by the live comparison test and docs). */
export const KUBECTL_RESOURCES =
  'namespaces,pods,services,serviceaccounts,nodes,configmaps,secrets,deployments.apps,statefulsets.apps,daemonsets.apps,replicasets.apps,replicationcontrollers,jobs.batch,networkpolicies.networking.k8s.io,cronjobs.batch';
