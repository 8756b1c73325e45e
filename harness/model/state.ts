// ClusterState: everything `collect` gathered, from files, AWS CLI / terraform outputs or a live cluster.
// Kubernetes objects keep their API shape (client-node types) so evaluators read what kubectl shows;
// cloud objects are normalised from the several input formats into the small shapes below.
import type {
  V1ConfigMap,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1Namespace,
  V1NetworkPolicy,
  V1Node,
  V1Pod,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1ReplicationController,
  V1Service,
  V1ServiceAccount,
  V1Secret,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { SourceLocation } from './findings.ts';

export interface ClusterState {
  /** What the state was collected from; goes into the report's run manifest. */
  source: StateSource;
  kubernetes: KubernetesState;
  cloud: CloudState;
  /** `objectKey(kind, namespace, name)` → where the object was read. Used for SARIF and evidence. */
  origins: Record<string, SourceLocation>;
  /** Objects of kinds no evaluator reads: kept so nothing is silently dropped, never fatal. */
  unknown: UnknownObject[];
  /**
   * What the loader noticed but did not refuse: documents that are not Kubernetes objects, unknown kinds or API
   * versions, objects given a namespace they did not carry. Shown in every report; never counted as coverage.
   */
  warnings: InputWarning[];
  /**
   * Where pods' addresses lie, as given with the inputs (spec.cidrs.pods, `--pod-cidr`): a workload read from a
   * template has no address, and an ipBlock rule is judged against this range. Ranges the state itself holds
   * (kubeadm podSubnet, kube-proxy clusterCIDR) count too.
   */
  podCidrs?: string[];
}

export interface InputWarning {
  file: string;
  line?: number;
  column?: number;
  message: string;
  /** How to make the warning go away. */
  fix?: string;
}

/** A directory rendered by a tool before its objects were read (kustomize build, helm template). */
export interface RenderedSource {
  tool: 'kustomize' | 'helm';
  /** The directory as given (relative paths stay relative). */
  path: string;
  /** The tool's version as it reported it. */
  version: string;
  /** Helm: release name, namespace, values files and --set values (redacted); kustomize: nothing. */
  options?: Record<string, unknown>;
  objects: number;
}

export interface StateSource {
  type: 'files' | 'live' | 'bundle';
  inputs: { path: string; sha256: string }[];
  /** Directories rendered with kustomize or helm before reading (files under them are not read again). */
  rendered?: RenderedSource[];
  /** Live: the kubeconfig context and API server URL (never credentials). */
  context?: string;
  server?: string;
  collectedAt: string;
}

export interface UnknownObject {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  source?: SourceLocation;
  /** Kubernetes objects: labels (string values), kept so ownership-label checks cover kinds no evaluator types. */
  labels?: Record<string, string>;
  /** Kubernetes objects: owners; an owned object is created and garbage-collected with its owner. */
  ownerReferences?: { apiVersion?: string; kind: string; name: string }[];
  /** Kubernetes objects: annotation keys only (values may hold anything, a last-applied Secret included). */
  annotationKeys?: string[];
}

export interface KubernetesState {
  namespaces: V1Namespace[];
  pods: V1Pod[];
  deployments: V1Deployment[];
  statefulSets: V1StatefulSet[];
  daemonSets: V1DaemonSet[];
  replicaSets: V1ReplicaSet[];
  replicationControllers: V1ReplicationController[];
  jobs: V1Job[];
  services: V1Service[];
  networkPolicies: V1NetworkPolicy[];
  serviceAccounts: V1ServiceAccount[];
  nodes: V1Node[];
  cronJobs: V1CronJob[];
  configMaps: V1ConfigMap[];
  /** For evidence that a Secret exists and which keys it holds; every `data`/`stringData` value is redacted at load time. */
  secrets: V1Secret[];
  /** Pods in kube-system with `component` labels, static pod manifests, kubeadm and kube-proxy config. */
  controlPlane: ControlPlaneConfig;
  istio: { peerAuthentications: PeerAuthentication[]; destinationRules: DestinationRule[] };
  argo: { rollouts: Rollout[]; analysisTemplates: AnalysisTemplate[] };
  /** The kubeconfig cluster entry the state was read through (server URL only). */
  kubeconfig?: { server: string; context?: string; file?: string };
}

export interface ControlPlaneConfig {
  /** kubeadm ClusterConfiguration (from the kubeadm-config ConfigMap or a file), as parsed YAML. */
  kubeadm?: KubeadmClusterConfiguration;
  /** kubeadm InitConfiguration: the address this control-plane node's apiserver advertises (and binds, when unset). */
  kubeadmInit?: { localAPIEndpoint?: { advertiseAddress?: string; bindPort?: number } };
  /** A kind `Cluster` config: where kind publishes the API server on the host (default 127.0.0.1, a random port). */
  kindCluster?: { networking?: { apiServerAddress?: string; apiServerPort?: number } };
  /** kube-proxy configuration (kube-proxy ConfigMap `config.conf`). */
  kubeProxy?: { mode?: string; clusterCIDR?: string };
  /** kube-apiserver command-line flags from static pod manifests / mirror pods, one entry per apiserver. */
  apiServers: { node?: string; flags: Record<string, string>; source?: SourceLocation }[];
  /** etcd members seen (static pods `component=etcd`, or external endpoints from kubeadm config). */
  etcdMembers: { name: string; node?: string; clientUrls: string[] }[];
}

export interface KubeadmClusterConfiguration {
  kubernetesVersion?: string;
  controlPlaneEndpoint?: string;
  networking?: { podSubnet?: string; serviceSubnet?: string; dnsDomain?: string };
  apiServer?: { extraArgs?: Record<string, string> | { name: string; value: string }[]; certSANs?: string[] };
  etcd?: { local?: unknown; external?: { endpoints?: string[] } };
}

/** Custom resources kept as plain objects with the fields evaluators use. */
interface CustomObject<Spec> {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Spec;
}

/** Istio resources also keep creationTimestamp: the oldest of several matching policies wins. */
type IstioObject<Spec> = CustomObject<Spec> & { metadata: { creationTimestamp?: string } };

export type PeerAuthentication = IstioObject<{
  selector?: { matchLabels?: Record<string, string> };
  mtls?: { mode?: 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT' };
  portLevelMtls?: Record<string, { mode?: 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT' }>;
}>;

export interface DestinationRuleTrafficPolicy {
  tls?: { mode?: 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL' };
  portLevelSettings?: { port?: { number?: number }; tls?: { mode?: string } }[];
}

export type DestinationRule = IstioObject<{
  host: string;
  exportTo?: string[];
  /** Sidecars whose labels match use this rule; without it the rule applies to every client it is exported to. */
  workloadSelector?: { matchLabels?: Record<string, string> };
  trafficPolicy?: DestinationRuleTrafficPolicy;
  subsets?: { name: string; labels?: Record<string, string>; trafficPolicy?: DestinationRuleTrafficPolicy }[];
}>;

export type Rollout = CustomObject<{
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  /** The pods' template, unless `workloadRef` points at a Deployment whose template the Rollout takes over. */
  template?: V1PodTemplateSpec;
  workloadRef?: { apiVersion?: string; kind?: string; name?: string };
  strategy?: {
    canary?: {
      steps?: Record<string, unknown>[];
      analysis?: { templates?: { templateName?: string; clusterScope?: boolean }[] };
      abortScaleDownDelaySeconds?: number;
    };
    blueGreen?: Record<string, unknown>;
  };
}>;

export type AnalysisTemplate = CustomObject<{
  metrics?: {
    name: string;
    successCondition?: string;
    failureCondition?: string;
    failureLimit?: number | string;
    /** Measurements taken; with `failureLimit` it decides whether the metric can ever fail. */
    count?: number | string;
    interval?: string;
    provider?: Record<string, unknown>;
  }[];
  /** Metrics evaluated in dry-run: their failures never abort a rollout. `metricName` may be a regex (`.*`). */
  dryRun?: { metricName: string }[];
}>;

// ---- Cloud (AWS-shaped, normalised from AWS CLI JSON, terraform plans or the SDK) ----
// `planned: true` marks an object read from a terraform plan (not yet applied): findings about it use layer `plan`.

export interface CloudState {
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  peerings: VpcPeering[];
  securityGroups: SecurityGroup[];
  loadBalancers: LoadBalancer[];
  eksClusters: EksCluster[];
  iamRoles: IamRole[];
  instanceProfiles: InstanceProfile[];
  instances: Ec2Instance[];
  podIdentityAssociations: PodIdentityAssociation[];
}

export type Tags = Record<string, string>;

export interface Vpc {
  id: string;
  cidrs: string[];
  ipv6Cidrs: string[];
  tags: Tags;
  source?: SourceLocation;
  planned?: boolean;
}
export interface Subnet {
  id: string;
  vpcId: string;
  cidr?: string;
  ipv6Cidr?: string;
  availabilityZone?: string;
  mapPublicIpOnLaunch?: boolean;
  tags: Tags;
  source?: SourceLocation;
  planned?: boolean;
}
export interface RouteTable {
  id: string;
  vpcId: string;
  routes: { destination: string; target: string }[];
  subnetIds: string[];
  tags: Tags;
  source?: SourceLocation;
}
export interface VpcPeering {
  id: string;
  requesterVpcId: string;
  accepterVpcId: string;
  requesterCidrs: string[];
  accepterCidrs: string[];
  tags: Tags;
  source?: SourceLocation;
  planned?: boolean;
}
export interface SecurityGroupRule {
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
  ipv6Cidrs: string[];
  sourceGroupIds: string[];
}
export interface SecurityGroup {
  id: string;
  name?: string;
  vpcId?: string;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
  tags: Tags;
  source?: SourceLocation;
}
export interface LoadBalancer {
  name: string;
  arn?: string;
  scheme: 'internet-facing' | 'internal';
  type?: string /** e.g. `NAME-123.elb.REGION.amazonaws.com`. */;
  dnsName?: string;
  vpcId?: string;
  securityGroupIds: string[];
  listenerPorts: number[];
  tags: Tags;
  source?: SourceLocation;
}

export interface EksCluster {
  name: string;
  arn?: string;
  version?: string;
  endpoint?: string;
  endpointPublicAccess?: boolean;
  endpointPrivateAccess?: boolean;
  publicAccessCidrs?: string[];
  serviceIpv4Cidr?: string;
  serviceIpv6Cidr?: string;
  vpcId?: string;
  subnetIds?: string[];
  securityGroupIds?: string[];
  /** e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/ABC */
  oidcIssuer?: string;
  accountId?: string;
  tags: Tags;
  source?: SourceLocation;
  planned?: boolean;
}

/** IAM policy documents are kept as parsed JSON (URL-decoded where the CLI encodes them). */
export type PolicyDocument = { Version?: string; Statement: unknown[] | unknown };

export interface IamRole {
  name: string;
  arn: string;
  trustPolicy: PolicyDocument;
  /** Inline and attached managed policies whose documents were available. */
  permissionPolicies: { name: string; arn?: string; document: PolicyDocument }[];
  /** Attached managed policies whose documents were not provided (names/ARNs only). */
  attachedPolicyArns: string[];
  tags: Tags;
  source?: SourceLocation;
  planned?: boolean;
}

export interface InstanceProfile {
  name: string;
  arn?: string;
  roleNames: string[];
  source?: SourceLocation;
}

export interface Ec2Instance {
  /** Instance id, or for a launch template its `lt-…` id (terraform: `tf:<address>` until apply). */
  id: string;
  /**
   * `launch-template`: a launch template version (`aws ec2 describe-launch-template-versions`, terraform
   * aws_launch_template), whose metadata options and instance profile every node launched from it gets.
   */
  kind?: 'instance' | 'launch-template';
  /** Launch templates: which template and version this entry is. */
  launchTemplate?: { name?: string; version?: number; isDefault?: boolean };
  /** Launch templates: tags given to the instances launched from it (TagSpecifications, ResourceType `instance`). */
  instanceTags?: Tags;
  /** False when the input prints no tags of the object itself (describe-launch-template-versions): `tags` is then empty, not untagged. */
  tagsCollected?: boolean;
  instanceProfileArn?: string;
  /** Terraform names the profile, not its ARN, when the ARN is unknown at plan time. */
  instanceProfileName?: string;
  metadataOptions?: { httpTokens?: 'required' | 'optional'; httpPutResponseHopLimit?: number; httpEndpoint?: 'enabled' | 'disabled' };
  subnetId?: string;
  vpcId?: string;
  privateIp?: string;
  publicIp?: string;
  tags: Tags;
  source?: SourceLocation;
  planned?: boolean;
}

export interface PodIdentityAssociation {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationId?: string;
  tags?: Tags;
  source?: SourceLocation;
}

export function emptyState(source: StateSource): ClusterState {
  return {
    source,
    kubernetes: {
      namespaces: [],
      pods: [],
      deployments: [],
      statefulSets: [],
      daemonSets: [],
      replicaSets: [],
      replicationControllers: [],
      jobs: [],
      services: [],
      networkPolicies: [],
      serviceAccounts: [],
      nodes: [],
      cronJobs: [],
      configMaps: [],
      secrets: [],
      controlPlane: { apiServers: [], etcdMembers: [] },
      istio: { peerAuthentications: [], destinationRules: [] },
      argo: { rollouts: [], analysisTemplates: [] },
    },
    cloud: emptyCloud(),
    origins: {},
    unknown: [],
    warnings: [],
  };
}

export function emptyCloud(): CloudState {
  return {
    vpcs: [],
    subnets: [],
    routeTables: [],
    peerings: [],
    securityGroups: [],
    loadBalancers: [],
    eksClusters: [],
    iamRoles: [],
    instanceProfiles: [],
    instances: [],
    podIdentityAssociations: [],
  };
}

/** The key used in `ClusterState.origins`. */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}
