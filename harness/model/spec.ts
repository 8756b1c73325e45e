// ClusterSpec: what a cluster must satisfy. The JSON Schema in harness/spec/clusterspec.schema.json is the
// source of truth for validation; these types mirror it (keep both in step).

export const SPEC_API_VERSION = 'clusterproof.dev/v1alpha1';

export type Profile = 'pr-gate' | 'nightly' | 'preprod' | 'gameday';

export interface ClusterSpec {
  apiVersion: typeof SPEC_API_VERSION;
  kind: 'ClusterSpec';
  metadata: { name: string; labels?: Record<string, string> };
  spec: ClusterSpecBody;
}

export interface ClusterSpecBody {
  profile?: Profile;
  provider?: ProviderSpec;
  apiEndpoint?: ApiEndpointSpec;
  cidrs?: CidrSpec;
  networkPolicy?: NetworkPolicySpec;
  mtls?: MtlsSpec;
  iam?: IamSpec;
  ha?: HaSpec;
  etcdBackup?: EtcdBackupSpec;
  teardown?: TeardownSpec;
  canary?: CanarySpec;
  waivers?: Waiver[];
}

/** Service meshes `up` can install on a kind cluster. */
export type MeshName = 'none' | 'istio';

interface ProviderSpec {
  type: 'kind' | 'existing' | 'aws';
  kind?: {
    controlPlanes?: number;
    workers?: number;
    /** `build`: the project's offline node image (default); `official`: kind's published image. */
    nodeImage?: 'build' | 'official';
    zones?: string[];
    /** Service mesh `up` installs after the pod network (harness/provision/mesh); default none. */
    mesh?: MeshName;
    /** AWS-shaped nodes for the pod IAM probes: metadata service and IRSA webhook (harness/provision/awsEmulation). */
    awsEmulation?: { nodeRole?: string; imds?: { v1?: boolean; hopLimit?: number }; irsa?: boolean };
  };
  existing?: {
    kubeconfig?: string;
    context?: string;
    /** A node/namespace label that marks the cluster as disposable, allowing disruptive suites. */
    disposableLabel?: string;
  };
  aws?: { region?: string; clusterName?: string };
}

export interface ApiEndpointSpec {
  /** `private`: reachable only from private networks / loopback. */
  exposure: 'private' | 'public';
  /** Public CIDRs tolerated when exposure is public (EKS publicAccessCidrs). */
  allowedPublicCidrs?: string[];
}

export interface NamedCidr {
  name: string;
  cidr: string;
}

export interface CidrSpec {
  vpcs?: NamedCidr[];
  subnets?: NamedCidr[];
  pods?: NamedCidr[];
  services?: NamedCidr[];
  nodes?: NamedCidr[];
  /** Networks outside the cluster that must stay routable: on-prem, peered VPCs, VPNs. */
  peers?: NamedCidr[];
}

export interface NetworkPolicySpec {
  defaultDeny?: {
    /** Namespaces that must be default-deny. `*` means every namespace not excluded. */
    namespaces: string[];
    ingress?: boolean; // default true
    egress?: boolean; // default true
    exclude?: string[];
  };
}

export interface MtlsSpec {
  mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE';
  mesh?: 'istio';
  /** Istio's root namespace (mesh-wide policies). Default: the mesh config's rootNamespace, else istio-system. */
  rootNamespace?: string;
  /** Namespaces in scope; `*` = every namespace not excluded. */
  scope: { namespaces: string[]; exclude?: string[] };
}

export interface IamTenant {
  namespace: string;
  serviceAccount: string;
  /** Role name or ARN this tenant (and only this tenant) may assume. */
  role: string;
}

export interface IamSpec {
  mode: 'irsa' | 'pod-identity' | 'kube2iam';
  tenants: IamTenant[];
  /** IMDS hardening that stops pods from borrowing the node role. Defaults: requireV2 true, hopLimit 1. */
  imds?: { requireV2?: boolean; maxHopLimit?: number };
}

export interface HaSpec {
  controlPlanes: number;
  zones: number;
  /** Longest API unavailability tolerated during a control-plane failover. */
  disruptionBudgetSeconds?: number;
}

export interface EtcdBackupSpec {
  required: boolean;
  /** Longest interval between snapshots, in hours. */
  maxIntervalHours?: number;
  offCluster?: boolean;
  encrypted?: boolean;
}

export interface TeardownSpec {
  /** Kubernetes label every resource the cluster creates carries. */
  ownershipLabel?: string;
  /** Cloud tag every cloud resource carries. */
  ownershipTag?: string;
}

export interface CanarySpec {
  /** Namespaces whose Rollouts are in scope; `*` = all. */
  namespaces: string[];
  requireAnalysis?: boolean; // default true
}

export interface Waiver {
  control: string;
  /** Narrows the waiver to subjects: `namespace/name`, `namespace/*`, or `*`. */
  scope?: string;
  owner: string;
  reason: string;
  ticket?: string;
  /** ISO date (YYYY-MM-DD). An expired waiver fails the gate. */
  expires: string;
}
