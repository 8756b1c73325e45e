// Markdown summary for PR comments and $GITHUB_STEP_SUMMARY: verdict first, then what failed and why in one
// line each, the rest folded away. GitHub rejects comments over 65,536 characters, so rows are dropped (with a
// note saying how many) before the limit is reached; the full story is in report.html / report.json.
import { SEVERITIES, type Result } from '../harness/model/findings.ts';
import { notJudgedControls } from '../harness/findings/notJudged.ts';
import type { RedactedReport } from '../harness/findings/redact.ts';
import { findingSource, formatSource, summarizeEvidence } from './evidenceText.ts';
import { inputWarningText } from './inputWarnings.ts';
import { inventoryRows } from './inventoryRows.ts';
import { oneLine, truncate } from './plainText.ts';
import { AREAS, controlVerdicts, countByArea, countByFramework, type Counts } from './verdicts.ts';

export const GITHUB_COMMENT_LIMIT = 65_536;
const MAX_CELL_CHARS = 300;

/**
 * Inline text safe in a table cell: one line, HTML-significant characters as entities (GitHub renders raw
 * HTML, so `<details>` or `<img>` in a pod name would otherwise become markup), Markdown punctuation
 * backslash-escaped, `|` escaped so it cannot split the cell.
 */
export function mdText(value: string, max = MAX_CELL_CHARS): string {
  return truncate(oneLine(value), max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]#~|!])/g, '\\$1');
}

/** Code span for identifiers; backticks inside are replaced because a code span cannot escape them. */
function code(value: string): string {
  return `\`${truncate(oneLine(value), 120).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

const RESULT_LABEL: Record<Result, string> = { pass: '✅ pass', fail: '❌ fail', error: '⚠️ error', 'not-applicable': '➖ n/a', waived: '💤 waived' };

function countsRow(label: string, c: Counts): string {
  return `| ${label} | ${c.pass} | ${c.fail} | ${c.error} | ${c['not-applicable']} | ${c.waived} |`;
}

interface Section {
  head: string[];
  rows: string[];
  tail: string[];
}

/** Appends sections in order, dropping table rows once the budget is spent; heads and tails always fit. */
function assemble(sections: Section[], limit: number): string {
  const note = (n: number) => `\n> ✂️ ${n} rows were left out to stay under GitHub's ${limit.toLocaleString('en-US')}-character limit; see report.html or report.json for everything.\n`;
  const reserve = note(999_999).length + sections.reduce((sum, s) => sum + [...s.head, ...s.tail].join('\n').length + 2, 0);
  let used = 0;
  let dropped = 0;
  const out: string[] = [];
  for (const s of sections) {
    out.push(...s.head);
    for (const row of s.rows) {
      if (used + row.length + 1 + reserve > limit) {
        dropped += 1;
        continue;
      }
      used += row.length + 1;
      out.push(row);
    }
    out.push(...s.tail);
  }
  return out.join('\n') + (dropped > 0 ? note(dropped) : '\n');
}

export interface MarkdownOptions {
  /** Default: GitHub's comment limit. */
  maxChars?: number;
}

