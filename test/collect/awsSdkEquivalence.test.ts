// `collect --aws` against a real local AWS API (moto server on loopback), compared with the AWS CLI route: the
// same seeded account gathered through the SDK and through `aws … > file.json` must give identical findings.
// Credentials are planted values that must never reach a bundle or report.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectAws } from '../../harness/collect/aws/sdk/collectAws.ts';
import { READ_ONLY_ACTIONS } from '../../harness/collect/aws/sdk/gatherAccount.ts';
import type { Finding } from '../../harness/model/findings.ts';
import { scan } from '../../harness/run/scan.ts';
import { MOTO_BIN, startMoto, type MotoServer } from '../support/motoServer.ts';
import { REGION, seedAccount, type Seeded } from '../support/seedAwsAccount.ts';

const execFileAsync = promisify(execFile);
const SPEC = 'fixtures/aws-moto/clusterproof.yaml';
const PLANTED = {
  AWS_ACCESS_KEY_ID: 'AKIAPLANTEDMOTO00042',
  AWS_SECRET_ACCESS_KEY: 'planted-secret-Zq81vXk3',
  AWS_SESSION_TOKEN: 'planted-session-Lm52Wr9',
};
const awsEnv = { ...PLANTED, AWS_REGION: REGION, AWS_DEFAULT_REGION: REGION, AWS_EC2_METADATA_DISABLED: 'true' };

let moto: MotoServer;
let work: string;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  moto = await startMoto();
  work = mkdtempSync(join(tmpdir(), 'clusterproof-moto-'));
  for (const [k, v] of Object.entries(awsEnv)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
}, 60_000);
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await moto?.stop();
  if (work && !process.env.KEEP_MOTO_WORK) rmSync(work, { recursive: true, force: true });
});

/** The AWS CLI route: the commands whose JSON the file loader reads (fixtures/examples/README.md), one file each, run concurrently. */
async function gatherWithCli(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const aws = async (...args: string[]): Promise<string> =>
    (
      await execFileAsync(join(MOTO_BIN, 'aws'), ['--endpoint-url', moto.url, '--region', REGION, '--output', 'json', ...args], {
        env: { ...process.env, ...awsEnv },
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      })
    ).stdout;
  const save = async (file: string, ...args: string[]): Promise<unknown> => {
    const text = await aws(...args);
    writeFileSync(join(dir, file), text);
    return JSON.parse(text) as unknown;
  };
  const [templates, lbs, clusters] = await Promise.all([
    aws('ec2', 'describe-launch-templates').then((t) => JSON.parse(t) as { LaunchTemplates: { LaunchTemplateId: string }[] }),
    save('elbv2-describe-load-balancers.json', 'elbv2', 'describe-load-balancers') as Promise<{
      LoadBalancers: { LoadBalancerArn: string }[];
    }>,
    aws('eks', 'list-clusters').then((t) => JSON.parse(t) as { clusters: string[] }),
    ...[
      'describe-vpcs',
      'describe-subnets',
      'describe-route-tables',
      'describe-vpc-peering-connections',
      'describe-security-groups',
      'describe-instances',
    ].map((c) => save(`ec2-${c}.json`, 'ec2', c)),
    save(
      'iam-authorization-details.json',
      'iam',
      'get-account-authorization-details',
      '--filter',
      'Role',
      'LocalManagedPolicy',
      'AWSManagedPolicy',
    ),
    save('iam-list-instance-profiles.json', 'iam', 'list-instance-profiles'),
  ]);
  const arns = lbs.LoadBalancers.map((l) => l.LoadBalancerArn);
  await Promise.all([
    ...templates.LaunchTemplates.map((t) =>
      save(`ec2-lt-${t.LaunchTemplateId}.json`, 'ec2', 'describe-launch-template-versions', '--launch-template-id', t.LaunchTemplateId),
    ),
    ...(arns.length > 0 ? [save('elbv2-describe-tags.json', 'elbv2', 'describe-tags', '--resource-arns', ...arns)] : []),
    ...arns.map((arn, i) => save(`elbv2-listeners-${i}.json`, 'elbv2', 'describe-listeners', '--load-balancer-arn', arn)),
    ...clusters.clusters.map((name) => save(`eks-${name}.json`, 'eks', 'describe-cluster', '--name', name)),
  ]);
}

/** The SDK route, through the CLI as a user runs it. */
async function collectWithSdk(out: string): Promise<string> {
  return (
    await execFileAsync(process.execPath, ['bin/clusterproof.js', 'collect', '--aws', '--endpoint-url', moto.url, '--out', out], {
      env: { ...process.env, ...awsEnv },
      encoding: 'utf8',
    })
  ).stdout;
}

