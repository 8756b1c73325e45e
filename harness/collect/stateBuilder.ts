// Builds one ClusterState from objects of any source (files or live). Every object passes through the same
// normalisation and classification, so the two collectors agree by construction. Problems are collected and thrown
// together by `finish()`; nothing partial is returned.
import type { SourceLocation } from '../model/findings.ts';
import type {
  AnalysisTemplate,
  ClusterState,
  ControlPlaneConfig,
  DestinationRule,
  KubeadmClusterConfiguration,
  KubernetesState,
  PeerAuthentication,
  Rollout,
  StateSource,
  UnknownObject,
} from '../model/state.ts';
import { emptyState, objectKey } from '../model/state.ts';
import { InputError, type InputProblem } from '../errors.ts';
import type { ParsedObject } from './files/parseInputFile.ts';
import { classifyKubernetes, CLUSTER_SCOPED, knownNamespaced, unknownKindWarning } from './kubernetes/classifyKubernetes.ts';
import { isKubernetesObject, normalizeKubernetesObject, type KubernetesObject } from './kubernetes/normalizeObject.ts';
import { deriveControlPlane, kubeProxyFields } from './kubernetes/controlPlane.ts';
import { CloudCollector } from './aws/cloudCollector.ts';
import { readAwsCliOutput } from './aws/awsCliOutputs.ts';
import { isTerraformPlan, readTerraformPlan } from './terraform/terraformPlan.ts';
import { isRecord } from '../model/isRecord.ts';
import { redactDeep } from '../redaction/redactDeep.ts';

type TypedList = Exclude<keyof KubernetesState, 'controlPlane' | 'istio' | 'argo' | 'kubeconfig'>;

export interface BuildOptions {
  /**
   * Where a namespaced object without metadata.namespace goes (`--namespace`, default `default` as kubectl does).
   * Several: the object is read once into each, as `kubectl apply -n NS` per namespace would create it.
   */
  defaultNamespaces?: readonly string[];
}

export class StateBuilder {
  readonly state: ClusterState;
  readonly problems: InputProblem[] = [];
  private readonly cloud: CloudCollector;
  /** objectKey → the object kept, to tell harmless repeats from conflicting duplicates. */
  private readonly seen = new Map<string, KubernetesObject>();
  private readonly defaultNamespaces: readonly string[];

  constructor(source: StateSource, options: BuildOptions = {}) {
    this.state = emptyState(source);
    this.cloud = new CloudCollector(this.state.origins);
    this.defaultNamespaces = options.defaultNamespaces?.length ? options.defaultNamespaces : ['default'];
  }

  /** Any parsed object from a file: Kubernetes object, AWS CLI output, terraform plan, or unknown. */
  addParsed(parsed: ParsedObject): void {
    const value = parsed.value;
    if (isKubernetesObject(value)) this.addKubernetes(value, parsed.location);
    else if (isTerraformPlan(value)) {
      for (const r of readTerraformPlan(parsed, this.cloud, this.problems)) {
        this.state.unknown.push({ kind: r.type, name: r.address, source: parsed.locate(r.path) });
      }
    } else if (!readAwsCliOutput(parsed, this.cloud, this.problems)) {
      // Only identifying fields are kept: unknown objects may hold anything, credentials included.
      this.state.unknown.push({ source: parsed.location });
      this.warn(
        parsed.location,
        `not a Kubernetes object (${notKubernetesReason(value)}), an AWS CLI output or a terraform plan: not evaluated`,
        'give the document string apiVersion and kind fields, or move the file out of the scanned paths',
      );
    }
  }

  addKubernetes(raw: KubernetesObject, location: SourceLocation): void {
    const namespaced = knownNamespaced(raw.apiVersion, raw.kind);
    const given = raw.metadata?.namespace;
    if (namespaced && (typeof given !== 'string' || given === '')) {
      // Read into each namespace it would be applied to, and say so once.
      const into = this.defaultNamespaces;
      this.warn(
        location,
        `${raw.kind} ${String(raw.metadata?.name ?? '(unnamed)')} has no metadata.namespace: read into namespace ${into.join(', ')}`,
        `set metadata.namespace, or pass --namespace NS for the namespace it is applied to`,
      );
      for (const ns of into)
        this.addNamespaced({ ...raw, metadata: { ...(isRecord(raw.metadata) ? raw.metadata : {}), namespace: ns } }, location);
      return;
    }
    this.addNamespaced(raw, location);
  }

