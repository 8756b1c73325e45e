// Object references for evidence: every ref carries where the object was read, so reports can point at
// the file and line (SARIF) and a reader can open the exact manifest that decided a verdict.
import type { ObjectRef, SourceLocation } from '../../model/findings.ts';
import { objectKey, type ClusterState } from '../../model/state.ts';

interface KubeMeta {
  metadata?: { name?: string; namespace?: string };
}

/** A Kubernetes object (API shape or custom object), with its source from `state.origins`. */
export function kubeRef(state: ClusterState, kind: string, object: KubeMeta): ObjectRef {
  const name = object.metadata?.name ?? '(unnamed)';
  const namespace = object.metadata?.namespace;
  const source = state.origins[objectKey(kind, namespace, name)];
  // Literal shapes, no spreads: this runs once per pod in several controls.
  if (namespace === undefined) return source === undefined ? { kind, name } : { kind, name, source };
  return source === undefined ? { kind, name, namespace } : { kind, name, namespace, source };
}

/**
 * `kubeRef`, built on first read and then kept: controls that check every object name only the few that
 * fail, so most refs are never read (the origins lookup is the costly part).
 */
export class LazyKubeRef {
  private built: ObjectRef | undefined;
  private readonly state: ClusterState;
  private readonly kind: string;
  private readonly object: KubeMeta;
  constructor(state: ClusterState, kind: string, object: KubeMeta) {
    this.state = state;
    this.kind = kind;
    this.object = object;
  }
  get ref(): ObjectRef {
    return (this.built ??= kubeRef(this.state, this.kind, this.object));
  }
}

/** A cloud object (normalised shape): `id` is the AWS id or ARN, `name` a readable label. */
export function cloudRef(kind: string, name: string, id: string | undefined, source: SourceLocation | undefined): ObjectRef {
  return withSource({ kind, name, ...(id === undefined ? {} : { id }) }, source);
}

function withSource(ref: ObjectRef, source: SourceLocation | undefined): ObjectRef {
  return source === undefined ? ref : { ...ref, source };
}

/** `ns/name` or `name`, as people write it. */
export function refLabel(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The cluster as a whole, for findings about a cluster-wide property (counts, totals, absence). */
export function clusterRef(clusterName: string): ObjectRef {
  return { kind: 'Cluster', name: clusterName };
}

/** kubeadm's ClusterConfiguration, from a file or the kube-system/kubeadm-config ConfigMap. */
export function kubeadmRef(state: ClusterState): ObjectRef {
  const fromConfigMap = state.origins[objectKey('ConfigMap', 'kube-system', 'kubeadm-config')];
  if (fromConfigMap) return { kind: 'ConfigMap', namespace: 'kube-system', name: 'kubeadm-config', source: fromConfigMap };
  const key = Object.keys(state.origins).find((k) => k.startsWith('ClusterConfiguration/'));
  const name = key?.slice('ClusterConfiguration/'.length) ?? 'kubeadm';
  return withSource({ kind: 'ClusterConfiguration', name }, key === undefined ? undefined : state.origins[key]);
}
