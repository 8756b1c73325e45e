// The vocabulary every step after `evaluate` speaks: controls (data), findings (verdicts) and evidence.
// A finding is only as good as its evidence, so evidence is structured, not prose.

/** Where a control can be checked: before apply, on collected objects, by live probes, by fault injection, after teardown. */
export type Layer = 'plan' | 'config' | 'probe' | 'chaos' | 'teardown';
export const LAYERS: readonly Layer[] = ['plan', 'config', 'probe', 'chaos', 'teardown'];

/** The areas match the suite folders `suites/{infra,network,security,chaos}`. */
export type Area = 'infra' | 'network' | 'security' | 'chaos';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/**
 * `error`: the check should have run but could not (missing or unreadable input, probe failure).
 * `not-applicable`: the check does not apply here (no such objects in scope, needs a live cluster).
 * Neither is ever reported as `pass`.
 */
export type Result = 'pass' | 'fail' | 'not-applicable' | 'error' | 'waived';

export interface FrameworkRef {
  /** Framework id as in harness/controls/frameworks.yaml, e.g. `cis-kubernetes-1.10`, `nsa-cisa-1.2`, `seed`. */
  framework: string;
  /** The item inside the framework, e.g. `5.3.2`. */
  id: string;
  title?: string;
}

/** A control as declared in harness/controls/controls.yaml. Code never hard-codes framework mappings. */
export interface Control {
  id: string;
  title: string;
  area: Area;
  rationale: string;
  severity: Severity;
  layers: Layer[];
  references: FrameworkRef[];
  remediation: string;
  /** The ClusterSpec `spec` section whose presence requests this control (e.g. `apiEndpoint`). */
  specSection?: string;
}

/** Points at a Kubernetes or cloud object, and where it was read from when known. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
  /** Cloud objects: ARN or id. */
  id?: string;
  source?: SourceLocation;
}

export interface SourceLocation {
  file: string;
  /** 0-based index of the YAML document (or array element) in the file. */
  documentIndex?: number;
  /** 1-based line and column of the object's start. */
  line?: number;
  column?: number;
}

export type Evidence =
  | { type: 'object'; ref: ObjectRef; detail?: string }
  | { type: 'rule'; rule: string; ref?: ObjectRef; detail?: string }
  | { type: 'comparison'; what: string; expected: unknown; actual: unknown; ref?: ObjectRef }
  | { type: 'observation'; what: string; observed: unknown; at?: string; detail?: string }
  | { type: 'missing-input'; what: string; detail?: string };

export interface Finding {
  controlId: string;
  layer: Layer;
  result: Result;
  /** One sentence a person understands without reading code. */
  message: string;
  /** The object the finding is about, when there is one (used for SARIF locations and grouping). */
  subject?: ObjectRef;
  evidence: Evidence[];
  /**
   * The precise change that fixes this finding, when the evaluator knows it (the policy to apply, the command to
   * run); the control's `remediation` stays the general advice. Set by netpol-default-deny and iam-node-role-inheritance.
   */
  fix?: string;
  /** How long the check took, when measured (live probes, chaos); reported as JUnit `time`. */
  durationMs?: number;
  /** Set when `result` is `waived`: the verdict the waiver replaced and the waiver that did it. */
  waived?: { originalResult: Result; waiverIndex: number; owner: string; reason: string; ticket?: string; expires: string };
}
