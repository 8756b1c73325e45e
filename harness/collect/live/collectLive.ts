// The live collector: lists the same objects `kubectl get -A -o yaml` would show and feeds them through the same
// StateBuilder as the files loader, so `collect` from a cluster and from its kubectl dump give equal states.
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeconfigError, loadKubeConfig } from '../../kubernetes/kubeconfig.ts';
import type { ClusterState } from '../../model/state.ts';
import { InputError, RunError } from '../../errors.ts';
import { StateBuilder } from '../stateBuilder.ts';
import { isRecord } from '../../model/isRecord.ts';
import { isKubernetesObject } from '../kubernetes/normalizeObject.ts';
import { ApiStatusError, apiClient, type ApiClient } from './apiGet.ts';
import { BUILT_IN, CUSTOM, type CustomResource } from './resources.ts';

interface LiveOptions {
  /** Kubeconfig file; default: $KUBECONFIG or ~/.kube/config, then in-cluster. */
  kubeconfig?: string;
  context?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
}

const PAGE = 500;

export async function collectLive(options: LiveOptions = {}): Promise<ClusterState> {
  const kc = kubeConfigFor(options);
  const api = apiClient(kc, options.timeoutMs ?? 30_000);
  const context = kc.getCurrentContext();
  const builder = new StateBuilder({
    type: 'live',
    inputs: [],
    context,
    server: api.server,
    collectedAt: new Date().toISOString(),
  });
  builder.state.kubernetes.kubeconfig = { server: api.server, context, ...(options.kubeconfig ? { file: options.kubeconfig } : {}) };

  for (const r of BUILT_IN) {
    const listed = await listInto(api, builder, r.path, r.apiVersion, r.kind, r.fallback !== undefined);
    if (!listed && r.fallback) await listInto(api, builder, r.fallback.path, r.fallback.apiVersion, r.kind);
  }
  for (const resource of CUSTOM) {
    const version = await preferredVersion(api, resource);
    if (version) {
      await listInto(
        api,
        builder,
        `/apis/${resource.group}/${version}/${resource.plural}`,
        `${resource.group}/${version}`,
        resource.kind,
        true,
      );
    }
  }
  return builder.finish();
}

function kubeConfigFor(options: LiveOptions): KubeConfig {
  let kc: KubeConfig;
  try {
    kc = loadKubeConfig(options);
  } catch (error) {
    if (!(error instanceof KubeconfigError)) throw error;
    const file = options.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
    if (error.problem === 'unknown-context') {
      throw new InputError([
        {
          file,
          message: `context ${JSON.stringify(options.context)} not found (have: ${error.contexts.join(', ') || 'none'})`,
          fix: 'pick one of `kubectl config get-contexts -o name`',
        },
      ]);
    }
    throw new InputError(
      [
        {
          file,
          message: `cannot load kubeconfig: ${error.message}`,
          fix: 'pass --kubeconfig PATH to a valid kubeconfig (`kubectl config view` must work with it)',
        },
      ],
      { cause: error.cause },
    );
  }
  if (!kc.getCurrentCluster()?.server) {
    throw new InputError([
      {
        file: options.kubeconfig ?? '(default kubeconfig)',
        message: 'the current context has no cluster server URL',
        fix: 'select a context with a cluster: --context NAME',
      },
    ]);
  }
  return kc;
}

/** Lists every page of a collection and adds its items; list responses omit apiVersion/kind on items, so they are set. */
async function listInto(
  api: ApiClient,
  builder: StateBuilder,
  path: string,
  apiVersion: string,
  kind: string,
  optional = false,
): Promise<boolean> {
  let continueToken = '';
  let index = 0;
  do {
    const query = `?limit=${PAGE}${continueToken ? `&continue=${encodeURIComponent(continueToken)}` : ''}`;
    const list = await request(api, `${path}${query}`, optional);
    if (list === undefined) return false; // an optional kind the server does not serve (404)
    const items = isRecord(list) && Array.isArray(list.items) ? list.items : [];
    for (const item of items) {
      const object: unknown = isRecord(item) ? { apiVersion, kind, ...item } : item;
      if (isKubernetesObject(object)) builder.addKubernetes(object, { file: `${api.server}${path}`, documentIndex: index });
      index++;
    }
    const meta = isRecord(list) && isRecord(list.metadata) ? list.metadata : {};
    continueToken = typeof meta.continue === 'string' ? meta.continue : '';
  } while (continueToken);
  return true;
}

/** The served version of a CRD group, or undefined when the group is not installed (404: not an error). */
async function preferredVersion(api: ApiClient, resource: CustomResource): Promise<string | undefined> {
  const group = await request(api, `/apis/${resource.group}`, true);
  const preferred = isRecord(group) && isRecord(group.preferredVersion) ? group.preferredVersion.version : undefined;
  return typeof preferred === 'string' ? preferred : undefined;
}

/** GET with errors turned into RunErrors that name the server and a fix; `optional`: 404 → undefined. */
async function request(api: ApiClient, path: string, optional = false): Promise<unknown> {
  try {
    return await api.get(path);
  } catch (error) {
    if (error instanceof RunError) throw error;
    if (error instanceof ApiStatusError) {
      if (error.status === 404 && optional) return undefined;
      const fix =
        error.status === 401
          ? 'the kubeconfig credentials were rejected: refresh them (`kubectl get ns` must work)'
          : error.status === 403
            ? 'grant the collector get/list on namespaces, pods, services, networkpolicies, serviceaccounts, nodes, cronjobs, jobs, configmaps, secrets, deployments, statefulsets, daemonsets, replicasets, replicationcontrollers and the Istio/Argo CRs (a read-only ClusterRole)'
            : 'check the API server version supports this resource';
      throw new RunError(`API server ${api.server} refused ${error.message}`, { cause: error, fix });
    }
    throw new RunError(
      `cannot reach the Kubernetes API server at ${api.server}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        fix: `check the cluster is running and reachable (\`kubectl --server ${api.server} get ns\`), or pass --kubeconfig/--context for another cluster`,
      },
    );
  }
}
