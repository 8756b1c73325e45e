// The shortcut before the simulator must never hide an allowed service account: whenever it says "cannot
// match", the real IAM simulator denies too.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { subPrefilter } from '../../harness/evaluate/iam/subPrefilter.ts';
import { IRSA_ALIAS, aliasIssuer, simulateTrust } from '../../harness/evaluate/iam/trustSimulation.ts';
import { ACCOUNT, ISSUER, role } from './builders.ts';

const names = ['team-a', 'team-b', 'kube-system', 'app', 'other'];
const subValue = fc
  .tuple(fc.constantFrom(...names, '*'), fc.constantFrom(...names, '*', 'ap?'))
  .map(([ns, sa]) => `system:serviceaccount:${ns}:${sa}`);
const condition = fc.record({
  operator: fc.constantFrom('StringEquals', 'StringLike', 'StringNotEquals', 'StringEqualsIfExists', 'ForAnyValue:StringLike'),
  values: fc.array(subValue, { minLength: 1, maxLength: 2 }),
  withAud: fc.boolean(),
});
const statement = fc
  .record({ effect: fc.constantFrom('Allow', 'Allow', 'Deny'), condition: fc.option(condition, { nil: undefined }) })
  .map(({ effect, condition: c }) => ({
    Effect: effect,
    Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    ...(c
      ? {
          Condition: {
            [c.operator]: { [`${ISSUER}:sub`]: c.values.length === 1 ? c.values[0] : c.values },
            ...(c.withAud ? { StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' } } : {}),
          },
        }
      : {}),
  }));

describe('subPrefilter', () => {
  test('exact and glob pins; no shortcut without a pin on every Allow', () => {
    const pinned = subPrefilter(
      {
        Statement: [{ Effect: 'Allow', Condition: { StringLike: { [`${ISSUER.toUpperCase()}:SUB`]: 'system:serviceaccount:team-a:*' } } }],
      },
      ISSUER,
    );
    expect(pinned?.('system:serviceaccount:team-a:x')).toBe(true);
    expect(pinned?.('system:serviceaccount:team-b:x')).toBe(false);
    expect(subPrefilter({ Statement: [{ Effect: 'Allow' }] }, ISSUER)).toBeUndefined();
    expect(
      subPrefilter(
        { Statement: [{ Effect: 'Allow', Condition: { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:${aws:username}:x' } } }] },
        ISSUER,
      ),
    ).toBeUndefined();
  });

  test('never says "cannot match" for a service account the simulator allows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(statement, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...names),
        fc.constantFrom(...names),
        async (statements, ns, sa) => {
          const r = role('generated', { Version: '2012-10-17', Statement: statements });
          const sub = `system:serviceaccount:${ns}:${sa}`;
          const filter = subPrefilter(r.trustPolicy, ISSUER);
          if (!filter || filter(sub)) return;
          const decision = await simulateTrust(r, aliasIssuer(r.trustPolicy, ISSUER), {
            action: 'sts:AssumeRoleWithWebIdentity',
            principal: `arn:aws:iam::${ACCOUNT}:oidc-provider/${IRSA_ALIAS}`,
            contextVariables: { [`${IRSA_ALIAS}:sub`]: sub, [`${IRSA_ALIAS}:aud`]: 'sts.amazonaws.com' },
          });
          expect(decision.allowed).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });
});
