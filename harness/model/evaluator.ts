// The contract every control's static evaluator implements: pure, synchronous, no I/O.
import type { Control, Finding } from './findings.ts';
import type { ClusterSpec } from './spec.ts';
import type { ClusterState } from './state.ts';

export interface EvaluationInput {
  state: ClusterState;
  spec: ClusterSpec;
  control: Control;
}

/**
 * Returns at least one finding. When the spec does not ask for the control, return `not-applicable`
 * with the reason; when inputs the control needs are absent, `error` or `not-applicable` — never `pass`.
 */
export type Evaluator = (input: EvaluationInput) => Finding[];
