// Test namespaces carry the run label (the harness's own run namespaces, marked as test ones) and are always
// deleted in afterAll/finally (chainsaw's `finally`).
import type { CoreV1Api } from '@kubernetes/client-node';
import { createRunNamespace } from '../../../harness/kubernetes/runNamespace.ts';

export async function createTestNamespace(core: CoreV1Api, name: string, runId: string): Promise<string> {
  await createRunNamespace(core, name, runId, { 'clusterproof.dev/test': 'live' });
  return name;
}

export async function deleteTestNamespaces(core: CoreV1Api, names: string[]): Promise<void> {
  await Promise.all(names.map((name) => core.deleteNamespace({ name }).catch(() => undefined)));
}
