// The options `scan` and `run` share: what to evaluate against, which layers, where the reports go, what fails.
import { Option, type Command } from 'commander';
import { REPORT_FORMATS } from '../../reports/write.ts';
import { SEVERITIES, type Severity } from '../model/findings.ts';
import type { Profile } from '../model/spec.ts';
import { PROFILE_LAYERS } from '../run/profiles.ts';

export interface GateFlags {
  spec?: string;
  profile?: Profile;
  out: string;
  format: string;
  failOn: Severity;
  suites?: string[];
}

export function addGateOptions(command: Command, specHelp: string): Command {
  return command
    .option('--spec <file>', specHelp)
    .addOption(
      new Option('--profile <name>', "profile deciding which layers run (default: the spec's, else pr-gate)").choices(
        Object.keys(PROFILE_LAYERS),
      ),
    )
    .option('--out <dir>', 'report directory', './clusterproof-report')
    .option('--format <list>', `report formats, comma-separated (${REPORT_FORMATS.join(',')})`, REPORT_FORMATS.join(','))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the gate').choices([...SEVERITIES]).default('low'))
    .option('--suites <dirs...>', 'extra suite directories to run beside the shipped ones');
}
