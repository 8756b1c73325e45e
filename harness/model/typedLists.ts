// The typed lists of a ClusterState with each list's API group, kind and served version: one table for everything
// that walks every object (the inventory, teardown-clean), so a kind added to the state is added here once.
import type { ClusterState } from './state.ts';

export interface TypedList {
  group: string;
  /** The kind's served version, for objects read without an apiVersion (live list items). */
  version: string;
  kind: string;
  objects: readonly { apiVersion?: string; kind?: string; metadata?: object }[];
}

export function typedLists(state: ClusterState): TypedList[] {
  const k = state.kubernetes;
  const list = (group: string, version: string, kind: string, objects: TypedList['objects']): TypedList => ({
    group,
    version,
    kind,
    objects,
  });
  const templates = k.argo.analysisTemplates;
  return [
    list('', 'v1', 'Namespace', k.namespaces),
    list('', 'v1', 'Node', k.nodes),
    list('', 'v1', 'Pod', k.pods),
    list('apps', 'v1', 'Deployment', k.deployments),
    list('apps', 'v1', 'StatefulSet', k.statefulSets),
    list('apps', 'v1', 'DaemonSet', k.daemonSets),
    list('apps', 'v1', 'ReplicaSet', k.replicaSets),
    list('', 'v1', 'ReplicationController', k.replicationControllers),
    list('batch', 'v1', 'Job', k.jobs),
    list('batch', 'v1', 'CronJob', k.cronJobs),
    list('', 'v1', 'Service', k.services),
    list('networking.k8s.io', 'v1', 'NetworkPolicy', k.networkPolicies),
    list('', 'v1', 'ServiceAccount', k.serviceAccounts),
    list('', 'v1', 'ConfigMap', k.configMaps),
    list('', 'v1', 'Secret', k.secrets),
    list('security.istio.io', 'v1', 'PeerAuthentication', k.istio.peerAuthentications),
    list('networking.istio.io', 'v1', 'DestinationRule', k.istio.destinationRules),
    list('argoproj.io', 'v1alpha1', 'Rollout', k.argo.rollouts),
    list(
      'argoproj.io',
      'v1alpha1',
      'AnalysisTemplate',
      templates.filter((t) => t.kind === 'AnalysisTemplate'),
    ),
    list(
      'argoproj.io',
      'v1alpha1',
      'ClusterAnalysisTemplate',
      templates.filter((t) => t.kind !== 'AnalysisTemplate'),
    ),
  ];
}
