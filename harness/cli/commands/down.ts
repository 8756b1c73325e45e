// `clusterproof down --name NAME`: removes a cluster clusterproof made and everything labelled with its run id.
import type { Command } from 'commander';
import { leftovers } from '../../provision/kind/kindProvisioner.ts';
import { provisionerFor } from '../../provision/provisioners.ts';
import { requireState } from '../../provision/state.ts';

export function register(program: Command): void {
  program
    .command('down')
    .description('remove a cluster made by `clusterproof up` (an existing cluster is only forgotten)')
    .requiredOption('--name <name>', 'cluster name')
    .action(async (opts: { name: string }) => {
      const state = await requireState(opts.name);
      const started = performance.now();
      await provisionerFor(state.provider).down(opts.name);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (state.provider === 'existing') {
        process.stdout.write(`forgot existing cluster ${opts.name} (nothing in it was touched)\n`);
        return;
      }
      if (state.provider === 'aws') {
        // down already re-read the region and threw if anything tagged with the run was left.
        process.stdout.write(
          `removed aws cluster ${opts.name} (run ${state.runId}) in ${seconds}s; nothing tagged with its run id is left\n`,
        );
        return;
      }
      const left = await leftovers(state.runId);
      process.stdout.write(
        left.length === 0
          ? `removed cluster ${opts.name} (run ${state.runId}) in ${seconds}s; no container, network or volume with its run label is left\n`
          : `removed cluster ${opts.name} in ${seconds}s but ${left.join(', ')} remain: clusterproof sweep --run ${state.runId}\n`,
      );
      if (left.length > 0) process.exitCode = 2;
    });
}
