// Runs a command inside a running pod through the API server's exec endpoint (what `kubectl exec` does), so an
// observation comes from a pod whose IP and labels the prediction already used. Bounded by a timeout.
import { Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';

export interface PodExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** The exit code the API server reports: Success → 0, NonZeroExitCode → its ExitCode cause. */
export function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  // A failure without an exit code (e.g. the container is gone) is not a probe result: the caller sees -1.
  return Number.isInteger(code) ? code : -1;
}

export async function execInPod(
  kc: KubeConfig,
  target: { namespace: string; pod: string; container: string },
  command: string[],
  timeoutMs: number,
): Promise<PodExecResult> {
  const out = collector();
  const err = collector();
  return new Promise<PodExecResult>((resolve, reject) => {
    let settled = false;
    const finish = (result: PodExecResult | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(
      () => finish(new Error(`exec in ${target.namespace}/${target.pod} timed out after ${timeoutMs} ms: ${command.join(' ')}`)),
      timeoutMs,
    );
    new Exec(kc)
      .exec(target.namespace, target.pod, target.container, command, out.stream, err.stream, null, false, (status) => {
        // The status frame arrives before the socket closes; give the last output frames a moment to land.
        setTimeout(() => finish({ exitCode: exitCodeOf(status), stdout: out.text(), stderr: err.text() }), 50);
      })
      .then((ws) => {
        ws.on('close', () =>
          setTimeout(
            () => finish(new Error(`exec in ${target.namespace}/${target.pod} closed without a status: ${err.text().slice(0, 200)}`)),
            200,
          ),
        );
      })
      .catch((error: unknown) => finish(new Error(`exec in ${target.namespace}/${target.pod} failed`, { cause: error })));
  });
}
