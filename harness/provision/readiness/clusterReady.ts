// The readiness gate of `up`: it returns only when the cluster is usable for the suites: every node Ready,
// CoreDNS answering a lookup made from a pod, and a pod on each worker reaching a pod on the other. Each wait is
// bounded and says what it was still waiting for when it gave up; probes are re-run only while the network
// converges (logged), never to hide a failure after the deadline.
import { CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';
import { K8S_RUN_LABEL } from '../naming.ts';
import { runProbe, startServerPod } from './probePods.ts';
import { makeApiClient } from '../../kubernetes/apiClient.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function coreApi(kubeconfigPath: string, context?: string): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  if (context) kc.setCurrentContext(context);
  return makeApiClient(kc, CoreV1Api);
}

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export async function waitNodesReady(core: CoreV1Api, expected: number, timeoutMs: number, signal?: AbortSignal): Promise<V1Node[]> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer from the API server yet';
  for (;;) {
    signal?.throwIfAborted();
    try {
      const nodes = (await core.listNode()).items;
      const notReady = nodes.filter((n) => !isReady(n)).map((n) => n.metadata?.name ?? '?');
      if (nodes.length >= expected && notReady.length === 0) return nodes;
      last = `${nodes.length}/${expected} nodes registered, not Ready: ${notReady.join(', ') || 'none'}`;
    } catch (error) {
      last = `API server: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() > deadline) throw new Error(`nodes not Ready after ${timeoutMs / 1000}s: ${last}`);
    await sleep(2000);
  }
}

export interface ConnectivityReport {
  /** Attempts each check needed while the network converged. */
  attempts: Record<string, number>;
}

/**
 * DNS from a pod (resolves the kube-dns Service name through CoreDNS, then connects to it) and pod-to-pod across
 * the first two schedulable nodes (workers when there are two or more).
 */
export async function checkConnectivity(
  core: CoreV1Api,
  opts: { runId: string; probeImage: string; nodes: V1Node[]; timeoutMs: number; signal?: AbortSignal; log?: (line: string) => void },
): Promise<ConnectivityReport> {
  const deadline = Date.now() + opts.timeoutMs;
  const namespace = `clusterproof-ready-${opts.runId}`.slice(0, 63);
  const workers = opts.nodes.filter((n) => !('node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {})));
  const hosts = (workers.length >= 2 ? workers : opts.nodes).slice(0, 2).map((n) => n.metadata?.name ?? '');
  const attempts: Record<string, number> = {};
  await core.createNamespace({ body: { metadata: { name: namespace, labels: { [K8S_RUN_LABEL]: opts.runId } } } });
  try {
    const base = { namespace, runId: opts.runId, image: opts.probeImage };
    const ips = await Promise.all(hosts.map((node, i) => startServerPod(core, { ...base, name: `server-${i}`, node }, deadline)));
    const checks: { name: string; node: string | undefined; host: string; port: number }[] = [
      { name: 'dns', node: hosts[0], host: 'kube-dns.kube-system.svc.cluster.local', port: 53 },
      ...hosts.map((node, i) => ({ name: `pod-${i}-to-${1 - i}`, node, host: ips[1 - i] ?? '', port: 80 })).filter((c) => hosts.length === 2 && c.host !== ''),
    ];
    for (const check of checks) {
      for (let attempt = 1; ; attempt++) {
        opts.signal?.throwIfAborted();
        const outcome = await runProbe(core, { ...base, name: `${check.name}-${attempt}`, ...(check.node ? { node: check.node } : {}) }, check, deadline);
        attempts[check.name] = attempt;
        if (outcome.connected) break;
        const what = `${check.name}: ${check.node ?? '?'} → ${check.host}:${check.port} failed (exit ${outcome.exitCode ?? '?'}: ${outcome.log.slice(0, 200)})`;
        if (Date.now() > deadline) throw new Error(`readiness: ${what}; gave up after ${attempt} attempts`);
        opts.log?.(`${what}; network still converging, retrying (attempt ${attempt})`);
        await sleep(2000);
      }
    }
    return { attempts };
  } finally {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  }
}
