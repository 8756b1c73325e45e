// `clusterproof collect --out DIR`: gathers the cluster state (live by default, or `--from` files) into an evidence
// bundle that `scan DIR` reads back exactly. Nothing is written unless the whole state was collected.
import type { Command } from 'commander';
import { collectLive } from '../../collect/live/collectLive.ts';
import { loadStateFromPaths } from '../../collect/files/loadFiles.ts';
import { writeBundle } from '../../collect/bundle.ts';
import { addInputOptions, loadOptionsFrom, type InputFlags } from '../inputOptions.ts';

interface CollectOptions extends InputFlags { kubeconfig?: string; context?: string; from?: string[]; out: string }

export function register(program: Command): void {
  addInputOptions(program.command('collect'))
    .description('collect the cluster state into an evidence bundle (state.json + manifest.json with sha256) that `scan` reads')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then in-cluster)')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('--from <paths...>', 'build the bundle from files/directories instead of a live cluster (manifests, kubectl -o yaml, AWS CLI JSON, terraform show -json)')
    .requiredOption('--out <dir>', 'directory to write the bundle to')
    .addHelpText('after', '\nExamples:\n  clusterproof collect --context kind-dev --out evidence/\n  clusterproof collect --from dump/ aws/ plan.json --out evidence/\n  clusterproof scan evidence/')
    .action(async (options: CollectOptions) => {
      const state = options.from
        ? await loadStateFromPaths(options.from, loadOptionsFrom(options))
        : await collectLive({ ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}), ...(options.context ? { context: options.context } : {}) });
      const manifest = await writeBundle(state, options.out);
      const k = state.kubernetes;
      process.stdout.write(`wrote evidence bundle ${options.out} (${k.namespaces.length} namespaces, ${k.pods.length} pods, ` +
        `${k.networkPolicies.length} network policies, ${state.unknown.length} unknown objects; state.json sha256 ${manifest.files[0]?.sha256})\n`);
    });
}
