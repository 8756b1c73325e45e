// The HTML report's reachability section: one collapsed <details> per source namespace (a whole-cluster grid is
// thousands of pixels tall and buried the controls), each holding that namespace's rows of every port's matrix,
// and a text input that filters namespaces by name or pod. Placed after the controls.
import type { ReachabilityMatrix } from '../harness/model/reachability.ts';
import { html, htmlId } from './htmlText.ts';
import { reachabilityMismatches, type ReachabilityMismatch } from './reachabilityDiff.ts';

/** Beyond this many destination pods a grid stops being readable; the namespace shows its totals only. */
export const MAX_GRID_PODS = 60;

function namespaceOf(pod: string): string {
  const slash = pod.indexOf('/');
  return slash < 0 ? '(no namespace)' : pod.slice(0, slash);
}

function cell(m: ReachabilityMatrix, i: number, j: number): string {
  const from = m.pods[i] ?? '';
  const to = m.pods[j] ?? '';
  const expected = m.allowed[i]?.[j] ?? false;
  const observed = m.observed?.[i]?.[j];
  const mismatch = observed !== undefined && observed !== null && observed !== expected;
  const shown = mismatch ? observed : expected;
  const tip = `${from} → ${to}: expected ${expected ? 'allowed' : 'blocked'}${observed === undefined || observed === null ? '' : `, observed ${observed ? 'allowed' : 'blocked'}`}`;
  return `<td class="${shown ? 'allow' : 'block'}${mismatch ? ' mismatch' : ''}" title="${html(tip)}">${mismatch ? (shown ? '!✓' : '!✗') : shown ? '✓' : '✗'}</td>`;
}

function mismatchList(list: readonly ReachabilityMismatch[]): string {
  if (list.length === 0) return '';
  const items = list.map(
    (x) =>
      `<li><code>${html(x.from)}</code> → <code>${html(x.to)}</code>: expected ${x.expected ? 'allowed' : 'blocked'}, observed ${x.observed ? 'allowed' : 'blocked'}</li>`,
  );
  return `<p><strong>Mismatches:</strong></p><ul>${items.join('')}</ul>`;
}

interface PortRows {
  m: ReachabilityMatrix;
  rows: number[];
  allowed: number;
  mismatches: ReachabilityMismatch[];
}

/** The rows of `m` whose source pod is in `ns`, as a grid against every destination (or totals when too wide). */
function portBlock({ m, rows, allowed, mismatches }: PortRows, ns: string): string {
  const probed = m.observed ? `${mismatches.length} mismatch(es) between prediction and observation` : 'prediction only, not probed';
  const title = `<h4>Port ${m.port}/${html(m.protocol)} from ${html(ns)}: ${allowed} of ${rows.length * m.pods.length} pairs allowed (${probed})</h4>`;
  if (m.pods.length > MAX_GRID_PODS) {
    return `${title}<p>The grid is omitted above ${MAX_GRID_PODS} destination pods; report.json holds the full matrix.</p>${mismatchList(mismatches)}`;
  }
  const head = `<tr><th>from \\ to</th>${m.pods.map((p) => `<th class="to" title="${html(p)}">${html(p)}</th>`).join('')}</tr>`;
  const body = rows
    .map((i) => `<tr><th class="from">${html(m.pods[i] ?? '')}</th>${m.pods.map((_, j) => cell(m, i, j)).join('')}</tr>`)
    .join('');
  return `${title}<div class="matrix-wrap"><table class="matrix"><thead>${head}</thead><tbody>${body}</tbody></table></div>${mismatchList(mismatches)}`;
}

export function reachabilitySection(matrices: readonly ReachabilityMatrix[]): string {
  if (matrices.length === 0) return '';
  const namespaces = [...new Set(matrices.flatMap((m) => m.pods.map(namespaceOf)))].sort();
  const mismatchesByMatrix = matrices.map((m) => reachabilityMismatches(m));
  const blocks = namespaces.map((ns) => {
    const ports: PortRows[] = matrices
      .map((m, k) => {
        const rows = m.pods.flatMap((p, i) => (namespaceOf(p) === ns ? [i] : []));
        let allowed = 0;
        for (const i of rows) for (const c of m.allowed[i] ?? []) if (c) allowed += 1;
        const mismatches = (mismatchesByMatrix[k] ?? []).filter((x) => namespaceOf(x.from) === ns);
        return { m, rows, allowed, mismatches };
      })
      .filter((p) => p.rows.length > 0);
    const pods = new Set(ports.flatMap((p) => p.rows.map((i) => p.m.pods[i] ?? '')));
    const mismatched = ports.reduce((n, p) => n + p.mismatches.length, 0);
    const perPort = ports.map((p) => `${p.m.port}/${html(p.m.protocol)} ${p.allowed}/${p.rows.length * p.m.pods.length}`).join(' · ');
    const flag = mismatched ? ` · <strong class="count-fail">${mismatched} mismatch(es)</strong>` : '';
    const search = [ns, ...pods].join(' ').toLowerCase();
    return `<details class="reach-ns" id="${htmlId('reach', ns)}" data-search="${html(search)}"><summary><code>${html(ns)}</code> — ${pods.size} source pod(s); allowed pairs per port: ${perPort}${flag}</summary>
${ports.map((p) => portBlock(p, ns)).join('\n')}
</details>`;
  });
  return `<section id="reachability">
<h2>Reachability</h2>
<p class="legend">What the NetworkPolicies allow, per source namespace (open one to see its pods' rows against every destination). <span class="mono" style="color:var(--pass)">✓ allowed</span><span class="mono" style="color:var(--fail)">✗ blocked</span><span class="mono" style="color:#7d4e00">! observed differs from expected (cell shows the observation)</span></p>
<div class="reach-filter"><input id="reach-filter" type="search" placeholder="filter namespaces or pods" aria-label="filter reachability by namespace or pod"></div>
${blocks.join('\n')}
</section>`;
}
