// The real CLI binary on fixture specs: exit 0 with a one-line summary, exit 2 with every problem on bad input.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/clusterproof.js', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('clusterproof validate', () => {
  it('accepts a valid spec and says how many controls it requests', async () => {
    const { code, stdout } = await cli('validate', 'fixtures/specs/valid-full.yaml');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^spec ok: payments-prod \(10 controls requested\)\n  controls: api-endpoint-private, /);
  });

  it('exits 2 and prints every problem with file:line:column, pointer and fix', async () => {
    const { code, stdout, stderr } = await cli('validate', 'fixtures/specs/invalid-waivers.yaml');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('invalid input (5 problems)');
    expect(stderr).toContain(
      'fixtures/specs/invalid-waivers.yaml:7:16 at /spec/waivers/0/control: unknown control id "mtls-strikt" (did you mean "mtls-strict"?); known ids:',
    );
    expect(stderr).toContain('fix: control: mtls-strict');
    expect(stderr).toContain(
      'fixtures/specs/invalid-waivers.yaml:14:16 at /spec/waivers/1/expires: "2026-02-30" is not a real calendar date',
    );
  });

  it('warns about an expired waiver but still exits 0 (the gate, not validate, fails on it)', async () => {
    const { code, stdout, stderr } = await cli('validate', 'fixtures/specs/valid-expired-waiver.yaml');
    expect(code).toBe(0);
    expect(stdout).toBe('spec ok: expired-waiver (1 control requested)\n  controls: mtls-strict\n');
    expect(stderr).toContain('waiver for mtls-strict (scope legacy/*, owner team-payments) expired on 2020-01-31; it will fail the gate');
  });

  it('exits 2 on a missing file', async () => {
    const { code, stderr } = await cli('validate', 'fixtures/specs/nope.yaml');
    expect(code).toBe(2);
    expect(stderr).toContain('fixtures/specs/nope.yaml: cannot read the spec: no such file');
  });
});
