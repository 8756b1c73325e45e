// `clusterproof info --name NAME [--format json]`: what suites and people need to use a cluster.
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { provisionerFor } from '../../provision/provisioners.ts';
import { requireState } from '../../provision/state.ts';

export function register(program: Command): void {
  program
    .command('info')
    .description('show a cluster made by `clusterproof up`: kubeconfig, API endpoint, nodes, probe image')
    .requiredOption('--name <name>', 'cluster name')
    .option('--format <format>', 'text | json', 'text')
    .action(async (opts: { name: string; format: string }) => {
      if (opts.format !== 'text' && opts.format !== 'json') {
        throw new InputError([
          { file: 'command line', pointer: '--format', message: `unknown format "${opts.format}"`, fix: 'use text or json' },
        ]);
      }
      const state = await requireState(opts.name);
      const cluster = await provisionerFor(state.provider).attach(opts.name);
      const up = await provisionerFor(state.provider).isUp(opts.name);
      const info = {
        name: cluster.name,
        provider: cluster.provider,
        runId: cluster.runId,
        up,
        kubeconfig: cluster.kubeconfigPath,
        ...(state.context ? { context: state.context } : {}),
        apiEndpoint: cluster.apiEndpoint,
        nodes: cluster.nodes.map((n) => ({ name: n.name, role: n.role, zone: n.zone ?? null, addresses: n.addresses })),
        images: { probe: cluster.images.probe ?? null, ...(state.images.node ? { node: state.images.node } : {}) },
        createdAt: state.createdAt,
        phases: state.phases,
      };
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
        return;
      }
      const lines = [
        `${info.name} (${info.provider}, run ${info.runId}) ${up ? 'up' : 'NOT running'}`,
        `  api:        ${info.apiEndpoint}`,
        `  kubeconfig: ${info.kubeconfig}`,
        `  probe:      ${info.images.probe ?? '-'}`,
        ...info.nodes.map((n) => `  ${n.role.padEnd(14)} ${n.name.padEnd(36)} zone ${n.zone ?? '-'}  ${n.addresses.join(' ')}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
