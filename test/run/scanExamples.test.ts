// End to end: `clusterproof scan` on the shipped examples, through the real CLI, suites and report writers.
import { mkdtempSync, readFileSync, readdirSync, existsSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadControls } from '../../harness/controls/load.ts';
import type { RunReport } from '../../harness/model/report.ts';
import { packagePath } from '../../harness/paths.ts';
import { clusterproof } from './cliRunner.ts';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'cp-scan-test-'));
const readReport = (dir: string): RunReport => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;

// Each test runs the real CLI once or twice (a child process that itself runs the suites under vitest): on the shared
// two-core machine that takes 10–30 s, so the budget matches the CLI runner's own 120 s limit instead of the tier's 30 s.
describe('scan of the shipped examples', { timeout: 120_000 }, () => {
  test('the non-compliant example fails the gate with a failing finding for every control', async () => {
    const out = freshDir();
    const result = await clusterproof(['scan', 'fixtures/examples/non-compliant', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    const report = readReport(out);
    const failedControls = new Set(report.findings.filter((f) => f.result === 'fail').map((f) => f.controlId));
    const staticControls = loadControls().filter((c) => c.layers.includes('config') || c.layers.includes('plan'));
    expect([...failedControls].sort()).toEqual(staticControls.map((c) => c.id).sort());
    // The example is complete: every violation is judged on evidence, none is an input the evaluators could not use.
    expect(report.findings.filter((f) => f.result === 'error').map((f) => `${f.controlId}: ${f.message}`)).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.sarif', 'summary.md']);
  });

  test('the compliant example passes the gate with no fail or error findings', async () => {
    const out = freshDir();
    const result = await clusterproof(['scan', 'fixtures/examples/compliant', '--out', out]);
    expect(result.stderr).toBe('');
    const report = readReport(out);
    const bad = report.findings.filter((f) => f.result === 'fail' || f.result === 'error');
    expect(bad.map((f) => `${f.controlId}: ${f.message}`)).toEqual([]);
    expect(result.exitCode).toBe(0);
    // Every static control is judged on evidence (a pass), not skipped: not-applicable only where a live cluster is needed.
    const staticControls = loadControls().filter((c) => c.layers.includes('config') || c.layers.includes('plan'));
    const passed = new Set(report.findings.filter((f) => f.result === 'pass').map((f) => f.controlId));
    expect(staticControls.map((c) => c.id).filter((id) => !passed.has(id))).toEqual([]);
    const staticNotApplicable = report.findings.filter(
      (f) => f.result === 'not-applicable' && (f.layer === 'config' || f.layer === 'plan'),
    );
    expect(staticNotApplicable.map((f) => `${f.controlId}: ${f.message}`)).toEqual([]);
    // Live-only layers are reported, not silently skipped.
    const probe = report.findings.filter((f) => f.layer === 'probe');
    expect(probe.length).toBeGreaterThan(0);
    expect(probe.every((f) => f.result === 'not-applicable' && f.message.includes('needs a live cluster'))).toBe(true);
  });

  test('an expired waiver fails the gate even though everything else passes', async () => {
    const dir = freshDir();
    cpSync(packagePath('fixtures/examples/compliant'), dir, { recursive: true });
    const spec = readFileSync(join(dir, 'clusterproof.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'clusterproof.yaml'),
      `${spec.trimEnd()}\n  waivers:\n    - control: mtls-strict\n      owner: platform-team\n      reason: legacy workload migration\n      ticket: PLAT-1234\n      expires: "2020-01-31"\n`,
    );
    const out = freshDir();
    const result = await clusterproof(['scan', dir, '--out', out]);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = readReport(out);
    expect(report.waivers.map((w) => w.status)).toEqual(['expired']);
    expect(report.gate.failingControls).toContain('mtls-strict');
  });

  test('bad input exits 2, names the file and writes no report', async () => {
    const dir = freshDir();
    cpSync(packagePath('fixtures/examples/compliant'), dir, { recursive: true });
    writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n');
    const out = join(freshDir(), 'reports');
    const result = await clusterproof(['scan', dir, '--out', out]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('broken.yaml');
    expect(existsSync(out)).toBe(false);
  });

  test('--out naming an existing file is bad input (exit 2) reported before anything is read', async () => {
    const file = join(freshDir(), 'taken.txt');
    writeFileSync(file, 'keep me');
    // The scanned path does not exist either: the --out problem is what the user hears, so it was checked first.
    const result = await clusterproof(['scan', join(freshDir(), 'missing'), '--out', file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${file} at --out: is a file, not a directory`);
    expect(result.stderr).not.toContain('internal error');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  test("a rerun with --format json leaves only the new report.json beside the user's own files", async () => {
    const out = freshDir();
    expect((await clusterproof(['scan', 'fixtures/examples/non-compliant', '--out', out])).exitCode).toBe(1);
    writeFileSync(join(out, 'README.txt'), 'mine');
    const rerun = await clusterproof(['scan', 'fixtures/examples/non-compliant', '--format', 'json', '--out', out]);
    expect(rerun.exitCode, rerun.stderr).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['README.txt', 'report.json']);
    expect(readReport(out).manifest.reports).toEqual(['report.json']);
  });

  test('a run that exits 2 leaves no earlier report behind to be mistaken for its result', async () => {
    const out = freshDir();
    expect((await clusterproof(['scan', 'fixtures/examples/non-compliant', '--out', out])).exitCode).toBe(1);
    writeFileSync(join(out, 'README.txt'), 'mine');
    const failed = await clusterproof(['scan', join(freshDir(), 'missing'), '--out', out]);
    expect(failed.exitCode).toBe(2);
    expect(readdirSync(out)).toEqual(['README.txt']);
  });

  test('an unknown report format is bad input (exit 2)', async () => {
    const result = await clusterproof(['scan', 'fixtures/examples/compliant', '--format', 'pdf', '--out', freshDir()]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--format');
  });
});
