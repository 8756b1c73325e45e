// `clusterproof mtls <files or dirs…> [--root-namespace NS] [--ports P,…] [--format json|table]`: the inbound mTLS
// mode Istio gives every workload port (evaluate/mtlsStrict/resolveWorkloadMtls.ts, the resolver the mtls-strict control
// uses), with the policy that decided it. Policies istiod ignores are listed on stderr.
// Exit codes: 0 answered (whatever the modes are), 2 bad input. It reports, it does not gate.
import { Command, Option } from 'commander';
import Table from 'cli-table3';
import { InputError } from '../../errors.ts';
import { loadStateFromPaths } from '../../collect/files/loadFiles.ts';
import { rootNamespaceOf } from '../../evaluate/mtlsStrict/meshRootNamespace.ts';
import { meshWorkloads } from '../../evaluate/mtlsStrict/meshWorkloads.ts';
import { resolveWorkloadMtls, type MtlsResolution } from '../../evaluate/mtlsStrict/resolveWorkloadMtls.ts';
import { parsePortList } from '../../netpol/matrix.ts';
import type { ClusterState } from '../../model/state.ts';
import { inputWarningText } from '../../../reports/inputWarnings.ts';
import { addInputOptions, loadOptionsFrom, type InputFlags } from '../inputOptions.ts';

interface MtlsRow {
  workload: string;
  port: number | null;
  mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'NONE';
  sidecar: boolean;
  plaintextAccepted: boolean;
  source: string;
}

interface MtlsOptions {
  rootNamespace?: string;
  ports?: string;
  format?: 'json' | 'table';
}

export function register(program: Command): void {
  addInputOptions(program.command('mtls'))
    .description(
      'the mTLS mode Istio gives every workload port (STRICT, PERMISSIVE, DISABLE, or NONE without a sidecar/ztunnel), and the policy behind it',
    )
    .argument(
      '<paths...>',
      'files or directories: Namespaces, workloads, Services (their targetPorts, named ones resolved per workload), PeerAuthentications, the istio mesh ConfigMap',
    )
    .option(
      '--root-namespace <ns>',
      "Istio's root namespace (default: rootNamespace of the istio / istio-<rev> mesh ConfigMap in the inputs, else istio-system)",
    )
    .option('--ports <list>', 'comma-separated container ports asked of every workload besides those it declares, e.g. --ports 8080,9090')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table']).default('json'))
    .addHelpText(
      'after',
      '\nExit codes: 0 answered (whatever the modes), 2 invalid input.\nPolicies Istio ignores (an older one wins at the same level; a workload selector in the root namespace) are listed on stderr.',
    )
    .action(async (paths: string[], options: MtlsOptions & InputFlags) => {
      const extraPorts = options.ports === undefined ? [] : parseTcpPorts(options.ports);
      const state = await loadStateFromPaths(paths, loadOptionsFrom(options));
      for (const w of state.warnings) process.stderr.write(`warning: ${inputWarningText(w)}\n`);
      const resolution = mtlsOf(state, options.rootNamespace, extraPorts);
      for (const w of resolution.warnings) process.stderr.write(`warning: ${w.message}\n`);
      const rows = mtlsRows(resolution);
      process.stdout.write(options.format === 'table' ? formatTable(rows) : `${JSON.stringify({ results: rows }, null, 2)}\n`);
    });
}

function mtlsOf(
  state: ClusterState,
  rootNamespace: string | undefined,
  extraPorts: number[] = [],
): MtlsResolution & { rootSource: string } {
  const root = rootNamespaceOf(state, rootNamespace === undefined ? undefined : { value: rootNamespace, source: '--root-namespace' });
  const resolution = resolveWorkloadMtls(state, root.namespace, meshWorkloads(state), extraPorts);
  return {
    ...resolution,
    warnings: [...root.warnings.map((message) => ({ namespace: root.namespace, message })), ...resolution.warnings],
    rootSource: root.source,
  };
}

function mtlsRows(resolution: MtlsResolution): MtlsRow[] {
  return resolution.workloads.flatMap((w) =>
    w.ports.map(
      (p): MtlsRow => ({
        workload: w.workload.id,
        port: p.port,
        mode: p.mode,
        sidecar: w.dataplane.dataplane === 'sidecar',
        plaintextAccepted: p.plaintextAccepted,
        source: p.source,
      }),
    ),
  );
}

function parseTcpPorts(text: string): number[] {
  const { ports, invalid } = parsePortList(text);
  const notTcp = ports.filter((p) => p.protocol !== 'TCP').map((p) => `${p.port}/${p.protocol}`);
  if (invalid.length > 0 || notTcp.length > 0) {
    throw new InputError([
      {
        file: '--ports',
        message: `invalid port(s) ${[...invalid, ...notTcp].map((s) => `"${s}"`).join(', ')}: expected TCP ports 1-65535 (mTLS is TCP only)`,
        fix: '--ports 8080,9090',
      },
    ]);
  }
  return ports.map((p) => p.port);
}

function formatTable(rows: MtlsRow[]): string {
  if (rows.length === 0) return 'No workloads in the inputs.\n';
  const table = new Table({ head: ['workload', 'port', 'mode', 'sidecar', 'plaintext', 'source'], style: { head: [], border: [] } });
  for (const r of rows)
    table.push([r.workload, r.port ?? 'any', r.mode, r.sidecar ? 'yes' : 'no', r.plaintextAccepted ? 'accepted' : 'refused', r.source]);
  return `${table.toString()}\n`;
}
