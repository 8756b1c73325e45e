// Evidence in the HTML report as labelled tables: each Evidence shape gets its own rows (object, source, rule,
// expected, actual, observed …) and structured values become key/value tables, so a reader never parses JSON.
import type { Evidence, ObjectRef } from '../harness/model/findings.ts';
import { formatRefName, formatSource, formatValue } from './evidenceText.ts';
import { html } from './htmlText.ts';

/** Nested tables deeper than this read worse than the JSON they replace. */
const MAX_DEPTH = 2;
/** An array of objects becomes a table when its rows share at most this many keys. */
const MAX_COLUMNS = 8;

export function refHtml(r: ObjectRef): string {
  const where = r.source ? ` <span class="where mono">${html(formatSource(r.source))}</span>` : '';
  return `<code>${html(formatRefName(r))}</code>${where}`;
}

type Plain = Record<string, unknown>;
function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isScalar(v: unknown): boolean {
  return v === null || v === undefined || ['string', 'number', 'boolean', 'bigint'].includes(typeof v);
}

function scalar(v: unknown): string {
  if (v === undefined || v === null) return '<span class="where">(none)</span>';
  if (typeof v === 'string') return v === '' ? '<span class="where">(empty)</span>' : html(v);
  return html(String(v));
}

/** Some evaluators put a JSON object into a text field (labels, annotations); show it like any other object. */
function parsedObject(text: string): Plain | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlain(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A value as markup: scalars as text, lists as comma lists or tables, objects as key/value tables. */
function valueHtml(v: unknown, depth = 0): string {
  if (typeof v === 'string') {
    const obj = parsedObject(v);
    if (obj) return valueHtml(obj, depth);
    return v.includes('\n') ? `<pre class="val">${html(v)}</pre>` : scalar(v);
  }
  if (isScalar(v)) return scalar(v);
  if (depth > MAX_DEPTH) return `<code>${html(formatValue(v))}</code>`;
  if (Array.isArray(v)) {
    if (v.length === 0) return '<span class="where">(none)</span>';
    if (v.every(isScalar)) return v.map(scalar).join(', ');
    if (v.every(isPlain)) {
      const keys = [...new Set(v.flatMap((o) => Object.keys(o)))];
      if (keys.length <= MAX_COLUMNS) {
        const head = keys.map((k) => `<th>${html(k)}</th>`).join('');
        const rows = v.map((o) => `<tr>${keys.map((k) => `<td>${valueHtml(o[k], depth + 1)}</td>`).join('')}</tr>`).join('');
        return `<table class="kv"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
      }
    }
    return `<ul class="vals">${v.map((x) => `<li>${valueHtml(x, depth + 1)}</li>`).join('')}</ul>`;
  }
  if (isPlain(v)) {
    const entries = Object.entries(v);
    if (entries.length === 0) return '<span class="where">(empty)</span>';
    return `<table class="kv"><tbody>${entries.map(([k, x]) => `<tr><th>${html(k)}</th><td>${valueHtml(x, depth + 1)}</td></tr>`).join('')}</tbody></table>`;
  }
  return `<code>${html(formatValue(v))}</code>`;
}

type Row = [label: string, markup: string];

function rows(e: Evidence): Row[] {
  const out: Row[] = [];
  const add = (label: string, markup: string | undefined) => {
    if (markup !== undefined) out.push([label, markup]);
  };
  switch (e.type) {
    case 'object':
      add('object', refHtml(e.ref));
      add('detail', e.detail === undefined ? undefined : valueHtml(e.detail));
      break;
    case 'rule':
      add('rule', html(e.rule));
      add('object', e.ref ? refHtml(e.ref) : undefined);
      add('detail', e.detail === undefined ? undefined : valueHtml(e.detail));
      break;
    case 'comparison':
      add('what', html(e.what));
      add('expected', `<span class="exp">${valueHtml(e.expected)}</span>`);
      add('actual', `<span class="act">${valueHtml(e.actual)}</span>`);
      add('object', e.ref ? refHtml(e.ref) : undefined);
      break;
    case 'observation':
      add('what', html(e.what));
      add('observed', valueHtml(e.observed));
      add('at', e.at === undefined ? undefined : html(e.at));
      add('detail', e.detail === undefined ? undefined : valueHtml(e.detail));
      break;
    case 'missing-input':
      add('missing', html(e.what));
      add('detail', e.detail === undefined ? undefined : valueHtml(e.detail));
      break;
  }
  return out;
}

const TYPE_LABEL: Record<Evidence['type'], string> = {
  object: 'object',
  rule: 'rule',
  comparison: 'comparison',
  observation: 'observation',
  'missing-input': 'missing input',
};

/** One table per finding: a block of labelled rows per evidence item, its kind named on the left. */
export function evidenceTable(evidence: readonly Evidence[]): string {
  if (evidence.length === 0) return '<div class="where">No evidence recorded.</div>';
  const body = evidence
    .map((e) => {
      const r = rows(e);
      return `<tbody class="ev ${e.type}">${r
        .map(
          ([label, markup], i) =>
            `<tr>${i === 0 ? `<td class="kind" rowspan="${r.length}">${TYPE_LABEL[e.type]}</td>` : ''}<th>${label}</th><td>${markup}</td></tr>`,
        )
        .join('')}</tbody>`;
    })
    .join('');
  return `<table class="evidence">${body}</table>`;
}
