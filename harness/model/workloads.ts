// Workloads: what every control that reasons about pods judges. A repository holds pod templates (Deployments,
// StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs, Argo Rollouts), a cluster dump holds
// Pods too; each becomes one workload carrying the pod it runs. Where a dump holds a Pod and its owners, the Pod is
// judged and its owners are not counted again, so the same application gets the same verdicts in either form.
import type { V1ObjectMeta, V1OwnerReference, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { ClusterState } from './state.ts';

export interface Workload {
  /** `namespace/name` for a Pod, `namespace/name[Kind]` for a template (`shop/web[Deployment]`). */
  readonly id: string;
  readonly kind: string;
  /** The object's own name (`web`), for references to it. */
  readonly name: string;
  readonly namespace: string;
  /** True for a workload read from a pod template (its pods' addresses and running containers are unknown). */
  readonly fromTemplate: boolean;
  /**
   * The pod as judged: a collected Pod as it is; for a template, a Pod with the template's labels, annotations and
   * spec, named `name[Kind]` so that everything naming pods by `namespace/name` names the workload as `id` does.
   */
  readonly pod: V1Pod;
  /** The object the workload was read from (the Pod, or the template's owner), for evidence references. */
  readonly object: { metadata?: V1ObjectMeta };
}

interface TemplateSource {
  kind: string;
  metadata?: V1ObjectMeta;
  template: V1PodTemplateSpec | undefined;
}

const built = new WeakMap<ClusterState, { signature: string; workloads: readonly Workload[] }>();

/** Every workload of the state, Pods first then templates, each list in input order. Built once per state. */
export function workloadsOf(state: ClusterState): readonly Workload[] {
  const signature = listSignature(state);
  const hit = built.get(state);
  if (hit && hit.signature === signature) return hit.workloads;
  const workloads = buildWorkloads(state);
  built.set(state, { signature, workloads });
  return workloads;
}

/** The lists workloads come from, by identity and length: a test that pushes a Pod gets a fresh view. */
const listIds = new WeakMap<object, number>();
let nextListId = 1;
function listSignature(state: ClusterState): string {
  const k = state.kubernetes;
  const lists: object[] = [
    k.pods,
    k.deployments,
    k.statefulSets ?? [],
    k.daemonSets ?? [],
    k.replicaSets ?? [],
    k.replicationControllers ?? [],
    k.jobs ?? [],
    k.cronJobs,
    k.argo.rollouts,
    k.namespaces,
  ];
  return lists
    .map((l) => {
      let id = listIds.get(l);
      if (id === undefined) listIds.set(l, (id = nextListId++));
      return `${id}:${(l as unknown[]).length}`;
    })
    .join(',');
}

function buildWorkloads(state: ClusterState): Workload[] {
  const k = state.kubernetes;
  const templates = templateSources(state);
  const present = new Set(templates.map((t) => key(t.kind, namespaceOf(t.metadata), t.metadata?.name ?? '')));
  const realized = realizedOwners(state, present);
  const out: Workload[] = [];
  for (const pod of k.pods) {
    const name = pod.metadata?.name;
    if (!name) continue;
    const namespace = namespaceOf(pod.metadata);
    out.push({ id: `${namespace}/${name}`, kind: 'Pod', name, namespace, fromTemplate: false, pod, object: pod });
  }
  for (const t of templates) {
    const name = t.metadata?.name;
    if (!name || !t.template) continue;
    const namespace = namespaceOf(t.metadata);
    const self = key(t.kind, namespace, name);
    // Judged through its Pods, or through an owner that is itself a workload here (a Deployment's ReplicaSet).
    if (realized.has(self) || ownedByPresent(t.metadata?.ownerReferences, namespace, present)) continue;
    out.push({
      id: `${namespace}/${name}[${t.kind}]`,
      kind: t.kind,
      name,
      namespace,
      fromTemplate: true,
      object: t,
      pod: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { ...(t.template.metadata ?? {}), name: `${name}[${t.kind}]`, namespace },
        ...(t.template.spec ? { spec: t.template.spec } : {}),
      },
    });
  }
  return out;
}

