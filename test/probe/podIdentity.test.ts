// The judgement of an admitted Pod's AWS identity (harness/probe/iam/podIdentity.ts), pod by pod: the live layer
// feeds it real Pods and Secrets (test/live/podIam.test.ts); here each rule is stated on its own.
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { podIdentityProblems, roleMatches } from '../../harness/probe/iam/podIdentity.ts';
import { describeStep } from '../../harness/probe/iam/imdsWalk.ts';

const A = 'arn:aws:iam::111122223333:role/tenant-a';
const B = 'arn:aws:iam::111122223333:role/tenant-b';
const tenants = [
  { namespace: 'a', serviceAccount: 'app', role: 'tenant-a' },
  { namespace: 'b', serviceAccount: 'app', role: B },
];

function pod(namespace: string, account: string, role?: string, extra: Partial<NonNullable<V1Pod['spec']>> = {}): V1Pod {
  return {
    metadata: { namespace, name: 'p' },
    spec: {
      serviceAccountName: account,
      containers: [{ name: 'c', ...(role ? { env: [{ name: 'AWS_ROLE_ARN', value: role }] } : {}) }],
      ...(role
        ? {
            volumes: [
              {
                name: 'aws-iam-token',
                projected: { sources: [{ serviceAccountToken: { audience: 'sts.amazonaws.com', path: 'token' } }] },
              },
            ],
          }
        : {}),
      ...extra,
    },
  };
}

const noSecrets = async (): Promise<undefined> => undefined;

describe('podIdentityProblems', () => {
  test("a tenant's pod with its own role and an sts token: no problem", async () => {
    const r = await podIdentityProblems(pod('a', 'app', A), { annotation: A, tenants, secrets: noSecrets });
    expect(r.problems).toEqual([]);
    expect(r.observed).toMatchObject({ injectedRole: A, tenantRole: 'tenant-a', tokenAudiences: ['sts.amazonaws.com'] });
  });

  test("another tenant's role is named as borrowed", async () => {
    const r = await podIdentityProblems(pod('a', 'other', B), { annotation: B, tenants, secrets: noSecrets });
    expect(r.problems).toEqual(["carries tenant b/app's role " + B]);
  });

  test('an annotated ServiceAccount whose pod got no role: the webhook did not inject', async () => {
    const r = await podIdentityProblems(pod('a', 'app'), { annotation: A, tenants, secrets: noSecrets });
    expect(r.problems).toEqual([
      'ServiceAccount app names role ' + A + ', but none was injected (is the IRSA webhook running?)',
      'tenant a/app should hold tenant-a but has no role',
    ]);
  });

  test('a role set by hand without an annotation, and a wrong audience', async () => {
    const p = pod('x', 'app', A);
    const volume = p.spec?.volumes?.[0]?.projected?.sources?.[0]?.serviceAccountToken;
    if (volume) volume.audience = 'other';
    const r = await podIdentityProblems(p, { annotation: undefined, tenants, secrets: noSecrets });
    expect(r.problems).toContain(`carries role ${A} although ServiceAccount app names none (set by hand?)`);
    expect(r.problems).toContain("its projected token's audience is other, not sts.amazonaws.com");
  });

  test('static credentials: env, envFrom a Secret, a mounted Secret holding aws_access_key_id (names only)', async () => {
    const secrets = async (name: string): Promise<Record<string, string> | undefined> =>
      name === 'env'
        ? { AWS_SECRET_ACCESS_KEY: 'planted' }
        : name === 'file'
          ? { config: '[x]\naws_access_key_id=AKIAPLANTED' }
          : { other: 'x' };
    const p = pod('a', 'app', A, {
      containers: [
        {
          name: 'c',
          env: [
            { name: 'AWS_ROLE_ARN', value: A },
            { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAPLANTED' },
          ],
          envFrom: [{ secretRef: { name: 'env' } }, { secretRef: { name: 'unrelated' } }],
        },
      ],
      volumes: [
        { name: 'aws-iam-token', projected: { sources: [{ serviceAccountToken: { audience: 'sts.amazonaws.com', path: 't' } }] } },
        { name: 'creds', secret: { secretName: 'file' } },
        { name: 'plain', secret: { secretName: 'unrelated' } },
      ],
    });
    const r = await podIdentityProblems(p, { annotation: A, tenants, secrets });
    expect(r.observed.staticCredentials).toEqual([
      'container c env AWS_ACCESS_KEY_ID',
      'container c envFrom Secret env key AWS_SECRET_ACCESS_KEY',
      'volume creds (Secret file key config)',
    ]);
    expect(JSON.stringify(r)).not.toContain('AKIAPLANTED');
  });
});

test('roleMatches: a tenant role given by name matches the ARN that ends in it; an ARN must be equal', () => {
  expect(roleMatches(A, 'tenant-a')).toBe(true);
  expect(roleMatches(A, 'tenant')).toBe(false);
  expect(roleMatches(A, B)).toBe(false);
});

test('describeStep says what came back and never more than names', () => {
  expect(describeStep({ version: 'v2', method: 'PUT', path: '/latest/api/token', status: 0, credentials: false, error: 'timeout' })).toBe(
    'v2 PUT /latest/api/token → no answer (timeout)',
  );
  expect(describeStep({ version: 'v1', method: 'GET', path: '/r/', status: 200, roles: ['n'], credentials: false })).toBe(
    'v1 GET /r/ → 200 roles n',
  );
});
