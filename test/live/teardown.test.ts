// Proof: SIGKILL a `clusterproof up` process group mid-way (kind is creating node containers), then
// `clusterproof sweep --run <id>` leaves no container, network or volume with that run's label and no container of
// that kind cluster. (`down` of the shared cluster is proven in globalSetup.ts's teardown, which runs after all files.)
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { packagePath } from '../../harness/paths.ts';
import { listObjects } from '../../harness/provision/docker.ts';
import { newRunId, runLabelFilter } from '../../harness/provision/naming.ts';
import { loadState } from '../../harness/provision/state.ts';
import { cli } from './support/liveCluster.ts';
import { labelled, none } from './support/leftovers.ts';


describe('teardown leaves nothing behind', () => {
  test('SIGKILL during up, then sweep: no labelled container, network or volume is left', async () => {
    const name = `cp-kill-${newRunId()}`;
    const child = execa(process.execPath, [packagePath('bin', 'clusterproof.js'), 'up', '--name', name, '--control-planes', '1', '--workers', '1'], {
      detached: true, // its own process group, so the kill takes kind and docker with it, as a CI job kill would
      reject: false,
      stdin: 'ignore',
    });
    let exited = false;
    void child.finally(() => (exited = true));
    let runId: string | undefined;
    child.stderr?.on('data', (chunk: Buffer) => (runId ??= /\(run ([a-z0-9-]+)\)/.exec(chunk.toString())?.[1]));
    // Kill once kind has started node containers: the worst moment, with objects half made.
    const deadline = Date.now() + 180_000;
    let seen = 0;
    while (Date.now() < deadline && !exited) {
      if (runId) seen = (await listObjects('container', [runLabelFilter(runId)])).length;
      if (seen > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(runId, 'up printed its run id').toBeDefined();
    expect(seen, 'kind had created labelled containers before the kill').toBeGreaterThan(0);
    process.kill(-(child.pid ?? 0), 'SIGKILL');
    await child;
    expect((await loadState(name))?.runId, 'state survives the kill, so down/sweep can find the run').toBe(runId);

    const swept = await cli(['sweep', '--run', runId ?? ''], { timeoutMs: 300_000 });
    expect(swept.exitCode, String(swept.stderr)).toBe(0);
    expect(await labelled(runId ?? '', name)).toEqual(none);
    expect(await loadState(name)).toBeUndefined();
  }, 400_000);
});
