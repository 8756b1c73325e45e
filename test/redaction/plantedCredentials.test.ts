// Credentials of every kind, planted in every input form, never reach an output a person hands on: the reports
// (`scan --out`), the evidence bundle (`collect --from --out`), or the terminal of either command.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const spec = join(root, 'fixtures/examples/non-compliant/clusterproof.yaml');

/** Made-up credentials, one per kind and input form, so a leak names where it came from. */
const PLANTED = {
  manifestUrlPassword: 'Pl4ntedUrlPassw0rd',
  manifestRandomToken: 'q8ZrT2vXk9LmN4pW7sYb3HcJ',
  manifestAwsAccessKey: 'AKIAPLANTED0MANIFEST',
  manifestAwsSecretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY1',
  configMapBearer: 'Zx9Kq2Lm7Np4Rs8Tv3Wy',
  configMapPrivateKey: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
  configMapPassword: 'cm-hunter2-planted',
  secretStringData: 'PlantedStringData!42',
  lastAppliedToken: 'Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7',
  dumpRandomToken: 'u7Hq2Wd9Xk4Zp1Rm6Tn3Vb8Ls',
  dumpUrlPassword: 'DumpUrlPa55word',
  dumpAnnotationJwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnUGxhbnRlZA',
  awsTagToken: 'Kf8Qw2Ez7Ry4Tu1Io9Pa5Sd3',
  awsTagUrlPassword: 'AwsTagPa55word',
  terraformTagSecret: 'Mz4Xn8Bc2Vq6Wl0Kj5Hg9Fd1',
  terraformAccessKey: 'ASIAPLANTED0TERRAFOR',
} as const;

const PEM = `-----BEGIN PRIVATE KEY-----\n${PLANTED.configMapPrivateKey}\n-----END PRIVATE KEY-----`;

const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: payments
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"kind":"Deployment","spec":{"template":{"spec":{"containers":[{"env":[{"name":"SESSION","value":"${PLANTED.lastAppliedToken}"}]}]}}}}'
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: registry.example.com/payments/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          env:
            - { name: DB_URL, value: "postgres://app:${PLANTED.manifestUrlPassword}@db:5432/app" }
            - { name: MY_CONFIG, value: "${PLANTED.manifestRandomToken}" }
            - { name: AWS_ACCESS_KEY_ID, value: "${PLANTED.manifestAwsAccessKey}" }
            - { name: AWS_SECRET_ACCESS_KEY, value: "${PLANTED.manifestAwsSecretKey}" }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: app-config, namespace: payments }
data:
  database_url: "postgres://app:${PLANTED.manifestUrlPassword}@db:5432/app"
  client.conf: |
    Authorization: Bearer ${PLANTED.configMapBearer}
    password = ${PLANTED.configMapPassword}
  tls.key: |
${PEM.split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
---
apiVersion: v1
kind: Secret
metadata: { name: db, namespace: payments }
stringData: { password: "${PLANTED.secretStringData}" }
`;

const kubectlDump = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'worker',
        namespace: 'payments',
        annotations: { 'example.com/session': PLANTED.dumpAnnotationJwt, 'example.com/nonce': PLANTED.dumpRandomToken },
      },
      spec: {
        containers: [{ name: 'w', image: 'worker:1.0', env: [{ name: 'QUEUE', value: `amqp://w:${PLANTED.dumpUrlPassword}@mq:5672/` }] }],
      },
    },
  ],
};

const awsSubnets = {
  Subnets: [
    {
      AvailabilityZone: 'eu-west-1a',
      CidrBlock: '10.40.0.0/19',
      MapPublicIpOnLaunch: false,
      State: 'available',
      SubnetId: 'subnet-0aaa1111',
      VpcId: 'vpc-0123456789abcdef0',
      Tags: [
        { Key: 'Name', Value: 'private-a' },
        { Key: 'deploy-token', Value: PLANTED.awsTagToken },
        { Key: 'Repo', Value: `https://ci:${PLANTED.awsTagUrlPassword}@git.example.com/infra` },
      ],
    },
  ],
};

