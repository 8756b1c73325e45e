import type { Command } from 'commander';

// TODO(owner of this command): implement.
export function register(program: Command): void {
  program.command('reachability').description('(not implemented yet)').action(() => {
    throw new Error('reachability: not implemented yet');
  });
}
