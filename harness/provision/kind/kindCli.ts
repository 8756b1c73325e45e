// The kind CLI through execa. Output goes to a log file in the run dir (and to `onLine` for live progress), so a
// failure is explained by kind's own words, not by our paraphrase.
import { createWriteStream } from 'node:fs';
import { execa } from 'execa';
import { RunError } from '../../errors.ts';

export interface KindRun {
  kind: string;
  args: string[];
  env?: Record<string, string>;
  logFile?: string;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

export async function runKind(run: KindRun): Promise<string> {
  const log = run.logFile ? createWriteStream(run.logFile, { flags: 'a' }) : undefined;
  log?.write(`$ ${run.kind} ${run.args.join(' ')}\n`);
  const sub = execa(run.kind, run.args, {
    reject: false,
    all: true,
    stdin: 'ignore',
    env: run.env ?? {},
    extendEnv: true,
    ...(run.signal ? { cancelSignal: run.signal } : {}),
    // kind's own children (docker, kubeadm via docker exec) must die with it.
    forceKillAfterDelay: 5_000,
    timeout: run.timeoutMs ?? 900_000,
  });
  const lines: string[] = [];
  sub.all?.on('data', (chunk: Buffer) => {
    log?.write(chunk);
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      run.onLine?.(line);
    }
  });
  const result = await sub;
  await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
  if (result.isCanceled)
    throw new RunError(`kind ${run.args[0] ?? ''} ${run.args[1] ?? ''} was interrupted`, { cause: run.signal?.reason });
  if (result.exitCode !== 0) {
    const tail = lines.slice(-15).join('\n');
    throw new RunError(
      `kind ${run.args.slice(0, 2).join(' ')} failed (exit ${result.exitCode ?? result.signal ?? '?'})${run.logFile ? `; full log: ${run.logFile}` : ''}\n${tail}`,
    );
  }
  return String(result.stdout ?? lines.join('\n'));
}
