// The HTML report: one self-contained file a person reads in a browser (no external assets; the small inline
// script only filters). Every interpolated value goes through `html()`. A Content-Security-Policy allows only
// our own script (by hash) and inline styles, so even a missed escape could not run injected code.
import { createHash } from 'node:crypto';
import type { Evidence, Finding, ObjectRef, Result } from '../harness/model/findings.ts';
import type { ReachabilityMatrix } from '../harness/model/reachability.ts';
import { notJudgedControls } from '../harness/findings/notJudged.ts';
import type { RedactedReport } from '../harness/findings/redact.ts';
import type { Inventory } from '../harness/model/inventory.ts';
import { describeWaived, formatRefName, formatSource, formatValue } from './evidenceText.ts';
import { html, htmlId } from './htmlText.ts';
import { HTML_SCRIPT, HTML_STYLE } from './htmlStyle.ts';
import { inputWarningText } from './inputWarnings.ts';
import { inventoryRows } from './inventoryRows.ts';
import { reachabilityMismatches } from './reachabilityDiff.ts';
import { AREAS, RESULTS, controlVerdicts, countByArea, countByFramework, emptyCounts, layerVerdicts, type ControlVerdict, type Counts } from './verdicts.ts';

/** Beyond this many pods a grid stops being readable; larger matrices show their mismatches and totals only. */
export const MAX_GRID_PODS = 60;

const RESULT_LABEL: Record<Result, string> = { pass: 'pass', fail: 'fail', error: 'error', 'not-applicable': 'n/a', waived: 'waived' };

function badge(result: Result): string {
  return `<span class="badge ${result}">${RESULT_LABEL[result]}</span>`;
}

function ref(r: ObjectRef): string {
  const where = r.source ? ` <span class="where mono">${html(formatSource(r.source))}</span>` : '';
  return `<code>${html(formatRefName(r))}</code>${where}`;
}

/** Short values on one line; larger objects as indented JSON, which reads better than one long line. */
function value(v: unknown): string {
  if (typeof v === 'string') return `<pre class="val">${html(v)}</pre>`;
  if (v === undefined) return '<pre class="val">(none)</pre>';
  const compact = formatValue(v);
  let text = compact;
  if (compact.length > 80) {
    try {
      text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2) ?? compact;
    } catch {
      // Unserialisable evidence keeps its compact stand-in.
    }
  }
  return `<pre class="val">${html(text)}</pre>`;
}

/** Worst first, so a reader meets what needs action before what passed. */
const ORDER: readonly Result[] = ['fail', 'error', 'waived', 'pass', 'not-applicable'];
function byResult<T extends { result: Result }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => ORDER.indexOf(a.result) - ORDER.indexOf(b.result));
}

function evidenceRow(e: Evidence): string {
  switch (e.type) {
    case 'object':
      return `<tr><td>object</td><td>${ref(e.ref)}${e.detail ? `<div>${html(e.detail)}</div>` : ''}</td></tr>`;
    case 'rule':
      return `<tr><td>rule</td><td><code>${html(e.rule)}</code>${e.ref ? ` on ${ref(e.ref)}` : ''}${e.detail ? `<div>${html(e.detail)}</div>` : ''}</td></tr>`;
    case 'comparison':
      return `<tr><td>comparison</td><td><div><strong>${html(e.what)}</strong>${e.ref ? ` — ${ref(e.ref)}` : ''}</div><div class="cmp"><span class="exp">expected</span>${value(e.expected)}<span class="act">actual</span>${value(e.actual)}</div></td></tr>`;
    case 'observation':
      return `<tr><td>observation</td><td><div><strong>${html(e.what)}</strong>${e.at ? ` at ${html(e.at)}` : ''}</div>${value(e.observed)}${e.detail ? `<div>${html(e.detail)}</div>` : ''}</td></tr>`;
    case 'missing-input':
      return `<tr><td>missing input</td><td><strong>${html(e.what)}</strong>${e.detail ? `<div>${html(e.detail)}</div>` : ''}</td></tr>`;
  }
}

