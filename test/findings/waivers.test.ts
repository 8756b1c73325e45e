// Waivers over findings: active waivers waive fail/error (keeping the original result), expired ones waive nothing
// and become failing findings, unmatched ones are warnings; scope and expiry-day boundaries are exact.
import { describe, expect, it } from 'vitest';
import { applyWaivers, expiredWaiverFindings, isExpired, scopeMatches } from '../../harness/findings/waivers.ts';
import type { Finding, Result } from '../../harness/model/findings.ts';
import type { Waiver } from '../../harness/model/spec.ts';

const today = new Date('2026-06-15T23:59:00Z');

function finding(controlId: string, result: Result, namespace?: string, name = 'web'): Finding {
  return {
    controlId,
    layer: 'config',
    result,
    message: `${controlId} is ${result}`,
    ...(namespace === undefined ? {} : { subject: { kind: 'Namespace', namespace, name } }),
    evidence: [{ type: 'rule', rule: 'test' }],
  };
}

const waiver = (over: Partial<Waiver>): Waiver => ({
  control: 'mtls-strict',
  owner: 'team-a',
  reason: 'migrating',
  ticket: 'PLAT-1',
  expires: '2026-12-31',
  ...over,
});

describe('scopeMatches', () => {
  it.each([
    [undefined, { kind: 'Pod', name: 'x', namespace: 'a' }, true],
    ['*', undefined, true],
    ['a/*', { kind: 'Pod', name: 'x', namespace: 'a' }, true],
    ['a/*', { kind: 'Pod', name: 'x', namespace: 'b' }, false],
    ['a/x', { kind: 'Pod', name: 'x', namespace: 'a' }, true],
    ['a/x', { kind: 'Pod', name: 'y', namespace: 'a' }, false],
    ['a/*', undefined, false],
    ['a/*', { kind: 'Node', name: 'n1' }, false],
  ] as const)('scope %s vs %o → %s', (scope, subject, expected) => {
    expect(scopeMatches(scope, subject)).toBe(expected);
  });
});

describe('isExpired', () => {
  it('keeps a waiver valid through its expiry day (UTC) and expires it the next day', () => {
    expect(isExpired(waiver({ expires: '2026-06-15' }), today)).toBe(false);
    expect(isExpired(waiver({ expires: '2026-06-14' }), today)).toBe(true);
    expect(isExpired(waiver({ expires: '2026-06-15' }), new Date('2026-06-16T00:00:00Z'))).toBe(true);
  });
});

describe('applyWaivers', () => {
  it('waives matching fail and error findings, keeping the original result and the waiver details', () => {
    const findings = [
      finding('mtls-strict', 'fail', 'legacy'),
      finding('mtls-strict', 'error', 'legacy', 'db'),
      finding('mtls-strict', 'fail', 'payments'),
    ];
    const { findings: out, waivers, warnings } = applyWaivers(findings, [waiver({ scope: 'legacy/*' })], today);
    expect(out.map((f) => f.result)).toEqual(['waived', 'waived', 'fail']);
    expect(out[0]?.waived).toEqual({
      originalResult: 'fail',
      waiverIndex: 0,
      owner: 'team-a',
      reason: 'migrating',
      ticket: 'PLAT-1',
      expires: '2026-12-31',
    });
    expect(out[1]?.waived?.originalResult).toBe('error');
    expect(out[0]?.message).toBe(findings[0]?.message);
    expect(waivers).toEqual([{ waiver: waiver({ scope: 'legacy/*' }), status: 'active', matched: 2 }]);
    expect(warnings).toEqual([]);
    expect(findings[0]?.result).toBe('fail'); // input untouched
  });

  it('never touches pass, not-applicable or other controls', () => {
    const findings = [
      finding('mtls-strict', 'pass', 'a'),
      finding('mtls-strict', 'not-applicable', 'a'),
      finding('etcd-backup', 'fail', 'a'),
    ];
    const { findings: out, waivers, warnings } = applyWaivers(findings, [waiver({})], today);
    expect(out).toEqual(findings);
    expect(waivers[0]?.status).toBe('unmatched');
    expect(warnings).toEqual([
      'waiver for mtls-strict (scope *, owner team-a) matches no failing finding; remove it from the spec if the problem is fixed, or correct its scope',
    ]);
  });

  it('does not waive with an expired waiver, reports it expired, and counts what it would have covered', () => {
    const findings = [finding('mtls-strict', 'fail', 'legacy')];
    const expired = waiver({ expires: '2026-01-31' });
    const { findings: out, waivers, warnings } = applyWaivers(findings, [expired], today);
    expect(out[0]?.result).toBe('fail');
    expect(waivers).toEqual([{ waiver: expired, status: 'expired', matched: 1 }]);
    expect(warnings).toEqual([]);
  });

  it('lets the first active waiver in spec order decide, and an expired one never blocks a later active one', () => {
    const findings = [finding('mtls-strict', 'fail', 'legacy')];
    const { findings: out, waivers } = applyWaivers(
      findings,
      [waiver({ expires: '2026-01-01' }), waiver({ scope: 'legacy/web', owner: 'team-b' }), waiver({ scope: 'legacy/*', owner: 'team-c' })],
      today,
    );
    expect(out[0]?.waived?.waiverIndex).toBe(1);
    expect(out[0]?.waived?.owner).toBe('team-b');
    expect(waivers.map((w) => `${w.status}:${w.matched}`)).toEqual(['expired:1', 'active:1', 'active:1']);
  });
});

describe('expiredWaiverFindings', () => {
  it('turns each expired waiver into a failing finding under its control with owner, ticket and expiry', () => {
    const { waivers } = applyWaivers(
      [finding('mtls-strict', 'fail', 'legacy')],
      [waiver({ scope: 'legacy/*', expires: '2026-01-31' }), waiver({ control: 'etcd-backup' })],
      today,
    );
    const out = expiredWaiverFindings(waivers, today, 'clusterproof.yaml');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      controlId: 'mtls-strict',
      layer: 'config',
      result: 'fail',
      message:
        'Waiver for mtls-strict (scope legacy/*) expired on 2026-01-31; owner team-a, ticket PLAT-1. Renew it with a new expiry date or fix the findings and remove it.',
      subject: { kind: 'Waiver', name: 'spec.waivers[0]', source: { file: 'clusterproof.yaml' } },
    });
    expect(out[0]?.evidence).toContainEqual({
      type: 'comparison',
      what: 'waiver expiry date vs. today (UTC)',
      expected: '>= 2026-06-15',
      actual: '2026-01-31',
    });
  });

  it('accepts the spec waivers directly, judging expiry itself', () => {
    const out = expiredWaiverFindings(
      [waiver({ expires: '2026-06-14' }), waiver({ control: 'etcd-backup', expires: '2026-06-15' })],
      today,
    );
    expect(out.map((f) => `${f.controlId} ${f.result} ${f.subject?.name}`)).toEqual(['mtls-strict fail spec.waivers[0]']);
  });

  it('fails even for an expired waiver that matches nothing', () => {
    const { waivers } = applyWaivers([], [waiver({ expires: '2025-12-31' })], today);
    expect(expiredWaiverFindings(waivers, today).map((f) => f.result)).toEqual(['fail']);
  });
});
