// Test namespaces carry the run label and are always deleted in afterAll/finally (chainsaw's `finally`).
import type { CoreV1Api } from '@kubernetes/client-node';
import { K8S_RUN_LABEL } from '../../../harness/provision/naming.ts';

export async function createTestNamespace(core: CoreV1Api, name: string, runId: string): Promise<string> {
  await core.createNamespace({ body: { metadata: { name, labels: { [K8S_RUN_LABEL]: runId, 'clusterproof.dev/test': 'live' } } } });
  // The default ServiceAccount appears asynchronously; pods are refused until it exists.
  for (let i = 0; i < 50; i++) {
    try {
      await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
      return name;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`namespace ${name}: default ServiceAccount never appeared`);
}

export async function deleteTestNamespaces(core: CoreV1Api, names: string[]): Promise<void> {
  await Promise.all(names.map((name) => core.deleteNamespace({ name }).catch(() => undefined)));
}
