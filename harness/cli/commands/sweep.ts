// `clusterproof sweep [--run ID]`: removes every Docker object labelled clusterproof.run (or one run's), e.g. after
// a runner was killed. Safe to repeat.
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { assertDockerUsable } from '../../provision/docker.ts';
import { isValidRunId } from '../../provision/naming.ts';
import { sweep } from '../../teardown/sweep.ts';
import { sweepAws } from '../../teardown/sweepAws.ts';

export function register(program: Command): void {
  program
    .command('sweep')
    .description('remove every container, network and volume clusterproof left behind (by its Docker label)')
    .option('--run <id>', 'only this run')
    .option('--aws', "instead: delete every AWS resource tagged clusterproof.run (or one run's) in --region, in dependency order")
    .option('--region <region>', 'with --aws: the region (default: AWS_REGION)')
    .option('--endpoint-url <url>', 'with --aws: a local AWS API such as moto instead of AWS')
    .action(async (opts: { run?: string; aws?: boolean; region?: string; endpointUrl?: string }) => {
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
      if (opts.aws) {
        const region = opts.region ?? process.env.AWS_REGION;
        if (!region)
          throw new InputError([
            { file: 'command line', pointer: '--region', message: 'sweep --aws needs a region', fix: 'pass --region eu-west-1' },
          ]);
        const r = await sweepAws({
          region,
          ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
          ...(opts.run ? { runId: opts.run } : {}),
        });
        process.stdout.write(
          `swept AWS ${region} (${opts.run ? `run ${opts.run}` : 'all clusterproof runs'}): ${r.summary || 'nothing was tagged'}; nothing tagged is left\n`,
        );
        return;
      }
      if (opts.region !== undefined || opts.endpointUrl !== undefined)
        throw new InputError([
          { file: 'command line', pointer: '--region', message: '--region and --endpoint-url only apply with --aws', fix: 'add --aws' },
        ]);
      await assertDockerUsable();
      const result = await sweep(opts.run === undefined ? {} : { runId: opts.run });
      const { container, network, volume } = result.removed;
      process.stdout.write(
        `swept ${opts.run ? `run ${opts.run}` : 'all clusterproof runs'}: ${container} containers, ${network} networks, ${volume} volumes removed` +
          `${result.clusters.length ? `; forgot clusters ${result.clusters.join(', ')}` : ''}\n`,
      );
    });
}
