import type { Command } from 'commander';

// TODO(owner of this command): implement.
export function register(program: Command): void {
  program.command('collect').description('(not implemented yet)').action(() => {
    throw new Error('collect: not implemented yet');
  });
}
