// Per-control fixture pairs under fixtures/controls/<control-id>/{pass,fail}, loaded the way `scan` loads them
// (real file and spec loaders) and judged by every registered control, as the gate would:
// `pass/` gives no fail or error for ANY control and at least one pass for its own; `fail/` fails its control.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { loadControls } from '../../harness/controls/load.ts';
import { evaluateStatic } from '../../harness/evaluate/registry.ts';
import { packagePath } from '../../harness/paths.ts';
import { loadSpec } from '../../harness/spec/load.ts';

const FIXTURES = packagePath('fixtures', 'controls');
const controlIds = readdirSync(FIXTURES).sort();

async function evaluateDir(dir: string) {
  const [state, { spec }] = await Promise.all([loadStateFromPaths([dir]), loadSpec(join(dir, 'clusterproof.yaml'))]);
  return evaluateStatic(state, spec, loadControls());
}

it('every control in the catalogue has a fixture pair', () => {
  expect(controlIds).toEqual(loadControls().map((c) => c.id).sort());
});

describe.each(controlIds)('fixtures/controls/%s', (id) => {
  it('has a pass and a fail directory', () => {
    expect(readdirSync(join(FIXTURES, id)).filter((d) => d === 'pass' || d === 'fail').sort()).toEqual(['fail', 'pass']);
  });

  it('pass/ gives no fail or error for any control, and a pass for its own', async () => {
    const findings = await evaluateDir(join(FIXTURES, id, 'pass'));
    const offending = findings.filter((f) => f.result === 'fail' || f.result === 'error');
    expect(offending.map((f) => `${f.controlId} ${f.result}: ${f.message}`)).toEqual([]);
    expect(findings.some((f) => f.controlId === id && f.result === 'pass')).toBe(true);
  });

  it('fail/ fails its control', async () => {
    const findings = await evaluateDir(join(FIXTURES, id, 'fail'));
    expect(findings.filter((f) => f.controlId === id && f.result === 'fail').length).toBeGreaterThan(0);
  });
});
