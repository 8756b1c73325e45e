// Which controls a spec asks for: a control is requested when the spec section named by its catalogue entry
// (`specSection`) is present. The mapping is catalogue data, not code.
import type { Control, Finding, Layer } from '../model/findings.ts';
import type { ClusterSpec } from '../model/spec.ts';

export function requestedControls(spec: ClusterSpec, controls: readonly Control[]): Control[] {
  const body = spec.spec as Record<string, unknown>;
  return controls.filter(
    (c) => c.specSection !== undefined && body[c.specSection] !== undefined && sectionActive(c.specSection, body[c.specSection]),
  );
}

// `etcdBackup: {required: false}` is an explicit "not required", not a request.
function sectionActive(section: string, value: unknown): boolean {
  if (section === 'etcdBackup') return (value as { required?: boolean }).required === true;
  return true;
}

/** True when the spec asks for `control`; a control without a spec section (a user's own) always runs. */
export function controlRequested(spec: ClusterSpec, control: Control): boolean {
  return control.specSection === undefined || requestedControls(spec, [control]).length > 0;
}

export const NOT_REQUESTED = 'the spec does not request this control';

/** The finding for a control the spec does not ask for, at any layer: told apart from "nothing to judge" by its evidence. */
export function notRequestedFinding(control: Control, layer: Layer): Finding {
  return {
    controlId: control.id,
    layer,
    result: 'not-applicable',
    message: `The spec does not ask for this control (no active spec.${control.specSection ?? '(none)'} section).`,
    evidence: [{ type: 'missing-input', what: `spec.${control.specSection ?? '(none)'}`, detail: NOT_REQUESTED }],
  };
}

export function isNotRequested(f: Finding): boolean {
  const e = f.evidence[0];
  return f.result === 'not-applicable' && e?.type === 'missing-input' && e.detail === NOT_REQUESTED;
}
