// Environment problems must name the missing piece and the command that fixes it. These run the real checks
// against a broken environment (a dead Docker socket, an empty cache), not against stubs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RunError } from '../../harness/errors.ts';
import { assertDockerUsable } from '../../harness/provision/docker.ts';
import { readImageSet, requireBuiltImages, resolveKind } from '../../harness/provision/images.ts';

let cache: string;
const saved = { ...process.env };

beforeEach(async () => {
  cache = await mkdtemp(join(tmpdir(), 'cp-env-'));
  process.env.CLUSTERPROOF_CACHE = cache;
});
afterEach(async () => {
  process.env = { ...saved };
  await rm(cache, { recursive: true, force: true });
});

async function runError(p: Promise<unknown>): Promise<RunError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(RunError);
    return error as RunError;
  }
  throw new Error('expected a RunError');
}

describe('environment problems give the missing piece and the fix', () => {
  test('DOCKER_HOST pointing at a dead socket', async () => {
    process.env.DOCKER_HOST = `unix://${join(cache, 'nobody-listens.sock')}`;
    const error = await runError(assertDockerUsable());
    expect(error.message).toContain(`no Docker daemon answers at unix://${cache}`);
    expect(error.message).toContain('DOCKER_HOST');
    expect(error.fix).toBe('bash scripts/setup-docker.sh');
  });

  test('no docker CLI on PATH', async () => {
    process.env.PATH = cache;
    const error = await runError(assertDockerUsable());
    expect(error.message).toMatch(/docker CLI is not installed/);
  });

  test('images never built', async () => {
    expect(await readImageSet()).toBeUndefined();
    const error = await runError(requireBuiltImages());
    expect(error.message).toContain(join(cache, 'images.json'));
    expect(error.fix).toMatch(/scripts\/images\.sh build/);
  });

  test('images recorded but no longer in the engine', async () => {
    await writeFile(
      join(cache, 'images.json'),
      JSON.stringify({
        node: 'clusterproof-test/absent:1',
        loadBalancer: 'clusterproof-test/absent:2',
        probe: 'clusterproof-test/absent:3',
      }),
    );
    const error = await runError(requireBuiltImages());
    expect(error.message).toMatch(/node image clusterproof-test\/absent:1 \(recorded but not in the local Docker engine\)/);
    expect(error.fix).toMatch(/scripts\/images\.sh build/);
  });

  test('kind binary recorded but gone, none on PATH', async () => {
    process.env.PATH = cache;
    const error = await runError(resolveKind({ kind: join(cache, 'kind') }));
    expect(error.message).toMatch(/kind CLI is not installed .*kind from .*images\.json is missing/);
    expect(error.fix).toMatch(/scripts\/images\.sh build/);
  });
});
