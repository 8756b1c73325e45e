// The clusterproof CLI. Each command lives in commands/<name>.ts and registers itself on the program.
// Exit codes: 0 all required controls pass or are waived, 1 a control fails, 2 the run itself failed.
import { Command, CommanderError } from 'commander';
import { errorMessage, InputError, RunError } from '../errors.ts';
import { registerCommands } from './commands/index.ts';
import { toolVersion } from '../version.ts';

// A reader that stops early (`clusterproof reachability … | head`) closes the pipe: that ends the output, not the run
// with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const program = new Command('clusterproof')
  .description('Test and compliance verification for Kubernetes clusters')
  .version(toolVersion)
  .showHelpAfterError()
  .exitOverride();

try {
  await registerCommands(program, process.argv);
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are not failures; usage errors are bad input.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof InputError) {
    process.stderr.write(
      `clusterproof: invalid input (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}):\n${error.message}\n`,
    );
    return 2;
  }
  if (error instanceof RunError) {
    process.stderr.write(`clusterproof: ${error.message}\n${error.fix ? `  fix: ${error.fix}\n` : ''}`);
    if (error.cause) process.stderr.write(`  cause: ${errorMessage(error.cause)}\n`);
    return 2;
  }
  process.stderr.write(`clusterproof: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 2;
}
