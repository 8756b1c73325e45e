// `collect --aws` with a caller that lacks one Describe action, against moto with IAM authorization enforced
// (moto_server honours INITIAL_NO_AUTH_ACTION_COUNT: the first N calls go unchecked, every later one is signed-checked
// and authorised against the caller's IAM policies). The first calls create a user whose policy is the README's
// read-only policy minus ec2:DescribeSubnets; `collect --aws` with that user's keys fails with one line naming it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { READ_ONLY_ACTIONS } from '../../harness/collect/aws/sdk/gatherAccount.ts';
import { startMoto, type MotoServer } from '../support/motoServer.ts';

const REGION = 'eu-west-1';
const MISSING = 'ec2:DescribeSubnets';
/** One user per action left out of its policy (one per service), and one with the whole read-only policy. */
// (sts:GetCallerIdentity is not among them: AWS answers it whatever the policy says, and so does moto.)
const LEFT_OUT = [MISSING, 'elasticloadbalancing:DescribeLoadBalancers', 'eks:ListClusters', 'iam:ListInstanceProfiles'];
const USERS = [...LEFT_OUT, 'none'];
/** CreateUser, PutUserPolicy, CreateAccessKey per user: the calls moto lets through before it enforces IAM. */
const SETUP_CALLS = 3 * USERS.length;

let moto: MotoServer;
let work: string;
type Keys = { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string };
const keysLacking: Record<string, Keys> = {};

beforeAll(async () => {
  moto = await startMoto({ INITIAL_NO_AUTH_ACTION_COUNT: String(SETUP_CALLS) });
  work = mkdtempSync(join(tmpdir(), 'clusterproof-awsperm-'));
  const iam = new IAMClient({
    region: REGION,
    endpoint: moto.url,
    credentials: { accessKeyId: 'AKIASETUPONLY0000001', secretAccessKey: 'setup-only' },
  });
  try {
    for (const [i, missing] of USERS.entries()) {
      const UserName = `auditor${i}`;
      await iam.send(new CreateUserCommand({ UserName }));
      const policy = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: READ_ONLY_ACTIONS.filter((a) => a !== missing), Resource: '*' }],
      };
      await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: 'clusterproof-read-only', PolicyDocument: JSON.stringify(policy) }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName }))).AccessKey;
      keysLacking[missing] = { AWS_ACCESS_KEY_ID: key?.AccessKeyId ?? '', AWS_SECRET_ACCESS_KEY: key?.SecretAccessKey ?? '' };
    }
  } finally {
    iam.destroy();
  }
}, 60_000);
afterAll(async () => {
  await moto?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function collect(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  try {
    const r = await promisify(execFile)(
      process.execPath,
      ['bin/clusterproof.js', 'collect', '--aws', '--region', REGION, '--endpoint-url', moto.url, '--out', out],
      { env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: '', AWS_SESSION_TOKEN: '', ...env } },
    );
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// moto calls slow down when the machine is busy: more than the unit project's 30 s default per test.
describe('collect --aws with IAM enforced by moto', { timeout: 120_000 }, () => {
  test(`a caller whose policy lacks ${MISSING} gets one line naming that action, and no bundle`, async () => {
    const keys = keysLacking[MISSING] as Keys;
    const r = await collect(keys);
    expect(r.code).not.toBe(0);
    // The error is the first line; what follows is indented detail (AWS's own message as the cause).
    const [first, ...detail] = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(first).toBe(
      `clusterproof: AWS denied ${MISSING} (AccessDenied): grant ${MISSING} to the caller; the read-only policy is in README.md, "Collecting from an AWS account"`,
    );
    expect(detail).toEqual([`  cause: User: arn:aws:iam::123456789012:user/auditor0 is not authorized to perform: ${MISSING}`]);
    expect(r.stderr).not.toContain(keys.AWS_SECRET_ACCESS_KEY);
    expect(readdirSync(work).flatMap((d) => readdirSync(join(work, d)))).toEqual([]);
  });

  // moto answers a denied EKS call (REST-JSON) with an XML body the SDK cannot parse: that one is named from the 403.
  test.each(LEFT_OUT.slice(1))('a caller lacking %s (one action per service) is told that action', async (missing) => {
    const r = await collect(keysLacking[missing] as Keys);
    expect(r.code).not.toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(
      new RegExp(`^clusterproof: AWS denied ${missing} \\((AccessDenied|HTTP 403)\\): grant ${missing} to the caller;`),
    );
  });

  test('the whole read-only policy of the README is enough: collect --aws succeeds under enforcement', async () => {
    const r = await collect(keysLacking.none as Keys);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('keys moto does not know are rejected as credentials, not as a missing permission', async () => {
    const r = await collect({ AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN000000001', AWS_SECRET_ACCESS_KEY: 'nope' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /AWS rejected the credentials on sts:GetCallerIdentity \((InvalidClientTokenId|UnrecognizedClientException)\)/,
    );
  });
});
