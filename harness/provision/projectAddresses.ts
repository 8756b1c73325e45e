// Addresses that belong to this project's own containers (anything clusterproof or kind labelled), the only
// non-loopback destinations a live probe may contact. Read from the local Docker engine; none when it is absent.
import { normalise } from '../probe/endpointSafety.ts';
import { inspectContainers, listObjects } from './docker.ts';
import { KIND_CLUSTER_LABEL } from './kind/nodes.ts';
import { RUN_LABEL } from './naming.ts';

export async function projectContainerAddresses(): Promise<Set<string>> {
  try {
    const ids = new Set([
      ...(await listObjects('container', [`label=${RUN_LABEL}`])),
      ...(await listObjects('container', [`label=${KIND_CLUSTER_LABEL}`])),
    ]);
    const facts = await inspectContainers([...ids]);
    return new Set(facts.flatMap((c) => c.ipAddresses.map(normalise)));
  } catch {
    // No Docker here (a remote cluster): nothing is ours but loopback.
    return new Set();
  }
}
