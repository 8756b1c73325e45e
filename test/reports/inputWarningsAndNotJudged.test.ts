// Loader warnings and controls with nothing to judge reach every report once: JSON (schema-valid), HTML,
// Markdown and the terminal summary (warnings on stderr).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { printOutcome } from '../../harness/cli/printOutcome.ts';
import { redactReport } from '../../harness/findings/redact.ts';
import type { RunReport } from '../../harness/model/report.ts';
import { renderHtml } from '../../reports/html.ts';
import { buildJsonReport } from '../../reports/json.ts';
import { renderMarkdown } from '../../reports/markdown.ts';
import { sampleReport } from './sampleReport.ts';
import { validateReportJson } from './validators.ts';

// sampleReport: one input warning at k8s/web.yaml:3:1; teardown-ownership gets only this not-applicable finding.
function report(): RunReport {
  const r = sampleReport();
  r.findings.push({
    controlId: 'teardown-ownership',
    layer: 'config',
    result: 'not-applicable',
    message: 'no objects in scope',
    evidence: [],
  });
  return r;
}
const where = 'k8s/web.yaml:3:1';
const fix = 'pass --namespace NS for the namespace it is applied to';
const count = (text: string, part: string) => text.split(part).length - 1;

describe('input warnings and not-judged controls in every report', () => {
  afterEach(() => vi.restoreAllMocks());

  it('JSON: structured warnings and summary.notJudged, valid against the schema', () => {
    const json = buildJsonReport(redactReport(report()));
    expect(validateReportJson(json), JSON.stringify(validateReportJson.errors)).toBe(true);
    expect(json.inputWarnings).toEqual([
      expect.objectContaining({ file: 'k8s/web.yaml', line: 3, column: 1, fix: expect.stringContaining(fix) }),
    ]);
    // default-deny and ha-failover have n/a findings too, but also judged ones.
    expect(json.summary.notJudged).toEqual([{ control: 'teardown-ownership', reason: 'no objects in scope' }]);
  });

  it('HTML and Markdown: the warning once with file:line and fix, and the not-judged control with its reason', () => {
    for (const text of [renderHtml(redactReport(report())), renderMarkdown(redactReport(report()))]) {
      expect(count(text, where)).toBe(1);
      expect(count(text, 'pass --namespace NS')).toBe(1);
      expect(text).toMatch(/Not judged \(nothing to judge\): .*teardown-ownership.* \(no objects in scope\)/);
    }
  });

  it('terminal: the not-judged line on stdout, each warning once on stderr', () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    printOutcome(redactReport(report()), []);
    expect(out.join('')).toContain('not judged: teardown-ownership (no objects in scope)\n');
    expect(count(err.join(''), where)).toBe(1);
    expect(err.join('')).toContain(fix);
  });
});
