// Istio PeerAuthentication precedence, as istiod computes it for one workload port:
//   workload policy (selector matches) port-level mode → workload policy mode → namespace-wide policy
//   (no selector) → mesh-wide policy (root namespace, no selector) → Istio default PERMISSIVE.
// `UNSET` (or no mode) at any level inherits from the next one. portLevelMtls is honoured only on policies
// with a selector (istiod ignores it on namespace/mesh policies). When several policies tie at one level
// istiod takes the oldest; creation times are not collected, so the first one read wins and evidence says so.
import type { PeerAuthentication } from '../../model/state.ts';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';
export type DecisionLevel = 'workload-port' | 'workload' | 'namespace' | 'mesh' | 'istio-default';

export interface ModeDecision {
  mode: MtlsMode;
  level: DecisionLevel;
  /** The policy that set the mode; absent for the Istio default. */
  policy?: PeerAuthentication;
}

/** Istio's mesh root namespace. meshConfig.rootNamespace is not collected; istio-system is the default. */
export const MESH_ROOT_NAMESPACE = 'istio-system';

function setMode(mode: string | undefined): MtlsMode | undefined {
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : undefined;
}

export function hasSelector(pa: PeerAuthentication): boolean {
  return Object.keys(pa.spec.selector?.matchLabels ?? {}).length > 0;
}

export function selects(pa: PeerAuthentication, labels: Record<string, string>): boolean {
  return hasSelector(pa) && Object.entries(pa.spec.selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

export class PeerAuthenticationIndex {
  readonly #byNamespace = new Map<string, PeerAuthentication[]>();

  constructor(policies: PeerAuthentication[]) {
    for (const pa of policies) {
      const ns = pa.metadata.namespace ?? 'default';
      this.#byNamespace.set(ns, [...(this.#byNamespace.get(ns) ?? []), pa]);
    }
  }

  policiesIn(namespace: string): PeerAuthentication[] {
    return this.#byNamespace.get(namespace) ?? [];
  }

  /** The mode a namespace's pods get when no workload policy applies. */
  namespaceMode(namespace: string): ModeDecision {
    const nsPolicy = this.policiesIn(namespace).find((p) => !hasSelector(p) && setMode(p.spec.mtls?.mode));
    if (nsPolicy) return { mode: setMode(nsPolicy.spec.mtls?.mode)!, level: namespace === MESH_ROOT_NAMESPACE ? 'mesh' : 'namespace', policy: nsPolicy };
    const mesh = this.policiesIn(MESH_ROOT_NAMESPACE).find((p) => !hasSelector(p) && setMode(p.spec.mtls?.mode));
    if (mesh) return { mode: setMode(mesh.spec.mtls?.mode)!, level: 'mesh', policy: mesh };
    return { mode: 'PERMISSIVE', level: 'istio-default' };
  }

  /** The workload policy that applies to pods with these labels, if any (first read wins on ties). */
  workloadPolicy(namespace: string, labels: Record<string, string>): PeerAuthentication | undefined {
    return this.policiesIn(namespace).find((p) => selects(p, labels));
  }

  /** Effective mode for one port of a workload (`port` undefined: ports without a port-level override). */
  modeFor(namespace: string, labels: Record<string, string>, port?: number): ModeDecision {
    const policy = this.workloadPolicy(namespace, labels);
    if (policy) {
      const portMode = port === undefined ? undefined : setMode(policy.spec.portLevelMtls?.[String(port)]?.mode);
      if (portMode) return { mode: portMode, level: 'workload-port', policy };
      const mode = setMode(policy.spec.mtls?.mode);
      if (mode) return { mode, level: 'workload', policy };
    }
    return this.namespaceMode(namespace);
  }
}
