// Control `netpol-default-deny`: every namespace the spec names is default-deny for Ingress (and Egress where
// asked). Two things must hold, per direction:
//  1. coverage: a policy with an empty podSelector ({}) selects every pod of the namespace for that direction;
//  2. nothing re-opens it: no rule admits an unvetted peer on every port of a protocol. "Unvetted" is a pod
//     with no labels in a fresh namespace with no labels, or an address outside the cluster (203.0.113.7,
//     2001:db8::7); "every port" is tested at ports 1 and 65535. Each pod of the namespace, plus an unlabelled
//     stand-in for pods created later, is asked through the NetworkPolicy engine, which names the policy and
//     rule that let the traffic through.
// One finding per required namespace; a namespace missing from the state is an `error`, never a pass.
import { InputError } from '../errors.ts';
import type { Evaluator } from '../model/evaluator.ts';
import type { Evidence, Finding } from '../model/findings.ts';
import type { ClusterState } from '../model/state.ts';
import { membersByNamespace, type Member, type NamespacePods } from './defaultDenyCoverage/members.ts';
import { findReopenings } from './defaultDenyCoverage/reopenings.ts';
import { finding, notAskedFor } from '../findings/finding.ts';
import { kubeRef } from './evidence/objectRef.ts';
import { podEndpoints, syntheticPod } from '../netpol/endpoints.ts';
import { NetworkPolicyEngine, type Direction } from '../netpol/engine.ts';
import { resolveScope } from './scope.ts';

export { reachabilityMatricesFor } from '../netpol/reportMatrices.ts';

export const CONTROL_ID = 'netpol-default-deny';
const LAYER = 'config';
const NO_PODS: NamespacePods = { members: [], hostNetwork: [] };

export const evaluateDefaultDeny: Evaluator = ({ state, spec, control }) => {
  const controlId = control.id;
  const dd = spec.spec.networkPolicy?.defaultDeny;
  if (!dd) return [notAskedFor(controlId, LAYER, 'default-deny', 'networkPolicy.defaultDeny')];
  let engine: NetworkPolicyEngine;
  try {
    engine = NetworkPolicyEngine.fromState(state);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.problems.map((p) =>
      finding({
        controlId,
        layer: LAYER,
        result: 'error',
        message: `A NetworkPolicy could not be evaluated: ${p.message} (${p.file}${p.pointer ? ` at ${p.pointer}` : ''}).`,
        evidence: [{ type: 'missing-input', what: 'valid NetworkPolicy', detail: p.fix ?? p.message }],
      }),
    );
  }
  const want: Record<Direction, boolean> = { ingress: dd.ingress ?? true, egress: dd.egress ?? true };
  const podsByNs = membersByNamespace(engine, podEndpoints(state));
  const known = new Set<string>();
  for (const n of state.kubernetes.namespaces) known.add(n.metadata?.name ?? '');
  for (const ns of podsByNs.keys()) known.add(ns);
  for (const p of state.kubernetes.networkPolicies) known.add(p.metadata?.namespace ?? 'default');
  known.delete('');
  const scope = resolveScope(known, { namespaces: dd.namespaces, exclude: dd.exclude });

  const findings: Finding[] = scope.missing.map((ns) =>
    finding({
      controlId,
      layer: LAYER,
      result: 'error',
      message: `Namespace ${ns} is required to be default-deny but is not in the collected state, so it cannot be checked.`,
      subject: { kind: 'Namespace', name: ns },
      evidence: [
        {
          type: 'missing-input',
          what: `Namespace ${ns}`,
          detail: `namespace ${ns} not in collected state: collect it, or remove it from spec.networkPolicy.defaultDeny.namespaces`,
        },
      ],
    }),
  );
  for (const ns of scope.inScope) findings.push(checkNamespace(state, engine, ns, podsByNs.get(ns) ?? NO_PODS, want, controlId));
  if (findings.length === 0) {
    findings.push(
      finding({
        controlId,
        layer: LAYER,
        result: 'error',
        message: `No namespace in the collected state matches spec.networkPolicy.defaultDeny (${dd.namespaces.join(', ')}), so nothing could be checked.`,
        evidence: [
          { type: 'missing-input', what: 'namespaces in scope', detail: `collected namespaces: ${[...known].join(', ') || 'none'}` },
        ],
      }),
    );
  }
  return findings;
};

