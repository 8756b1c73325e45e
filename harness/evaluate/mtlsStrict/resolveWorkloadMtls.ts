// The inbound mTLS mode of every workload port: which dataplane serves it (meshEnrollment.ts dataplaneOf) and the
// PeerAuthentication istiod composes for it (composePeerAuthentication.ts). Without a sidecar or ztunnel nothing
// terminates mTLS: the port is `NONE`, plaintext only. Ambient workloads get the same composition: istiod turns
// workload policies with portLevelMtls into ztunnel policies (istio.io/istio pilot/pkg/serviceregistry/ambient/
// policies.go PeerAuthDerivedPolicies). The ports judged are the workload's container ports, the container ports its
// Services reach (a named targetPort resolved on this workload: serviceTargetPorts.ts), the ports asked for, and the
// ports its workload policy names. Used by the mtls-strict control and `clusterproof mtls`.
import type { ClusterState, PeerAuthentication } from '../../model/state.ts';
import {
  candidatePolicies,
  composePeerAuthentication,
  describeDecision,
  hasSelector,
  olderFirst,
  type ComposedPeerAuthentication,
  type Decided,
  type MtlsMode,
} from './composePeerAuthentication.ts';
import { dataplaneOf, type Dataplane } from './meshEnrollment.ts';
import type { MeshWorkload } from './meshWorkloads.ts';
import { serviceTargets } from './serviceTargetPorts.ts';

interface PortMtls {
  /** A container (target) port; null when the workload declares none and none was asked for: every port. */
  port: number | null;
  mode: MtlsMode | 'NONE';
  plaintextAccepted: boolean;
  /** `PeerAuthentication ns/name (workload, port-level)`, `mesh default`, or why there is no dataplane. */
  source: string;
  decided?: Decided;
  /** Service ports that reach this container port (`Service shop/cart port 80 → targetPort http`). */
  services: string[];
}

export interface WorkloadMtls {
  workload: MeshWorkload;
  dataplane: Dataplane;
  composed: ComposedPeerAuthentication;
  ports: PortMtls[];
  /** Service ports whose named targetPort this workload does not declare: they send it nothing. */
  unresolvedServicePorts: string[];
}

export interface MtlsResolution {
  rootNamespace: string;
  workloads: WorkloadMtls[];
  /** Policies istiod ignores (an older one wins at the same level; a selector in the root namespace). */
  warnings: PolicyWarning[];
  /** Namespace- and mesh-level policies an older one overrides, and selectors in the root namespace: never applied. */
  neverApplied: ReadonlySet<PeerAuthentication>;
}

export interface PolicyWarning {
  /** The ignored policy's namespace. */
  namespace: string;
  message: string;
}

const name = (p: PeerAuthentication) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;

export function resolveWorkloadMtls(
  state: ClusterState,
  rootNamespace: string,
  workloads: readonly MeshWorkload[],
  extraPorts: readonly number[] = [],
): MtlsResolution {
  const policies = state.kubernetes.istio.peerAuthentications;
  const nsLabels = new Map(state.kubernetes.namespaces.map((n) => [n.metadata?.name ?? '', n.metadata?.labels ?? {}]));
  const conflicts = levelConflicts(policies, rootNamespace);
  const warnings = new Map<string, PolicyWarning>(conflicts.map(({ namespace, message }) => [message, { namespace, message }]));
  const resolved = workloads.map((w): WorkloadMtls => {
    const dataplane = dataplaneOf(nsLabels.get(w.namespace) ?? {}, w.labels, w.annotations, w.hasSidecar);
    const composed = composePeerAuthentication(rootNamespace, candidatePolicies(policies, rootNamespace, w.namespace, w.labels));
    for (const i of composed.ignored.filter((c) => c.level === 'workload')) {
      const message = `PeerAuthentication ${name(i.ignored)} is ignored for ${w.id}: the older workload policy ${name(i.winner)} selects it too (oldest wins)`;
      warnings.set(message, { namespace: w.namespace, message });
    }
    const targets = serviceTargets(state.kubernetes.services, w);
    const ports = [
      ...new Set([
        ...w.ports,
        ...targets.flatMap((t) => (t.port === undefined ? [] : [t.port])),
        ...extraPorts,
        ...composed.perPort.keys(),
      ]),
    ];
    const verdict = (port: number | null): PortMtls => {
      const services = targets.filter((t) => t.port === port).map((t) => t.via);
      if (dataplane.dataplane === 'none')
        return { port, mode: 'NONE', plaintextAccepted: true, source: `no sidecar or ztunnel: ${dataplane.reason}`, services };
      const decided = (port !== null ? composed.perPort.get(port) : undefined) ?? composed.mode;
      return {
        port,
        mode: decided.mode,
        plaintextAccepted: decided.mode !== 'STRICT',
        source: describeDecision(decided),
        decided,
        services,
      };
    };
    return {
      workload: w,
      dataplane,
      composed,
      ports: ports.length > 0 ? ports.map(verdict) : [verdict(null)],
      unresolvedServicePorts: targets.filter((t) => t.port === undefined).map((t) => t.via),
    };
  });
  return { rootNamespace, workloads: resolved, warnings: [...warnings.values()], neverApplied: new Set(conflicts.map((c) => c.policy)) };
}

/** Namespace- and mesh-level duplicates (pilot/pkg/model/authentication.go addPeerAuthentication) and root selectors. */
function levelConflicts(
  policies: readonly PeerAuthentication[],
  rootNamespace: string,
): (PolicyWarning & { policy: PeerAuthentication })[] {
  const out: (PolicyWarning & { policy: PeerAuthentication })[] = [];
  const winners = new Map<string, PeerAuthentication>();
  for (const p of [...policies].sort(olderFirst)) {
    const ns = p.metadata.namespace ?? 'default';
    if (hasSelector(p)) {
      if (ns === rootNamespace)
        out.push({
          policy: p,
          namespace: ns,
          message: `PeerAuthentication ${name(p)} is ignored: a policy with a workload selector in the root namespace ${rootNamespace} never applies`,
        });
      continue;
    }
    const winner = winners.get(ns);
    const level = ns === rootNamespace ? 'mesh' : 'namespace';
    if (winner)
      out.push({
        policy: p,
        namespace: ns,
        message: `PeerAuthentication ${name(p)} is ignored: ${name(winner)} is the older ${level}-level policy (oldest wins)`,
      });
    else winners.set(ns, p);
  }
  return out;
}
