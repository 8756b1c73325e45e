// The one mapping from control id to its static evaluator. The catalogue (harness/controls/controls.yaml)
// says what a control is; this says which pure function judges it on collected objects.
import type { AsyncEvaluator, Evaluator } from '../model/evaluator.ts';
import type { Control, Finding } from '../model/findings.ts';
import type { ClusterSpec } from '../model/spec.ts';
import type { ClusterState } from '../model/state.ts';
import { controlRequested, notRequestedFinding } from '../spec/requested.ts';
import { evaluateApiEndpointPrivate } from './apiEndpointPrivate.ts';
import { evaluateCanaryAutoRollback } from './canaryAutoRollback.ts';
import { evaluateCidrNonOverlapping } from './cidrNonOverlapping.ts';
import { evaluateDefaultDeny } from './defaultDenyCoverage.ts';
import { evaluateEtcdBackup } from './etcdBackup.ts';
import { evaluateHaControlPlane } from './haControlPlane.ts';
import { evaluateIamNodeRoleInheritance } from './iamNodeRoleInheritance.ts';
import { evaluateIamPodIsolation } from './iamPodIsolation.ts';
import { evaluateMtlsStrict } from './mtlsStrict.ts';
import { evaluateTeardownClean } from './teardownClean.ts';

const STATIC_EVALUATORS: Readonly<Record<string, Evaluator | AsyncEvaluator>> = {
  'api-endpoint-private': evaluateApiEndpointPrivate,
  'cidr-non-overlapping': evaluateCidrNonOverlapping,
  'netpol-default-deny': evaluateDefaultDeny,
  'mtls-strict': evaluateMtlsStrict,
  'iam-pod-isolation': evaluateIamPodIsolation,
  'iam-node-role-inheritance': evaluateIamNodeRoleInheritance,
  'ha-control-plane': evaluateHaControlPlane,
  'etcd-backup': evaluateEtcdBackup,
  'teardown-clean': evaluateTeardownClean,
  'canary-auto-rollback': evaluateCanaryAutoRollback,
};

/**
 * A control's static verdict. The spec decides what is required: a control whose spec section is absent is not
 * evaluated, so a missing section can neither fail the gate nor pass for a check that never ran.
 */
export async function evaluateControl(control: Control, state: ClusterState, spec: ClusterSpec): Promise<Finding[]> {
  if (!controlRequested(spec, control)) return [notRequestedFinding(control, 'config')];
  const evaluate = STATIC_EVALUATORS[control.id];
  if (!evaluate) return [notApplicable(control, 'no static evaluator is registered for this control', 'static evaluator')];
  return evaluate({ state, spec, control });
}

/** Every control's static verdict over one state: what the suites do, without vitest (benchmarks, embedding). */
export async function evaluateStatic(state: ClusterState, spec: ClusterSpec, controls: Control[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const control of controls) findings.push(...(await evaluateControl(control, state, spec)));
  return findings;
}

function notApplicable(control: Control, message: string, what: string): Finding {
  return { controlId: control.id, layer: 'config', result: 'not-applicable', message, evidence: [{ type: 'missing-input', what }] };
}
