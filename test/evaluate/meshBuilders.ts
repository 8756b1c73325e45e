// Istio objects for the mtls-strict tests: a PeerAuthentication, and the mesh most cases start from.
import type { ClusterState, PeerAuthentication } from '../../harness/model/state.ts';
import { deployment, namespace, state } from './stateBuilder.ts';

export const pa = (ns: string, name: string, spec: PeerAuthentication['spec']): PeerAuthentication => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace: ns },
  spec,
});

/** istio-system with a STRICT mesh policy, and `shop` injected with one Deployment (no container ports). */
export function mesh(edit: (s: ClusterState) => void = () => {}): ClusterState {
  return state((s) => {
    s.kubernetes.namespaces.push(namespace('istio-system'), namespace('shop', { 'istio-injection': 'enabled' }));
    s.kubernetes.istio.peerAuthentications.push(pa('istio-system', 'default', { mtls: { mode: 'STRICT' } }));
    s.kubernetes.deployments.push(deployment('shop', 'cart'));
    edit(s);
  });
}
