// The readiness gate of `up`: it returns only when the cluster is usable for the suites: every node Ready,
// CoreDNS answering a lookup made from a pod, and a pod on each worker reaching a pod on the other. Each wait is
// bounded and says what it was still waiting for when it gave up; probes are re-run only while the network
// converges (logged), never to hide a failure after the deadline.
import type { CoreV1Api, V1Node } from '@kubernetes/client-node';
import { errorMessage } from '../../errors.ts';
import { K8S_RUN_LABEL } from '../../kubernetes/runLabels.ts';
import { runProbe, startServerPod } from '../../probe/probePods.ts';
import { waitFor, WaitTimeout } from '../../kubernetes/waitFor.ts';

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export async function waitNodesReady(core: CoreV1Api, expected: number, timeoutMs: number, signal?: AbortSignal): Promise<V1Node[]> {
  try {
    const { value } = await waitFor(
      `${expected} nodes Ready`,
      async () => {
        try {
          const nodes = (await core.listNode()).items;
          const notReady = nodes.filter((n) => !isReady(n)).map((n) => n.metadata?.name ?? '?');
          if (nodes.length >= expected && notReady.length === 0) return { done: true, value: nodes };
          return { done: false, why: `${nodes.length}/${expected} nodes registered, not Ready: ${notReady.join(', ') || 'none'}` };
        } catch (error) {
          return { done: false, why: `API server: ${errorMessage(error)}` };
        }
      },
      { timeout: timeoutMs, interval: 2000, signal },
    );
    return value;
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error;
    throw new Error(`nodes not Ready after ${timeoutMs / 1000}s: ${error.why}`);
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
      ...hosts
        .map((node, i) => ({ name: `pod-${i}-to-${1 - i}`, node, host: ips[1 - i] ?? '', port: 80 }))
        .filter((c) => hosts.length === 2 && c.host !== ''),
    ];
    for (const check of checks) {
      const what = `${check.name}: ${check.node ?? '?'} → ${check.host}:${check.port}`;
      let attempt = 0;
      try {
        // Re-run only while the network converges (logged); the deadline is the whole gate's.
        await waitFor(
          what,
          async () => {
            attempt++;
            const outcome = await runProbe(
              core,
              { ...base, name: `${check.name}-${attempt}`, ...(check.node ? { node: check.node } : {}) },
              check,
              deadline,
            );
            attempts[check.name] = attempt;
            return outcome.connected
              ? { done: true, value: undefined }
              : { done: false, why: `failed (exit ${outcome.exitCode ?? '?'}: ${outcome.log.slice(0, 200)}), attempt ${attempt}` };
          },
          { timeout: deadline - Date.now(), interval: 2000, signal: opts.signal, log: opts.log },
        );
      } catch (error) {
        if (!(error instanceof WaitTimeout)) throw error;
        throw new Error(`readiness: ${what} ${error.why}; gave up after ${attempt} attempts`);
      }
    }
    return { attempts };
  } finally {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  }
}
