// Small builders for CIDR evaluator tests: a spec, a state and the control record, all in code (no I/O).
import type { Control } from '../../harness/model/findings.ts';
import { SPEC_API_VERSION, type CidrSpec, type ClusterSpec } from '../../harness/model/spec.ts';
import { emptyState, type ClusterState } from '../../harness/model/state.ts';

export const cidrControl: Control = {
  id: 'cidr-non-overlapping',
  title: 'CIDRs do not overlap',
  area: 'infra',
  rationale: 'test',
  severity: 'high',
  layers: ['plan', 'config'],
  references: [],
  remediation: 'test',
};

export function specWith(cidrs?: CidrSpec): ClusterSpec {
  return { apiVersion: SPEC_API_VERSION, kind: 'ClusterSpec', metadata: { name: 'test' }, spec: cidrs ? { cidrs } : {} };
}

export function stateWith(edit: (state: ClusterState) => void = () => {}): ClusterState {
  const state = emptyState({ type: 'files', inputs: [], collectedAt: '2026-11-25T00:00:00Z' });
  edit(state);
  return state;
}