const terraformPlan = {
  format_version: '1.2',
  terraform_version: '1.9.8',
  planned_values: { root_module: { resources: [] } },
  resource_changes: [
    {
      address: 'aws_vpc.main',
      mode: 'managed',
      type: 'aws_vpc',
      name: 'main',
      change: {
        actions: ['create'],
        before: null,
        after: {
          cidr_block: '10.40.0.0/16',
          tags: { Name: 'payments', Build: PLANTED.terraformTagSecret, Key: PLANTED.terraformAccessKey },
        },
        after_unknown: { id: true },
      },
    },
  ],
};

function readAll(dir: string): { name: string; text: string }[] {
  return readdirSync(dir).map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}

function leaks(outputs: { name: string; text: string }[]): string[] {
  return outputs.flatMap(({ name, text }) =>
    Object.entries(PLANTED)
      .filter(([, v]) => text.includes(v))
      .map(([k]) => `${k} in ${name}`),
  );
}

describe('planted credentials reach no output', () => {
  const inputs = mkdtempSync(join(tmpdir(), 'cp-planted-'));
  beforeAll(() => {
    writeFileSync(join(inputs, 'workloads.yaml'), manifests);
    writeFileSync(join(inputs, 'dump.json'), JSON.stringify(kubectlDump, null, 2));
    writeFileSync(join(inputs, 'describe-subnets.json'), JSON.stringify(awsSubnets, null, 2));
    writeFileSync(join(inputs, 'plan.json'), JSON.stringify(terraformPlan, null, 2));
  });

  test('the inputs really carry every planted value (otherwise the searches below prove nothing)', () => {
    expect(leaks(readAll(inputs)).length).toBe(Object.keys(PLANTED).length);
  });

  test('scan --out: report.json, report.html, junit.xml, summary.md, report.sarif, stdout and stderr', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cp-planted-reports-'));
    const run = await execa('node', ['bin/clusterproof.js', 'scan', inputs, '--spec', spec, '--out', out], { cwd: root, reject: false });
    expect(run.exitCode, run.stderr).toBe(1); // the example spec fails on these inputs: the reports are complete
    const files = readAll(out);
    expect(files.map((f) => f.name).sort()).toEqual(
      expect.arrayContaining(['report.json', 'report.html', 'junit.xml', 'summary.md', 'report.sarif']),
    );
    expect(leaks([...files, { name: 'stdout', text: run.stdout }, { name: 'stderr', text: run.stderr }])).toEqual([]);
  });

  test('collect --from --out: state.json, manifest.json, stdout and stderr', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cp-planted-bundle-'));
    const run = await execa('node', ['bin/clusterproof.js', 'collect', '--from', inputs, '--out', out], { cwd: root, reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    const files = readAll(out);
    expect(files.map((f) => f.name).sort()).toEqual(['manifest.json', 'state.json']);
    expect(leaks([...files, { name: 'stdout', text: run.stdout }, { name: 'stderr', text: run.stderr }])).toEqual([]);
  });

  test('the bundle keeps what evaluators and reviewers need: env names, URL user and host, image digests, Secret keys', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cp-planted-kept-'));
    await execa('node', ['bin/clusterproof.js', 'collect', '--from', inputs, '--out', out], { cwd: root });
    const state = readFileSync(join(out, 'state.json'), 'utf8');
    expect(state).toMatch(/"name": "MY_CONFIG",\s*"value": "\[redacted: env value\]"/);
    expect(state).toContain('postgres://app:[redacted: url password]@db:5432/app');
    expect(state).toContain('https://ci:[redacted: url password]@git.example.com/infra');
    expect(state).toContain('Authorization: Bearer [redacted: bearer token]');
    expect(state).toContain('@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
    expect(state).toContain('"password": "[redacted: secret data]"');
    expect(state).toContain('"Name": "private-a"');
  });
});
