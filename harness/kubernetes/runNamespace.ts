// Namespaces the live checks create: labelled with the run id (so `teardown-clean` and the runner's safety net find
// them), removed in `finally`, and awaited until gone so a later check never sees a Terminating leftover.
import type { CoreV1Api } from '@kubernetes/client-node';
import { K8S_RUN_LABEL } from './runLabels.ts';
import { waitFor, WaitTimeout } from './waitFor.ts';

export async function createRunNamespace(core: CoreV1Api, name: string, runId: string, labels: Record<string, string> = {}): Promise<void> {
  await core.createNamespace({ body: { metadata: { name, labels: { ...labels, [K8S_RUN_LABEL]: runId } } } });
  // Pods are refused until the namespace's default ServiceAccount exists (it appears asynchronously).
  await waitFor(
    `the default ServiceAccount of namespace ${name}`,
    async () => {
      try {
        await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
        return { done: true, value: undefined };
      } catch (error) {
        return { done: false, why: `not there yet (${(error as { code?: number }).code ?? 'no answer'})` };
      }
    },
    { timeout: 30_000, interval: 250 },
  );
}

/** Deletes the namespaces and waits (bounded) until the API no longer has them; returns those still present. */
export async function deleteNamespacesAndWait(core: CoreV1Api, names: readonly string[], timeoutMs = 90_000): Promise<string[]> {
  await Promise.all(names.map((name) => core.deleteNamespace({ name, gracePeriodSeconds: 0 }).catch(() => undefined)));
  return stillPresent(`namespaces ${names.join(', ')} to be gone`, names, (name) => core.readNamespace({ name }), timeoutMs, 1000);
}

/** Deletes pods and waits (bounded) until they are gone. */
export async function deletePodsAndWait(
  core: CoreV1Api,
  pods: readonly { namespace: string; name: string }[],
  timeoutMs = 60_000,
): Promise<void> {
  await Promise.all(pods.map((p) => core.deleteNamespacedPod({ ...p, gracePeriodSeconds: 0 }).catch(() => undefined)));
  await stillPresent(
    `pods ${pods.map((p) => `${p.namespace}/${p.name}`).join(', ')} to be gone`,
    pods,
    (p) => core.readNamespacedPod(p),
    timeoutMs,
    500,
  );
}

/** Waits until every item's read fails (gone); the ones still readable at the bound are returned, not thrown. */
async function stillPresent<T>(
  what: string,
  items: readonly T[],
  read: (item: T) => Promise<unknown>,
  timeout: number,
  interval: number,
): Promise<T[]> {
  let left = [...items];
  try {
    await waitFor(
      what,
      async () => {
        const present = await Promise.all(
          left.map((item) =>
            read(item).then(
              () => true,
              () => false,
            ),
          ),
        );
        left = left.filter((_, i) => present[i]);
        return left.length === 0 ? { done: true, value: undefined } : { done: false, why: `${left.length} still present` };
      },
      { timeout, interval },
    );
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error;
  }
  return left;
}
