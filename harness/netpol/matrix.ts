// Turns engine answers into the shared report types (ReachabilityMatrix, ReachabilityVerdict) and renders a
// truth table the way the upstream e2e suite prints one: rows are sources, columns destinations,
// `.` allowed and `X` blocked.
import Table from 'cli-table3';
import type { PortProtocol, ReachabilityMatrix, ReachabilityVerdict } from '../model/reachability.ts';
import type { ClusterState } from '../model/state.ts';
import { computeAllPairs, type AllPairs } from './allPairs.ts';
import { podEndpoints, podRanges, type PodEndpoint } from './endpoints.ts';
import { NetworkPolicyEngine } from './engine.ts';
import type { ReachabilityQuery } from './reachabilityQuery.ts';

/** All-pairs over every pod of the state (or of the given namespaces, or the given pods). */
export function analyseReachability(
  state: ClusterState,
  ports: readonly PortProtocol[],
  namespaces?: readonly string[],
  pods?: readonly PodEndpoint[],
): AllPairs {
  const engine = NetworkPolicyEngine.fromState(state);
  const wanted = namespaces ? new Set(namespaces) : undefined;
  return computeAllPairs(engine, pods ?? podEndpoints(state).filter((p) => !wanted || wanted.has(p.namespace)), ports, podRanges(state));
}

export function toMatrices(pairs: AllPairs): ReachabilityMatrix[] {
  const n = pairs.pods.length;
  return pairs.ports.map((pp, pi) => ({
    port: pp.port,
    protocol: pp.protocol,
    pods: pairs.pods.map((p) => p.id),
    allowed: Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => pairs.allowed(i, j, pi))),
  }));
}

/** Every ordered pair (self included) × every port, in row-major order per port. */
export function* verdicts(pairs: AllPairs): Generator<ReachabilityVerdict> {
  for (let pi = 0; pi < pairs.ports.length; pi++) {
    for (let i = 0; i < pairs.pods.length; i++) for (let j = 0; j < pairs.pods.length; j++) yield pairs.verdict(i, j, pi);
  }
}

export function renderTruthTable(matrix: ReachabilityMatrix): string {
  return renderGrid(`${matrix.port}/${matrix.protocol}`, matrix.pods, matrix.pods, (i, j) => matrix.allowed[i]?.[j] ?? false);
}

/** One table per port of a query: rows its sources, columns the destinations asked on that port. */
export function renderQueryTables(q: ReachabilityQuery): string[] {
  return q.pairs.ports.flatMap((pp, pi) => {
    const columns = q.to.filter((j) => (q.portsOf[j] as number[]).includes(pi));
    if (columns.length === 0) return [];
    const id = (k: number) => (q.pairs.pods[k] as PodEndpoint).id;
    return [
      renderGrid(`${pp.port}/${pp.protocol}`, q.from.map(id), columns.map(id), (i, j) =>
        q.pairs.allowed(q.from[i] as number, columns[j] as number, pi),
      ),
    ];
  });
}

function renderGrid(
  title: string,
  rows: readonly string[],
  columns: readonly string[],
  allowed: (row: number, column: number) => boolean,
): string {
  const table = new Table({ head: ['-', ...columns], style: { head: [], border: [], compact: true } });
  for (const [i, from] of rows.entries()) table.push([from, ...columns.map((_, j) => (allowed(i, j) ? '.' : 'X'))]);
  return `${title}\n${table.toString()}`;
}

/** Parses `80/TCP,81/udp,53` (protocol defaults to TCP); undefined entries mark what was invalid. */
export function parsePortList(text: string): { ports: PortProtocol[]; invalid: string[] } {
  const ports: PortProtocol[] = [];
  const invalid: string[] = [];
  for (const raw of text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)) {
    const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(raw);
    const port = m ? Number(m[1]) : NaN;
    if (!m || port < 1 || port > 65535) invalid.push(raw);
    else ports.push({ port, protocol: (m[2] ?? 'TCP').toUpperCase() as PortProtocol['protocol'] });
  }
  if (ports.length === 0 && invalid.length === 0) invalid.push(text);
  return { ports, invalid };
}
