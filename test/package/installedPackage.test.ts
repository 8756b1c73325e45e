// The npm package as a user gets it: `npm pack` (which builds dist/ in prepack), `npm install <tarball>` into an
// empty project, then the installed CLI scans the bundled non-compliant example through the shipped suites.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { packagePath } from '../../harness/paths.ts';

const work = mkdtempSync(join(tmpdir(), 'clusterproof-package-'));
const app = join(work, 'app');
// npm and npx must run the same Node as this test (>= 22), whatever else is on PATH.
const env = {
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  NO_COLOR: '1',
  GITHUB_ACTIONS: '',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
};
const version = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;

describe('the packed npm package, installed into an empty project', () => {
  beforeAll(async () => {
    const packed = await execa('npm', ['pack', '--json', '--pack-destination', work], { cwd: packagePath(), env });
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    await execa('npm', ['install', join(work, filename)], { cwd: app, env });
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

  test('npx clusterproof --version prints the package version', async () => {
    const result = await execa('npx', ['clusterproof', '--version'], { cwd: app, env, reject: false });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(version);
    expect(result.exitCode).toBe(0);
  }, 60_000);

  test('scanning the bundled non-compliant example fails the gate and writes all five reports', async () => {
    const out = join(work, 'r');
    const example = join(app, 'node_modules', 'clusterproof', 'fixtures', 'examples', 'non-compliant');
    const result = await execa('npx', ['clusterproof', 'scan', example, '--out', out], { cwd: app, env, reject: false });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    for (const name of ['report.json', 'report.html', 'junit.xml', 'summary.md', 'report.sarif']) {
      expect(existsSync(join(out, name)), name).toBe(true);
    }
    // The shipped suites really ran: the example has no default-deny NetworkPolicy anywhere.
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { findings: { controlId: string; result: string }[] };
    expect(report.findings.some((f) => f.controlId === 'netpol-default-deny' && f.result === 'fail')).toBe(true);
  }, 180_000);

  test('a suite the user keeps beside the project (--suites, relative to the cwd) runs with the shipped ones', async () => {
    mkdirSync(join(app, 'compliance'));
    // Users extend the suites with the same building block the shipped ones use, imported from the package.
    writeFileSync(
      join(app, 'compliance', 'etcd-twice.test.ts'),
      "import { describeControl } from 'clusterproof/dist/harness/suite/describeControl.js';\ndescribeControl('etcd-backup');\n",
    );
    const example = join(app, 'node_modules', 'clusterproof', 'fixtures', 'examples', 'non-compliant');
    const etcdFindings = async (out: string, extra: string[]): Promise<number> => {
      const result = await execa('npx', ['clusterproof', 'scan', example, '--format', 'json', '--out', out, ...extra], {
        cwd: app,
        env,
        reject: false,
      });
      expect(result.exitCode, result.stderr).toBe(1);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { findings: { controlId: string }[] };
      return report.findings.filter((f) => f.controlId === 'etcd-backup').length;
    };
    const shipped = await etcdFindings(join(work, 'shipped'), []);
    expect(shipped).toBeGreaterThan(0);
    expect(await etcdFindings(join(work, 'extended'), ['--suites', 'compliance'])).toBe(2 * shipped);
  }, 180_000);

  test('the tarball carries what `image build` runs', () => {
    const installed = join(app, 'node_modules', 'clusterproof');
    for (const path of ['scripts/images.sh', 'scripts/lib.sh', 'images/versions.env']) {
      expect(existsSync(join(installed, path)), path).toBe(true);
    }
  });
});
