// Control `mtls-strict`: inside the spec's scope every connection is mutual TLS. For spec mode STRICT any
// effective PERMISSIVE or DISABLE is a failure; for PERMISSIVE only DISABLE is. mTLS also needs the traffic
// to be in the mesh (sidecar or ambient) and no client-side DestinationRule turning TLS off.
// Findings: one per namespace in scope, plus one per violating object (PeerAuthentication, DestinationRule,
// workload opting out, running pod without its sidecar) so the report points at what to fix.
import type { V1Namespace } from '@kubernetes/client-node';
import type { Evidence, Finding } from '../model/findings.ts';
import type { MtlsSpec } from '../model/spec.ts';
import type { Evaluator } from '../model/evaluator.ts';
import type { ClusterState, PeerAuthentication } from '../model/state.ts';
import { finding, notAskedFor } from '../findings/finding.ts';
import { clusterRef, kubeRef, refLabel } from './evidence/objectRef.ts';
import { destinationRuleViolations, type Violation } from './mtlsStrict/destinationRuleViolations.ts';
import {
  candidatePolicies,
  composePeerAuthentication,
  describeDecision,
  hasSelector,
  type Decided,
  type MtlsMode,
} from './mtlsStrict/composePeerAuthentication.ts';
import { namespaceEnrollment } from './mtlsStrict/meshEnrollment.ts';
import { rootNamespaceOf, type RootNamespace } from './mtlsStrict/meshRootNamespace.ts';
import { meshWorkloads } from './mtlsStrict/meshWorkloads.ts';
import { resolveWorkloadMtls, type MtlsResolution, type PolicyWarning, type WorkloadMtls } from './mtlsStrict/resolveWorkloadMtls.ts';
import { describeScope, resolveScope } from './scope.ts';

const CONTROL_ID = 'mtls-strict';
const LAYER = 'config';

type Parts = Omit<Parameters<typeof finding>[0], 'controlId' | 'layer'>;
const make = (p: Parts): Finding => finding({ controlId: CONTROL_ID, layer: LAYER, ...p });

