import { describe, expect, it } from 'vitest';
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

  it('lists failing controls with one-line evidence and where', () => {
    expect(md).toContain(
      '| `default-deny` | high | config | ❌ fail | Namespace payments has no policy selecting all pods for Egress. | NetworkPolicy payments/deny-ingress (fixtures/examples/non-compliant/k8s/payments.yaml:31:1): policyTypes \\[Ingress\\] only | `fixtures/examples/non-compliant/k8s/payments.yaml:31:1` |',
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
    expect(big).toMatch(/✂️ \d+ rows were left out/);
    expect(big).toContain('### Waivers');
    expect(big.match(/<\/details>/g)?.length).toBe(big.match(/<details>/g)?.length);
    const small = renderMarkdown(redactReport(r), { maxChars: 8000 });
    expect(small.length).toBeLessThanOrEqual(8000);
  });
});