/**
 * What a reader judges: control, result, message and evidence. Where an object was read differs by route (an API
 * call vs a file line), so those locations, also quoted in some messages, become <source>.
 */
function comparable(findings: Finding[], cliDir: string): unknown[] {
  // Report redaction may mask the temp directory's random name: `[redacted: random token].json:23`.
  const where = new RegExp(`(aws://${REGION}/|${cliDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/|\\[redacted: [a-z ]+\\])[^"),\\s]*`, 'g');
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => k !== 'source')
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  return findings
    .map(strip)
    .map((f) => JSON.stringify(f).replace(where, '<source>'))
    .sort()
    .map((s) => JSON.parse(s) as unknown);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

async function bothWays(
  kind: 'compliant' | 'non-compliant',
): Promise<{ seeded: Seeded; sdk: unknown[]; cli: unknown[]; findings: Finding[]; dirs: string[] }> {
  await moto.reset();
  const seeded = await seedAccount(moto.url, kind);
  const bundle = join(work, kind, 'bundle');
  const cliDir = join(work, kind, 'cli');
  await Promise.all([collectWithSdk(bundle), gatherWithCli(cliDir)]);
  const run = (paths: string[], out: string) =>
    scan({ paths, specFile: SPEC, outDir: join(work, kind, out), formats: ['json', 'junit', 'html', 'md', 'sarif'], failOn: 'low' });
  const sdk = await run([bundle], 'report-sdk');
  const cli = await run([cliDir], 'report-cli');
  return {
    seeded,
    sdk: comparable(sdk.report.findings, cliDir),
    cli: comparable(cli.report.findings, cliDir),
    findings: sdk.report.findings,
    dirs: [bundle, join(work, kind, 'report-sdk'), join(work, kind, 'report-cli')],
  };
}

const failing = (findings: Finding[], control: string) => findings.filter((f) => f.controlId === control && f.result === 'fail');

describe('collect --aws against moto', () => {
  test('non-compliant account: SDK and AWS CLI give identical findings; endpoint, CIDR and node-role controls fail naming AWS ids', async () => {
    const { seeded, sdk, cli, findings, dirs } = await bothWays('non-compliant');
    expect(sdk).toEqual(cli);
    const text = (control: string) => JSON.stringify(failing(findings, control));
    expect(text('api-endpoint-private')).toContain('EKS cluster payments-prod');
    expect(text('api-endpoint-private')).toContain('0.0.0.0/0');
    expect(text('api-endpoint-private')).toContain(seeded.securityGroup);
    expect(text('cidr-non-overlapping')).toContain(seeded.peerVpc);
    expect(text('iam-node-role-inheritance')).toContain(seeded.instance);
    expect(text('iam-node-role-inheritance')).toContain('payments-prod-node');
    // Credentials never reach the bundle or a report.
    for (const file of dirs.flatMap(filesUnder)) {
      const content = readFileSync(file, 'utf8');
      for (const value of Object.values(PLANTED)) expect(content.includes(value), `${value} in ${file}`).toBe(false);
    }
  }, 240_000);

  test('compliant account: identical findings, and the three controls do not fail', async () => {
    const { sdk, cli, findings } = await bothWays('compliant');
    expect(sdk).toEqual(cli);
    for (const control of ['api-endpoint-private', 'cidr-non-overlapping', 'iam-node-role-inheritance']) {
      expect(failing(findings, control), control).toEqual([]);
      expect(findings.filter((f) => f.controlId === control && f.result === 'pass').length, control).toBeGreaterThan(0);
    }
  }, 240_000);

  test('uses only the read-only actions the README policy lists (moto has no EKS Pod Identity, so DescribePodIdentityAssociation is never reached)', async () => {
    await moto.reset();
    await seedAccount(moto.url, 'non-compliant');
    const { operations, state } = await collectAws({ region: REGION, endpoint: moto.url });
    for (const op of operations) expect(op).toMatch(/^[a-z0-9]+:(Describe|List|Get)[A-Za-z]+$/);
    expect(new Set(operations)).toEqual(new Set(READ_ONLY_ACTIONS.filter((a) => a !== 'eks:DescribePodIdentityAssociation')));
    expect(state.warnings.map((w) => w.message).join('\n')).toContain('does not implement eks:ListPodIdentityAssociations');
    const readme = readFileSync('README.md', 'utf8');
    const policy = /## Collecting from an AWS account[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(policy, 'README policy block').toBeDefined();
    const actions = (JSON.parse(policy ?? '{}') as { Statement: { Action: string[] }[] }).Statement.flatMap((s) => s.Action);
    expect([...actions].sort()).toEqual([...READ_ONLY_ACTIONS].sort());
  }, 60_000);
});
