// The real `clusterproof cidrs` command, run as a user runs it: output shape, table, exit codes.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/clusterproof.js', import.meta.url));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'cidrs', ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

// Each run starts the whole CLI (≈1.7 s of CPU); on a loaded 2-core machine that is many seconds of wall time.
describe('clusterproof cidrs', { timeout: 120_000 }, () => {
  test('lists overlapping pairs as json, a contains b, and exits 1', async () => {
    const { code, stdout } = await cli(
      '--range',
      'pods=10.244.0.0/16',
      '--range',
      'services=10.96.0.0/12',
      '--range',
      'vpc=10.0.0.0/8',
      '--range',
      'pods6=fd00:10:244::/56',
      '--range',
      'mapped=::ffff:10.0.0.0/104',
    );
    expect(code).toBe(1);
    const parsed = JSON.parse(stdout) as { overlaps: { a: string; b: string; relation: string }[] };
    expect(parsed.overlaps.map(({ a, b, relation }) => ({ a, b, relation }))).toEqual([
      { a: 'vpc', b: 'pods', relation: 'contains' },
      { a: 'vpc', b: 'services', relation: 'contains' },
    ]);
  });

  test('equal ranges are reported as equal', async () => {
    const { code, stdout } = await cli('--range', 'a=fd00::/8', '--range', 'b=FD00::/8');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ overlaps: [{ a: 'a', b: 'b', relation: 'equal' }] });
  });

  test('no overlap: empty list, exit 0; different families never overlap', async () => {
    const { code, stdout } = await cli('--range', 'v4=0.0.0.0/0', '--range', 'v6=::/0');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ overlaps: [] });
  });

  test('table format prints the pairs and the shared span', async () => {
    const { code, stdout } = await cli('--range', 'pods=10.244.0.0/16', '--range', 'vpc=10.0.0.0/8', '--format', 'table');
    expect(code).toBe(1);
    expect(stdout).toMatch(/│ vpc\s+│ contains\s+│ pods\s+│ 10\.244\.0\.0–10\.244\.255\.255/);
    expect(stdout).not.toMatch(/\u001b\[/); // no colour codes in CI logs
  });

  test('invalid ranges: every one named, with a fix, exit 2 and nothing on stdout', async () => {
    const { code, stdout, stderr } = await cli('--range', 'pods=10.244.0.1/16', '--range', 'x=10.0.0.0/33', '--range', '10.0.0.0/8');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('invalid input (3 problems)');
    expect(stderr).toContain('"pods=10.244.0.1/16": host bits are set');
    expect(stderr).toContain('fix: use --range pods=10.244.0.0/16');
    expect(stderr).toContain('"x=10.0.0.0/33": prefix /33 is longer than /32');
    expect(stderr).toContain('"10.0.0.0/8" is not NAME=CIDR');
  });

  test('missing --range is a usage error (exit 2)', async () => {
    const { code, stderr } = await cli();
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--range <NAME=CIDR>' not specified");
  });
});
