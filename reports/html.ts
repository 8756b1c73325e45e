// The HTML report: one self-contained file a person reads in a browser (no external assets; the small inline
// script only filters). Every interpolated value goes through `html()`. A Content-Security-Policy allows only
// our own script (by hash) and inline styles, so even a missed escape could not run injected code.
import { createHash } from 'node:crypto';
import { SEVERITIES, type Finding, type Result } from '../harness/model/findings.ts';
import { notJudgedControls } from '../harness/findings/notJudged.ts';
import type { RedactedReport } from '../harness/findings/redact.ts';
import type { Inventory } from '../harness/model/inventory.ts';
import { describeWaived } from './evidenceText.ts';
import { frameworkLabel, ownRequirementRefs, publishedFrameworkCounts, publishedRefs } from './frameworkRefs.ts';
import { evidenceTable, refHtml } from './htmlEvidence.ts';
import { html, htmlId } from './htmlText.ts';
import { HTML_SCRIPT, HTML_STYLE } from './htmlStyle.ts';
import { inputWarningText } from './inputWarnings.ts';
import { inventoryRows } from './inventoryRows.ts';
import { reachabilitySection } from './htmlReachability.ts';
import {
  AREAS,
  RESULTS,
  controlVerdicts,
  countByArea,
  countByFramework,
  emptyCounts,
  layerVerdicts,
  type ControlVerdict,
  type Counts,
} from './verdicts.ts';

const RESULT_LABEL: Record<Result, string> = { pass: 'pass', fail: 'fail', error: 'error', 'not-applicable': 'n/a', waived: 'waived' };

function badge(result: Result): string {
  return `<span class="badge ${result}">${RESULT_LABEL[result]}</span>`;
}

/** Worst first, so a reader meets what needs action before what passed. */
const ORDER: readonly Result[] = ['fail', 'error', 'waived', 'pass', 'not-applicable'];
function byResult<T extends { result: Result }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => ORDER.indexOf(a.result) - ORDER.indexOf(b.result));
}

function finding(f: Finding): string {
  const subject = f.subject ? `<div>Subject: ${refHtml(f.subject)}</div>` : '';
  const waived = f.waived ? `<div class="waived-note">${badge('waived')} ${html(describeWaived(f.waived))}</div>` : '';
  // The evaluator's precise fix for this finding, when it knows one (the control's remediation is the general advice).
  const fix = f.fix ? `<div class="fix"><strong>Fix for this finding:</strong><pre class="val">${html(f.fix)}</pre></div>` : '';
  return `<div class="finding">${badge(f.result)} <span class="badge sev">${html(f.layer)}</span> <span class="msg">${html(f.message)}</span>${subject}${waived}${fix}${evidenceTable(f.evidence)}</div>`;
}

/** Waivers naming this control that did not apply (expired or unmatched), so the card explains the verdict. */
function waiverNotes(controlId: string, list: RedactedReport['waivers']): string {
  return list
    .filter((w) => w.waiver.control === controlId && w.status !== 'active')
    .map(
      ({ waiver: w, status }) =>
        `<p class="waiver-note ${status}">Waiver by ${html(w.owner)}${w.ticket ? ` (${html(w.ticket)})` : ''} until ${html(w.expires)}: <strong>${status}</strong>${status === 'expired' ? ' — it no longer applies and fails the gate' : ' — it matched no finding'}.</p>`,
    )
    .join('');
}

