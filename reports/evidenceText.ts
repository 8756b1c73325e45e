// One-line renderings of evidence, object references and source locations, shared by every writer so JUnit,
// Markdown, annotations, SARIF and HTML describe the same finding in the same words.
import type { Evidence, Finding, ObjectRef, SourceLocation } from '../harness/model/findings.ts';
import { oneLine, truncate } from './plainText.ts';

/** Longest rendering of one compared value; evidence values can be whole objects. */
const MAX_VALUE_CHARS = 200;

/** `file:line:column`, or `file (document 2)` when only the document index is known. */
export function formatSource(source: SourceLocation): string {
  if (source.line !== undefined) {
    return source.column !== undefined ? `${source.file}:${source.line}:${source.column}` : `${source.file}:${source.line}`;
  }
  if (source.documentIndex !== undefined) return `${source.file} (document ${source.documentIndex})`;
  return source.file;
}

/** `Kind namespace/name` (plus cloud id), without the source. */
export function formatRefName(ref: ObjectRef): string {
  const name = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  const id = ref.id && ref.id !== ref.name ? ` [${ref.id}]` : '';
  return `${ref.kind} ${name}${id}`;
}

/** `Kind namespace/name (file:line)`. */
function formatRef(ref: ObjectRef): string {
  return ref.source ? `${formatRefName(ref)} (${formatSource(ref.source)})` : formatRefName(ref);
}

/** A compared or observed value as compact JSON; strings stay quoted so an empty or blank value is visible. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return truncate(oneLine(JSON.stringify(value)), MAX_VALUE_CHARS);
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    // Cyclic or otherwise unserialisable evidence still gets a readable stand-in rather than a crash.
    text = String(value);
  }
  return truncate(oneLine(text), MAX_VALUE_CHARS);
}

function withDetail(text: string, detail: string | undefined): string {
  return detail ? `${text}: ${detail}` : text;
}

/** One line that says what an evidence item shows. */
export function summarizeEvidence(evidence: Evidence): string {
  switch (evidence.type) {
    case 'object':
      return oneLine(withDetail(formatRef(evidence.ref), evidence.detail));
    case 'rule': {
      const on = evidence.ref ? ` on ${formatRef(evidence.ref)}` : '';
      return oneLine(withDetail(`rule ${evidence.rule}${on}`, evidence.detail));
    }
    case 'comparison': {
      const on = evidence.ref ? ` (${formatRef(evidence.ref)})` : '';
      return oneLine(`${evidence.what}: expected ${formatValue(evidence.expected)}, actual ${formatValue(evidence.actual)}${on}`);
    }
    case 'observation': {
      const at = evidence.at ? ` at ${evidence.at}` : '';
      return oneLine(withDetail(`${evidence.what}: observed ${formatValue(evidence.observed)}${at}`, evidence.detail));
    }
    case 'missing-input':
      return oneLine(withDetail(`missing input: ${evidence.what}`, evidence.detail));
  }
}

/** The finding's message followed by its evidence, one item per line (JUnit bodies, HTML fallbacks). */
export function describeFinding(finding: Finding): string {
  const subject = finding.subject ? ` [${formatRef(finding.subject)}]` : '';
  const lines = [`${oneLine(finding.message)}${subject}`];
  for (const e of finding.evidence) lines.push(`  - ${summarizeEvidence(e)}`);
  return lines.join('\n');
}

/** Where a finding points in a file: its subject's source, else the first evidence reference that has one. */
export function findingSource(finding: Finding): SourceLocation | undefined {
  if (finding.subject?.source) return finding.subject.source;
  for (const e of finding.evidence) {
    const ref = e.type === 'object' || e.type === 'rule' || e.type === 'comparison' ? e.ref : undefined;
    if (ref?.source) return ref.source;
  }
  return undefined;
}

/** `waived by alice until 2026-12-31 (OPS-42): reason`, for findings a waiver turned into `waived`. */
export function describeWaived(waived: NonNullable<Finding['waived']>): string {
  const ticket = waived.ticket ? ` (${waived.ticket})` : '';
  return oneLine(`waived by ${waived.owner} until ${waived.expires}${ticket}: ${waived.reason} [was ${waived.originalResult}]`);
}
