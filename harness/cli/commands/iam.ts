import type { Command } from 'commander';

// TODO(owner of this command): implement.
export function register(program: Command): void {
  program.command('iam').description('(not implemented yet)').action(() => {
    throw new Error('iam: not implemented yet');
  });
}