export function renderMarkdown(report: RedactedReport, options: MarkdownOptions = {}): string {
  const m = report.manifest;
  const g = report.gate;
  const verdicts = controlVerdicts(report);
  const byArea = countByArea(verdicts);
  const byFramework = countByFramework(verdicts);
  const profile = m.profile ? `, profile ${code(m.profile)}` : '';
  const verdictLine = g.passed
    ? `## ✅ clusterproof: gate passed for ${code(m.spec.name)}${profile}`
    : `## ❌ clusterproof: gate failed for ${code(m.spec.name)}${profile}`;
  const failing = g.failingControls.length
    ? `**${g.failingControls.length}** blocking control(s) at or above **${g.failOn}**: ${g.failingControls.map(code).join(', ')}`
    : `No control at or above **${g.failOn}** fails or errors.`;
  const expired = report.waivers.filter((w) => w.status === 'expired').length;
  const c = g.counts;
  const notJudged = notJudgedControls(report.findings);
  const header: Section = {
    head: [
      verdictLine,
      '',
      failing,
      ...(expired ? [`⛔ **${expired}** expired waiver(s): an expired waiver fails the gate.`] : []),
      `Findings: ${c.pass} pass · ${c.fail} fail · ${c.error} error · ${c['not-applicable']} n/a · ${c.waived} waived`,
      ...(notJudged.length ? ['', `Not judged (nothing to judge): ${notJudged.map((n) => `${code(n.control)} (${mdText(n.reason)})`).join(', ')}`] : []),
      '',
      '| Area | Pass | Fail | Error | N/A | Waived |',
      '|---|---:|---:|---:|---:|---:|',
      ...AREAS.map((a) => countsRow(a, byArea.get(a) ?? { pass: 0, fail: 0, error: 0, 'not-applicable': 0, waived: 0 })),
      '',
    ],
    rows: [],
    tail: [],
  };

  const failingRows: string[] = [];
  // Most severe first: if rows must be dropped for length, the critical ones stay.
  const bySeverity = [...verdicts].sort((a, b) => SEVERITIES.indexOf(a.control.severity) - SEVERITIES.indexOf(b.control.severity));
  for (const v of bySeverity) {
    for (const f of v.findings) {
      if (f.result !== 'fail' && f.result !== 'error') continue;
      const source = findingSource(f);
      const firstEvidence = f.evidence[0] ? summarizeEvidence(f.evidence[0]) : '';
      failingRows.push(
        `| ${code(v.control.id)} | ${v.control.severity} | ${f.layer} | ${RESULT_LABEL[f.result]} | ${mdText(f.message)} | ${mdText(firstEvidence)} | ${source ? code(formatSource(source)) : ''} |`,
      );
    }
  }
  const failingSection: Section = failingRows.length
    ? { head: ['### Failing and unchecked controls', '', '| Control | Severity | Layer | Result | Finding | Evidence | Where |', '|---|---|---|---|---|---|---|'], rows: failingRows, tail: [''] }
    : { head: [], rows: [], tail: [] };

  const rest = verdicts.filter((v) => v.result !== 'fail' && v.result !== 'error');
  const restSection: Section = {
    head: [`<details><summary>Other controls (${rest.length})</summary>`, '', '| Control | Result | Severity | Title |', '|---|---|---|---|'],
    rows: rest.map((v) => `| ${code(v.control.id)} | ${RESULT_LABEL[v.result]} | ${v.control.severity} | ${mdText(v.control.title)} |`),
    tail: ['', '</details>', ''],
  };

  const frameworkSection: Section = {
    head: [`<details><summary>By framework (${byFramework.size})</summary>`, '', '| Framework | Pass | Fail | Error | N/A | Waived |', '|---|---:|---:|---:|---:|---:|'],
    rows: [...byFramework].map(([fw, counts]) => countsRow(code(fw), counts)),
    tail: ['', '</details>', ''],
  };

  const waiverSection: Section = report.waivers.length
    ? {
        head: ['### Waivers', '', '| Control | Scope | Owner | Ticket | Expires | Status |', '|---|---|---|---|---|---|'],
        rows: report.waivers.map(({ waiver: w, status, matched }) => {
          const label = status === 'expired' ? '⛔ **expired**' : status === 'unmatched' ? '⚠️ unmatched' : `active (${matched} matched)`;
          return `| ${code(w.control)} | ${w.scope ? code(w.scope) : 'all'} | ${mdText(w.owner)} | ${w.ticket ? mdText(w.ticket) : ''} | ${mdText(w.expires)} | ${label} |`;
        }),
        tail: [''],
      }
    : { head: [], rows: [], tail: [] };

  const warningLines = [...report.inputWarnings.map(inputWarningText), ...report.warnings];
  const warningSection: Section = warningLines.length
    ? { head: [`<details><summary>Warnings (${warningLines.length})</summary>`, ''], rows: warningLines.map((w) => `- ${mdText(w, 500)}`), tail: ['', '</details>', ''] }
    : { head: [], rows: [], tail: [] };

  const inventorySection: Section = {
    head: ['<details><summary>What was read</summary>', '', '| Group | What | Count |', '|---|---|---:|'],
    rows: inventoryRows(report.inventory).map((r) => `| ${r.group} | ${mdText(r.what)} | ${r.count} |`),
    tail: ['', '</details>', ''],
  };

  const footer: Section = {
    head: [`<sub>clusterproof ${mdText(m.tool.version)} · ${m.mode} · spec sha256 ${code(m.spec.sha256.slice(0, 12))} · ${mdText(m.startedAt)} → ${mdText(m.endedAt)}</sub>`],
    rows: [],
    tail: [],
  };

  return assemble([header, failingSection, restSection, frameworkSection, waiverSection, warningSection, inventorySection, footer], options.maxChars ?? GITHUB_COMMENT_LIMIT);
}