  private addNamespaced(raw: KubernetesObject, location: SourceLocation): void {
    const target = classifyKubernetes(raw.apiVersion, raw.kind);
    const name = raw.metadata?.name;
    const namespace = CLUSTER_SCOPED.has(raw.kind) ? undefined : raw.metadata?.namespace;
    if (target === 'unknown') {
      const warning = unknownKindWarning(raw.apiVersion, raw.kind);
      if (warning) this.warn(location, `${raw.kind} ${String(name ?? '(unnamed)')}: ${warning.message}`, warning.fix);
      this.state.unknown.push({
        apiVersion: raw.apiVersion,
        kind: raw.kind,
        ...(typeof name === 'string' ? { name } : {}),
        ...(typeof namespace === 'string' ? { namespace } : {}),
        source: location,
        ...ownershipMetadata(raw.metadata),
      });
      return;
    }
    if (target === 'kubeconfig') return this.addKubeconfig(raw, location);
    if (target === 'kubeadmClusterConfiguration') {
      this.state.kubernetes.controlPlane.kubeadm = normalizeKubernetesObject(raw) as KubeadmClusterConfiguration;
      this.state.origins[objectKey(raw.kind, undefined, name ?? 'kubeadm')] = location;
      return;
    }
    if (target === 'kubeadmInitConfiguration' || target === 'kindCluster') {
      // Config files, not API objects: only the fields the API endpoint control reads are kept.
      const cp = this.state.kubernetes.controlPlane;
      if (target === 'kubeadmInitConfiguration') cp.kubeadmInit = pick(raw, 'localAPIEndpoint') as ControlPlaneConfig['kubeadmInit'];
      else cp.kindCluster = pick(raw, 'networking') as ControlPlaneConfig['kindCluster'];
      this.state.origins[objectKey(raw.kind, undefined, name ?? raw.kind)] = location;
      return;
    }
    if (target === 'kubeProxyConfiguration') {
      this.state.kubernetes.controlPlane.kubeProxy = kubeProxyFields(raw);
      this.state.origins[objectKey(raw.kind, undefined, name ?? 'kube-proxy')] = location;
      return;
    }
    if (typeof name !== 'string' || name === '') {
      this.problem(location, `${raw.kind} has no metadata.name`, 'give the object a metadata.name, as `kubectl apply` requires');
      return;
    }
    const object = normalizeKubernetesObject(raw);
    const key = objectKey(raw.kind, namespace, name);
    const previous = this.seen.get(key);
    if (previous !== undefined) {
      // Key order differs between kubectl's YAML (sorted) and hand-written manifests: compare values only.
      if (canonicalJson(previous) !== canonicalJson(object)) {
        const first = this.state.origins[key];
        this.problem(
          location,
          `${key} appears twice with different contents (first at ${first?.file}:${first?.line ?? '?'})`,
          'pass each object once: remove the stale copy or split the inputs into separate scans',
        );
      }
      return;
    }
    this.seen.set(key, object);
    this.state.origins[key] = location;
    const k = this.state.kubernetes;
    switch (target) {
      case 'peerAuthentications':
        k.istio.peerAuthentications.push(object as unknown as PeerAuthentication);
        break;
      case 'destinationRules':
        k.istio.destinationRules.push(object as unknown as DestinationRule);
        break;
      case 'rollouts':
        k.argo.rollouts.push(object as unknown as Rollout);
        break;
      case 'analysisTemplates':
        k.argo.analysisTemplates.push(object as unknown as AnalysisTemplate);
        break;
      default:
        (k[target satisfies TypedList] as unknown[]).push(object);
    }
  }

