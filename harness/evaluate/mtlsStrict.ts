// Control `mtls-strict`: inside the spec's scope every connection is mutual TLS. For spec mode STRICT any
// effective PERMISSIVE or DISABLE is a failure; for PERMISSIVE only DISABLE is. mTLS also needs the traffic
// to be in the mesh (sidecar or ambient) and no client-side DestinationRule turning TLS off.
// Findings: one per namespace in scope, plus one per violating object (PeerAuthentication, DestinationRule,
// workload opting out, running pod without its sidecar) so the report points at what to fix.
import type { V1Namespace } from '@kubernetes/client-node';
import type { Evidence, Finding, ObjectRef } from '../model/findings.ts';
import type { MtlsSpec } from '../model/spec.ts';
import type { Evaluator } from '../model/evaluator.ts';
import type { ClusterState, DestinationRule, PeerAuthentication } from '../model/state.ts';
import { finding, notAskedFor } from './evidence/finding.ts';
import { clusterRef, kubeRef, refLabel } from './evidence/objectRef.ts';
import { hostTarget } from './mtls/destinationRuleHosts.ts';
import { namespaceEnrollment, injectSetting, optsOut } from './mtls/meshEnrollment.ts';
import { meshWorkloads, type MeshWorkload } from './mtls/meshWorkloads.ts';
import { PeerAuthenticationIndex, hasSelector, type ModeDecision, type MtlsMode } from './mtls/peerAuthenticationPrecedence.ts';
import { describeScope, resolveScope } from './scope.ts';

const CONTROL_ID = 'mtls-strict';
const LAYER = 'config';

type Parts = Omit<Parameters<typeof finding>[0], 'controlId' | 'layer'>;
const make = (p: Parts): Finding => finding({ controlId: CONTROL_ID, layer: LAYER, ...p });

/** A problem tied to one object, counted against the namespaces it affects. */
interface Violation {
  namespaces: string[];
  subject: ObjectRef;
  message: string;
  evidence: Evidence[];
}

