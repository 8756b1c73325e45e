// `clusterproof scan <files or dirs…>`: the static gate for infrastructure PRs.
import type { Command } from 'commander';
import { parseFormats } from '../../../reports/write.ts';
import { scan } from '../../run/scan.ts';
import { addGateOptions, type GateFlags } from '../gateOptions.ts';
import { addInputOptions, loadOptionsFrom, type InputFlags } from '../inputOptions.ts';
import { publishOutcome } from '../printOutcome.ts';

export function register(program: Command): void {
  const command = program
    .command('scan')
    .description('evaluate every control on collected objects (files, AWS CLI outputs, terraform plans, bundles) and write reports')
    .argument('<paths...>', 'files or directories to scan');
  addGateOptions(addInputOptions(command), 'ClusterSpec file (default: clusterproof.yaml in the scanned directory)').action(
    async (paths: string[], flags: GateFlags & InputFlags) => {
      const outcome = await scan({
        paths,
        load: loadOptionsFrom(flags),
        outDir: flags.out,
        formats: parseFormats(flags.format),
        failOn: flags.failOn,
        ...(flags.spec ? { specFile: flags.spec } : {}),
        ...(flags.profile ? { profile: flags.profile } : {}),
        ...(flags.suites ? { suiteDirs: flags.suites } : {}),
      });
      publishOutcome(outcome.report, outcome.written);
    },
  );
}