export const evaluateMtlsStrict: Evaluator = ({ state, spec }) => {
  const mtls = spec.spec.mtls;
  if (!mtls) return [notAskedFor(CONTROL_ID, LAYER, 'mutual TLS', 'mtls', clusterRef(spec.metadata.name))];
  if (mtls.mode === 'DISABLE') {
    return [
      make({
        result: 'not-applicable',
        message: 'The spec sets mTLS mode DISABLE: there is nothing to enforce.',
        evidence: [{ type: 'rule', rule: 'spec.mtls.mode' }],
        subject: clusterRef(spec.metadata.name),
      }),
    ];
  }
  const acceptable = (mode: MtlsMode): boolean => (mtls.mode === 'STRICT' ? mode === 'STRICT' : mode !== 'DISABLE');

  const namespaceObjects = new Map(state.kubernetes.namespaces.map((ns) => [ns.metadata?.name ?? '', ns]));
  if (namespaceObjects.size === 0) {
    return [
      make({
        result: 'error',
        message: 'Cannot judge mTLS scope: no Namespace objects in the collected state (their injection labels decide mesh membership).',
        evidence: [{ type: 'missing-input', what: 'Namespace objects' }],
        subject: clusterRef(spec.metadata.name),
      }),
    ];
  }
  const scope = resolveScope(namespaceObjects.keys(), mtls.scope);
  const findings: Finding[] = scope.missing.map((ns) =>
    make({
      result: 'error',
      message: `Namespace ${ns} is in the mTLS scope but was not collected.`,
      evidence: [{ type: 'missing-input', what: `Namespace ${ns}` }],
      subject: { kind: 'Namespace', name: ns },
    }),
  );
  if (scope.inScope.length === 0) {
    return [
      ...findings,
      make({
        result: 'not-applicable',
        message: `The mTLS scope (${describeScope(mtls.scope)}) selects none of the collected namespaces.`,
        evidence: [{ type: 'rule', rule: 'spec.mtls.scope' }],
        subject: clusterRef(spec.metadata.name),
      }),
    ];
  }
  const inScope = new Set(scope.inScope);
  const root = rootNamespaceOf(state, mtls.rootNamespace ? { value: mtls.rootNamespace, source: 'spec.mtls.rootNamespace' } : undefined);
  const resolution = resolveWorkloadMtls(state, root.namespace, meshWorkloads(state, inScope));
  const policies = state.kubernetes.istio.peerAuthentications;
  // What a namespace's workloads get without a workload policy: the composition of selector-less policies only.
  const namespaceMode = (ns: string): Decided =>
    composePeerAuthentication(root.namespace, candidatePolicies(policies, root.namespace, ns, {})).mode;

  const violations = [
    ...peerAuthenticationViolations(state, resolution, inScope, acceptable),
    ...destinationRuleViolations(state, inScope, root.namespace, resolution),
    ...workloadViolations(state, resolution),
  ];

  if (state.kubernetes.istio.peerAuthentications.length === 0 && mtls.mode === 'STRICT') {
    findings.push(
      make({
        result: 'fail',
        message: 'No PeerAuthentication exists: Istio default is PERMISSIVE, so plaintext is accepted everywhere in scope.',
        evidence: [{ type: 'comparison', what: 'PeerAuthentication objects', expected: '>= 1 with mtls.mode STRICT', actual: 0 }],
        subject: clusterRef(spec.metadata.name),
      }),
    );
  }

  // Grouped once (in order) rather than filtered per namespace: scopes name hundreds of namespaces.
  const workloadsByNs = groupInOrder(resolution.workloads, (w) => [w.workload.namespace]);
  const violationsByNs = groupInOrder(violations, (v) => v.namespaces);
  const warningsByNs = groupInOrder(resolution.warnings, (w) => [w.namespace]);
  const context: NamespaceContext = { state, acceptable, mtls, root };
  for (const ns of scope.inScope) {
    findings.push(
      namespaceFinding(
        context,
        namespaceObjects.get(ns) as V1Namespace,
        namespaceMode(ns),
        workloadsByNs.get(ns) ?? [],
        violationsByNs.get(ns) ?? [],
        warningsByNs.get(ns) ?? [],
      ),
    );
  }
  findings.push(...violations.map((v) => make({ result: 'fail', message: v.message, evidence: v.evidence, subject: v.subject })));
  return findings;
};

/** Items by each key they name, in input order; an item naming a key twice is listed once under it. */
function groupInOrder<T>(items: readonly T[], keysOf: (item: T) => readonly string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    for (const key of keysOf(item)) {
      const list = groups.get(key);
      if (!list) groups.set(key, [item]);
      else if (list[list.length - 1] !== item) list.push(item);
    }
  }
  return groups;
}

function modeSource(d: Decided): string {
  return d.policy ? describeDecision(d) : 'no PeerAuthentication: Istio default';
}

interface NamespaceContext {
  state: ClusterState;
  acceptable: (m: MtlsMode) => boolean;
  mtls: MtlsSpec;
  root: RootNamespace;
}

/** One line per workload: each port's mode, whether plaintext is accepted, and the policy that decided it. */
function workloadEvidence(w: WorkloadMtls): Evidence {
  const ports = w.ports.map(
    (p) =>
      `port ${p.port ?? 'any'}${p.services.length > 0 ? ` (${p.services.join(', ')})` : ''}: ${p.mode} (plaintext ${p.plaintextAccepted ? 'accepted' : 'refused'}) from ${p.source}`,
  );
  const unresolved = w.unresolvedServicePorts.map((via) => `${via}: no container port of that name, no traffic`);
  return {
    type: 'observation',
    what: `mTLS of ${w.workload.id} (${w.dataplane.dataplane}: ${w.dataplane.reason})`,
    observed: [...ports, ...unresolved].join('; '),
  };
}

