// Markdown summary for PR comments and $GITHUB_STEP_SUMMARY: verdict first, then one folded block per failing
// control (most severe first) with a line per finding, the rest folded away. GitHub rejects comments over 65,536
// characters, so findings are left out (with a line saying how many) before the limit is reached; the full story
// is in report.html / report.json.
import { SEVERITIES, type Result } from '../harness/model/findings.ts';
import { notJudgedControls } from '../harness/findings/notJudged.ts';
import type { RedactedReport } from '../harness/findings/redact.ts';
import { findingSource, formatSource, summarizeEvidence } from './evidenceText.ts';
import { frameworkLabel, publishedFrameworkCounts } from './frameworkRefs.ts';
import { html } from './htmlText.ts';
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

/** Text inside raw HTML (`<summary>`), where Markdown is not rendered: one line, HTML-escaped. */
function summaryText(value: string, max: number): string {
  return html(truncate(oneLine(value), max));
}

/** Code span for identifiers; backticks inside are replaced because a code span cannot escape them. */
function code(value: string): string {
  return `\`${truncate(oneLine(value), 120).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

const RESULT_LABEL: Record<Result, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  error: '⚠️ error',
  'not-applicable': '➖ n/a',
  waived: '💤 waived',
};

function countsRow(label: string, c: Counts): string {
  return `| ${label} | ${c.pass} | ${c.fail} | ${c.error} | ${c['not-applicable']} | ${c.waived} |`;
}

interface Section {
  head: string[];
  rows: string[];
  tail: string[];
  /** Rows of failing findings: counted in the "… N more findings" line when left out. */
  findings?: boolean;
  /** Given room before the failing findings (it is short and changes the verdict: expired waivers). */
  first?: boolean;
}

const NOTHING: Section = { head: [], rows: [], tail: [] };

/** A table section without rows is left out whole: no empty table, no empty fold. */
function unlessEmpty(s: Section): Section {
  return s.rows.length ? s : NOTHING;
}

const note = (findings: number, rows: number) =>
  [
    ...(findings
      ? [`… ${findings} more finding${findings === 1 ? '' : 's'} in report.html (left out to stay under GitHub's comment limit).`]
      : []),
    ...(rows ? [`… ${rows} more row${rows === 1 ? '' : 's'} of the other sections in report.html.`] : []),
  ].join('\n\n');

/**
 * Appends sections in order while the final text stays within `limit` characters. A section keeps its rows in
 * order until the next does not fit; a section none of whose rows fit is left out whole (never an empty table),
 * and what was left out is counted in a closing line. Sections without rows (the verdict, the footer) always fit.
 */
function assemble(sections: Section[], limit: number): string {
  const always = sections.filter((s) => s.rows.length === 0).reduce((n, s) => n + [...s.head, ...s.tail].join('\n').length + 1, 0);
  const reserve = note(999_999, 999_999).length + 2;
  let used = always;
  let droppedFindings = 0;
  let droppedRows = 0;
  const keptRows = new Map<Section, string[]>();
  for (const s of [...sections.filter((x) => x.first), ...sections.filter((x) => !x.first)]) {
    if (s.rows.length === 0) continue;
    const frame = [...s.head, ...s.tail].join('\n').length + 1;
    const kept: string[] = [];
    let size = frame;
    for (const row of s.rows) {
      if (used + size + row.length + 1 + reserve > limit) break;
      kept.push(row);
      size += row.length + 1;
    }
    const left = s.rows.length - kept.length;
    if (s.findings) droppedFindings += left;
    else droppedRows += left;
    if (kept.length === 0) continue;
    used += size;
    keptRows.set(s, kept);
  }
  const out: string[] = [];
  for (const s of sections) {
    const kept = keptRows.get(s);
    if (s.rows.length === 0) out.push(...s.head, ...s.tail);
    else if (kept) out.push(...s.head, ...kept, ...s.tail);
  }
  const closing = note(droppedFindings, droppedRows);
  return out.join('\n') + (closing ? `\n${closing}\n` : '\n');
}