/** Every object with a pod template, its template resolved (a Rollout's `workloadRef` takes the Deployment's). */
function templateSources(state: ClusterState): TemplateSource[] {
  const k = state.kubernetes;
  const sources: TemplateSource[] = [];
  const add = (kind: string, list: readonly { metadata?: V1ObjectMeta; spec?: { template?: V1PodTemplateSpec } }[] | undefined): void => {
    for (const o of list ?? []) sources.push({ kind, ...(o.metadata ? { metadata: o.metadata } : {}), template: o.spec?.template });
  };
  const referenced = new Set<string>();
  for (const r of k.argo.rollouts) {
    const ref = r.spec?.workloadRef;
    if (ref?.kind === 'Deployment' && ref.name) referenced.add(key('Deployment', namespaceOf(r.metadata), ref.name));
  }
  // A Deployment a Rollout took over runs no pods of its own (Argo scales it down): the Rollout is the workload.
  add(
    'Deployment',
    k.deployments.filter((d) => !referenced.has(key('Deployment', namespaceOf(d.metadata), d.metadata?.name ?? ''))),
  );
  add('StatefulSet', k.statefulSets);
  add('DaemonSet', k.daemonSets);
  add('ReplicaSet', k.replicaSets);
  add('ReplicationController', k.replicationControllers);
  add('Job', k.jobs);
  for (const c of k.cronJobs)
    sources.push({ kind: 'CronJob', ...(c.metadata ? { metadata: c.metadata } : {}), template: c.spec?.jobTemplate?.spec?.template });
  for (const r of k.argo.rollouts) {
    const ref = r.spec?.workloadRef;
    const target =
      ref?.kind === 'Deployment'
        ? k.deployments.find((d) => d.metadata?.name === ref.name && namespaceOf(d.metadata) === namespaceOf(r.metadata))
        : undefined;
    sources.push({ kind: 'Rollout', metadata: r.metadata as V1ObjectMeta, template: target?.spec?.template ?? r.spec?.template });
  }
  return sources;
}

/**
 * The templates whose pods the state holds: every owner up the chain of each Pod. Where an intermediate owner is
 * missing from a dump, the controllers' naming rules stand in for it: a ReplicaSet is named
 * `<Deployment or Rollout>-<pod-template-hash>`, a CronJob's Job `<CronJob>-<scheduled minute>`.
 */
function realizedOwners(state: ClusterState, present: ReadonlySet<string>): Set<string> {
  const k = state.kubernetes;
  const ownersOf = new Map<string, V1OwnerReference[]>();
  for (const [kind, list] of [
    ['ReplicaSet', k.replicaSets],
    ['Job', k.jobs],
    ['StatefulSet', k.statefulSets],
    ['DaemonSet', k.daemonSets],
  ] as const) {
    for (const o of list ?? []) ownersOf.set(key(kind, namespaceOf(o.metadata), o.metadata?.name ?? ''), o.metadata?.ownerReferences ?? []);
  }
  const realized = new Set<string>();
  for (const pod of k.pods) {
    const namespace = namespaceOf(pod.metadata);
    const hash = pod.metadata?.labels?.['pod-template-hash'] ?? pod.metadata?.labels?.['rollouts-pod-template-hash'];
    let frontier = pod.metadata?.ownerReferences ?? [];
    for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
      const next: V1OwnerReference[] = [];
      for (const owner of frontier) {
        const ownerKey = key(owner.kind, namespace, owner.name);
        realized.add(ownerKey);
        const known = ownersOf.get(ownerKey);
        if (known) next.push(...known);
        else next.push(...impliedOwners(owner, namespace, hash, present));
      }
      frontier = next;
    }
  }
  return realized;
}

function impliedOwners(
  owner: V1OwnerReference,
  namespace: string,
  hash: string | undefined,
  present: ReadonlySet<string>,
): V1OwnerReference[] {
  const candidates: { kind: string; name: string }[] = [];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
    const base = owner.name.slice(0, -hash.length - 1);
    candidates.push({ kind: 'Deployment', name: base }, { kind: 'Rollout', name: base });
  }
  const scheduled = /^(.+)-\d+$/.exec(owner.name);
  if (owner.kind === 'Job' && scheduled?.[1]) candidates.push({ kind: 'CronJob', name: scheduled[1] });
  return candidates
    .filter((c) => present.has(key(c.kind, namespace, c.name)))
    .map((c) => ({ apiVersion: '', kind: c.kind, name: c.name, uid: '' }));
}

function ownedByPresent(owners: V1OwnerReference[] | undefined, namespace: string, present: ReadonlySet<string>): boolean {
  return (owners ?? []).some((o) => present.has(key(o.kind, namespace, o.name)));
}

function namespaceOf(metadata: { namespace?: string } | undefined): string {
  return metadata?.namespace || 'default';
}

function key(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** The workloads of one namespace. */
export function workloadsIn(state: ClusterState, namespace: string): Workload[] {
  return workloadsOf(state).filter((w) => w.namespace === namespace);
}
