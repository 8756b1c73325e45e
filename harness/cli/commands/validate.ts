// `clusterproof validate <spec>`: checks a ClusterSpec without touching any cluster. Bad input throws InputError,
// which main.ts prints (every problem) and maps to exit code 2. Expired waivers are valid input but will fail the
// gate, so they are announced here as warnings, before a CI run trips over them.
import type { Command } from 'commander';
import { loadControls } from '../../controls/load.ts';
import { isExpired } from '../../findings/waivers.ts';
import { loadSpec } from '../../spec/load.ts';
import { requestedControls } from '../../spec/requested.ts';

export function register(program: Command): void {
  program
    .command('validate')
    .description('check a ClusterSpec file (schema, CIDRs, waivers) and print every problem with file:line:column')
    .argument('<spec>', 'path of the ClusterSpec YAML file')
    .action(async (file: string) => {
      const { spec } = await loadSpec(file);
      const requested = requestedControls(spec, loadControls());
      const today = new Date();
      process.stdout.write(`spec ok: ${spec.metadata.name} (${requested.length} control${requested.length === 1 ? '' : 's'} requested)\n`);
      if (requested.length > 0) process.stdout.write(`  controls: ${requested.map((c) => c.id).join(', ')}\n`);
      for (const waiver of spec.spec.waivers ?? []) {
        if (isExpired(waiver, today)) {
          process.stderr.write(
            `warning: ${file}: waiver for ${waiver.control} (scope ${waiver.scope ?? '*'}, owner ${waiver.owner}) expired on ${waiver.expires}; it will fail the gate until renewed or removed\n`,
          );
        }
      }
    });
}
