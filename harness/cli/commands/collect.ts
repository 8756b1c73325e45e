// `clusterproof collect --out DIR`: gathers the cluster state (live by default, or `--from` files) into an evidence
// bundle that `scan DIR` reads back exactly. `--aws` reads an AWS account through the SDK instead (read-only calls). Nothing is written unless the whole state was collected.
import type { Command } from 'commander';
import { collectLive } from '../../collect/live/collectLive.ts';
import { loadStateFromPaths } from '../../collect/files/loadFiles.ts';
import { writeBundle } from '../../collect/bundle.ts';
import { collectAws } from '../../collect/aws/sdk/collectAws.ts';
import { RunError } from '../../errors.ts';
import { addInputOptions, loadOptionsFrom, type InputFlags } from '../inputOptions.ts';

interface CollectOptions extends InputFlags {
  kubeconfig?: string;
  context?: string;
  from?: string[];
  out: string;
  aws?: boolean;
  region?: string;
  profile?: string;
  eksCluster?: string;
  endpointUrl?: string;
}

export function register(program: Command): void {
  addInputOptions(program.command('collect'))
    .description('collect the cluster state into an evidence bundle (state.json + manifest.json with sha256) that `scan` reads')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then in-cluster)')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option(
      '--from <paths...>',
      'build the bundle from files/directories instead of a live cluster (manifests, kubectl -o yaml, AWS CLI JSON, terraform show -json)',
    )
    .option(
      '--aws',
      'read an AWS account through the SDK (EKS, VPCs, subnets, routes, peerings, security groups, load balancers, launch templates, instances, IAM roles and instance profiles; Describe/List/Get calls only)',
    )
    .option('--region <region>', "with --aws: the region (default: AWS_REGION, then the profile's)")
    .option('--profile <name>', 'with --aws: the named AWS profile (default: AWS_PROFILE, then the SDK default credential chain)')
    .option('--eks-cluster <name>', 'with --aws: only this EKS cluster (default: every cluster in the region)')
    .option('--endpoint-url <url>', 'with --aws: a local AWS API such as moto instead of AWS')
    .requiredOption('--out <dir>', 'directory to write the bundle to')
    .addHelpText(
      'after',
      '\nExamples:\n  clusterproof collect --context kind-dev --out evidence/\n  clusterproof collect --from dump/ aws/ plan.json --out evidence/\n  clusterproof collect --aws --region eu-west-1 --eks-cluster prod --out evidence/\n  clusterproof scan evidence/',
    )
    .action(async (options: CollectOptions) => {
      if (options.aws && options.from)
        throw new RunError('--aws and --from both name the input', { fix: 'pass one: --aws reads the account, --from reads files' });
      const awsOnly = ['region', 'profile', 'eksCluster', 'endpointUrl'].filter((k) => options[k as keyof CollectOptions] !== undefined);
      if (!options.aws && awsOnly.length > 0)
        throw new RunError(`--${awsOnly.map(kebab).join(', --')} only apply with --aws`, { fix: 'add --aws' });
      const state = options.aws
        ? (
            await collectAws({
              ...(options.region ? { region: options.region } : {}),
              ...(options.profile ? { profile: options.profile } : {}),
              ...(options.eksCluster ? { eksCluster: options.eksCluster } : {}),
              ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
            })
          ).state
        : options.from
          ? await loadStateFromPaths(options.from, loadOptionsFrom(options))
          : await collectLive({
              ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
              ...(options.context ? { context: options.context } : {}),
            });
      const manifest = await writeBundle(state, options.out);
      const k = state.kubernetes;
      if (options.aws) {
        const c = state.cloud;
        process.stdout.write(
          `wrote evidence bundle ${options.out} (${state.source.context}: ${c.eksClusters.length} EKS clusters, ${c.vpcs.length} VPCs, ` +
            `${c.instances.length} instances and launch template versions, ${c.iamRoles.length} IAM roles; state.json sha256 ${manifest.files[0]?.sha256})\n`,
        );
        for (const w of state.warnings) process.stderr.write(`warning: ${w.message}\n`);
        return;
      }
      process.stdout.write(
        `wrote evidence bundle ${options.out} (${k.namespaces.length} namespaces, ${k.pods.length} pods, ` +
          `${k.networkPolicies.length} network policies, ${state.unknown.length} unknown objects; state.json sha256 ${manifest.files[0]?.sha256})\n`,
      );
    });
}

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
