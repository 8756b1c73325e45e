// The reachability grids the report shows: the namespaces the spec requires to be default-deny, on the ports
// their pods actually serve. Kept small enough for a person to read; the full all-pairs lives in the engine.
import { InputError } from '../errors.ts';
import type { PortProtocol, ReachabilityMatrix } from '../model/reachability.ts';
import type { ClusterSpec } from '../model/spec.ts';
import type { ClusterState } from '../model/state.ts';
import { workloadsOf } from '../model/workloads.ts';
import { resolveScope } from '../evaluate/scope.ts';
import { analyseReachability, toMatrices } from './matrix.ts';
import { podEndpoints } from './endpoints.ts';

/** A grid wider than this is unreadable in HTML; the report then shows the first pods by name. */
const MAX_REPORT_PODS = 60;
const MAX_REPORT_PORTS = 3;

/** Matrices for the given namespaces and ports (default: the most common served ports, else 80/TCP). */
export function reachabilityMatricesFor(
  state: ClusterState,
  namespaces: readonly string[],
  ports?: readonly PortProtocol[],
): ReachabilityMatrix[] {
  const wanted = new Set(namespaces);
  const pods = podEndpoints(state).filter((p) => wanted.has(p.namespace));
  if (pods.length === 0) return [];
  const chosen = ports ?? servedPorts(pods.flatMap((p) => p.containerPorts));
  // Workloads (Pods and pod templates, named ns/name[Kind]), the first by namespace and name.
  return toMatrices(analyseReachability(state, chosen, undefined, pods.slice(0, MAX_REPORT_PODS)));
}

/** What `scan` puts in the report. Invalid policies yield no grid: the control's findings report them. */
export function reachabilityForReport(state: ClusterState, spec: ClusterSpec): ReachabilityMatrix[] {
  const dd = spec.spec.networkPolicy?.defaultDeny;
  if (!dd) return [];
  const known = new Set([...state.kubernetes.namespaces.map((n) => n.metadata?.name ?? ''), ...workloadsOf(state).map((w) => w.namespace)]);
  const { inScope } = resolveScope(known, { namespaces: dd.namespaces, exclude: dd.exclude });
  try {
    return reachabilityMatricesFor(state, inScope);
  } catch (error) {
    if (error instanceof InputError) return [];
    throw error;
  }
}

function servedPorts(ports: readonly { port: number; protocol: PortProtocol['protocol'] }[]): PortProtocol[] {
  const counts = new Map<string, { pp: PortProtocol; n: number }>();
  for (const p of ports) {
    const key = `${p.port}/${p.protocol}`;
    const entry = counts.get(key) ?? { pp: { port: p.port, protocol: p.protocol }, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  const top = [...counts.values()]
    .sort((a, b) => b.n - a.n || a.pp.port - b.pp.port)
    .slice(0, MAX_REPORT_PORTS)
    .map((e) => e.pp);
  return top.length > 0 ? top : [{ port: 80, protocol: 'TCP' }];
}
