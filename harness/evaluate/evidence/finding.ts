// One constructor for findings so every evaluator fills the same fields the same way.
import type { Evidence, Finding, Layer, ObjectRef, Result } from '../../model/findings.ts';

export interface FindingParts {
  controlId: string;
  layer: Layer;
  result: Exclude<Result, 'waived'>;
  message: string;
  evidence: Evidence[];
  subject?: ObjectRef | undefined;
}

export function finding(parts: FindingParts): Finding {
  const { subject, ...rest } = parts;
  return subject === undefined ? rest : { ...rest, subject };
}

/** The one finding an evaluator returns when the spec has no section for its control. */
export function notAskedFor(controlId: string, layer: Layer, what: string, section: string, subject?: ObjectRef): Finding {
  return finding({
    controlId,
    layer,
    subject,
    result: 'not-applicable',
    message: `The spec does not ask for ${what} (no spec.${section} section).`,
    evidence: [{ type: 'missing-input', what: `spec.${section}`, detail: 'section absent from the ClusterSpec' }],
  });
}
