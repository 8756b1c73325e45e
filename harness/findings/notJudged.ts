// Controls that judged nothing: every finding `not-applicable` (no objects in scope, needs a live cluster).
// A gate that passes on them has proven nothing about them, so the summary names each with its first reason.
import type { Finding } from '../model/findings.ts';
import { isNotRequested } from '../spec/requested.ts';

export interface NotJudged {
  control: string;
  /** The control's first not-applicable message, e.g. "no meshed workloads in scope". */
  reason: string;
}

/** In the order the findings come (catalogue order in a run). Controls the spec did not ask for are not listed. */
export function notJudgedControls(findings: readonly Finding[]): NotJudged[] {
  const first = new Map<string, Finding>();
  const judged = new Set<string>();
  for (const f of findings) {
    if (f.result !== 'not-applicable' || isNotRequested(f)) judged.add(f.controlId);
    else if (!first.has(f.controlId)) first.set(f.controlId, f);
  }
  return [...first].filter(([id]) => !judged.has(id)).map(([control, f]) => ({ control, reason: f.message }));
}

/** Controls the spec does not ask for, by id (each has only its not-requested finding). */
export function notRequestedControls(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter(isNotRequested).map((f) => f.controlId))];
}

/** `mtls-strict (no meshed workloads in scope), …` */
export function notJudgedLine(list: readonly NotJudged[]): string {
  return list.map((n) => `${n.control} (${n.reason})`).join(', ');
}
