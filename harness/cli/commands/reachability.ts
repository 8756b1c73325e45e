// `clusterproof reachability <files or dirs…> [--ports 80/TCP,81/TCP] [--from SEL] [--to SEL] [--format …]`: what
// the NetworkPolicies in the inputs allow, for every ordered pair of workloads (a workload to itself included) and
// port. Without --ports, each destination is asked on the container ports it declares.
// json: {"results": [{from, to, port, protocol, allowed, reason}]}; ndjson: one such verdict per line;
// classes: {"classes": [{id, members}], "rules": [{from, to, port, protocol, allowed, reason}]} over classes of
// workloads that get the same verdicts; table: one truth table per port, as the upstream e2e suite prints them.
// Pairwise json and tables stop at PAIRWISE_LIMIT verdicts (5,000 pods × 2 ports would be 26 GB of JSON).
import { once } from 'node:events';
import { Command, Option } from 'commander';
import { InputError } from '../../errors.ts';
import { loadStateFromPaths } from '../../collect/files/loadFiles.ts';
import type { PortProtocol } from '../../model/reachability.ts';
import { parsePortList, renderQueryTables } from '../../evaluate/netpol/matrix.ts';
import { queryReachability, queryVerdicts, type ReachabilityQuery } from '../../evaluate/netpol/reachabilityQuery.ts';
import { verdictClasses } from '../../evaluate/netpol/verdictClasses.ts';
import { inputWarningText } from '../../../reports/inputWarnings.ts';
import { parsePodFilter, POD_FILTER_HELP } from '../podFilter.ts';
import { addInputOptions, loadOptionsFrom, type InputFlags } from '../inputOptions.ts';

const PORTS_EXAMPLE = '--ports 80/TCP,81/TCP,53/UDP';
/** Above this many verdicts a pairwise listing is refused (json, table) or not the default. */
export const PAIRWISE_LIMIT = 250_000;
type Format = 'json' | 'ndjson' | 'classes' | 'table';