interface MarkdownOptions {
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
      ...(notJudged.length
        ? ['', `Not judged (nothing to judge): ${notJudged.map((n) => `${code(n.control)} (${mdText(n.reason)})`).join(', ')}`]
        : []),
      '',
      '| Area | Pass | Fail | Error | N/A | Waived |',
      '|---|---:|---:|---:|---:|---:|',
      ...AREAS.map((a) => countsRow(a, byArea.get(a) ?? { pass: 0, fail: 0, error: 0, 'not-applicable': 0, waived: 0 })),
      '',
    ],
    rows: [],
    tail: [],
  };

  // One folded block per failing control, most severe first: if findings must be left out for length, the
  // critical ones stay.
  const needsAction = verdicts
    .filter((v) => v.result === 'fail' || v.result === 'error')
    .sort((a, b) => SEVERITIES.indexOf(a.control.severity) - SEVERITIES.indexOf(b.control.severity));
  const controlSections: Section[] = needsAction.map((v) => {
    const failing = v.findings.filter((f) => f.result === 'fail' || f.result === 'error');
    const withFix = failing.some((f) => f.fix);
    const rows = failing.map((f) => {
      const source = findingSource(f);
      const firstEvidence = f.evidence[0] ? summarizeEvidence(f.evidence[0]) : '';
      const fix = withFix ? ` ${f.fix ? mdText(f.fix, 500) : ''} |` : '';
      return `| ${RESULT_LABEL[f.result]} | ${f.layer} | ${mdText(f.message)} | ${mdText(firstEvidence)} | ${source ? code(formatSource(source)) : ''} |${fix}`;
    });
    const c = v.control;
    return {
      head: [
        `<details><summary>${RESULT_LABEL[v.result]} <code>${summaryText(c.id, 120)}</code> (${c.severity}): ${summaryText(c.title, 200)} — ${failing.length} finding(s)</summary>`,
        '',
        `**Fix:** ${mdText(c.remediation, 600)}`,
        '',
        `| Result | Layer | Finding | Evidence | Where |${withFix ? ' Fix for this finding |' : ''}`,
        `|---|---|---|---|---|${withFix ? '---|' : ''}`,
      ],
      rows,
      tail: ['', '</details>', ''],
      findings: true,
    };
  });
  const failingHead: Section = needsAction.length
    ? { head: [`### Failing and unchecked controls (${needsAction.length})`, ''], rows: [], tail: [] }
    : NOTHING;

  const rest = verdicts.filter((v) => v.result !== 'fail' && v.result !== 'error');
  const restSection: Section = unlessEmpty({
    head: [
      `<details><summary>Other controls (${rest.length})</summary>`,
      '',
      '| Control | Result | Severity | Title |',
      '|---|---|---|---|',
    ],
    rows: rest.map((v) => `| ${code(v.control.id)} | ${RESULT_LABEL[v.result]} | ${v.control.severity} | ${mdText(v.control.title)} |`),
    tail: ['', '</details>', ''],
  });

  const frameworks = publishedFrameworkCounts(byFramework);
  const frameworkSection: Section = unlessEmpty({
    head: [
      `<details><summary>By framework (${frameworks.length})</summary>`,
      '',
      '| Framework | Pass | Fail | Error | N/A | Waived |',
      '|---|---:|---:|---:|---:|---:|',
    ],
    rows: frameworks.map(([fw, counts]) => countsRow(mdText(frameworkLabel(fw)), counts)),
    tail: ['', '</details>', ''],
  });

  const waiverSection: Section = report.waivers.length
    ? {
        head: ['### Waivers', '', '| Control | Scope | Owner | Ticket | Expires | Status |', '|---|---|---|---|---|---|'],
        rows: report.waivers.map(({ waiver: w, status, matched }) => {
          const label = status === 'expired' ? '⛔ **expired**' : status === 'unmatched' ? '⚠️ unmatched' : `active (${matched} matched)`;
          return `| ${code(w.control)} | ${w.scope ? code(w.scope) : 'all'} | ${mdText(w.owner)} | ${w.ticket ? mdText(w.ticket) : ''} | ${mdText(w.expires)} | ${label} |`;
        }),
        tail: [''],
        first: true,
      }
    : NOTHING;

  const warningLines = [...report.inputWarnings.map(inputWarningText), ...report.warnings];
  const warningSection: Section = warningLines.length
    ? {
        head: [`<details><summary>Warnings (${warningLines.length})</summary>`, ''],
        rows: warningLines.map((w) => `- ${mdText(w, 500)}`),
        tail: ['', '</details>', ''],
      }
    : NOTHING;

  const inventorySection: Section = unlessEmpty({
    head: ['<details><summary>What was read</summary>', '', '| Group | What | Count |', '|---|---|---:|'],
    rows: inventoryRows(report.inventory).map((r) => `| ${r.group} | ${mdText(r.what)} | ${r.count} |`),
    tail: ['', '</details>', ''],
  });

  const footer: Section = {
    head: [
      `<sub>clusterproof ${mdText(m.tool.version)} · ${m.mode} · spec sha256 ${code(m.spec.sha256.slice(0, 12))} · ${mdText(m.startedAt)} → ${mdText(m.endedAt)}</sub>`,
    ],
    rows: [],
    tail: [],
  };

  return assemble(
    [header, failingHead, ...controlSections, restSection, frameworkSection, waiverSection, warningSection, inventorySection, footer],
    options.maxChars ?? GITHUB_COMMENT_LIMIT,
  );
}
