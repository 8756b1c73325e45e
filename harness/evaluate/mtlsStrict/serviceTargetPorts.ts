// The container port a Service port reaches on one workload, as Kubernetes resolves it (k8s.io/kubernetes
// pkg/api/v1/pod FindPort, used by the EndpointSlice controller): a numeric targetPort is that port; a named one is
// the port of that name and protocol among the workload's containers, then its sidecar (restartPolicy Always) init
// containers (meshWorkloads.ts namedPorts keeps that order), so pods behind one Service may answer a name
// on different numbers; no targetPort is the Service port itself. A workload without the name is no endpoint of
// that Service port. Istio's sidecar applies port-level PeerAuthentication to this container port (istio.io docs:
// "the port value in the peer authentication policy is the container's port").
import type { V1Service, V1ServicePort } from '@kubernetes/client-node';
import { selectorMatches } from './destinationRuleSelection.ts';
import type { MeshWorkload } from './meshWorkloads.ts';

export function targetPortOn(svcPort: V1ServicePort, w: Pick<MeshWorkload, 'namedPorts'>): number | undefined {
  const target = svcPort.targetPort;
  if (typeof target === 'number') return target;
  if (target === undefined || target === '') return svcPort.port;
  const protocol = svcPort.protocol ?? 'TCP';
  return w.namedPorts.find((p) => p.name === target && p.protocol === protocol)?.port;
}

/** Services of the workload's namespace whose (non-empty) selector picks it. */
export function servicesSelecting(services: readonly V1Service[], w: Pick<MeshWorkload, 'namespace' | 'labels'>): V1Service[] {
  return services.filter((s) => {
    const selector = s.spec?.selector ?? {};
    return s.metadata?.namespace === w.namespace && Object.keys(selector).length > 0 && selectorMatches(selector, w.labels);
  });
}

export interface ServiceTarget {
  /** The container port, undefined when a named targetPort is not on this workload. */
  port: number | undefined;
  /** `Service shop/cart port 80 → targetPort http`. */
  via: string;
}

/** Every Service port that reaches the workload (TCP only: mTLS is TCP), resolved on it. */
export function serviceTargets(services: readonly V1Service[], w: MeshWorkload): ServiceTarget[] {
  return servicesSelecting(services, w).flatMap((s) =>
    (s.spec?.ports ?? [])
      .filter((p) => (p.protocol ?? 'TCP') === 'TCP')
      .map((p) => ({
        port: targetPortOn(p, w),
        via: `Service ${s.metadata?.namespace}/${s.metadata?.name} port ${p.port}${p.targetPort !== undefined ? ` → targetPort ${p.targetPort}` : ''}`,
      })),
  );
}
