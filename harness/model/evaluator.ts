// The contract every control's static evaluator implements: pure, synchronous, no I/O.
import type { Control, Finding } from './findings.ts';
import type { ClusterSpec } from './spec.ts';
import type { ClusterState } from './state.ts';

interface EvaluationInput {
  state: ClusterState;
  spec: ClusterSpec;
  control: Control;
}

/**
 * Returns at least one finding. When the spec does not ask for the control, return `not-applicable`
 * with the reason; when inputs the control needs are absent, `error` or `not-applicable` — never `pass`.
 */
export type Evaluator = (input: EvaluationInput) => Finding[];

/**
 * For evaluators built on a library whose evaluation is asynchronous but still pure (no network, no cluster):
 * the IAM controls use @cloud-copilot/iam-simulate, whose `runSimulation` loads its AWS action data lazily.
 */
export type AsyncEvaluator = (input: EvaluationInput) => Promise<Finding[]>;
