// A short, stable identity for "which cluster was this": the same cluster collected twice gives the same value.
import { createHash } from 'node:crypto';
import type { ClusterState } from '../model/state.ts';

export function clusterFingerprint(state: ClusterState): string {
  const kubeSystem = state.kubernetes.namespaces.find((n) => n.metadata?.name === 'kube-system');
  const parts: string[] = [
    state.source.server ?? state.kubernetes.kubeconfig?.server ?? '',
    kubeSystem?.metadata?.uid ?? '',
    ...state.kubernetes.nodes.map((n) => n.metadata?.name ?? '').sort(),
    ...state.cloud.eksClusters.map((c) => c.arn ?? c.name).sort(),
  ];
  // Files with no cluster identity at all: fall back to the inputs themselves.
  if (parts.every((p) => p.length === 0)) parts.push(...state.source.inputs.map((i) => i.sha256).sort());
  return `sha256:${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16)}`;
}