  /** A kubeconfig contributes the current context's server URL; its credentials are never read into the state. */
  private addKubeconfig(raw: KubernetesObject, location: SourceLocation): void {
    const context = typeof raw['current-context'] === 'string' ? raw['current-context'] : undefined;
    const contexts = Array.isArray(raw.contexts) ? raw.contexts.filter(isRecord) : [];
    const clusters = Array.isArray(raw.clusters) ? raw.clusters.filter(isRecord) : [];
    const ctx = contexts.find((c) => c.name === context) ?? contexts[0];
    const clusterName = isRecord(ctx?.context) ? ctx.context.cluster : undefined;
    const cluster = clusters.find((c) => c.name === clusterName) ?? clusters[0];
    const server = isRecord(cluster?.cluster) ? cluster.cluster.server : undefined;
    if (typeof server !== 'string') {
      this.problem(location, 'kubeconfig has no cluster server URL', 'export it with `kubectl config view --minify --raw=false`');
      return;
    }
    this.state.kubernetes.kubeconfig = { server, ...(context ? { context } : {}), file: location.file };
    this.state.origins[objectKey('Config', undefined, context ?? 'kubeconfig')] = location;
  }

  warn(location: SourceLocation, message: string, fix: string): void {
    this.state.warnings.push({
      file: location.file,
      ...(location.line !== undefined ? { line: location.line, column: location.column } : {}),
      message,
      fix,
    });
  }

  problem(location: SourceLocation, message: string, fix: string): void {
    this.problems.push({
      file: location.file,
      ...(location.line !== undefined ? { line: location.line, column: location.column } : {}),
      message: `document ${location.documentIndex ?? 0} (0-based): ${message}`,
      fix,
    });
  }

  /** Derives what needs every object (control plane, IAM joins), then returns the state or throws every problem. */
  finish(): ClusterState {
    // AWS and terraform fields (tags, user data, policies) go through the same redaction as Kubernetes objects.
    this.state.cloud = redactDeep(this.cloud.finish());
    this.state.kubernetes.controlPlane = deriveControlPlane(this.state.kubernetes, this.state.origins, this.problems);
    if (this.problems.length > 0) throw new InputError(this.problems);
    return this.state;
  }
}

/**
 * What teardown-clean needs of an object of a kind no evaluator types: labels, owners and annotation keys.
 * Annotation values are not kept: an unknown object may carry anything there (a last-applied copy of a Secret).
 */
function ownershipMetadata(metadata: KubernetesObject['metadata']): Pick<UnknownObject, 'labels' | 'ownerReferences' | 'annotationKeys'> {
  if (!isRecord(metadata)) return {};
  const labels = isRecord(metadata.labels)
    ? Object.fromEntries(Object.entries(metadata.labels).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};
  const owners = Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences.filter(isRecord) : [];
  const ownerReferences = owners
    .filter((o) => typeof o.kind === 'string' && typeof o.name === 'string')
    .map((o) => ({
      ...(typeof o.apiVersion === 'string' ? { apiVersion: o.apiVersion } : {}),
      kind: o.kind as string,
      name: o.name as string,
    }));
  const annotationKeys = isRecord(metadata.annotations) ? Object.keys(metadata.annotations) : [];
  return {
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(ownerReferences.length > 0 ? { ownerReferences } : {}),
    ...(annotationKeys.length > 0 ? { annotationKeys } : {}),
  };
}

function pick(raw: KubernetesObject, key: string): Record<string, unknown> {
  return isRecord(raw[key]) ? { [key]: raw[key] } : {};
}

function notKubernetesReason(value: unknown): string {
  if (!isRecord(value)) return `a ${Array.isArray(value) ? 'list' : typeof value} at the top level`;
  if (value.kind !== undefined && typeof value.kind !== 'string') return `kind is ${JSON.stringify(value.kind)}, not a string`;
  if (typeof value.kind !== 'string') return 'no kind';
  return 'no apiVersion';
}

/** JSON with object keys sorted, so equal values serialize equally whatever order their keys came in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
