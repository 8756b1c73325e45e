// Secrets never reach the state or the bundle: planted Secret data, env tokens, kubeconfig credentials and a token
// embedded in a ConfigMap are searched for in the serialized output.
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { writeBundle } from '../../harness/collect/bundle.ts';
import { redactDeep } from '../../harness/redaction/redactDeep.ts';
import { redactText } from '../../harness/redaction/redactText.ts';

const PLANTED = [
  'PLANTED-ENV-TOKEN-5b1e',
  'PLANTED-EMBEDDED-TOKEN-77aa',
  'PLANTED-STRINGDATA-9f2c',
  'PLANTED-KUBECONFIG-TOKEN-31cd',
  'UExBTlRFRC1TRUNSRVQtREFUQQ==', // base64 of PLANTED-SECRET-DATA, in Secret.data and its last-applied annotation
  'UExBTlRFRC1DTElFTlQtS0VZLURBVEE=', // kubeconfig client-key-data
];

describe('secrets are redacted at load', async () => {
  const state = await loadStateFromPaths(['fixtures/collect']);
  const serialized = JSON.stringify(state);

  test('the fixtures really contain the planted values (so the search below means something)', async () => {
    const raw =
      (await readFile('fixtures/collect/kubectl/all-namespaces.yaml', 'utf8')) +
      (await readFile('fixtures/collect/manifests/kubeconfig.yaml', 'utf8'));
    for (const secret of PLANTED) expect(raw).toContain(secret);
  });

  test.each(PLANTED)('%s is not in the state', (secret) => {
    expect(serialized).not.toContain(secret);
  });

  test('Secret metadata, type and key names survive; values and the last-applied copy do not', () => {
    const [secret] = state.kubernetes.secrets;
    expect(secret?.metadata?.name).toBe('db-credentials');
    expect(secret?.type).toBe('Opaque');
    for (const values of [secret?.data, secret?.stringData]) {
      expect(Object.keys(values ?? {}).length).toBeGreaterThan(0);
      for (const value of Object.values(values ?? {})) expect(value).toBe('[redacted: secret data]');
    }
    expect(secret?.metadata?.annotations).toEqual({ 'kubectl.kubernetes.io/last-applied-configuration': '[redacted: secret data]' });
  });

  test('env names are kept; values only where an evaluator needs them', () => {
    expect(state.kubernetes.pods[0]?.spec?.containers[0]?.env).toEqual([
      { name: 'API_TOKEN', value: '[redacted: env value]' },
      { name: 'LOG_LEVEL', value: '[redacted: env value]' },
    ]);
  });

  test.each(PLANTED)('%s is not in any file of the evidence bundle', async (secret) => {
    const dir = await mkdtemp(join(tmpdir(), 'cp-bundle-'));
    await writeBundle(state, dir);
    for (const file of await readdir(dir)) expect(await readFile(join(dir, file), 'utf8')).not.toContain(secret);
  });
});

describe('redactDeep on a Kubernetes object', () => {
  test('the last-applied copy of a non-Secret object is redacted by the same rules', () => {
    const applied = {
      kind: 'Deployment',
      spec: { template: { spec: { containers: [{ env: [{ name: 'DB_PASSWORD', value: 'PLANTED-LAST-APPLIED' }] }] } } },
    };
    const out = redactDeep({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'd',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied),
        },
      },
    });
    expect(JSON.stringify(out)).not.toContain('PLANTED-LAST-APPLIED');
    expect(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('DB_PASSWORD');
  });
});

describe('redactText', () => {
  test('PEM private keys, JWTs and credential keys inside embedded text', () => {
    const text = [
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
      'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl',
      '"password": "s3cr3t", "user": "bob"',
      'tokenFile: /var/run/token',
    ].join('\n');
    const out = redactText(text);
    expect(out).not.toMatch(/MIIEow|eyJzdWIi|s3cr3t/);
    expect(out).toContain('"user": "bob"');
    expect(out).toContain('tokenFile: /var/run/token');
  });
});
