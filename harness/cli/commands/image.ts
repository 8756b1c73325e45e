// `clusterproof image build`: builds the offline images with scripts/images.sh, streaming its log. The script owns
// caching (content-hash tags, Go build cache), so running it again is cheap when nothing changed.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { execa } from 'execa';
import { RunError } from '../../errors.ts';
import { packagePath } from '../../paths.ts';

export function register(program: Command): void {
  const image = program.command('image').description('offline images for the kind provider');
  image
    .command('build')
    .description('build the node, load-balancer and probe images (scripts/images.sh build)')
    .action(async () => {
      const script = packagePath('scripts', 'images.sh');
      if (!existsSync(script)) throw new RunError(`${script} is missing`, { fix: 'run from a clusterproof checkout' });
      const result = await execa('bash', [script, 'build'], { stdio: 'inherit', reject: false });
      if (result.exitCode !== 0) {
        throw new RunError(
          `image build failed (scripts/images.sh build exited ${result.exitCode ?? result.signal ?? '?'}); its log is above`,
          {
            fix: 'fix the step it names, then rerun: clusterproof image build (finished steps are cached)',
          },
        );
      }
    });
}
