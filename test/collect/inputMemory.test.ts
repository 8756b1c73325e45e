// Memory follows the largest document, not the file: an 8 MB multi-document YAML of objects the state keeps little
// of (unknown kinds) scans under a 128 MB heap. Reading the whole file as one parse needed ~370 MB and aborted there.
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, expect, test } from 'vitest';

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('an 8 MB multi-document YAML scans within a 128 MB heap', { timeout: 180_000 }, async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-mem-'));
  const fields = Array.from({ length: 800 }, (_, k) => `    f${k}: value-${k}\n`).join('');
  const docs = Array.from(
    { length: 500 },
    (_, i) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w${i}\n  namespace: default\nspec:\n  fields:\n${fields}`,
  );
  await writeFile(join(dir, 'widgets.yaml'), docs.join('---\n'));
  const out = join(dir, 'out');
  const r = await execa(
    process.execPath,
    [
      '--max-old-space-size=128',
      'bin/clusterproof.js',
      'scan',
      dir,
      '--spec',
      'fixtures/examples/non-compliant/clusterproof.yaml',
      '--out',
      out,
      '--format',
      'json',
    ],
    { reject: false },
  );
  expect(r.stderr).not.toContain('heap out of memory');
  expect(r.exitCode, r.stderr).toBe(1); // the non-compliant spec fails on an empty cluster: the scan ran to the end
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as unknown;
  expect(report).toBeTypeOf('object');
});
