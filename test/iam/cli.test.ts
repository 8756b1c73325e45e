// The real `clusterproof iam assumable` command on fixtures/iam (AWS CLI outputs + ServiceAccounts),
// loaded through the real file loader.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/clusterproof.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../../fixtures/iam/', import.meta.url));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'iam', 'assumable', ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}
type Results = { results: { serviceAccount: string; assumable: boolean; reason: string }[] };
const assumableSet = (stdout: string): string[] =>
  (JSON.parse(stdout) as Results).results.filter((r) => r.assumable).map((r) => r.serviceAccount);

// Each run starts the whole CLI (≈1.7 s of CPU); on a loaded 2-core machine that is many seconds of wall time.
describe('clusterproof iam assumable', { timeout: 120_000 }, () => {
  test('IRSA StringLike team-a:*: every team-a service account, judged regardless of its role annotation', async () => {
    const { code, stdout } = await cli(`${fixtures}assumable`, '--role', 'team-a-any');
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as Results;
    expect(parsed.results.map((r) => r.serviceAccount)).toEqual([
      'kube-system/evil',
      'team-a/app',
      'team-a/other',
      'team-b/app',
      'team-c/app',
    ]);
    expect(assumableSet(stdout)).toEqual(['team-a/app', 'team-a/other']);
    expect(parsed.results[1]?.reason).toMatch(
      /^IRSA: Sid "AnyTeamA" of team-a-any's trust policy allows a token for system:serviceaccount:team-a:app \(aud sts.amazonaws.com\)/,
    );
  });

  test('by ARN; missing sub condition lets every service account in', async () => {
    const { stdout } = await cli(`${fixtures}assumable`, '--role', 'arn:aws:iam::111122223333:role/no-sub');
    expect(assumableSet(stdout)).toHaveLength(5);
  });

  test('Pod Identity: the association plus the namespace tag condition decide', async () => {
    const { stdout } = await cli(`${fixtures}assumable`, '--role', 'team-b-pod-identity');
    const results = (JSON.parse(stdout) as Results).results;
    expect(results.filter((r) => r.assumable).map((r) => r.serviceAccount)).toEqual(['team-b/app']);
    expect(results.find((r) => r.serviceAccount === 'team-c/app')?.reason).toContain('Pod Identity (sts:AssumeRole): no statement');
  });

  test('table format', async () => {
    const { code, stdout } = await cli(`${fixtures}assumable`, '--role', 'team-a-app', '--format', 'table');
    expect(code).toBe(0);
    expect(stdout).toMatch(/│ team-a\/app\s+│ yes\s+│ IRSA: Sid "TeamAApp"/);
  });

  test('unknown role: exit 2 listing the known roles', async () => {
    const { code, stdout, stderr } = await cli(`${fixtures}assumable`, '--role', 'nope');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('role nope is not in the inputs; known roles: ');
    expect(stderr).toContain('team-a-app (arn:aws:iam::111122223333:role/team-a-app)');
  });

  test('two EKS clusters or none: exit 2', async () => {
    const two = await cli(`${fixtures}assumable`, `${fixtures}second-cluster`, '--role', 'team-a-app');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('2 EKS clusters in the inputs (prod');
    const none = await cli(
      `${fixtures}assumable/get-role-team-a-app.json`,
      `${fixtures}assumable/serviceaccounts.yaml`,
      '--role',
      'team-a-app',
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no EKS cluster in the inputs');
  });
});