export function register(program: Command): void {
  addInputOptions(program.command('reachability'))
    .description('evaluate NetworkPolicies: which workload may reach which, on which ports, and why')
    .argument('<paths...>', 'files or directories of Kubernetes objects (YAML/JSON, kubectl get -A -o yaml)')
    .option('--ports <list>', `comma-separated PORT[/PROTOCOL] (protocol TCP, UDP or SCTP; default TCP), e.g. ${PORTS_EXAMPLE}; default: each destination's declared container ports`)
    .option('--from <selector>', `sources only: ${POD_FILTER_HELP}`)
    .option('--to <selector>', `destinations only: same forms as --from`)
    .addOption(new Option('--format <format>', `output format (default: json up to ${PAIRWISE_LIMIT.toLocaleString('en-US')} verdicts, classes above)`).choices(['json', 'ndjson', 'classes', 'table']))
    .addHelpText('after', `
Workloads are Pods (ns/name) and pod templates (ns/name[Deployment], …[StatefulSet], …[CronJob], …).
Every verdict names the policy and rule that allowed it, or the policies that isolate the workload.
hostNetwork pods are outside NetworkPolicy and reported as such.

Formats:
  json     {"results":[{from,to,port,protocol,allowed,reason}]}; refused above ${PAIRWISE_LIMIT.toLocaleString('en-US')} verdicts (exit 2)
  ndjson   one verdict object per line, streamed: any size
  classes  {"classes":[{id,members}],"rules":[{from,to,port,protocol,allowed,reason}]}: workloads that get the same
           verdicts form one class; a rule holds for every member pair (reasons name classes, not workloads)
  table    one truth table per port (rows from, columns to, . allowed, X blocked); refused above the same limit
Without --format: json, or classes when the query holds more than ${PAIRWISE_LIMIT.toLocaleString('en-US')} verdicts (said on stderr).`)
    .action(async (paths: string[], options: { ports?: string; from?: string; to?: string; format?: Format } & InputFlags) => {
      const ports = options.ports === undefined ? undefined : parsePortsOption(options.ports);
      const from = options.from === undefined ? undefined : parsePodFilter('--from', options.from);
      const to = options.to === undefined ? undefined : parsePodFilter('--to', options.to);
      const state = await loadStateFromPaths(paths, loadOptionsFrom(options));
      for (const w of state.warnings) process.stderr.write(`warning: ${inputWarningText(w)}\n`);
      const q = queryReachability(state, { ...(ports ? { ports } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
      if (options.from !== undefined && q.from.length === 0) throw noMatch('--from', options.from);
      if (options.to !== undefined && q.to.length === 0) throw noMatch('--to', options.to);
      if (q.undeclared.length > 0) process.stderr.write(`${undeclaredLine(q.undeclared)}\n`);
      const format = chooseFormat(options.format, q.size);
      if (format === 'table') await write(`${renderQueryTables(q).join('\n\n')}\n`);
      else if (format === 'ndjson') await writeLines(queryVerdicts(q), (v) => `${JSON.stringify(pairwise(v))}\n`);
      else if (format === 'classes') await writeClasses(q);
      else await writeResults(q);
    });
}

function chooseFormat(asked: Format | undefined, size: number): Format {
  if (size <= PAIRWISE_LIMIT) return asked ?? 'json';
  if (asked === undefined) {
    process.stderr.write(`reachability: ${size.toLocaleString('en-US')} verdicts, more than ${PAIRWISE_LIMIT.toLocaleString('en-US')}: printing --format classes (pass --format ndjson for every pair, or narrow with --from/--to)\n`);
    return 'classes';
  }
  if (asked === 'json' || asked === 'table') {
    throw new InputError([{ file: '--format', message: `${asked} would list ${size.toLocaleString('en-US')} verdicts, more than ${PAIRWISE_LIMIT.toLocaleString('en-US')}`, fix: 'use --format classes (workloads grouped by identical verdicts) or --format ndjson (one verdict per line), or narrow with --from/--to' }]);
  }
  return asked;
}

function undeclaredLine(ids: readonly string[]): string {
  const shown = ids.slice(0, 10).join(', ');
  const more = ids.length > 10 ? ` and ${ids.length - 10} more` : '';
  return `reachability: ${ids.length} destination(s) declare no container ports, so no verdicts for them: ${shown}${more} (pass --ports to ask them on given ports)`;
}

function noMatch(flag: string, value: string): InputError {
  return new InputError([{ file: flag, message: `"${value}" matches no workload in the inputs`, fix: `give ${POD_FILTER_HELP}` }]);
}

export function parsePortsOption(text: string): PortProtocol[] {
  const { ports, invalid } = parsePortList(text);
  if (invalid.length > 0) {
    throw new InputError([{ file: '--ports', message: `invalid port${invalid.length > 1 ? 's' : ''} ${invalid.map((s) => `"${s}"`).join(', ')}: expected PORT[/PROTOCOL] with PORT 1-65535 and PROTOCOL TCP, UDP or SCTP`, fix: PORTS_EXAMPLE }]);
  }
  return ports;
}

function pairwise(v: { from: string; to: string; port: number; protocol: string; allowed: boolean; reason: string }): object {
  return { from: v.from, to: v.to, port: v.port, protocol: v.protocol, allowed: v.allowed, reason: v.reason };
}

async function writeResults(q: ReachabilityQuery): Promise<void> {
  await write('{"results": [');
  await writeList(queryVerdicts(q), (v) => JSON.stringify(pairwise(v)));
  await write(']}\n');
}

async function writeClasses(q: ReachabilityQuery): Promise<void> {
  const { classes, rules } = verdictClasses(q);
  await write('{"classes": [');
  await writeList(classes, (c) => JSON.stringify(c));
  await write('],\n"rules": [');
  await writeList(rules(), (r) => JSON.stringify(pairwise(r)));
  await write(']}\n');
}

/** A JSON array's items, one per line; streamed, because a large cluster has millions of them. */
async function writeList<T>(items: Iterable<T>, text: (item: T) => string): Promise<void> {
  let first = true;
  await writeLines(items, (item) => {
    const line = `${first ? '\n' : ',\n'}  ${text(item)}`;
    first = false;
    return line;
  });
  if (!first) await write('\n');
}

async function writeLines<T>(items: Iterable<T>, text: (item: T) => string): Promise<void> {
  let chunk = '';
  for (const item of items) {
    chunk += text(item);
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  if (chunk) await write(chunk);
}

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}