function finding(f: Finding): string {
  const subject = f.subject ? `<div>Subject: ${ref(f.subject)}</div>` : '';
  const waived = f.waived ? `<div class="waived-note">${badge('waived')} ${html(describeWaived(f.waived))}</div>` : '';
  const evidence = f.evidence.length
    ? `<table class="evidence"><tbody>${f.evidence.map(evidenceRow).join('')}</tbody></table>`
    : '<div class="where">No evidence recorded.</div>';
  return `<div class="finding">${badge(f.result)} <span class="badge sev">${html(f.layer)}</span> <span class="msg">${html(f.message)}</span>${subject}${waived}${evidence}</div>`;
}

/** Waivers naming this control that did not apply (expired or unmatched), so the card explains the verdict. */
function waiverNotes(controlId: string, list: RedactedReport['waivers']): string {
  return list
    .filter((w) => w.waiver.control === controlId && w.status !== 'active')
    .map(({ waiver: w, status }) => `<p class="waiver-note ${status}">Waiver by ${html(w.owner)}${w.ticket ? ` (${html(w.ticket)})` : ''} until ${html(w.expires)}: <strong>${status}</strong>${status === 'expired' ? ' — it no longer applies and fails the gate' : ' — it matched no finding'}.</p>`)
    .join('');
}

function control(v: ControlVerdict, waiverList: RedactedReport['waivers']): string {
  const c = v.control;
  const refs = c.references.length
    ? c.references.map((r) => `<code>${html(r.framework)}:${html(r.id)}</code>${r.title ? ` ${html(r.title)}` : ''}`).join(' · ')
    : 'none';
  const layers = layerVerdicts(v)
    .map((l) => `${html(l.layer)} ${badge(l.result)}`)
    .join(' ');
  // What needs action is open; passes and n/a fold to one line each (the text filter still searches them).
  const open = v.result === 'fail' || v.result === 'error' || v.result === 'waived';
  const findings = v.findings.length ? byResult(v.findings).map(finding).join('') : '<div class="finding where">No findings were recorded for this control.</div>';
  return `<section class="control ${v.result}" data-result="${v.result}" id="${htmlId('control', c.id)}">
<div class="head">${badge(v.result)} <h3><code>${html(c.id)}</code> ${html(c.title)}</h3> <span class="badge sev ${c.severity}">${c.severity}</span></div>
<p class="refs">Layers: ${layers}</p>
<details class="body"${open ? ' open' : ''}><summary>References, rationale, fix and ${v.findings.length} finding(s)</summary>
<p class="refs">References: ${refs}</p>
<p><strong>Why:</strong> ${html(c.rationale)}</p>
<p><strong>Fix:</strong> ${html(c.remediation)}</p>
${waiverNotes(c.id, waiverList)}${findings}
</details>
</section>`;
}

