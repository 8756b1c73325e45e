// Namespaces the live checks create: labelled with the run id (so `teardown-clean` and the runner's safety net find
// them), removed in `finally`, and awaited until gone so a later check never sees a Terminating leftover.
import type { CoreV1Api } from '@kubernetes/client-node';
import { K8S_RUN_LABEL } from '../provision/naming.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function createRunNamespace(core: CoreV1Api, name: string, runId: string, labels: Record<string, string> = {}): Promise<void> {
  await core.createNamespace({ body: { metadata: { name, labels: { ...labels, [K8S_RUN_LABEL]: runId } } } });
  // Pods are refused until the namespace's default ServiceAccount exists (it appears asynchronously).
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`namespace ${name}: its default ServiceAccount never appeared`, { cause: error });
      await sleep(250);
    }
  }
}

/** Deletes the namespaces and waits (bounded) until the API no longer has them; returns those still present. */
export async function deleteNamespacesAndWait(core: CoreV1Api, names: readonly string[], timeoutMs = 90_000): Promise<string[]> {
  await Promise.all(names.map((name) => core.deleteNamespace({ name, gracePeriodSeconds: 0 }).catch(() => undefined)));
  const deadline = Date.now() + timeoutMs;
  let left = [...names];
  while (left.length > 0 && Date.now() < deadline) {
    const present = await Promise.all(left.map((name) => core.readNamespace({ name }).then(() => true, () => false)));
    left = left.filter((_, i) => present[i]);
    if (left.length > 0) await sleep(1000);
  }
  return left;
}

/** Deletes pods and waits (bounded) until they are gone. */
export async function deletePodsAndWait(core: CoreV1Api, pods: readonly { namespace: string; name: string }[], timeoutMs = 60_000): Promise<void> {
  await Promise.all(pods.map((p) => core.deleteNamespacedPod({ ...p, gracePeriodSeconds: 0 }).catch(() => undefined)));
  const deadline = Date.now() + timeoutMs;
  let left = [...pods];
  while (left.length > 0 && Date.now() < deadline) {
    const present = await Promise.all(left.map((p) => core.readNamespacedPod(p).then(() => true, () => false)));
    left = left.filter((_, i) => present[i]);
    if (left.length > 0) await sleep(500);
  }
}
