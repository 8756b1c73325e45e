import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../harness/model/report.ts';
import { controlVerdicts } from '../../reports/verdicts.ts';
import { REPORT_FILES } from '../../reports/write.ts';
import { clusterproof } from '../run/cliRunner.ts';
import { redactReport } from '../../harness/findings/redact.ts';
import { GITHUB_COMMENT_LIMIT, mdText, renderMarkdown } from '../../reports/markdown.ts';
import { HOSTILE, hostileReport } from './hostile.ts';
import { sampleReport } from './sampleReport.ts';

/** Table rows (lines starting with `|`) must all have the same number of unescaped cell separators as their header. */
function cellCounts(md: string): number[] {
  return md
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) => l.replace(/\\\|/g, '').split('|').length);
}

describe('Markdown summary', () => {
  const md = renderMarkdown(redactReport(sampleReport()));

  it('starts with the verdict and shows a table by area', () => {
    expect(md.split('\n')[0]).toBe('## ❌ clusterproof: gate failed for `prod`, profile `pr-gate`');
    expect(md).toContain('| infra | 0 | 3 | 0 | 1 | 0 |');
    expect(md).toContain('| network | 0 | 1 | 0 | 0 | 1 |');
  });

  it('folds each failing control with its findings, one line each with evidence and where', () => {
    expect(md).toMatch(/<details><summary>❌ fail <code>default-deny<\/code> \(high\): .* — 1 finding\(s\)<\/summary>/);
    expect(md).toContain(
      '| ❌ fail | config | Namespace payments has no policy selecting all pods for Egress. | NetworkPolicy payments/deny-ingress (fixtures/examples/non-compliant/k8s/payments.yaml:31:1): policyTypes \\[Ingress\\] only | `fixtures/examples/non-compliant/k8s/payments.yaml:31:1` |',
    );
    expect(md).toContain('⚠️ error');
  });

  it('folds the other controls and marks expired and unmatched waivers', () => {
    expect(md).toMatch(/<details><summary>Other controls \(3\)<\/summary>/);
    expect(md).toContain('| `etcd-backup` | all | bob@example.com | OPS-7 | 2025-01-31 | ⛔ **expired** |');
    expect(md).toContain('⚠️ unmatched');
  });

  it('escapes pipes, newlines and HTML so hostile text cannot break tables or inject markup', () => {
    const hostile = renderMarkdown(redactReport(hostileReport()));
    const counts = cellCounts(hostile);
    // Every row of a table has as many cells as its header; a stray `|` would add one.
    expect(new Set(counts).size).toBeLessThanOrEqual(4);
    for (const line of hostile.split('\n').filter((l) => l.startsWith('|'))) expect(line).not.toMatch(/(^|[^\\])\|\|/);
    // Code spans show their content literally (GitHub renders no HTML inside them), so look outside them.
    const outsideCode = hostile.replace(/`[^`\n]*`/g, '');
    expect(outsideCode).not.toContain('<script>');
    expect(outsideCode).not.toContain('<img');
    expect(outsideCode).not.toContain('</details><');
    expect(hostile).not.toContain('\u0000');
    expect(hostile).not.toContain('\u001b');
    expect(hostile.match(/<\/details>/g)?.length).toBe(hostile.match(/<details>/g)?.length);
    expect(mdText(HOSTILE.pipe)).toBe('a\\|b\\|\\|c');
    expect(mdText(HOSTILE.newline)).toBe('line1 line2 ::error::injected');
  });

  it('stays under the GitHub comment limit, saying how much it left out', () => {
    const r = sampleReport();
    const template = r.findings[0];
    if (!template) throw new Error('no finding');
    for (let i = 0; i < 2000; i++) r.findings.push({ ...template, message: `finding ${i} ${'x'.repeat(120)}` });
    const big = renderMarkdown(redactReport(r));
    expect(big.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(big).toMatch(/\n… \d+ more findings in report\.html/);
    expect(big).toContain('### Waivers');
    expect(big.match(/<\/details>/g)?.length).toBe(big.match(/<details>/g)?.length);
    const small = renderMarkdown(redactReport(r), { maxChars: 8000 });
    expect(small.length).toBeLessThanOrEqual(8000);
  });

  it("keeps 5,000 failing findings under GitHub's limit, naming how many it left out", () => {
    const r = sampleReport();
    const template = r.findings.find((f) => f.result === 'fail');
    if (!template) throw new Error('no failing finding');
    const ids = r.controls.map((c) => c.id);
    for (let i = 0; i < 5000; i++)
      r.findings.push({
        ...template,
        controlId: ids[i % ids.length] ?? template.controlId,
        message: `finding ${i} ${'y'.repeat(60 + (i % 90))}`,
      });
    const big = renderMarkdown(redactReport(r));
    expect(big.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const total = r.findings.filter((f) => f.result === 'fail' || f.result === 'error').length;
    const shown = big.split('\n').filter((l) => /^\| (❌ fail|⚠️ error) \| /.test(l)).length;
    const left = Number(/\n… (\d+) more findings in report\.html/.exec(big)?.[1]);
    expect(shown).toBeGreaterThan(50);
    expect(shown + left).toBe(total);
    expect(big.match(/<\/details>/g)?.length).toBe(big.match(/<details>/g)?.length);
    expect(emptyTables(big)).toEqual([]);
  });
});

/** Table header separators not followed by a row: an empty table. */
function emptyTables(md: string): string[] {
  const lines = md.split('\n');
  return lines.flatMap((l, i) => (l.startsWith('|---') && !lines[i + 1]?.startsWith('|') ? [lines[i - 1] ?? l] : []));
}

describe('Markdown summary of the non-compliant example', { timeout: 120_000 }, () => {
  it('has one folded block per failing control and no empty table', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cp-md-'));
    const scan = await clusterproof(['scan', 'fixtures/examples/non-compliant', '--format', 'json,md', '--out', out]);
    expect(scan.exitCode, scan.stderr).toBe(1);
    const md = readFileSync(join(out, REPORT_FILES.md), 'utf8');
    const report = JSON.parse(readFileSync(join(out, REPORT_FILES.json), 'utf8')) as RunReport;
    const failing = controlVerdicts(report)
      .filter((v) => v.result === 'fail' || v.result === 'error')
      .map((v) => v.control.id);
    expect(failing.length).toBeGreaterThan(5);
    const folded = [...md.matchAll(/<details><summary>(?:❌ fail|⚠️ error) <code>([^<]+)<\/code>/g)].map((m) => m[1]);
    expect(folded.sort()).toEqual([...failing].sort());
    expect(emptyTables(md)).toEqual([]);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    // The evaluator's own fix reaches the comment (default-deny names the policy to apply).
    expect(md).toMatch(/Apply this NetworkPolicy .* kind: NetworkPolicy/);
  });
});