function countsTable(title: string, rows: [string, Counts][]): string {
  const head = `<tr><th>${html(title)}</th>${RESULTS.map((r) => `<th class="num">${RESULT_LABEL[r]}</th>`).join('')}</tr>`;
  const body = rows
    .map(([label, c]) => `<tr><td>${html(label)}</td>${RESULTS.map((r) => `<td class="num${c[r] && (r === 'fail' || r === 'error') ? ` count-${r}` : ''}">${c[r]}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function matrix(m: ReachabilityMatrix): string {
  const mismatches = reachabilityMismatches(m);
  const title = `<h3>Port ${m.port}/${html(m.protocol)} — ${m.pods.length} pods${m.observed ? `, ${mismatches.length} mismatch(es) between prediction and observation` : ' (prediction only, not probed)'}</h3>`;
  const mismatchList = mismatches.length
    ? `<p><strong>Mismatches:</strong></p><ul>${mismatches.map((x) => `<li><code>${html(x.from)}</code> → <code>${html(x.to)}</code>: expected ${x.expected ? 'allowed' : 'blocked'}, observed ${x.observed ? 'allowed' : 'blocked'}</li>`).join('')}</ul>`
    : '';
  if (m.pods.length > MAX_GRID_PODS) {
    let allowed = 0;
    for (const r of m.allowed) for (const cell of r) if (cell) allowed += 1;
    return `${title}<p>${allowed} of ${m.pods.length ** 2} ordered pairs allowed. The grid is omitted above ${MAX_GRID_PODS} pods; report.json holds the full matrix.</p>${mismatchList}`;
  }
  const head = `<tr><th>from \\ to</th>${m.pods.map((p) => `<th class="to" title="${html(p)}">${html(p)}</th>`).join('')}</tr>`;
  const rows = m.pods
    .map((from, i) => {
      const cells = m.pods
        .map((to, j) => {
          const expected = m.allowed[i]?.[j] ?? false;
          const observed = m.observed?.[i]?.[j];
          const mismatch = observed !== undefined && observed !== null && observed !== expected;
          const shown = mismatch ? observed : expected;
          const tip = `${from} → ${to}: expected ${expected ? 'allowed' : 'blocked'}${observed === undefined || observed === null ? '' : `, observed ${observed ? 'allowed' : 'blocked'}`}`;
          return `<td class="${shown ? 'allow' : 'block'}${mismatch ? ' mismatch' : ''}" title="${html(tip)}">${mismatch ? (shown ? '!✓' : '!✗') : shown ? '✓' : '✗'}</td>`;
        })
        .join('');
      return `<tr><th class="from">${html(from)}</th>${cells}</tr>`;
    })
    .join('');
  return `${title}<div class="matrix-wrap"><table class="matrix"><thead>${head}</thead><tbody>${rows}</tbody></table></div>${mismatchList}`;
}

function inventory(inv: Inventory): string {
  const rows = inventoryRows(inv).map((r) => `<tr><td>${html(r.group)}</td><td>${html(r.what)}</td><td class="num">${r.count}</td></tr>`).join('');
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
  const areaSections = AREAS.map((area) => {
    const list = byResult(verdicts.filter((v) => v.control.area === area));
    return list.length ? `<h3 class="area" id="area-${area}">${area} (${list.length})</h3>${list.map((v) => control(v, report.waivers)).join('\n')}` : '';
  }).join('\n');
  const filterButtons = ['all', ...RESULTS]
    .map((r) => `<button type="button" data-filter="${r}" aria-pressed="${r === 'all'}">${r === 'all' ? 'all' : RESULT_LABEL[r as Result]}</button>`)
    .join('');
  const warningLines = [...report.inputWarnings.map(inputWarningText), ...report.warnings];
  const warnings = warningLines.length ? `<h2>Warnings</h2><ul>${warningLines.map((w) => `<li>${html(w)}</li>`).join('')}</ul>` : '';
  const notJudged = notJudgedControls(report.findings);
  const notJudgedLine = notJudged.length
    ? `<p>Not judged (nothing to judge): ${notJudged.map((n) => `<a style="color:#fff" href="#${htmlId('control', n.control)}">${html(n.control)}</a> (${html(n.reason)})`).join(', ')}</p>`
    : '';
  const reach = report.reachability.length
    ? `<h2 id="reachability">Reachability</h2><p class="legend"><span class="mono" style="color:var(--pass)">✓ allowed</span><span class="mono" style="color:var(--fail)">✗ blocked</span><span class="mono" style="color:#7d4e00">! observed differs from expected (cell shows the observation)</span> Rows: from; columns: to.</p>${report.reachability.map(matrix).join('\n')}`
    : '';
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
<h2>Run</h2>
${manifest(report)}
${inventory(report.inventory)}
<h2>Summary</h2>
<div class="summary">
<div>${countsTable('Area', AREAS.map((a) => [a, byArea.get(a) ?? emptyCounts()]))}</div>
<div>${countsTable('Framework', [...countByFramework(verdicts)])}</div>
</div>
<p class="where">Counts are controls; a control's result combines its findings (fail &gt; error &gt; waived &gt; pass &gt; n/a).</p>
<h2>Waivers</h2>
${waivers(report)}
${warnings}
${reach}
<h2>Controls</h2>
<div class="filters">Show: ${filterButtons} <input id="filter-text" type="search" placeholder="filter by text (id, namespace, file…)" aria-label="filter controls by text"></div>
${areaSections}
<footer>Generated by clusterproof ${html(report.manifest.tool.version)}. Secrets are redacted before any report is written.</footer>
</main>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}
