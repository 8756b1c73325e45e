// `clusterproof reachability` end to end: the real CLI process on the YAML in fixtures/netpol (loaded by the
// real file loader), checking the documented json shape, the truth-table output and bad-input handling.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args: string[]) => execa(process.execPath, ['bin/clusterproof.js', 'reachability', ...args], { cwd: root, reject: false });

interface Result {
  from: string;
  to: string;
  port: number;
  protocol: string;
  allowed: boolean;
  reason: string;
}

describe('clusterproof reachability', () => {
  test('json: every ordered pod pair (self included) × every port, with the documented fields and reasons', async () => {
    const run = await cli('fixtures/netpol/xy', '--ports', '80/TCP,81/TCP', '--format', 'json');
    expect(run.exitCode, run.stderr).toBe(0);
    const { results } = JSON.parse(run.stdout) as { results: Result[] };
    expect(results).toHaveLength(4 * 4 * 2);
    expect(Object.keys(results[0] as Result)).toEqual(['from', 'to', 'port', 'protocol', 'allowed', 'reason']);
    const find = (from: string, to: string, port: number) => results.find((r) => r.from === from && r.to === to && r.port === port);
    expect(find('y/b', 'x/a', 80)).toMatchObject({
      allowed: true,
      protocol: 'TCP',
      reason: expect.stringContaining('ingress allowed by x/allow-y-to-a-on-80 ingress rule 0'),
    });
    expect(find('y/b', 'x/b', 80)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('x/b is isolated for ingress by policies [x/default-deny-ingress, x/allow-named-81]'),
    });
    expect(find('x/a', 'x/a', 81)).toMatchObject({ allowed: true, reason: expect.stringContaining('x/allow-named-81 ingress rule 0') });
    expect(find('x/b', 'y/a', 80)).toMatchObject({ allowed: true, reason: expect.stringContaining('y/a is not isolated for ingress') });
  });

  test('table: one upstream-style truth table per port, rows from and columns to, `.` allowed and `X` blocked', async () => {
    const run = await cli(
      'fixtures/netpol/xy/namespaces.yaml',
      'fixtures/netpol/xy/pods.yaml',
      'fixtures/netpol/xy/policies.yaml',
      '--ports',
      '80',
      '--format',
      'table',
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const rows = run.stdout
      .split('\n')
      .filter((l) => /^│ [xy]\//.test(l))
      .map((l) =>
        l
          .split('│')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    expect(run.stdout.startsWith('80/TCP')).toBe(true);
    expect(rows).toEqual([
      ['x/a', 'X', 'X', '.', '.'],
      ['x/b', 'X', 'X', '.', '.'],
      ['y/a', '.', 'X', '.', '.'],
      ['y/b', '.', 'X', '.', '.'],
    ]);
  });

  test('bad --ports: exit 2, naming the flag and an example, nothing on stdout', async () => {
    const run = await cli('fixtures/netpol/xy', '--ports', '80/TCPX,0');
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--ports: invalid ports "80/TCPX", "0"');
    expect(run.stderr).toContain('fix: --ports 80/TCP,81/TCP,53/UDP');
  });
});
