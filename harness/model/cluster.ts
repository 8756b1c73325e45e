// The provisioner contract (after kubetest2's deployer): one small interface every provider implements, so suites
// only ever see a `Cluster` and never know which provider made it. Everything here is plain data plus a few
// node operations the chaos suites need (exec, stop, start).

export type ProviderName = 'kind' | 'existing' | 'aws';

/** What the caller asks for; built from a ClusterSpec plus CLI flags by `clusterRequest()` (request.ts). */
export interface ClusterRequest {
  provider: ProviderName;
  /** Cluster name; also the key of its state under ~/.cache/clusterproof/clusters/<name>/. */
  name: string;
  /** Labels every Docker object of this cluster (`clusterproof.run=<runId>`); unique per `up`. */
  runId: string;
  controlPlanes: number;
  workers: number;
  /** Zone of node i is zones[i % zones.length], control planes first, then workers. */
  zones: string[];
  podSubnet?: string;
  serviceSubnet?: string;
  /** `build`: the offline images from scripts/images.sh; `official`: kind's published node image. */
  nodeImage: 'build' | 'official';
  /** Where kubeconfig, logs and generated config go. */
  runDir: string;
  /** existing provider only */
  kubeconfig?: string;
  context?: string;
  disposableLabel?: string;
  /** aws provider only: the region (default AWS_REGION) and a local AWS API (moto) instead of AWS. */
  region?: string;
  awsEndpoint?: string;
  /** kind only: AWS-shaped nodes (metadata service, IRSA webhook), defaults resolved. */
  awsEmulation?: AwsEmulation;
  /** kind only: the service mesh installed after the pod network (absent: none). */
  mesh?: 'istio';
}

export interface AwsEmulation {
  nodeRole: string;
  imdsV1: boolean;
  hopLimit: number;
  irsa: boolean;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ClusterNode {
  name: string;
  role: 'control-plane' | 'worker';
  zone: string | undefined;
  /** InternalIP first. */
  addresses: string[];
  /** Runs a command on the node (not in a pod); never throws on a non-zero exit. */
  exec(command: string[], opts?: { signal?: AbortSignal }): Promise<ExecResult>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface Cluster {
  name: string;
  runId: string;
  provider: ProviderName;
  kubeconfigPath: string;
  /** https://host:port the kubeconfig points at (kind: the HA load balancer). */
  apiEndpoint: string;
  nodes: ClusterNode[];
  images: { probe: string | undefined };
}

/** A finished phase of `up`, reported as it ends so the CLI can print progress. */
export interface PhaseEvent {
  phase: string;
  seconds: number;
  detail?: string;
}

export interface UpOptions {
  signal?: AbortSignal;
  onPhase?: (event: PhaseEvent) => void;
  /** Progress lines of the underlying tools (kind's output, readiness retries). */
  onLog?: (line: string) => void;
  /** Leave a failed or interrupted cluster running for inspection instead of removing it. */
  keep?: boolean;
}

export interface Provisioner {
  readonly name: ProviderName;
  /** Returns when the cluster is usable: nodes Ready, DNS answers, pods reach each other across nodes. */
  up(request: ClusterRequest, opts?: UpOptions): Promise<Cluster>;
  /** Removes everything `up` created for this cluster (idempotent; the existing provider removes nothing). */
  down(name: string): Promise<void>;
  isUp(name: string): Promise<boolean>;
  /** Writes the cluster's logs under dir; returns the directory written. */
  dumpLogs(name: string, dir: string): Promise<string>;
  /** Rebuilds the Cluster handle of a cluster made earlier (from its saved state). */
  attach(name: string): Promise<Cluster>;
}
