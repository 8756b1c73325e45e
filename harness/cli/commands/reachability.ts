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
import { parseRange } from '../../netpol/ipBlocks.ts';
import type { PortProtocol } from '../../model/reachability.ts';
import { parsePortList } from '../../netpol/matrix.ts';
import { queryReachability } from '../../netpol/reachabilityQuery.ts';
import { inputWarningText } from '../../../reports/inputWarnings.ts';
import { parsePodFilter, POD_FILTER_HELP } from '../podFilter.ts';
import { addInputOptions, loadOptionsFrom, type InputFlags } from '../inputOptions.ts';
import { defaultFormat, PAIRWISE_LIMIT, writeReachability, type ReachabilityFormat } from '../reachabilityOutput.ts';

const PORTS_EXAMPLE = '--ports 80/TCP,81/TCP,53/UDP';

export function register(program: Command): void {
  addInputOptions(program.command('reachability'))
    .description('evaluate NetworkPolicies: which workload may reach which, on which ports, and why')
    .argument('<paths...>', 'files or directories of Kubernetes objects (YAML/JSON, kubectl get -A -o yaml)')
    .option(
      '--ports <list>',
      `comma-separated PORT[/PROTOCOL] (protocol TCP, UDP or SCTP; default TCP), e.g. ${PORTS_EXAMPLE}; default: each destination's declared container ports`,
    )
    .option('--from <selector>', `sources only: ${POD_FILTER_HELP}`)
    .option('--to <selector>', `destinations only: same forms as --from`)
    .option(
      '--pod-cidr <cidr...>',
      'pod address range(s): template workloads have no address, so ipBlock rules are judged against it (without it, such verdicts say they depend on the addresses)',
    )
    .addOption(
      new Option(
        '--format <format>',
        `output format (default: json up to ${PAIRWISE_LIMIT.toLocaleString('en-US')} verdicts, classes above)`,
      ).choices(['json', 'ndjson', 'classes', 'table']),
    )
    .addHelpText(
      'after',
      `
Workloads are Pods (ns/name) and pod templates (ns/name[Deployment], …[StatefulSet], …[CronJob], …).
Every verdict names the policy and rule that allowed it, or the policies that isolate the workload.
hostNetwork pods are outside NetworkPolicy and reported as such.

Formats:
  json     {"results":[{from,to,port,protocol,allowed,reason}]}; refused above ${PAIRWISE_LIMIT.toLocaleString('en-US')} verdicts (exit 2)
  ndjson   one verdict object per line, streamed: any size
  classes  {"classes":[{id,members}],"rules":[{from,to,port,protocol,allowed,reason}]}: workloads that get the same
           verdicts form one class; a rule holds for every member pair (reasons name classes, not workloads)
  table    one truth table per port (rows from, columns to, . allowed, X blocked); refused above the same limit
Without --format: json, or classes when the query holds more than ${PAIRWISE_LIMIT.toLocaleString('en-US')} verdicts (said on stderr).`,
    )
    .action(
      async (
        paths: string[],
        options: { ports?: string; from?: string; to?: string; podCidr?: string[]; format?: ReachabilityFormat } & InputFlags,
      ) => {
        const ports = options.ports === undefined ? undefined : parsePortsOption(options.ports);
        const from = options.from === undefined ? undefined : parsePodFilter('--from', options.from);
        const to = options.to === undefined ? undefined : parsePodFilter('--to', options.to);
        const podCidrs = parsePodCidrs(options.podCidr);
        const state = await loadStateFromPaths(paths, loadOptionsFrom(options));
        if (podCidrs.length > 0) state.podCidrs = podCidrs;
        for (const w of state.warnings) process.stderr.write(`warning: ${inputWarningText(w)}\n`);
        const q = queryReachability(state, { ...(ports ? { ports } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
        if (options.from !== undefined && q.from.length === 0) throw noMatch('--from', options.from);
        if (options.to !== undefined && q.to.length === 0) throw noMatch('--to', options.to);
        if (q.undeclared.length > 0) process.stderr.write(`${undeclaredLine(q.undeclared)}\n`);
        await writeReachability(q, chooseFormat(options.format, q.size), write);
      },
    );
}

function chooseFormat(asked: ReachabilityFormat | undefined, size: number): ReachabilityFormat {
  if (asked === undefined && defaultFormat(size) === 'classes') {
    process.stderr.write(
      `reachability: ${size.toLocaleString('en-US')} verdicts, more than ${PAIRWISE_LIMIT.toLocaleString('en-US')}: printing --format classes (pass --format ndjson for every pair, or narrow with --from/--to)\n`,
    );
    return 'classes';
  }
  if (size > PAIRWISE_LIMIT && (asked === 'json' || asked === 'table')) {
    throw new InputError([
      {
        file: '--format',
        message: `${asked} would list ${size.toLocaleString('en-US')} verdicts, more than ${PAIRWISE_LIMIT.toLocaleString('en-US')}`,
        fix: 'use --format classes (workloads grouped by identical verdicts) or --format ndjson (one verdict per line), or narrow with --from/--to',
      },
    ]);
  }
  return asked ?? 'json';
}

function undeclaredLine(ids: readonly string[]): string {
  const shown = ids.slice(0, 10).join(', ');
  const more = ids.length > 10 ? ` and ${ids.length - 10} more` : '';
  return `reachability: ${ids.length} destination(s) declare no container ports, so no verdicts for them: ${shown}${more} (pass --ports to ask them on given ports)`;
}

function noMatch(flag: string, value: string): InputError {
  return new InputError([{ file: flag, message: `"${value}" matches no workload in the inputs`, fix: `give ${POD_FILTER_HELP}` }]);
}

function parsePodCidrs(texts: string[] | undefined): string[] {
  const invalid = (texts ?? []).filter((t) => parseRange(t) === undefined);
  if (invalid.length > 0)
    throw new InputError([
      { file: '--pod-cidr', message: `not a CIDR: ${invalid.map((t) => `"${t}"`).join(', ')}`, fix: '--pod-cidr 10.244.0.0/16' },
    ]);
  return texts ?? [];
}

function parsePortsOption(text: string): PortProtocol[] {
  const { ports, invalid } = parsePortList(text);
  if (invalid.length > 0) {
    throw new InputError([
      {
        file: '--ports',
        message: `invalid port${invalid.length > 1 ? 's' : ''} ${invalid.map((s) => `"${s}"`).join(', ')}: expected PORT[/PROTOCOL] with PORT 1-65535 and PROTOCOL TCP, UDP or SCTP`,
        fix: PORTS_EXAMPLE,
      },
    ]);
  }
  return ports;
}

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}
