// One constructor for findings so every evaluator fills the same fields the same way.
import type { Evidence, Finding, Layer, ObjectRef, Result } from '../model/findings.ts';
import { NOT_REQUESTED } from '../spec/requested.ts';

interface FindingParts {
  controlId: string;
  layer: Layer;
  result: Exclude<Result, 'waived'>;
  message: string;
  evidence: Evidence[];
  subject?: ObjectRef | undefined;
  fix?: string | undefined;
}

/** Evidence leads with what was seen (reports show the first item as the summary); the deciding rule follows. */
export function finding(parts: FindingParts): Finding {
  const { subject, evidence, fix, ...rest } = parts;
  const ordered = [...evidence.filter((e) => e.type !== 'rule'), ...evidence.filter((e) => e.type === 'rule')];
  return { ...rest, evidence: ordered, ...(subject === undefined ? {} : { subject }), ...(fix === undefined ? {} : { fix }) };
}

/** The one finding an evaluator returns when the spec has no section for its control. */
export function notAskedFor(controlId: string, layer: Layer, what: string, section: string, subject?: ObjectRef): Finding {
  return finding({
    controlId,
    layer,
    subject,
    result: 'not-applicable',
    message: `The spec does not ask for ${what} (no spec.${section} section).`,
    evidence: [{ type: 'missing-input', what: `spec.${section}`, detail: NOT_REQUESTED }],
  });
}

/**
 * `plan` when every object a finding rests on was read from a terraform plan (`planned: true`, set by the
 * plan loader), else `config`: a verdict about what will be applied is reported on the layer it can be acted on.
 */
export function layerOf(objects: readonly object[]): Layer {
  const planned = (o: object): boolean => 'planned' in o && o.planned === true;
  return objects.length > 0 && objects.every(planned) ? 'plan' : 'config';
}
