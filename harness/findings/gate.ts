// The gate decides the exit code: 0 when every required control passes or is waived, 1 when a control at or
// above the --fail-on severity fails or could not be checked (`error` is never a quiet pass).
import type { Control, Finding, Result, Severity } from '../model/findings.ts';
import { SEVERITIES } from '../model/findings.ts';

interface GateVerdict {
  failOn: Severity;
  passed: boolean;
  counts: Record<Result, number>;
  failingControls: string[];
}

const BLOCKING: ReadonlySet<Result> = new Set<Result>(['fail', 'error']);

/** True when `severity` is `threshold` or worse (critical is worst). */
function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

export function decideGate(findings: Finding[], controls: Control[], failOn: Severity): GateVerdict {
  const severityOf = new Map(controls.map((c) => [c.id, c.severity]));
  const counts: Record<Result, number> = { pass: 0, fail: 0, 'not-applicable': 0, error: 0, waived: 0 };
  const failing = new Set<string>();
  for (const f of findings) {
    counts[f.result] += 1;
    // A finding for a control missing from the catalogue blocks at any threshold: nobody can say it is minor.
    const severity = severityOf.get(f.controlId) ?? 'critical';
    if (BLOCKING.has(f.result) && atOrAbove(severity, failOn)) failing.add(f.controlId);
  }
  return { failOn, passed: failing.size === 0, counts, failingControls: [...failing].sort() };
}
