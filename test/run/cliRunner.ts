// Runs the real CLI as a user would (a child process), so exit codes and output are what CI sees.
import { execa } from 'execa';
import { packagePath } from '../../harness/paths.ts';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function clusterproof(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [packagePath('bin/clusterproof.js'), ...args], {
    reject: false,
    cwd: options.cwd ?? packagePath(),
    env: { NO_COLOR: '1', GITHUB_ACTIONS: '', ...options.env },
    timeout: 120_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}
