// Per-control fixture pairs under fixtures/controls/<control-id>/{pass,fail}, loaded the way `scan` loads them
// (real file and spec loaders) and judged by every registered control, as the gate would:
// `pass/` gives no fail or error for ANY control and at least one pass for its own; `fail/` fails its control with
// exactly the findings fail.expected.json states (each failing finding's subject and fragments of its message).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { loadControls } from '../../harness/controls/load.ts';
import { evaluateStatic } from '../../harness/evaluate/registry.ts';
import { packagePath } from '../../harness/paths.ts';
import type { Finding } from '../../harness/model/findings.ts';
import { loadSpec } from '../../harness/spec/load.ts';

const FIXTURES = packagePath('fixtures', 'controls');
const controlIds = readdirSync(FIXTURES).sort();

interface ExpectedFail {
  subject: { kind: string; name: string; namespace?: string };
  messageIncludes: string[];
}

function subjectText(subject: ExpectedFail['subject'] | Finding['subject']): string {
  return subject ? `${subject.kind} ${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}` : '(no subject)';
}

async function evaluateDir(dir: string) {
  const [state, { spec }] = await Promise.all([loadStateFromPaths([dir]), loadSpec(join(dir, 'clusterproof.yaml'))]);
  return evaluateStatic(state, spec, loadControls());
}

it('every control in the catalogue has a fixture pair', () => {
  expect(controlIds).toEqual(
    loadControls()
      .map((c) => c.id)
      .sort(),
  );
});

describe.each(controlIds)('fixtures/controls/%s', (id) => {
  it('has a pass and a fail directory', () => {
    expect(
      readdirSync(join(FIXTURES, id))
        .filter((d) => d === 'pass' || d === 'fail')
        .sort(),
    ).toEqual(['fail', 'pass']);
  });

  it('pass/ gives no fail or error for any control, and a pass for its own', async () => {
    const findings = await evaluateDir(join(FIXTURES, id, 'pass'));
    const offending = findings.filter((f) => f.result === 'fail' || f.result === 'error');
    expect(offending.map((f) => `${f.controlId} ${f.result}: ${f.message}`)).toEqual([]);
    expect(findings.some((f) => f.controlId === id && f.result === 'pass')).toBe(true);
  });

  it('fail/ fails its control with the findings fail.expected.json states', async () => {
    const expected = (JSON.parse(readFileSync(join(FIXTURES, id, 'fail.expected.json'), 'utf8')) as { fails: ExpectedFail[] }).fails;
    const fails = (await evaluateDir(join(FIXTURES, id, 'fail'))).filter((f) => f.controlId === id && f.result === 'fail');
    expect(fails.length).toBeGreaterThan(0);
    // Same subjects, as many times each; then every expectation has its own finding whose message says all it states.
    expect(fails.map((f) => subjectText(f.subject)).sort()).toEqual(expected.map((e) => subjectText(e.subject)).sort());
    const unmatched = [...fails];
    for (const e of expected) {
      const i = unmatched.findIndex(
        (f) => subjectText(f.subject) === subjectText(e.subject) && e.messageIncludes.every((m) => f.message.includes(m)),
      );
      expect(
        i,
        `${subjectText(e.subject)}: no failing finding says ${JSON.stringify(e.messageIncludes)}; got ${JSON.stringify(unmatched.map((f) => f.message))}`,
      ).toBeGreaterThanOrEqual(0);
      unmatched.splice(i, 1);
    }
  });
});
