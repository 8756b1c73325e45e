// The AWS policy grammar: a policy AWS would reject is an error naming the statement and field — never read as
// "no statement allows", which would make a role look assumable by nobody.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { irsaAssumable, podIdentityAssumable } from '../../harness/evaluate/iam/assumability.ts';
import { policyGrammarProblems } from '../../harness/evaluate/iam/policyGrammar.ts';
import { evaluateIamPodIsolation } from '../../harness/evaluate/iamPodIsolation.ts';
import { packagePath } from '../../harness/paths.ts';
import type { PolicyDocument } from '../../harness/model/state.ts';
import { ACCOUNT, ISSUER, cluster, control, role, serviceAccount, specWith, stateWith } from './builders.ts';

const federated = { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` };
const teamA = (extra: Record<string, unknown> = {}) => ({
  Sid: 'TeamA',
  Effect: 'Allow',
  Principal: federated,
  Action: 'sts:AssumeRoleWithWebIdentity',
  Condition: { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:team-a:app', [`${ISSUER}:aud`]: 'sts.amazonaws.com' } },
  ...extra,
});
const trust = (Statement: unknown): PolicyDocument => ({ Version: '2012-10-17', Statement });

describe('policy grammar', () => {
  test('Statement null is named, not a crash', () => {
    expect(policyGrammarProblems(trust(null), 'trust')).toEqual([
      'Statement is null: it must be a statement object or a non-empty list of them',
    ]);
    expect(policyGrammarProblems({ Version: '2012-10-17' }, 'trust')).toEqual([
      'Statement is missing: it must be a statement object or a non-empty list of them',
    ]);
  });

  test('Effect "allow" (wrong case) and a missing Effect name the statement by index and Sid', () => {
    expect(policyGrammarProblems(trust([teamA({ Effect: 'allow' })]), 'trust')).toEqual([
      'statement #0 (Sid "TeamA"), Effect: Effect must be present and exactly "Allow" or "Deny"',
    ]);
    const { Effect: _dropped, ...noEffect } = teamA();
    expect(policyGrammarProblems(trust([teamA({ Sid: 'Ok' }), noEffect]), 'trust')).toEqual([
      'statement #1 (Sid "TeamA"): Effect must be present and exactly "Allow" or "Deny"',
    ]);
  });

  test('an operator AWS does not define (StringEqualz, NullIfExists) is named with its statement', () => {
    const bad = teamA({ Condition: { StringEqualz: { [`${ISSUER}:sub`]: 'system:serviceaccount:team-a:app' } } });
    expect(policyGrammarProblems(trust(bad), 'trust')).toEqual([
      expect.stringMatching(/^statement #0 \(Sid "TeamA"\): Condition operator "StringEqualz" is not an AWS condition operator/),
    ]);
    expect(policyGrammarProblems(trust(teamA({ Condition: { NullIfExists: { 'aws:TokenIssueTime': 'true' } } })), 'trust')).toHaveLength(1);
  });

  test('an unknown Principal form is rejected; every form AWS defines is accepted', () => {
    expect(policyGrammarProblems(trust(teamA({ Principal: { Aws: 'arn:aws:iam::111122223333:root' } })), 'trust')).toEqual([
      expect.stringMatching(/^statement #0 \(Sid "TeamA"\), Principal\.Aws: /),
    ]);
    for (const Principal of [
      '*',
      { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      { AWS: ['*'] },
      { Service: 'pods.eks.amazonaws.com' },
      federated,
      { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' },
    ]) {
      expect(
        policyGrammarProblems(trust({ Effect: 'Allow', Principal, Action: 'sts:AssumeRole' }), 'trust'),
        JSON.stringify(Principal),
      ).toEqual([]);
    }
  });

  test('valid: StringEqualsIfExists, ForAnyValue:StringLike, ForAllValues:StringEquals, Null, NotAction/NotResource', () => {
    const valid = teamA({
      Condition: {
        StringEqualsIfExists: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' },
        'ForAnyValue:StringLike': { [`${ISSUER}:sub`]: ['system:serviceaccount:team-a:*'] },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] },
        Null: { 'aws:TokenIssueTime': 'false' },
      },
    });
    expect(policyGrammarProblems(trust(valid), 'trust')).toEqual([]);
    expect(
      policyGrammarProblems(
        { Version: '2012-10-17', Statement: { Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::logs/*' } },
        'permission',
      ),
    ).toEqual([]);
  });

  test('a valid policy with StringEqualsIfExists and ForAnyValue:StringLike is evaluated as AWS does', async () => {
    const r = role(
      'team-a-like',
      trust(
        teamA({
          Condition: {
            StringEqualsIfExists: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' },
            'ForAnyValue:StringLike': { [`${ISSUER}:sub`]: ['system:serviceaccount:team-a:*'] },
          },
        }),
      ),
    );
    expect((await irsaAssumable(r, cluster, { namespace: 'team-a', serviceAccount: 'worker' })).assumable).toBe(true);
    expect((await irsaAssumable(r, cluster, { namespace: 'team-b', serviceAccount: 'app' })).assumable).toBe(false);
  });

  test('a broken trust policy is an error for both mechanisms, never "not assumable"', async () => {
    const r = role('broken', trust([teamA({ Effect: 'allow' })]));
    await expect(irsaAssumable(r, cluster, { namespace: 'team-a', serviceAccount: 'app' })).rejects.toThrow(
      /not a valid IAM trust policy, AWS would reject it: statement #0 \(Sid "TeamA"\), Effect/,
    );
    await expect(podIdentityAssumable(r, cluster, [], { namespace: 'team-a', serviceAccount: 'app' })).rejects.toThrow(
      /statement #0 \(Sid "TeamA"\), Effect/,
    );
  });

  test('iam-pod-isolation: a tenant role with a broken trust policy is an error finding naming role, statement and field', async () => {
    const state = stateWith((s) => {
      s.cloud.eksClusters.push(cluster);
      s.cloud.iamRoles.push(
        role('team-a-app', trust([teamA({ Condition: { StringEqualz: { [`${ISSUER}:sub`]: 'system:serviceaccount:team-a:app' } } })])),
      );
      s.kubernetes.serviceAccounts.push(serviceAccount('team-a', 'app'));
    });
    const findings = await evaluateIamPodIsolation({
      spec: specWith({ mode: 'irsa', tenants: [{ namespace: 'team-a', serviceAccount: 'app', role: 'team-a-app' }] }),
      state,
      control: control('iam-pod-isolation'),
    });
    expect(findings.map((f) => f.result)).toEqual(['error']);
    expect(findings[0]?.message).toMatch(
      /^Trust policy of team-a-app could not be evaluated: .*statement #0 \(Sid "TeamA"\): Condition operator "StringEqualz"/,
    );
  });
});

describe('clusterproof iam assumable with a trust policy AWS would reject', { timeout: 120_000 }, () => {
  const withBrokenRole = (statement: unknown): string => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-iam-grammar-'));
    cpSync(packagePath('fixtures/iam/assumable'), dir, { recursive: true });
    writeFileSync(
      join(dir, 'get-role-broken.json'),
      JSON.stringify({
        Role: { RoleName: 'broken', Arn: `arn:aws:iam::${ACCOUNT}:role/broken`, AssumeRolePolicyDocument: trust(statement) },
      }),
    );
    return dir;
  };
  const cli = (dir: string) =>
    execa(process.execPath, [packagePath('bin/clusterproof.js'), 'iam', 'assumable', dir, '--role', 'broken'], {
      reject: false,
      env: { NO_COLOR: '1' },
    });

  test('Effect "allow": exit 2 naming the role, the statement and the field; no verdict printed', async () => {
    const result = await cli(withBrokenRole([teamA({ Effect: 'allow' })]));
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'the trust policy of broken cannot be evaluated: not a valid IAM trust policy, AWS would reject it: statement #0 (Sid "TeamA"), Effect',
    );
    expect(result.stderr).not.toContain('internal error');
  });

  test('Statement null: exit 2 with the field, not a JavaScript error', async () => {
    const result = await cli(withBrokenRole(null));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Statement is null: it must be a statement object or a non-empty list of them');
    expect(result.stderr).not.toContain('Cannot convert undefined or null to object');
  });
});
