// Proof: SIGKILL a `clusterproof up` process group mid-way (kind is creating node containers), then
// `clusterproof sweep --run <id>` leaves no container, network or volume with that run's label and no container of
// that kind cluster. SIGINT during `up` tears down by itself; SIGTERM with --keep keeps the cluster and says so. (`down` of the shared cluster is proven in globalSetup.ts's teardown, which runs after all files.)
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { timeoutIsObservation, waitFor } from '../../harness/kubernetes/waitFor.ts';
import { packagePath } from '../../harness/paths.ts';
import { listObjects } from '../../harness/provision/docker.ts';
import { newRunId, runLabelFilter } from '../../harness/provision/naming.ts';
import { loadState } from '../../harness/provision/state.ts';
import { cli } from './support/liveCluster.ts';
import { labelled, none } from './support/leftovers.ts';

/** Starts `clusterproof up` (1 + 1) in its own process group and resolves once kind has made labelled containers. */
async function upUntilContainersExist(name: string, extraArgs: string[] = []) {
  const child = execa(
    process.execPath,
    [packagePath('bin', 'clusterproof.js'), 'up', '--name', name, '--control-planes', '1', '--workers', '1', ...extraArgs],
    {
      detached: true, // its own process group, so a kill takes kind and docker with it, as a CI job kill would
      reject: false,
      stdin: 'ignore',
    },
  );
  let exited = false;
  void child.finally(() => (exited = true));
  let runId: string | undefined;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    runId ??= /\(run ([a-z0-9-]+)\)/.exec(stderr)?.[1];
  });
  // Interrupt once kind has started node containers: the worst moment, with objects half made.
  let seen = 0;
  await waitFor(
    'labelled node containers of the run',
    async () => {
      if (runId) seen = (await listObjects('container', [runLabelFilter(runId)])).length;
      return seen > 0 || exited
        ? { done: true, value: undefined }
        : { done: false, why: runId ? 'no labelled container yet' : 'no run id printed yet' };
    },
    { timeout: 180_000, interval: 250 },
  ).catch(timeoutIsObservation);
  expect(runId, 'up printed its run id').toBeDefined();
  expect(seen, 'kind had created labelled containers before the signal').toBeGreaterThan(0);
  return { child, runId: runId ?? '', stderr: () => stderr };
}

describe('teardown leaves nothing behind', () => {
  test('SIGKILL during up, then sweep: no labelled container, network or volume is left', async () => {
    const name = `cp-kill-${newRunId()}`;
    const { child, runId } = await upUntilContainersExist(name);
    process.kill(-(child.pid ?? 0), 'SIGKILL');
    await child;
    expect((await loadState(name))?.runId, 'state survives the kill, so down/sweep can find the run').toBe(runId);

    const swept = await cli(['sweep', '--run', runId], { timeoutMs: 300_000 });
    expect(swept.exitCode, String(swept.stderr)).toBe(0);
    expect(await labelled(runId, name)).toEqual(none);
    expect(await loadState(name)).toBeUndefined();
  }, 400_000);

  test('SIGINT during up: up tears down by itself, says so, and leaves nothing labelled', async () => {
    const name = `cp-int-${newRunId()}`;
    const { child, runId, stderr } = await upUntilContainersExist(name);
    process.kill(child.pid ?? 0, 'SIGINT'); // the CLI process only, as a terminal's Ctrl-C reaches it
    const result = await child;
    expect(result.exitCode).not.toBe(0);
    expect(stderr()).toContain('SIGINT received');
    expect(stderr()).toContain('tearing the cluster down');
    expect(await labelled(runId, name)).toEqual(none);
  }, 400_000);

  test('SIGTERM during up with --keep: the cluster is kept and said so; down removes it', async () => {
    const name = `cp-keep-${newRunId()}`;
    const { child, runId, stderr } = await upUntilContainersExist(name, ['--keep']);
    process.kill(child.pid ?? 0, 'SIGTERM');
    await child;
    expect(stderr()).toContain('KEEPING the cluster (--keep)');
    expect((await labelled(runId, name)).containers, 'kept containers').toBeGreaterThan(0);
    const down = await cli(['down', '--name', name], { timeoutMs: 300_000 });
    expect(down.exitCode, String(down.stderr)).toBe(0);
    expect(await labelled(runId, name)).toEqual(none);
  }, 400_000);
});
