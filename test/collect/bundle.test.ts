// The evidence bundle reads back exactly what was collected, and refuses evidence that was edited.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { readBundle, sha256, writeBundle } from '../../harness/collect/bundle.ts';
import { InputError } from '../../harness/errors.ts';

describe('evidence bundle', async () => {
  const state = await loadStateFromPaths(['fixtures/collect']);

  test('round trip: readBundle(writeBundle(state)) deep-equals state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cp-bundle-'));
    const manifest = await writeBundle(state, dir);
    expect(manifest.files[0]?.sha256).toBe(sha256(await readFile(join(dir, 'state.json'))));
    expect(await readBundle(dir)).toStrictEqual(JSON.parse(JSON.stringify(state)));
    expect(await readBundle(dir)).toEqual(state);
  });

  test('loadStateFromPaths recognises a bundle directory and reads it (what `scan DIR` does)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cp-bundle-'));
    await writeBundle(state, dir);
    expect(await loadStateFromPaths([dir])).toEqual(state);
  });

  test('an edited state.json is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cp-bundle-'));
    await writeBundle(state, dir);
    const text = await readFile(join(dir, 'state.json'), 'utf8');
    await writeFile(join(dir, 'state.json'), text.replace('"STRICT"', '"PERMISSIVE"'));
    const error = await readBundle(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('does not match the sha256 in manifest.json');
  });

  test('a bundle mixed with other inputs is an error, not a silent merge', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cp-bundle-'));
    await writeBundle(state, dir);
    const error = await loadStateFromPaths([dir, 'fixtures/collect/aws']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]?.message).toContain('cannot be combined');
  });
});