function control(v: ControlVerdict, waiverList: RedactedReport['waivers']): string {
  const c = v.control;
  const published = publishedRefs(c.references);
  const refs = published.length
    ? published
        .map(
          (r) =>
            `<code title="${html(frameworkLabel(r.framework))}">${html(r.framework)}:${html(r.id)}</code>${r.title ? ` ${html(r.title)}` : ''}`,
        )
        .join(' · ')
    : 'none (a clusterproof requirement only)';
  const requirement = ownRequirementRefs(c.references)
    .map(
      (r) =>
        `<p><strong>clusterproof requirement:</strong> ${html(r.title ?? r.id)} <span class="where">(<code>${html(r.id)}</code>)</span></p>`,
    )
    .join('');
  const layers = layerVerdicts(v)
    .map((l) => `${html(l.layer)} ${badge(l.result)}`)
    .join(' ');
  // What needs action is open; passes and n/a fold to one line each (the text filter still searches them).
  const open = v.result === 'fail' || v.result === 'error' || v.result === 'waived';
  const findings = v.findings.length
    ? byResult(v.findings).map(finding).join('')
    : '<div class="finding where">No findings were recorded for this control.</div>';
  return `<section class="control ${v.result}" data-result="${v.result}" id="${htmlId('control', c.id)}">
<div class="head">${badge(v.result)} <h3><code>${html(c.id)}</code> ${html(c.title)}</h3> <span class="badge sev ${c.severity}">${c.severity}</span> <span class="where">${c.area}</span></div>
<p class="refs">Layers: ${layers}</p>
<details class="body"${open ? ' open' : ''}><summary>References, rationale, fix and ${v.findings.length} finding(s)</summary>
<p class="refs">References: ${refs}</p>
${requirement}<p><strong>Why:</strong> ${html(c.rationale)}</p>
<p><strong>Fix:</strong> ${html(c.remediation)}</p>
${waiverNotes(c.id, waiverList)}${findings}
</details>
</section>`;
}