function namespaceFinding(
  { state, acceptable, mtls, root }: NamespaceContext,
  nsObject: V1Namespace,
  decision: Decided,
  workloads: WorkloadMtls[],
  violations: Violation[],
  warnings: PolicyWarning[],
): Finding {
  const ns = nsObject.metadata?.name ?? '';
  const subject = kubeRef(state, 'Namespace', nsObject);
  const enrollment = namespaceEnrollment(nsObject.metadata?.labels ?? {});
  // Pods can be in the mesh without their namespace (inject label, istio.io/rev, ambient on the pod).
  const allInMesh = workloads.length > 0 && workloads.every((w) => w.dataplane.dataplane !== 'none');
  const problems: string[] = [];
  if (!acceptable(decision.mode)) {
    // A workload its own policy makes acceptable is named, not hidden behind the namespace default.
    const ownPolicy = workloads.filter(
      (w) => w.dataplane.dataplane !== 'none' && w.composed.workload && w.ports.every((p) => p.mode !== 'NONE' && acceptable(p.mode)),
    );
    const except =
      ownPolicy.length > 0 ? ` (${ownPolicy.map((w) => w.workload.id).join(', ')} ${mtls.mode} by their own workload policy)` : '';
    problems.push(`effective mode ${decision.mode} from ${modeSource(decision)}${except}`);
  }
  if (enrollment === 'none' && !allInMesh)
    problems.push(
      'no sidecar injection (istio-injection=enabled or istio.io/rev) and no ambient enrollment (istio.io/dataplane-mode=ambient)',
    );
  if (violations.length > 0)
    problems.push(`${violations.length} violating object(s): ${violations.map((v) => refLabel(v.subject)).join(', ')}`);
  const evidence: Evidence[] = [
    {
      type: 'rule',
      rule: `PeerAuthentication precedence workload (port-level, then mode) > namespace > mesh (root namespace ${root.namespace}, from ${root.source}) > Istio default PERMISSIVE; UNSET inherits; oldest wins per level; workloads must be in the mesh (sidecar or ambient)`,
    },
    {
      type: 'comparison',
      what: `namespace-wide mTLS mode of ${ns}`,
      expected: mtls.mode,
      actual: decision.mode,
      ...(decision.policy ? { ref: kubeRef(state, 'PeerAuthentication', decision.policy) } : {}),
    },
    {
      type: 'observation',
      what: `mesh enrollment of ${ns}`,
      observed: enrollment,
      detail: JSON.stringify(nsObject.metadata?.labels ?? {}),
    },
    ...workloads.map(workloadEvidence),
    ...warnings.map((w): Evidence => ({ type: 'observation', what: 'PeerAuthentication ignored by Istio', observed: w.message })),
  ];
  if (problems.length === 0 && workloads.length === 0) {
    evidence.push({
      type: 'missing-input',
      what: `workloads in namespace ${ns}`,
      detail: 'no Pod and no object with a pod template in this namespace',
    });
    return make({
      result: 'not-applicable',
      message: `Namespace ${ns} has no workloads in the inputs, so there is no traffic whose mTLS could be judged (its settings would give new pods ${decision.mode}).`,
      evidence,
      subject,
    });
  }
  return make({
    result: problems.length > 0 ? 'fail' : 'pass',
    message:
      problems.length > 0
        ? `Namespace ${ns} is not mTLS ${mtls.mode}: ${problems.join('; ')}.`
        : `Namespace ${ns} is in the mesh (${enrollment === 'none' ? 'pods opted in' : enrollment}) with mTLS ${decision.mode} from ${modeSource(decision)}.`,
    evidence,
    subject,
  });
}

