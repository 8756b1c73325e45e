// `clusterproof iam assumable <files or dirs…> --role NAME_OR_ARN`: which ServiceAccounts can obtain the role's
// credentials in the one EKS cluster of the inputs (IRSA trust for the cluster's issuer and audience
// sts.amazonaws.com, or a Pod Identity association plus trust on EKS's session tags).
// Exit codes: 0 the answer was computed (whatever it is), 2 bad input. It reports, it does not gate.
import { Command, Option } from 'commander';
import Table from 'cli-table3';
import { loadStateFromPaths } from '../../collect/files/loadFiles.ts';
import { assumableBy, type AssumableResult } from '../../evaluate/iam/assumableBy.ts';
import { addInputOptions, loadOptionsFrom, type InputFlags } from '../inputOptions.ts';

export function register(program: Command): void {
  const iam = program.command('iam').description('IAM questions answered from collected objects');
  addInputOptions(iam.command('assumable'))
    .description('judge every ServiceAccount in the inputs: can it assume the role in the one EKS cluster of the inputs?')
    .argument(
      '<paths...>',
      'files or directories: aws iam get-role, aws eks describe-cluster, aws eks describe-pod-identity-association outputs and ServiceAccount objects',
    )
    .requiredOption('--role <NAME_OR_ARN>', 'the IAM role, by name or ARN')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table']).default('json'))
    .addHelpText(
      'after',
      '\nExit codes: 0 answered (whatever the answer), 2 invalid input (no or several EKS clusters, unknown role, unreadable files).\nIRSA ignores the role annotation on purpose: any pod can request a token for its service account.',
    )
    .action(async (paths: string[], options: { role: string; format: 'json' | 'table' } & InputFlags) => {
      const state = await loadStateFromPaths(paths, loadOptionsFrom(options));
      const { results } = await assumableBy(state, options.role);
      process.stdout.write(options.format === 'json' ? `${JSON.stringify({ results }, null, 2)}\n` : formatTable(results));
    });
}

function formatTable(results: AssumableResult[]): string {
  if (results.length === 0) return 'No ServiceAccounts in the inputs.\n';
  const table = new Table({
    head: ['service account', 'assumable', 'reason'],
    style: { head: [], border: [] },
    colWidths: [30, 11, 90],
    wordWrap: true,
  });
  for (const r of results) table.push([r.serviceAccount, r.assumable ? 'yes' : 'no', r.reason]);
  return `${table.toString()}\n`;
}
