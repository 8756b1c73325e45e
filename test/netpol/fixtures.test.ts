// The netpol-default-deny fixture pair (fixtures/controls/netpol-default-deny), read through the real file loader and
// spec loader, then judged by the evaluator with the shipped control entry.
import { describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { controlById } from '../../harness/controls/load.ts';
import { evaluateDefaultDeny } from '../../harness/evaluate/defaultDenyCoverage.ts';
import { loadSpec } from '../../harness/spec/load.ts';

const judge = async (dir: string) => {
  const path = `fixtures/controls/netpol-default-deny/${dir}`;
  const [state, { spec }] = await Promise.all([loadStateFromPaths([path]), loadSpec(`${path}/clusterproof.yaml`)]);
  const control = controlById('netpol-default-deny');
  if (!control) throw new Error('netpol-default-deny is missing from the control catalogue');
  return evaluateDefaultDeny({ state, spec, control });
};

describe('fixtures/controls/netpol-default-deny', () => {
  test('pass: every application namespace is default-deny both ways', async () => {
    const findings = await judge('pass');
    expect(findings.map((f) => [f.subject?.name, f.result])).toEqual([
      ['shop', 'pass'],
      ['payments', 'pass'],
    ]);
  });

  test('fail: the allow-all debug rule and the egress-anywhere rule are named', async () => {
    const findings = await judge('fail');
    expect(findings.map((f) => [f.subject?.name, f.result])).toEqual([
      ['shop', 'fail'],
      ['payments', 'fail'],
    ]);
    expect(findings[0]?.message).toContain('shop/egress-anywhere egress rule 0 re-opens Egress');
    expect(findings[1]?.message).toContain('payments/allow-all-debug ingress rule 0 re-opens Ingress');
    expect(findings[1]?.evidence).toContainEqual(
      expect.objectContaining({
        type: 'object',
        ref: expect.objectContaining({
          name: 'default-deny',
          source: expect.objectContaining({ file: expect.stringContaining('cluster.yaml') }),
        }),
      }),
    );
  });
});
