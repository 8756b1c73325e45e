// `clusterproof sweep [--run ID]`: removes every Docker object labelled clusterproof.run (or one run's), e.g. after
// a runner was killed. Safe to repeat.
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { assertDockerUsable } from '../../provision/docker.ts';
import { isValidRunId } from '../../provision/naming.ts';
import { sweep } from '../../teardown/sweep.ts';

export function register(program: Command): void {
  program
    .command('sweep')
    .description('remove every container, network and volume clusterproof left behind (by its Docker label)')
    .option('--run <id>', 'only this run')
    .action(async (opts: { run?: string }) => {
      if (opts.run !== undefined && !isValidRunId(opts.run)) {
        throw new InputError([
          {
            file: 'command line',
            pointer: '--run',
            message: `"${opts.run}" is not a run id`,
            fix: 'run ids look like 261125-180012-3fa2 (clusterproof info shows them)',
          },
        ]);
      }
      await assertDockerUsable();
      const result = await sweep(opts.run === undefined ? {} : { runId: opts.run });
      const { container, network, volume } = result.removed;
      process.stdout.write(
        `swept ${opts.run ? `run ${opts.run}` : 'all clusterproof runs'}: ${container} containers, ${network} networks, ${volume} volumes removed` +
          `${result.clusters.length ? `; forgot clusters ${result.clusters.join(', ')}` : ''}\n`,
      );
    });
}
