// Sweep against the real Docker engine: labelled containers (running, with a labelled anonymous volume, and
// merely created), a labelled network and volume of one run, plus another run's objects that must survive a
// run-scoped sweep. The container image is made from the host's own /bin/sleep (no registry needed).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listObjects } from '../../harness/provision/docker.ts';
import { newRunId, runLabelFilter, RUN_LABEL, CLUSTER_LABEL } from '../../harness/provision/naming.ts';
import { loadState, saveState } from '../../harness/provision/state.ts';
import { sweep } from '../../harness/teardown/sweep.ts';

const IMAGE = 'clusterproof-test/sleep:sweep';
const runA = newRunId();
const runB = `${newRunId()}-b`;
let cache: string;
const savedCache = process.env.CLUSTERPROOF_CACHE;

const docker = (...args: string[]) => execa('docker', args);

async function makeRunObjects(runId: string, cluster: string): Promise<void> {
  const labels = ['--label', `${RUN_LABEL}=${runId}`, '--label', `${CLUSTER_LABEL}=${cluster}`];
  await docker('network', 'create', ...labels, `cp-test-net-${runId}`);
  await docker('volume', 'create', ...labels, `cp-test-vol-${runId}`);
  await docker(
    'run',
    '-d',
    ...labels,
    '--net',
    `cp-test-net-${runId}`,
    '--mount',
    `type=volume,dst=/var,volume-label=${RUN_LABEL}=${runId}`,
    '-v',
    `cp-test-vol-${runId}:/data`,
    IMAGE,
  );
  await docker('create', ...labels, IMAGE);
}

async function count(runId: string): Promise<number> {
  const filter = runLabelFilter(runId);
  const found = await Promise.all((['container', 'network', 'volume'] as const).map((k) => listObjects(k, [filter])));
  return found.flat().length;
}

beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'cp-sweep-'));
  process.env.CLUSTERPROOF_CACHE = cache;
  const libs = (await execa('ldd', ['/bin/sleep'])).stdout.match(/\/lib[^\s]*/g) ?? [];
  await execa('sh', [
    '-c',
    `tar -chf - -C / bin/sleep ${libs.map((l) => l.slice(1)).join(' ')} | docker import --change 'CMD ["/bin/sleep","3600"]' - ${IMAGE}`,
  ]);
  await makeRunObjects(runA, 'cp-test-a');
  await makeRunObjects(runB, 'cp-test-b');
  await saveState({
    name: 'cp-test-a',
    runId: runA,
    provider: 'kind',
    kubeconfigPath: '',
    apiEndpoint: '',
    runDir: '',
    createdAt: '',
    images: {},
    phases: [],
  });
}, 60_000);

afterAll(async () => {
  await sweep({ runId: runA });
  await sweep({ runId: runB });
  await execa('docker', ['image', 'rm', '-f', IMAGE], { reject: false });
  await rm(cache, { recursive: true, force: true });
  if (savedCache === undefined) delete process.env.CLUSTERPROOF_CACHE;
  else process.env.CLUSTERPROOF_CACHE = savedCache;
});

describe('sweep (real Docker)', () => {
  test('a run-scoped sweep removes exactly that run: containers, their anonymous volumes, networks, volumes, state', async () => {
    expect(await count(runA)).toBe(5); // 2 containers, 1 network, named + anonymous volume
    const result = await sweep({ runId: runA });
    // The anonymous /var volume goes with its container (docker rm -v), so only the named one is left to remove.
    expect(result.removed).toEqual({ container: 2, network: 1, volume: 1 });
    expect(result.clusters).toEqual(['cp-test-a']);
    expect(await count(runA)).toBe(0);
    expect(await loadState('cp-test-a')).toBeUndefined();
    expect(await count(runB)).toBe(5);
  }, 60_000);

  test('sweeping again is a no-op that succeeds', async () => {
    expect((await sweep({ runId: runA })).removed).toEqual({ container: 0, network: 0, volume: 0 });
  }, 60_000);

  test('the other run goes with its own sweep', async () => {
    await sweep({ runId: runB });
    expect(await count(runB)).toBe(0);
  }, 60_000);
});
