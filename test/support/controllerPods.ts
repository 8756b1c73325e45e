// The Pods a cluster's controllers would create from pod templates, as `kubectl get pods -o yaml` would show them
// after a rollout: names with the ReplicaSet hash, `pod-template-hash`, ownerReferences to the ReplicaSet, a phase
// and an address. Generated here so the same application can be judged as manifests and as a cluster dump; the
// live tier does the same against real controllers.
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';

export interface DumpOptions {
  /** Pods per Deployment (default: its replicas, else 1). */
  replicas?: number;
  /** First address of the pod range; pods are numbered from it. */
  podRange?: string;
}

export function podsOf(deployments: readonly V1Deployment[], options: DumpOptions = {}): V1Pod[] {
  const pods: V1Pod[] = [];
  const [a, b] = (options.podRange ?? '10.244.0.0').split('.').map(Number) as [number, number];
  let n = 0;
  for (const d of deployments) {
    const name = d.metadata?.name ?? '';
    const namespace = d.metadata?.namespace ?? 'default';
    const hash = createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, 10);
    const replicaSet = `${name}-${hash}`;
    const count = options.replicas ?? d.spec?.replicas ?? 1;
    for (let i = 0; i < count; i++) {
      n++;
      const ip = `${a}.${b}.${Math.floor(n / 250)}.${(n % 250) + 2}`;
      pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          ...(d.spec?.template.metadata?.annotations ? { annotations: d.spec.template.metadata.annotations } : {}),
          name: `${replicaSet}-${String.fromCharCode(97 + (i % 26))}${i}x${n}`,
          namespace,
          labels: { ...(d.spec?.template.metadata?.labels ?? {}), 'pod-template-hash': hash },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: replicaSet, uid: `uid-${replicaSet}`, controller: true }],
        },
        spec: d.spec?.template.spec ?? { containers: [] },
        status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
      });
    }
  }
  return pods;
}
