// Evaluators name the objects a finding is about; where those objects were read from is the state's business
// (`origins`). Filling in every missing source here, once, lets every report point at file:line without each
// evaluator having to remember to look it up.
import type { Evidence, Finding, ObjectRef, SourceLocation } from '../model/findings.ts';
import { objectKey } from '../model/state.ts';

export function locateFindings(findings: Finding[], origins: Record<string, SourceLocation>): Finding[] {
  const locate = (ref: ObjectRef): ObjectRef => {
    if (ref.source) return ref;
    const source = origins[objectKey(ref.kind, ref.namespace, ref.name)];
    return source ? { ...ref, source } : ref;
  };
  const locateEvidence = (e: Evidence): Evidence => ('ref' in e && e.ref ? { ...e, ref: locate(e.ref) } : e);
  return findings.map((f) => ({
    ...f,
    ...(f.subject ? { subject: locate(f.subject) } : {}),
    evidence: f.evidence.map(locateEvidence),
  }));
}
