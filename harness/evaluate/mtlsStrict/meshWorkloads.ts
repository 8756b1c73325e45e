// The workloads mTLS applies to: collected Pods and every pod template (model/workloads.ts). hostNetwork pods are
// outside the mesh by design and skipped.
import type { V1PodSpec } from '@kubernetes/client-node';
import type { ObjectRef } from '../../model/findings.ts';
import type { ClusterState } from '../../model/state.ts';
import { workloadsOf } from '../../model/workloads.ts';
import { ISTIO_PROXY_CONTAINER } from '../../model/istio.ts';
import { LazyKubeRef } from '../evidence/objectRef.ts';

export interface MeshWorkload {
  readonly ref: ObjectRef;
  /** `ns/name` for a Pod, `ns/name[Kind]` for a pod template (model/workloads.ts). */
  id: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ports: number[];
  /** Named container ports (Service targetPorts by name resolve through them). */
  namedPorts: NamedPort[];
  /** Running pods only: whether an istio-proxy container is present. undefined for templates and pending manifests. */
  hasSidecar?: boolean | undefined;
}

export interface NamedPort {
  name: string;
  port: number;
  protocol: string;
}

/**
 * The sidecar's own ports (15020 agent status, 15021 health, 15090 Envoy metrics) are the mesh's, not the
 * workload's: Istio never captures them for mTLS (they answer plaintext by design; the live layer saw 15020 do so).
 */
const workloadContainers = (spec: V1PodSpec | undefined) => (spec?.containers ?? []).filter((c) => c.name !== ISTIO_PROXY_CONTAINER);

/** Named ports of the containers and of sidecar (restartPolicy Always) init containers, in FindPort's order. */
function namedPorts(spec: V1PodSpec | undefined): NamedPort[] {
  const sidecars = (spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always' && c.name !== ISTIO_PROXY_CONTAINER);
  return [...workloadContainers(spec), ...sidecars].flatMap((c) =>
    (c.ports ?? []).flatMap((p) => (p.name ? [{ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' }] : [])),
  );
}

function containerPorts(spec: V1PodSpec | undefined): number[] {
  // Distinct, in first-seen order (a plain loop: this runs once per pod of large clusters).
  const ports: number[] = [];
  for (const c of workloadContainers(spec))
    for (const p of c.ports ?? []) if (!ports.includes(p.containerPort)) ports.push(p.containerPort);
  return ports;
}

/** Whether a pod spec carries Istio's sidecar (as a container or a native sidecar init container). */
export function sidecarPresent(spec: V1PodSpec | undefined): boolean {
  return (
    (spec?.containers ?? []).some((c) => c.name === ISTIO_PROXY_CONTAINER) ||
    (spec?.initContainers ?? []).some((c) => c.name === ISTIO_PROXY_CONTAINER)
  );
}

/** A workload whose ref is built only if a finding names it (most workloads comply). */
class Workload extends LazyKubeRef implements MeshWorkload {
  readonly id: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly ports: number[];
  readonly namedPorts: NamedPort[];
  readonly hasSidecar: boolean | undefined;
  constructor(
    state: ClusterState,
    kind: string,
    object: { metadata?: { name?: string; namespace?: string } },
    fields: Omit<MeshWorkload, 'ref'>,
  ) {
    super(state, kind, object);
    this.id = fields.id;
    this.namespace = fields.namespace;
    this.labels = fields.labels;
    this.annotations = fields.annotations;
    this.ports = fields.ports;
    this.namedPorts = fields.namedPorts;
    // Always set (undefined when unknown): one object shape for every workload.
    this.hasSidecar = fields.hasSidecar;
  }
}

/** The workloads of the namespaces in `inScope`, all without it (filtered before any workload is built: scopes are often a few namespaces of many). */
export function meshWorkloads(state: ClusterState, inScope?: ReadonlySet<string>): MeshWorkload[] {
  const out: MeshWorkload[] = [];
  for (const w of workloadsOf(state)) {
    const p = w.pod;
    if (p.spec?.hostNetwork || (inScope && !inScope.has(w.namespace))) continue;
    out.push(
      new Workload(state, w.kind, w.object, {
        id: w.id,
        namespace: w.namespace,
        labels: p.metadata?.labels ?? {},
        annotations: p.metadata?.annotations ?? {},
        ports: containerPorts(p.spec),
        namedPorts: namedPorts(p.spec),
        // Only a pod the kubelet started (it has a phase) shows whether injection really happened.
        hasSidecar: !w.fromTemplate && p.status?.phase ? sidecarPresent(p.spec) : undefined,
      }),
    );
  }
  return out;
}