/** Policies in scope that set a weaker mode, with the workloads and ports they weaken. */
function peerAuthenticationViolations(
  state: ClusterState,
  resolution: MtlsResolution,
  inScope: Set<string>,
  acceptable: (m: MtlsMode) => boolean,
): Violation[] {
  const violations: Violation[] = [];
  for (const pa of state.kubernetes.istio.peerAuthentications) {
    const ns = pa.metadata.namespace ?? 'default';
    // Policies Istio never applies (an older one wins; a selector in the root namespace) are warnings, not violations.
    if (!inScope.has(ns) || resolution.neverApplied.has(pa)) continue;
    const weak = weakModes(pa, acceptable);
    if (weak.length === 0) continue;
    const evidence: Evidence[] = [{ type: 'object', ref: kubeRef(state, 'PeerAuthentication', pa), detail: weak.join(', ') }];
    let affected = '';
    if (hasSelector(pa)) {
      const named = resolution.workloads
        .filter((w) => w.composed.workload === pa)
        .map((w) => weakenedPorts(w, acceptable))
        .filter((h) => h !== undefined);
      evidence.push(
        ...named.map(
          (h): Evidence => ({ type: 'observation', what: `effective mode of ${refLabel(h.workload.workload.ref)}`, observed: h.ports }),
        ),
      );
      affected =
        named.length > 0
          ? ` for ${named.map((h) => `${refLabel(h.workload.workload.ref)} (${h.ports.join(', ')})`).join(', ')}`
          : ' (weakens no port of a collected workload in the mesh)';
    } else {
      affected = ` for the whole namespace ${ns}`;
    }
    violations.push({
      namespaces: [ns],
      subject: kubeRef(state, 'PeerAuthentication', pa),
      message: `PeerAuthentication ${ns}/${pa.metadata.name} sets ${weak.join(', ')}${affected}.`,
      evidence,
    });
  }
  return violations;
}

function weakModes(pa: PeerAuthentication, acceptable: (m: MtlsMode) => boolean): string[] {
  const weak: string[] = [];
  const mode = pa.spec.mtls?.mode;
  if ((mode === 'PERMISSIVE' || mode === 'DISABLE') && !acceptable(mode)) weak.push(`mode ${mode}`);
  // istiod honours port-level settings only on policies with a selector.
  if (hasSelector(pa)) {
    for (const [port, setting] of Object.entries(pa.spec.portLevelMtls ?? {})) {
      const m = setting.mode;
      if ((m === 'PERMISSIVE' || m === 'DISABLE') && !acceptable(m)) weak.push(`port ${port} ${m}`);
    }
  }
  return weak;
}

function weakenedPorts(w: WorkloadMtls, acceptable: (m: MtlsMode) => boolean): { workload: WorkloadMtls; ports: string[] } | undefined {
  const weak = w.ports
    .filter((p) => p.mode !== 'NONE' && !acceptable(p.mode))
    .map((p) => `${p.port === null ? 'all ports' : `port ${p.port}`}: ${p.mode}`);
  return weak.length > 0 ? { workload: w, ports: weak } : undefined;
}

/** Workloads of namespaces in the mesh that have no sidecar and no ztunnel: their traffic is plaintext. */
function workloadViolations(state: ClusterState, resolution: MtlsResolution): Violation[] {
  const enrollment = new Map(
    state.kubernetes.namespaces.map((n) => [n.metadata?.name ?? '', namespaceEnrollment(n.metadata?.labels ?? {})]),
  );
  return resolution.workloads
    .filter((w) => w.dataplane.dataplane === 'none' && (enrollment.get(w.workload.namespace) ?? 'none') !== 'none')
    .map(({ workload: w, dataplane }) => ({
      namespaces: [w.namespace],
      subject: w.ref,
      message: `${refLabel(w.ref)} is not in the mesh (${dataplane.reason}), so its traffic is plaintext.`,
      evidence: [{ type: 'object', ref: w.ref, detail: dataplane.reason }],
    }));
}