export const evaluateMtlsStrict: Evaluator = ({ state, spec }) => {
  const mtls = spec.spec.mtls;
  if (!mtls) return [notAskedFor(CONTROL_ID, LAYER, 'mutual TLS', 'mtls', clusterRef(spec.metadata.name))];
  if (mtls.mode === 'DISABLE') {
    return [make({ result: 'not-applicable', message: 'The spec sets mTLS mode DISABLE: there is nothing to enforce.', evidence: [{ type: 'rule', rule: 'spec.mtls.mode' }], subject: clusterRef(spec.metadata.name) })];
  }
  const acceptable = (mode: MtlsMode): boolean => (mtls.mode === 'STRICT' ? mode === 'STRICT' : mode !== 'DISABLE');

  const namespaceObjects = new Map(state.kubernetes.namespaces.map((ns) => [ns.metadata?.name ?? '', ns]));
  if (namespaceObjects.size === 0) {
    return [make({ result: 'error', message: 'Cannot judge mTLS scope: no Namespace objects in the collected state (their injection labels decide mesh membership).', evidence: [{ type: 'missing-input', what: 'Namespace objects' }], subject: clusterRef(spec.metadata.name) })];
  }
  const scope = resolveScope(namespaceObjects.keys(), mtls.scope);
  const findings: Finding[] = scope.missing.map((ns) =>
    make({ result: 'error', message: `Namespace ${ns} is in the mTLS scope but was not collected.`, evidence: [{ type: 'missing-input', what: `Namespace ${ns}` }], subject: { kind: 'Namespace', name: ns } }),
  );
  if (scope.inScope.length === 0) {
    return [...findings, make({ result: 'not-applicable', message: `The mTLS scope (${describeScope(mtls.scope)}) selects none of the collected namespaces.`, evidence: [{ type: 'rule', rule: 'spec.mtls.scope' }], subject: clusterRef(spec.metadata.name) })];
  }
  const inScope = new Set(scope.inScope);
  const index = new PeerAuthenticationIndex(state.kubernetes.istio.peerAuthentications);
  const workloads = meshWorkloads(state, inScope);

  const violations = [
    ...peerAuthenticationViolations(state, index, inScope, workloads, acceptable),
    ...destinationRuleViolations(state, inScope, new Set(namespaceObjects.keys())),
    ...workloadViolations(state, workloads),
  ];

  if (state.kubernetes.istio.peerAuthentications.length === 0 && mtls.mode === 'STRICT') {
    findings.push(make({
      result: 'fail',
      message: 'No PeerAuthentication exists: Istio default is PERMISSIVE, so plaintext is accepted everywhere in scope.',
      evidence: [{ type: 'comparison', what: 'PeerAuthentication objects', expected: '>= 1 with mtls.mode STRICT', actual: 0 }],
      subject: clusterRef(spec.metadata.name),
    }));
  }

  // Grouped once (in order) rather than filtered per namespace: scopes name hundreds of namespaces.
  const workloadsByNs = groupInOrder(workloads, (w) => [w.namespace]);
  const violationsByNs = groupInOrder(violations, (v) => v.namespaces);
  for (const ns of scope.inScope) {
    findings.push(namespaceFinding(state, namespaceObjects.get(ns) as V1Namespace, index.namespaceMode(ns), acceptable, mtls, workloadsByNs.get(ns) ?? [], violationsByNs.get(ns) ?? []));
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

function modeSource(d: ModeDecision): string {
  return d.policy ? `PeerAuthentication ${d.policy.metadata.namespace}/${d.policy.metadata.name} (${d.level})` : 'no PeerAuthentication: Istio default';
}

function namespaceFinding(
  state: ClusterState, nsObject: V1Namespace, decision: ModeDecision, acceptable: (m: MtlsMode) => boolean, mtls: MtlsSpec,
  workloads: MeshWorkload[], violations: Violation[],
): Finding {
  const ns = nsObject.metadata?.name ?? '';
  const subject = kubeRef(state, 'Namespace', nsObject);
  const enrollment = namespaceEnrollment(nsObject.metadata?.labels ?? {});
  // Pods labelled inject "true" are injected even in an unlabelled namespace.
  const allOptedIn = workloads.length > 0 && workloads.every((w) => injectSetting(w.labels, w.annotations) === 'true');
  const problems: string[] = [];
  if (!acceptable(decision.mode)) problems.push(`effective mode ${decision.mode} from ${modeSource(decision)}`);
  if (enrollment === 'none' && !allOptedIn) problems.push('no sidecar injection (istio-injection=enabled or istio.io/rev) and no ambient enrollment (istio.io/dataplane-mode=ambient)');
  if (violations.length > 0) problems.push(`${violations.length} violating object(s): ${violations.map((v) => refLabel(v.subject)).join(', ')}`);
  const evidence: Evidence[] = [
    { type: 'rule', rule: 'PeerAuthentication precedence workload > namespace > mesh (istio-system) > Istio default PERMISSIVE; namespace must be in the mesh' },
    { type: 'comparison', what: `namespace-wide mTLS mode of ${ns}`, expected: mtls.mode, actual: decision.mode, ...(decision.policy ? { ref: kubeRef(state, 'PeerAuthentication', decision.policy) } : {}) },
    { type: 'observation', what: `mesh enrollment of ${ns}`, observed: enrollment, detail: JSON.stringify(nsObject.metadata?.labels ?? {}) },
  ];
  if (problems.length === 0 && workloads.length === 0) {
    evidence.push({ type: 'missing-input', what: `workloads in namespace ${ns}`, detail: 'no Pod and no object with a pod template in this namespace' });
    return make({ result: 'not-applicable', message: `Namespace ${ns} has no workloads in the inputs, so there is no traffic whose mTLS could be judged (its settings would give new pods ${decision.mode}).`, evidence, subject });
  }
  return make({
    result: problems.length > 0 ? 'fail' : 'pass',
    message: problems.length > 0 ? `Namespace ${ns} is not mTLS ${mtls.mode}: ${problems.join('; ')}.` : `Namespace ${ns} is in the mesh (${enrollment === 'none' ? 'pods opted in' : enrollment}) with mTLS ${decision.mode} from ${modeSource(decision)}.`,
    evidence,
    subject,
  });
}

/** Policies in scope that set a weaker mode, with the workloads and ports they weaken. */
function peerAuthenticationViolations(
  state: ClusterState, index: PeerAuthenticationIndex, inScope: Set<string>, workloads: MeshWorkload[], acceptable: (m: MtlsMode) => boolean,
): Violation[] {
  const violations: Violation[] = [];
  for (const pa of state.kubernetes.istio.peerAuthentications) {
    const ns = pa.metadata.namespace ?? 'default';
    if (!inScope.has(ns)) continue;
    const weak = weakModes(pa, acceptable);
    if (weak.length === 0) continue;
    const evidence: Evidence[] = [{ type: 'object', ref: kubeRef(state, 'PeerAuthentication', pa), detail: weak.join(', ') }];
    let affected = '';
    if (hasSelector(pa)) {
      const hits = workloads.filter((w) => w.namespace === ns && index.workloadPolicy(ns, w.labels) === pa).map((w) => weakenedPorts(index, w, acceptable));
      const named = hits.filter((h) => h !== undefined);
      evidence.push(...named.map((h): Evidence => ({ type: 'observation', what: `effective mode of ${refLabel(h.workload.ref)}`, observed: h.ports })));
      affected = named.length > 0 ? ` for ${named.map((h) => `${refLabel(h.workload.ref)} (${h.ports.join(', ')})`).join(', ')}` : ' (selects no collected workload yet)';
    } else {
      affected = ` for the whole namespace ${ns}`;
    }
    violations.push({ namespaces: [ns], subject: kubeRef(state, 'PeerAuthentication', pa), message: `PeerAuthentication ${ns}/${pa.metadata.name} sets ${weak.join(', ')}${affected}.`, evidence });
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

function weakenedPorts(index: PeerAuthenticationIndex, w: MeshWorkload, acceptable: (m: MtlsMode) => boolean): { workload: MeshWorkload; ports: string[] } | undefined {
  const policy = index.workloadPolicy(w.namespace, w.labels);
  const declared = Object.keys(policy?.spec.portLevelMtls ?? {}).map(Number);
  const ports = [...new Set([...w.ports, ...declared])];
  const weak = ports.map((p) => [p, index.modeFor(w.namespace, w.labels, p)] as const).filter(([, d]) => !acceptable(d.mode)).map(([p, d]) => `port ${p}: ${d.mode}`);
  const base = index.modeFor(w.namespace, w.labels);
  if (!acceptable(base.mode)) weak.unshift(`all ports: ${base.mode}`);
  return weak.length > 0 ? { workload: w, ports: weak } : undefined;
}

function destinationRuleViolations(state: ClusterState, inScope: Set<string>, known: Set<string>): Violation[] {
  const domain = state.kubernetes.controlPlane.kubeadm?.networking?.dnsDomain ?? 'cluster.local';
  const violations: Violation[] = [];
  for (const dr of state.kubernetes.istio.destinationRules) {
    const disabled = disabledTls(dr);
    if (disabled.length === 0) continue;
    const target = hostTarget(dr.spec.host, dr.metadata.namespace ?? 'default', known, domain);
    const namespaces = target.kind === 'all' ? [...inScope] : target.kind === 'namespace' && inScope.has(target.namespace) ? [target.namespace] : [];
    if (namespaces.length === 0) continue;
    const ref = kubeRef(state, 'DestinationRule', dr);
    violations.push({
      namespaces,
      subject: ref,
      message: `DestinationRule ${dr.metadata.namespace}/${dr.metadata.name} turns TLS off (${disabled.join(', ')}) toward ${dr.spec.host}, which is in scope (${namespaces.join(', ')}).`,
      evidence: [
        { type: 'rule', rule: 'host resolution: short names in the rule\'s namespace, svc.ns[.svc.<domain>], *.ns.svc.<domain>, * = all' },
        { type: 'object', ref, detail: `host ${dr.spec.host}` },
      ],
    });
  }
  return violations;
}

function disabledTls(dr: DestinationRule): string[] {
  const found: string[] = [];
  if (dr.spec.trafficPolicy?.tls?.mode === 'DISABLE') found.push('trafficPolicy.tls.mode DISABLE');
  for (const s of dr.spec.trafficPolicy?.portLevelSettings ?? []) {
    if (s.tls?.mode === 'DISABLE') found.push(`port ${s.port?.number ?? '?'} tls.mode DISABLE`);
  }
  return found;
}

function workloadViolations(state: ClusterState, workloads: MeshWorkload[]): Violation[] {
  const enrollment = new Map(state.kubernetes.namespaces.map((n) => [n.metadata?.name ?? '', namespaceEnrollment(n.metadata?.labels ?? {})]));
  const violations: Violation[] = [];
  for (const w of workloads) {
    const mode = enrollment.get(w.namespace) ?? 'none';
    const optOut = optsOut(mode, w.labels, w.annotations);
    if (optOut !== undefined) {
      violations.push({ namespaces: [w.namespace], subject: w.ref, message: `${refLabel(w.ref)} opts out of the mesh (${optOut}), so its traffic is plaintext.`, evidence: [{ type: 'object', ref: w.ref, detail: optOut }] });
    } else if (mode === 'sidecar' && w.hasSidecar === false) {
      violations.push({ namespaces: [w.namespace], subject: w.ref, message: `${refLabel(w.ref)} is running without an istio-proxy sidecar (started before injection was enabled, or injection bypassed).`, evidence: [{ type: 'object', ref: w.ref, detail: 'no istio-proxy container' }] });
    }
  }
  return violations;
}