function countsTable(title: string, rows: [string, Counts][]): string {
  const head = `<tr><th>${html(title)}</th>${RESULTS.map((r) => `<th class="num">${RESULT_LABEL[r]}</th>`).join('')}</tr>`;
  const body = rows
    .map(
      ([label, c]) =>
        `<tr><td>${html(label)}</td>${RESULTS.map((r) => `<td class="num${c[r] && (r === 'fail' || r === 'error') ? ` count-${r}` : ''}">${c[r]}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function inventory(inv: Inventory): string {
  const rows = inventoryRows(inv)
    .map((r) => `<tr><td>${html(r.group)}</td><td>${html(r.what)}</td><td class="num">${r.count}</td></tr>`)
    .join('');
  return `<details><summary>What was read: ${inv.kubernetes.reduce((n, o) => n + o.count, 0)} Kubernetes object(s), ${inv.workloads.reduce((n, w) => n + w.count, 0)} workload(s), ${inv.namespaces.length} namespace(s), ${inv.networkPolicies} NetworkPolic${inv.networkPolicies === 1 ? 'y' : 'ies'}</summary><table><thead><tr><th>Group</th><th>What</th><th class="num">Count</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

function waivers(report: RedactedReport): string {
  if (report.waivers.length === 0) return '<p>No waivers.</p>';
  const rows = report.waivers
    .map(
      ({ waiver: w, status, matched }) =>
        `<tr class="${status}"><td><code>${html(w.control)}</code></td><td>${w.scope ? `<code>${html(w.scope)}</code>` : 'all'}</td><td>${html(w.owner)}</td><td>${w.ticket ? html(w.ticket) : ''}</td><td>${html(w.expires)}</td><td class="status">${status}</td><td class="num">${matched}</td><td>${html(w.reason)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Control</th><th>Scope</th><th>Owner</th><th>Ticket</th><th>Expires</th><th>Status</th><th class="num">Matched</th><th>Reason</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function manifest(report: RedactedReport): string {
  const m = report.manifest;
  const row = (k: string, v: string) => `<dt>${html(k)}</dt><dd>${v}</dd>`;
  const inputs = m.inputs.length
    ? `<details><summary>${m.inputs.length} input file(s)</summary><table><tbody>${m.inputs.map((i) => `<tr><td class="mono">${html(i.path)}</td><td class="mono">${html(i.sha256)}</td></tr>`).join('')}</tbody></table></details>`
    : 'none';
  return `<dl class="manifest">
${row('Spec', `<code>${html(m.spec.name)}</code>${m.spec.file ? ` (${html(m.spec.file)})` : ''} sha256 <span class="mono">${html(m.spec.sha256)}</span>`)}
${row('Profile / mode', `${html(m.profile ?? 'none')} / ${html(m.mode)}`)}
${row('Cluster', `${html(m.cluster.source)} · fingerprint <span class="mono">${html(m.cluster.fingerprint)}</span>${m.cluster.server ? ` · ${html(m.cluster.server)}` : ''}${m.cluster.context ? ` · context ${html(m.cluster.context)}` : ''}`)}
${row('Run', `${html(m.startedAt)} → ${html(m.endedAt)}`)}
${row('Tool', `clusterproof ${html(m.tool.version)}`)}
${row('Inputs', inputs)}
</dl>`;
}

/** Failing controls most severe first, then catalogue order (sort is stable). */
function bySeverity(list: readonly ControlVerdict[]): ControlVerdict[] {
  return [...list].sort((a, b) => SEVERITIES.indexOf(a.control.severity) - SEVERITIES.indexOf(b.control.severity));
}

export function renderHtml(report: RedactedReport): string {
  const g = report.gate;
  const verdicts = controlVerdicts(report);
  const byArea = countByArea(verdicts);
  const scriptHash = createHash('sha256').update(HTML_SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:`;
  const verdictText = g.passed ? 'Gate passed' : 'Gate failed';
  const blocking = g.failingControls.length
    ? `Blocking at or above ${html(g.failOn)}: ${g.failingControls.map((id) => `<a style="color:#fff" href="#${htmlId('control', id)}">${html(id)}</a>`).join(', ')}`
    : `No control at or above ${html(g.failOn)} fails or errors.`;
  const c = g.counts;
  // A person reads top-down: what needs action first, then everything else; tallies, run details and the
  // (long) reachability grids after the controls.
  const needsAction = bySeverity(verdicts.filter((v) => v.result === 'fail' || v.result === 'error'));
  const others = byResult(verdicts.filter((v) => v.result !== 'fail' && v.result !== 'error'));
  const failingSection = needsAction.length
    ? `<h2 id="failing">Failing controls (${needsAction.length})</h2>\n${needsAction.map((v) => control(v, report.waivers)).join('\n')}`
    : '<h2 id="failing">Failing controls</h2><p>None: every control passed, was waived, or did not apply.</p>';
  const otherSection = others.length
    ? `<h2 id="other">Other controls (${others.length})</h2>\n${others.map((v) => control(v, report.waivers)).join('\n')}`
    : '';
  const filterButtons = ['all', ...RESULTS]
    .map(
      (r) =>
        `<button type="button" data-filter="${r}" aria-pressed="${r === 'all'}">${r === 'all' ? 'all' : RESULT_LABEL[r as Result]}</button>`,
    )
    .join('');
  const warningLines = [...report.inputWarnings.map(inputWarningText), ...report.warnings];
  const warnings = warningLines.length ? `<h2>Warnings</h2><ul>${warningLines.map((w) => `<li>${html(w)}</li>`).join('')}</ul>` : '';
  const notJudged = notJudgedControls(report.findings);
  const notJudgedLine = notJudged.length
    ? `<p>Not judged (nothing to judge): ${notJudged.map((n) => `<a style="color:#fff" href="#${htmlId('control', n.control)}">${html(n.control)}</a> (${html(n.reason)})`).join(', ')}</p>`
    : '';
  const frameworks = publishedFrameworkCounts(countByFramework(verdicts)).map(([id, counts]): [string, Counts] => [
    frameworkLabel(id),
    counts,
  ]);
  const waiverSection = report.waivers.length ? `<h2>Waivers</h2>\n${waivers(report)}` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${html(csp)}">
<title>clusterproof — ${html(report.manifest.spec.name)} — ${verdictText}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<header class="verdict ${g.passed ? 'passed' : 'failed'}">
<h1>${g.passed ? '✔' : '✘'} ${verdictText}: ${html(report.manifest.spec.name)}</h1>
<p>${blocking}</p>
<p>Findings: ${c.pass} pass · ${c.fail} fail · ${c.error} error · ${c['not-applicable']} n/a · ${c.waived} waived</p>
${notJudgedLine}
</header>
<main>
<div class="filters">Show: ${filterButtons} <input id="filter-text" type="search" placeholder="filter controls by text (id, namespace, file…)" aria-label="filter controls by text"></div>
${failingSection}
${otherSection}
${waiverSection}
${warnings}
<h2>Summary</h2>
<div class="summary">
<div>${countsTable(
    'Area',
    AREAS.map((a) => [a, byArea.get(a) ?? emptyCounts()]),
  )}</div>
<div>${frameworks.length ? countsTable('Framework', frameworks) : '<p>No control references a published framework.</p>'}</div>
</div>
<p class="where">Counts are controls; a control's result combines its findings (fail &gt; error &gt; waived &gt; pass &gt; n/a).</p>
<h2>Run</h2>
${manifest(report)}
${inventory(report.inventory)}
${reachabilitySection(report.reachability)}
<footer>Generated by clusterproof ${html(report.manifest.tool.version)}. Secrets are redacted before any report is written.</footer>
</main>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}
