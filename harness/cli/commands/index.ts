// Every CLI command, in the order `--help` lists them. Each module exports `register(program)`.
// Modules load lazily: a run imports only the command it executes (the scan path pulls in vitest, the
// IAM simulator and the report writers; `cidrs` should not pay for them). `--help` loads them all.
import type { Command } from 'commander';

type Loader = () => Promise<{ register: (program: Command) => void }>;

const commandLoaders: Record<string, Loader> = {
  validate: () => import('./validate.ts'),
  scan: () => import('./scan.ts'),
  run: () => import('./run.ts'),
  collect: () => import('./collect.ts'),
  reachability: () => import('./reachability.ts'),
  cidrs: () => import('./cidrs.ts'),
  iam: () => import('./iam.ts'),
  mtls: () => import('./mtls.ts'),
  up: () => import('./up.ts'),
  down: () => import('./down.ts'),
  info: () => import('./info.ts'),
  sweep: () => import('./sweep.ts'),
  image: () => import('./image.ts'),
};

/** Registers the command named in argv, or every command when none is named (help, typos). */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const named = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const loaders = named !== undefined && named in commandLoaders ? [commandLoaders[named] as Loader] : Object.values(commandLoaders);
  for (const module of await Promise.all(loaders.map((load) => load()))) module.register(program);
}
