// Inputs kubectl would refuse, or that would exhaust the stack or the heap: each is one problem naming the file (and
// the line where that is known), with a fix for that kind of error, and never the content echoed back.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { InputError } from '../../harness/errors.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tmp(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cp-limits-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

async function problems(dir: string) {
  const error = await loadStateFromPaths([dir]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems;
}

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\n';

describe('nesting depth', () => {
  test('JSON nested 100,000 deep: one problem at the line and column where it passes 1,000 levels', async () => {
    const dir = await tmp({ 'deep.json': `{"a":\n${'['.repeat(100_000)}${']'.repeat(100_000)}}` });
    const [p, ...rest] = await problems(dir);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ file: join(dir, 'deep.json'), line: 2, column: 1000 });
    expect(p?.message).toContain('nested more than 1000 levels deep');
  });

  test('YAML flow collections nested 100,000 deep in the second document', async () => {
    const dir = await tmp({ 'deep.yaml': `${CM}---\n${CM}data:\n  a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n` });
    const [p, ...rest] = await problems(dir);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ file: join(dir, 'deep.yaml'), line: 13, column: 1004 }); // root map, data map, then the 999th [
    expect(p?.message).toMatch(/^document 1 \(0-based\): nested more than 1000 levels deep/);
  });

  test('YAML block mappings indented 1,500 levels deep', async () => {
    const text = Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}k:\n`).join('');
    const [p] = await problems(await tmp({ 'deep.yaml': text }));
    expect(p).toMatchObject({ line: 1001, column: 1001 });
  });

  test('999 levels are read', async () => {
    const dir = await tmp({
      'ok.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm', namespace: 'default' },
        data: { a: JSON.parse(`${'['.repeat(990)}${']'.repeat(990)}`) as unknown },
      }),
    });
    const state = await loadStateFromPaths([dir]);
    expect(state.source.inputs).toHaveLength(1);
  });
});

describe('bytes that are not a UTF-8 text', () => {
  test('random bytes named .yaml: one problem saying binary, the garbage not echoed', async () => {
    const dir = await tmp({ 'x.yaml': randomBytes(200_000) });
    const all = await problems(dir);
    expect(all).toHaveLength(1);
    expect(all[0]?.file).toBe(join(dir, 'x.yaml'));
    expect(all[0]?.message).toMatch(/^binary file, not text/);
    expect(new InputError(all).message.length).toBeLessThan(400);
  });

  test('UTF-16 (NUL bytes) is binary, with a fix naming UTF-8', async () => {
    const [p] = await problems(await tmp({ 'u16.yaml': Buffer.from(`\ufeff${CM}`, 'utf16le') }));
    expect(p?.message).toContain('binary file');
    expect(p?.fix).toContain('UTF-8');
  });

  test('a Latin-1 é in a manifest: refused at its line and column, byte offset named, content not shown', async () => {
    const bytes = Buffer.concat([Buffer.from(`${CM}data:\n  city: "Montr`), Buffer.from([0xe9]), Buffer.from('al"\n')]);
    const [p, ...rest] = await problems(await tmp({ 'latin1.yaml': bytes }));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ line: 7, column: 15 });
    expect(p?.message).toBe(`not valid UTF-8: byte 0xe9 at offset ${bytes.indexOf(0xe9)} (kubectl refuses such a file); content not shown`);
    expect(p?.fix).toContain('iconv');
  });

  test('a genuine U+FFFD and other UTF-8 before a bad byte do not shift the position', async () => {
    const bytes = Buffer.concat([Buffer.from(`${CM}data:\n  a: "\ufffd ü"\n  b: "x`), Buffer.from([0xff]), Buffer.from('"\n')]);
    const [p] = await problems(await tmp({ 'mixed.yaml': bytes }));
    expect(p).toMatchObject({ line: 8, column: 8 });
    expect(p?.message).toContain(`byte 0xff at offset ${bytes.indexOf(0xff)}`);
  });

  test('UTF-8 text with a BOM, accents and emoji is read', async () => {
    const dir = await tmp({ 'ok.yaml': `\ufeff${CM}data:\n  city: Montréal 🚀\n` });
    expect((await loadStateFromPaths([dir])).source.inputs).toHaveLength(1);
  });
});

describe('input size limit', () => {
  test(`a file above CLUSTERPROOF_MAX_INPUT_BYTES is refused by name, with the limit and how to raise it`, async () => {
    const dir = await tmp({ 'big.yaml': CM.repeat(10) });
    process.env.CLUSTERPROOF_MAX_INPUT_BYTES = '100';
    try {
      const [p] = await problems(dir);
      expect(p?.file).toBe(join(dir, 'big.yaml'));
      expect(p?.message).toBe(`file is ${CM.length * 10} bytes, above the input size limit of 100 bytes`);
      expect(p?.fix).toContain('CLUSTERPROOF_MAX_INPUT_BYTES=');
    } finally {
      delete process.env.CLUSTERPROOF_MAX_INPUT_BYTES;
    }
  });

  test('a limit that is not a byte count is an input error naming the variable', async () => {
    process.env.CLUSTERPROOF_MAX_INPUT_BYTES = '2GB';
    try {
      const [p] = await problems(await tmp({ 'a.yaml': CM }));
      expect(p?.message).toContain('CLUSTERPROOF_MAX_INPUT_BYTES="2GB" is not a positive whole number of bytes');
    } finally {
      delete process.env.CLUSTERPROOF_MAX_INPUT_BYTES;
    }
  });
});
