// `run --provider kind --apply PATHS`: the workloads under test, deployed into the cluster this run made before it
// is collected, so the same objects are judged statically (the files, as `scan` reads them: kustomizations and
// charts rendered the same way) and live. Server-side apply through the API (no kubectl on the host): Namespaces
// and CRDs first, then the rest; then a bounded wait until every pod of the touched namespaces is ready, since a
// probe judges running pods only. Never used on an existing cluster: the run's cluster goes with the run.
import { AppsV1Api, KubernetesObjectApi, PatchStrategy, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { errorMessage } from '../errors.ts';
import { loadManifestObjects } from '../collect/files/loadFiles.ts';
import { knownNamespaced } from '../collect/kubernetes/classifyKubernetes.ts';
import { makeApiClient } from '../kubernetes/apiClient.ts';
import { clusterApi } from '../kubernetes/clusterApi.ts';
import { settle } from './settle.ts';

const FIELD_MANAGER = 'clusterproof';
const APPLY_MS = 60_000;
const READY_MS = 240_000;
const FIRST_KINDS = ['Namespace', 'CustomResourceDefinition'];

export async function deployWorkloads(
  kubeconfig: string,
  paths: string[],
  opts: { log: (line: string) => void; signal?: AbortSignal | undefined },
): Promise<void> {
  const objects = (await loadManifestObjects(paths)) as KubernetesObject[];
  const ordered = [
    ...objects.filter((o) => FIRST_KINDS.includes(o.kind ?? '')),
    ...objects.filter((o) => !FIRST_KINDS.includes(o.kind ?? '')),
  ];
  const { kc, core } = clusterApi({ kubeconfig });
  const client = KubernetesObjectApi.makeApiClient(kc);
  const pending = new Set(ordered);
  const fix = `check the objects in ${paths.join(', ')} with: clusterproof scan ${paths.join(' ')}`;
  // Kinds a CRD of the same apply defines are served only once the CRD is established: retried within the bound.
  await settle(
    `${ordered.length} objects from ${paths.join(', ')} to be applied`,
    async () => {
      for (const object of [...pending]) {
        try {
          await client.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
          pending.delete(object);
        } catch (error) {
          return `${object.kind ?? '?'} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? '?'}: ${errorMessage(error).slice(0, 300)}`;
        }
      }
      return undefined;
    },
    { component: '--apply', timeoutMs: APPLY_MS, fix, signal: opts.signal },
  );
  // Where pods may appear: each Namespace applied and each namespaced object's namespace (`default` when unset, as
  // the API server puts it); cluster-scoped objects (ClusterRoles, CRDs) have none.
  const namespaceOf = (o: KubernetesObject): string[] =>
    o.kind === 'Namespace'
      ? [o.metadata?.name ?? '']
      : o.metadata?.namespace
        ? [o.metadata.namespace]
        : knownNamespaced(o.apiVersion ?? '', o.kind ?? '')
          ? ['default']
          : [];
  const namespaces = [...new Set(objects.flatMap(namespaceOf))];
  opts.log(`applied ${objects.length} objects from ${paths.join(', ')}; waiting for the pods of ${namespaces.join(', ')} to be ready`);
  const apps = makeApiClient(kc, AppsV1Api);
  await settle(
    `the workloads in ${namespaces.join(', ')} to be ready`,
    async () => {
      for (const namespace of namespaces) {
        const pods = (await core.listNamespacedPod({ namespace })).items;
        const waiting = pods.find((p) => p.status?.phase !== 'Succeeded' && !p.status?.containerStatuses?.every((c) => c.ready));
        if (waiting) return `Pod ${namespace}/${waiting.metadata?.name ?? ''}: ${podState(waiting)}`;
        const deployments = (await apps.listNamespacedDeployment({ namespace })).items;
        const short = deployments.find((d) => (d.status?.readyReplicas ?? 0) < (d.spec?.replicas ?? 1));
        if (short) {
          const why = short.status?.conditions?.map((c) => `${c.type}=${c.status} ${c.message ?? ''}`.trim()).join('; ');
          return `Deployment ${namespace}/${short.metadata?.name ?? ''}: ${short.status?.readyReplicas ?? 0}/${short.spec?.replicas ?? 1} ready${why ? ` (${why})` : ''}`;
        }
      }
      return undefined;
    },
    {
      component: '--apply',
      timeoutMs: READY_MS,
      fix: `kubectl describe pods -n ${namespaces.join(',')} (the cluster is kept with --keep)`,
      signal: opts.signal,
    },
  );
}

/** Phase and each container's state: what `kubectl describe` would show first. */
function podState(pod: V1Pod): string {
  const containers = (pod.status?.containerStatuses ?? []).map((c) => {
    const state = c.state?.waiting
      ? `waiting ${c.state.waiting.reason ?? ''}`
      : c.state?.terminated
        ? `terminated ${c.state.terminated.reason ?? ''}`
        : 'running';
    return `${c.name} ${state}${c.ready ? ', ready' : ', not ready'}${c.restartCount ? `, ${c.restartCount} restarts` : ''}`;
  });
  return `${pod.status?.phase ?? 'no status'}${containers.length > 0 ? ` (${containers.join('; ')})` : ''}`;
}
