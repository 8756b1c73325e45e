// `clusterproof reachability <files or dirs…> --ports 80/TCP,81/TCP [--format json|table]`: what the
// NetworkPolicies in the inputs allow, for every ordered pod pair (a pod to itself included) and port.
// json: {"results": [{from, to, port, protocol, allowed, reason}]}; table: one truth table per port, as the
// upstream e2e suite prints them (rows from, columns to, `.` allowed, `X` blocked).
import { once } from 'node:events';
import { Command, Option } from 'commander';
import { InputError } from '../../errors.ts';
import { loadStateFromPaths } from '../../collect/files/loadFiles.ts';
import type { PortProtocol, ReachabilityVerdict } from '../../model/reachability.ts';
import { analyseReachability, parsePortList, renderTruthTable, toMatrices, verdicts } from '../../evaluate/netpol/matrix.ts';

const PORTS_EXAMPLE = '--ports 80/TCP,81/TCP,53/UDP';

export function register(program: Command): void {
  program
    .command('reachability')
    .description('evaluate NetworkPolicies: which pod may reach which, on the given ports, and why')
    .argument('<paths...>', 'files or directories of Kubernetes objects (YAML/JSON, kubectl get -A -o yaml)')
    .requiredOption('--ports <list>', `comma-separated PORT[/PROTOCOL] (protocol TCP, UDP or SCTP; default TCP), e.g. ${PORTS_EXAMPLE}`)
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table']).default('json'))
    .addHelpText('after', '\nEvery verdict names the policy and rule that allowed it, or the policies that isolate the pod.\nhostNetwork pods are outside NetworkPolicy and reported as such.')
    .action(async (paths: string[], options: { ports: string; format: 'json' | 'table' }) => {
      const ports = parsePortsOption(options.ports);
      const state = await loadStateFromPaths(paths);
      const pairs = analyseReachability(state, ports);
      if (options.format === 'table') {
        const tables = toMatrices(pairs).map(renderTruthTable);
        await write(`${tables.join('\n\n')}\n`);
      } else {
        await writeJson(verdicts(pairs));
      }
    });
}

export function parsePortsOption(text: string): PortProtocol[] {
  const { ports, invalid } = parsePortList(text);
  if (invalid.length > 0) {
    throw new InputError([{ file: '--ports', message: `invalid port${invalid.length > 1 ? 's' : ''} ${invalid.map((s) => `"${s}"`).join(', ')}: expected PORT[/PROTOCOL] with PORT 1-65535 and PROTOCOL TCP, UDP or SCTP`, fix: PORTS_EXAMPLE }]);
  }
  return ports;
}

/** Streams the results: a large cluster has millions of pairs, which must not become one string. */
async function writeJson(results: Iterable<ReachabilityVerdict>): Promise<void> {
  let chunk = '{"results": [';
  let first = true;
  for (const v of results) {
    chunk += `${first ? '\n' : ',\n'}  ${JSON.stringify({ from: v.from, to: v.to, port: v.port, protocol: v.protocol, allowed: v.allowed, reason: v.reason })}`;
    first = false;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(`${chunk}${first ? '' : '\n'}]}\n`);
}

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}
