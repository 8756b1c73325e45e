// `clusterproof run`: the live gate. Either an existing cluster (--kubeconfig/--context) or one it provisions
// (--provider kind), then every control's static twin plus its probe/chaos/teardown layers, then reports.
// Exit codes as scan: 0 pass, 1 a control fails, 2 the run itself failed.
import type { Command } from 'commander';
import { parseFormats } from '../../../reports/write.ts';
import { runLive } from '../../run/live.ts';
import { addGateOptions, type GateFlags } from '../gateOptions.ts';
import { publishOutcome } from '../printOutcome.ts';
import { formatPhase } from './up.ts';

interface RunFlags extends GateFlags {
  kubeconfig?: string;
  context?: string;
  provider?: string;
  name?: string;
  allowDisruptive?: boolean;
  keep?: boolean;
  apply?: string[];
}

const err = (line: string): void => void process.stderr.write(`${line}\n`);

export function register(program: Command): void {
  const command = program
    .command('run')
    .description(
      'run every control against a live cluster (existing via --kubeconfig, or provisioned with --provider kind): static twins, probes, chaos drills, teardown',
    )
    .option('--kubeconfig <path>', 'an existing cluster to test (read-only except the namespaces the probes create and remove)')
    .option('--context <context>', 'kubeconfig context')
    .option('--provider <provider>', 'kind: provision a cluster for this run and remove it afterwards')
    .option('--name <name>', 'kind: cluster name (default cp-<run id>)')
    .option('--allow-disruptive', 'allow chaos drills (stopping nodes, etcd restore) on a cluster not labelled disposable')
    .option('--keep', 'keep a cluster this run provisioned (also when it fails or is interrupted)')
    .option(
      '--apply <paths...>',
      'with --provider kind: workloads to deploy before collecting (manifests, kustomizations, Helm charts, read as scan reads them)',
    );
  addGateOptions(command, 'ClusterSpec (default: ./clusterproof.yaml)').action(async (flags: RunFlags) => {
    const outcome = await runLive({
      outDir: flags.out,
      formats: parseFormats(flags.format),
      failOn: flags.failOn,
      allowDisruptive: flags.allowDisruptive === true,
      keep: flags.keep === true,
      log: (line) => err(`clusterproof run: ${line}`),
      onPhase: (e) => err(formatPhase(e)),
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      ...(flags.provider ? { provider: flags.provider } : {}),
      ...(flags.name ? { name: flags.name } : {}),
      ...(flags.apply ? { apply: flags.apply } : {}),
      ...(flags.spec ? { specFile: flags.spec } : {}),
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(flags.suites ? { suiteDirs: flags.suites } : {}),
    });
    publishOutcome(outcome.report, outcome.written);
  });
}