function checkNamespace(
  state: ClusterState,
  engine: NetworkPolicyEngine,
  ns: string,
  pods: NamespacePods,
  want: Record<Direction, boolean>,
  controlId: string,
): Finding {
  // Probed only for a direction some policy covers (many namespaces fail coverage outright); the unlabelled
  // stand-in for pods created later comes last.
  let members: Member[] | undefined;
  const probeMembers = (): Member[] =>
    (members ??= [...pods.members, { pod: syntheticPod(ns, '(any new pod)'), stands: ['any pod'], probePorts: '' }]);
  const evidence: Evidence[] = [];
  const problems: string[] = [];
  const covered: string[] = [];
  const uncovered: string[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    if (!want[direction]) continue;
    const word = direction === 'ingress' ? 'Ingress' : 'Egress';
    const cover = engine.inNamespace(ns).filter((p) => p.podSelector.matchesAll && p[direction] !== undefined);
    for (const p of cover)
      evidence.push({
        type: 'object',
        ref: kubeRef(state, 'NetworkPolicy', p.source),
        detail: `selects all pods (podSelector: {}) for ${word}`,
      });
    if (cover.length === 0) {
      problems.push(`no policy selects all pods (podSelector: {}) for ${word}`);
      uncovered.push(word);
      evidence.push({
        type: 'rule',
        rule: `a NetworkPolicy in ${ns} with podSelector: {} and policyTypes including ${word}`,
        detail: 'none found',
      });
      continue;
    }
    // Named by the pass, which is given only when no direction has a problem (a re-opening included).
    covered.push(`${word} (${cover.map((p) => p.id).join(', ')})`);
    const reopenings = findReopenings(engine, direction, probeMembers());
    for (const r of reopenings) {
      const text = `${r.policy} ${direction} rule ${r.rule} re-opens ${word}: admits ${[...r.peers].join(', ')} on every ${[...r.protocols].join('/')} port ${direction === 'ingress' ? 'to' : 'from'} ${inPodOrder(r.targets).join(', ')}`;
      problems.push(text);
      evidence.push({
        type: 'rule',
        rule: `${r.policy} ${direction} rule ${r.rule}`,
        ref: { kind: 'NetworkPolicy', namespace: ns, name: r.policy.split('/')[1] ?? r.policy },
        detail: text,
      });
    }
  }
  if (pods.hostNetwork.length > 0)
    evidence.push({
      type: 'observation',
      what: 'hostNetwork pods (out of NetworkPolicy scope)',
      observed: pods.hostNetwork,
      detail: 'NetworkPolicy does not apply to pods on the host network',
    });
  const subject = { kind: 'Namespace', name: ns };
  if (problems.length > 0) {
    const fix = uncovered.length ? defaultDenyPolicy(ns, uncovered) : undefined;
    return finding({
      controlId,
      layer: LAYER,
      result: 'fail',
      message: `Namespace ${ns} is not default-deny: ${problems.join('; ')}.`,
      subject,
      evidence,
      fix,
    });
  }
  if (pods.members.length === 0) {
    // The policies would isolate a new pod, but nothing in the inputs runs here: a pass would rest on no workload.
    evidence.push({
      type: 'missing-input',
      what: `workloads in namespace ${ns}`,
      detail: 'no Pod and no object with a pod template (Deployment, StatefulSet, DaemonSet, Job, CronJob, Rollout …) in this namespace',
    });
    return finding({
      controlId,
      layer: LAYER,
      result: 'not-applicable',
      message: `Namespace ${ns} has no workloads in the inputs, so there is nothing to judge (its policies would make a new pod default-deny for ${covered.join(' and ')}).`,
      subject,
      evidence,
    });
  }
  return finding({
    controlId,
    layer: LAYER,
    result: 'pass',
    message: `Namespace ${ns} is default-deny for ${covered.join(' and ')}, and no rule re-opens it to unvetted peers.`,
    subject,
    evidence,
  });
}

/** The policy that closes the missing directions; re-opening rules are the author's call, so they get no fix. */
function defaultDenyPolicy(ns: string, policyTypes: readonly string[]): string {
  return `Apply this NetworkPolicy (then allow the traffic ${ns} needs with narrower policies):
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: [${policyTypes.join(', ')}]`;
}

/**
 * Pod ids in podEndpoints' order (a namespace's pods by name), the stand-in last: members group pods out of
 * that order (replicas of two Deployments with the same selected labels), a message lists them in it.
 */
function inPodOrder(ids: Iterable<string>): string[] {
  const standIn = 'any pod';
  // The default sort compares UTF-16 code units, as `<` does on strings.
  const pods = [...ids].filter((id) => id !== standIn).sort();
  return [...ids].includes(standIn) ? [...pods, standIn] : pods;
}
