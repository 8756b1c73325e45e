// Manifests `up` installs (network enforcer, Argo Rollouts) go in through the kubectl inside a control-plane node,
// so the host needs no kubectl of its own.
import { RunError } from '../../errors.ts';
import { containerExec } from '../docker.ts';

/** `kubectl apply [extra…] -f -` of `text` (read from `file`, named in errors) inside `controlPlaneContainer`. */
export async function applyInNode(
  controlPlaneContainer: string,
  file: string,
  text: string,
  extra: string[] = [],
  signal?: AbortSignal,
): Promise<void> {
  const result = await containerExec(controlPlaneContainer, ['kubectl', 'apply', ...extra, '-f', '-'], {
    input: text,
    ...(signal ? { signal } : {}),
  });
  if (result.exitCode !== 0) throw new RunError(`applying ${file} failed: ${result.stderr.trim()}`);
}
