// A reader that stops early (`| head`) ends the output quietly: exit 0, no stack trace.
import { execa } from 'execa';
import { expect, test } from 'vitest';

test('clusterproof … | head -1: the CLI exits 0 with nothing on stderr', async () => {
  const script = `"${process.execPath}" bin/clusterproof.js reachability fixtures/examples/non-compliant --format ndjson --ports 1/TCP,2/TCP,3/TCP | head -1; echo "cli=\${PIPESTATUS[0]}" >&2`;
  const r = await execa('bash', ['-c', script], { reject: false });
  expect(r.stdout.split('\n')).toHaveLength(1);
  expect(r.stderr.trim()).toBe('cli=0');
});
