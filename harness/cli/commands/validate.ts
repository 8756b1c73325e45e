import type { Command } from 'commander';

// TODO(owner of this command): implement.
export function register(program: Command): void {
  program.command('validate').description('(not implemented yet)').action(() => {
    throw new Error('validate: not implemented yet');
  });
}
