// The contract every live layer (probe, chaos, teardown) implements, beside the static `Evaluator`: what a check
// receives about the run and the cluster under test. The provider stays behind `platform`, so probe and chaos code
// never know which provisioner made the cluster.
import type { Cluster } from './cluster.ts';
import type { Control, Finding, Layer } from './findings.ts';
import type { ClusterSpec } from './spec.ts';
import type { ClusterState } from './state.ts';

/** What `clusterproof scan|run` hands to the suites; only serialisable values (vitest workers are processes). */
export interface SuiteRunContext {
  mode: 'static' | 'live';
  /** JSON file holding the ClusterState (already redacted). */
  statePath: string;
  /** JSON file holding the validated ClusterSpec. */
  specPath: string;
  /** Layers this run evaluates; the others report `not-applicable` with the reason. */
  layers: Layer[];
  /** Live runs: the cluster under test. */
  kubeconfig?: string;
  /** Live runs: the probe image loaded into the cluster. */
  probeImage?: string;
  /** Live runs: whether disruptive (chaos) layers may run against this cluster. */
  disruptiveAllowed?: boolean;
  /** Live runs: the run id every object the checks create is labelled with (K8S_RUN_LABEL in kubernetes/runLabels.ts). */
  runId?: string;
  /** Live runs: the cluster's name and provider, so chaos checks can attach to it for node access. */
  clusterName?: string;
  provider?: 'kind' | 'existing' | 'aws';
  /** Live runs: the kubeconfig context in use (default: the file's current context). */
  context?: string;
}

export type NodeAccess = { ok: true; cluster: Cluster } | { ok: false; reason: string };

/** What a live check may ask of the provider that made the cluster. */
export interface LivePlatform {
  /** Nodes a chaos check may stop, start and exec on, or why there are none. */
  nodeAccess(): Promise<NodeAccess>;
  /** Addresses of this project's own machines: besides loopback, the only destinations a probe may contact. */
  ownAddresses(): Promise<ReadonlySet<string>>;
}

export interface LiveCheckInput {
  state: ClusterState;
  spec: ClusterSpec;
  control: Control;
  run: SuiteRunContext & { kubeconfig: string };
  platform: LivePlatform;
  /** What the static evaluator concluded: the live probe confirms (or refutes) this prediction. */
  staticFindings: Finding[];
  signal: AbortSignal;
}

export type LiveCheck = (input: LiveCheckInput) => Promise<Finding[]>;
