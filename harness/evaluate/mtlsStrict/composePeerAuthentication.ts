// The PeerAuthentication that applies to one workload, as istiod computes it. Transcribed from istio.io/istio
// (v0.0.0-20260827124520-eed52ebb66ad):
//   pilot/pkg/model/authentication.go getConfigsForWorkload: candidates are the policies of the workload's namespace
//     and of the root namespace whose selector labels are a subset of the workload's (an empty selector matches all);
//   pilot/pkg/security/authn/policy_applier.go ComposePeerAuthentication:
//     - no selector (or empty matchLabels): mesh-level in the root namespace, namespace-level elsewhere;
//     - a selector in the root namespace: ignored (istio/api PeerAuthentication docs say the same);
//     - per level the oldest wins (creationTimestamp, then name, then namespace: pilot/pkg/model/config.go
//       configCompareByCreationTime);
//     - mesh → namespace → workload, each non-UNSET mode replacing the one above; nothing set: PERMISSIVE;
//     - portLevelMtls only from the workload policy; an UNSET port takes the composed workload mode.
import type { PeerAuthentication } from '../../model/state.ts';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';
type PolicyLevel = 'mesh' | 'namespace' | 'workload' | 'workload, port-level';

/** A mode and where it came from; no policy means Istio's default (PERMISSIVE). */
export interface Decided {
  mode: MtlsMode;
  level?: PolicyLevel;
  policy?: PeerAuthentication;
}

/** A policy that matched at a level where an older one won: istiod logs and ignores it. */
interface IgnoredPolicy {
  ignored: PeerAuthentication;
  winner: PeerAuthentication;
  level: 'mesh' | 'namespace' | 'workload';
}

export interface ComposedPeerAuthentication {
  /** The mode of every port without a port-level setting. */
  mode: Decided;
  /** Port-level modes from the workload policy, keyed by container (target) port. */
  perPort: Map<number, Decided>;
  /** The workload-level policy that applies (the oldest matching one), if any. */
  workload?: PeerAuthentication;
  ignored: IgnoredPolicy[];
  /** Policies with a selector in the root namespace that matched the workload but do not apply. */
  rootSelectorIgnored: PeerAuthentication[];
}

export function hasSelector(pa: PeerAuthentication): boolean {
  return Object.keys(pa.spec.selector?.matchLabels ?? {}).length > 0;
}

/** getConfigsForWorkload: selector labels ⊆ workload labels; an empty selector matches every workload. */
export function selects(pa: PeerAuthentication, labels: Record<string, string>): boolean {
  return Object.entries(pa.spec.selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function setMode(mode: string | undefined): MtlsMode | undefined {
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : undefined;
}

/** An Istio object as far as ordering goes. */
type Dated = { metadata: { name: string; namespace?: string; creationTimestamp?: string } };

/** configCompareByCreationTime: older first; a missing timestamp is Go's zero time (oldest). */
export function olderFirst(a: Dated, b: Dated): number {
  const time = (p: Dated) => {
    const t = Date.parse(p.metadata.creationTimestamp ?? '');
    return Number.isNaN(t) ? -Infinity : t;
  };
  const ta = time(a);
  const tb = time(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const byName = a.metadata.name.localeCompare(b.metadata.name, 'en');
  return byName !== 0 ? byName : (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '', 'en');
}

/** The policies istiod considers for a workload: its namespace's and the root namespace's, selector ⊆ labels. */
export function candidatePolicies(
  all: readonly PeerAuthentication[],
  rootNamespace: string,
  namespace: string,
  labels: Record<string, string>,
): PeerAuthentication[] {
  return all.filter((p) => {
    const ns = p.metadata.namespace ?? 'default';
    return (ns === namespace || ns === rootNamespace) && selects(p, labels);
  });
}

export function composePeerAuthentication(rootNamespace: string, candidates: readonly PeerAuthentication[]): ComposedPeerAuthentication {
  const byLevel: Record<'mesh' | 'namespace' | 'workload', PeerAuthentication[]> = { mesh: [], namespace: [], workload: [] };
  const rootSelectorIgnored: PeerAuthentication[] = [];
  for (const p of [...candidates].sort(olderFirst)) {
    const inRoot = (p.metadata.namespace ?? 'default') === rootNamespace;
    if (!hasSelector(p)) byLevel[inRoot ? 'mesh' : 'namespace'].push(p);
    else if (inRoot) rootSelectorIgnored.push(p);
    else byLevel.workload.push(p);
  }
  const ignored: IgnoredPolicy[] = [];
  const winner = (level: 'mesh' | 'namespace' | 'workload'): PeerAuthentication | undefined => {
    const [first, ...rest] = byLevel[level];
    if (first) ignored.push(...rest.map((ignoredPolicy) => ({ ignored: ignoredPolicy, winner: first, level })));
    return first;
  };
  let mode: Decided = { mode: 'PERMISSIVE' };
  for (const level of ['mesh', 'namespace', 'workload'] as const) {
    const policy = winner(level);
    const set = setMode(policy?.spec.mtls?.mode);
    if (policy && set) mode = { mode: set, level, policy };
  }
  const perPort = new Map<number, Decided>();
  const workload = byLevel.workload[0];
  for (const [port, setting] of Object.entries(workload?.spec.portLevelMtls ?? {})) {
    const set = setMode(setting?.mode);
    perPort.set(Number(port), set && workload ? { mode: set, level: 'workload, port-level', policy: workload } : mode);
  }
  return { mode, perPort, ...(workload ? { workload } : {}), ignored, rootSelectorIgnored };
}

/** `PeerAuthentication ns/name (level)`, or `mesh default` when no policy set the mode. */
export function describeDecision(d: Decided): string {
  return d.policy
    ? `PeerAuthentication ${d.policy.metadata.namespace ?? 'default'}/${d.policy.metadata.name} (${d.level})`
    : 'mesh default';
}
