// `clusterproof scan <files or dirs…>`: the static gate for infrastructure PRs.
import type { Command } from 'commander';
import { Option } from 'commander';
import { REPORT_FORMATS, parseFormats } from '../../../reports/write.ts';
import { SEVERITIES, type Severity } from '../../model/findings.ts';
import type { Profile } from '../../model/spec.ts';
import { PROFILE_LAYERS } from '../../run/profiles.ts';
import { scan } from '../../run/scan.ts';
import { publishOutcome } from '../printOutcome.ts';

interface ScanFlags {
  spec?: string;
  profile?: Profile;
  out: string;
  format: string;
  failOn: Severity;
  suites?: string[];
}

export function register(program: Command): void {
  program
    .command('scan')
    .description('evaluate every control on collected objects (files, AWS CLI outputs, terraform plans, bundles) and write reports')
    .argument('<paths...>', 'files or directories to scan')
    .option('--spec <file>', 'ClusterSpec file (default: clusterproof.yaml in the scanned directory)')
    .addOption(new Option('--profile <name>', 'profile deciding which layers run').choices(Object.keys(PROFILE_LAYERS)))
    .option('--out <dir>', 'report directory', './clusterproof-report')
    .option('--format <list>', `report formats, comma-separated (${REPORT_FORMATS.join(',')})`, REPORT_FORMATS.join(','))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the gate').choices([...SEVERITIES]).default('low'))
    .option('--suites <dirs...>', 'extra suite directories to run beside the shipped ones')
    .action(async (paths: string[], flags: ScanFlags) => {
      const outcome = await scan({
        paths,
        outDir: flags.out,
        formats: parseFormats(flags.format),
        failOn: flags.failOn,
        ...(flags.spec ? { specFile: flags.spec } : {}),
        ...(flags.profile ? { profile: flags.profile } : {}),
        ...(flags.suites ? { suiteDirs: flags.suites } : {}),
      });
      publishOutcome(outcome.report, outcome.written);
    });
}
