// Which typed list of ClusterState a Kubernetes object belongs to, by API group and kind.
// CRD groups match any version (Istio and Argo serve several); built-in kinds match their group only.
import { apiGroup } from './normalizeObject.ts';

export type KubernetesTarget =
  | 'namespaces' | 'pods' | 'deployments' | 'services' | 'networkPolicies' | 'serviceAccounts' | 'nodes' | 'cronJobs'
  | 'configMaps' | 'secrets'
  | 'peerAuthentications' | 'destinationRules' | 'rollouts' | 'analysisTemplates'
  | 'kubeadmClusterConfiguration' | 'kubeProxyConfiguration' | 'kubeconfig'
  | 'unknown';

const BY_GROUP_KIND: Record<string, KubernetesTarget> = {
  '/Namespace': 'namespaces',
  '/Pod': 'pods',
  '/Service': 'services',
  '/ServiceAccount': 'serviceAccounts',
  '/Node': 'nodes',
  '/ConfigMap': 'configMaps',
  '/Secret': 'secrets',
  // A kubeconfig file (`apiVersion: v1, kind: Config`): only the server URL is kept.
  '/Config': 'kubeconfig',
  'apps/Deployment': 'deployments',
  'networking.k8s.io/NetworkPolicy': 'networkPolicies',
  'batch/CronJob': 'cronJobs',
  'security.istio.io/PeerAuthentication': 'peerAuthentications',
  'networking.istio.io/DestinationRule': 'destinationRules',
  'argoproj.io/Rollout': 'rollouts',
  'argoproj.io/AnalysisTemplate': 'analysisTemplates',
  'argoproj.io/ClusterAnalysisTemplate': 'analysisTemplates',
  'kubeadm.k8s.io/ClusterConfiguration': 'kubeadmClusterConfiguration',
  'kubeproxy.config.k8s.io/KubeProxyConfiguration': 'kubeProxyConfiguration',
};

export function classifyKubernetes(apiVersion: string, kind: string): KubernetesTarget {
  return BY_GROUP_KIND[`${apiGroup(apiVersion)}/${kind}`] ?? 'unknown';
}

/** Kinds without a namespace; everything else we type is namespaced. */
export const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'ClusterAnalysisTemplate', 'ClusterConfiguration', 'KubeProxyConfiguration', 'Config']);
