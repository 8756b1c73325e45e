// Control `teardown-clean` (plan/config layer): everything the cluster's owner creates carries the ownership
// label (Kubernetes) or tag (cloud), so teardown and the leak sweeper can find it — untagged objects are
// the ones left behind (aws-load-balancer-controller#3841, kops#4689).
//
// What is checked, and what is skipped because Kubernetes or AWS creates it (and deletes it) on its own:
// - Kubernetes: namespaces and every namespaced object outside kube-system, kube-public, kube-node-lease;
//   skipped: the `default` namespace, Service default/kubernetes, each namespace's `default` ServiceAccount
//   and `kube-root-ca.crt` / `istio-ca-root-cert` ConfigMaps, service-account token and Helm release Secrets,
//   and objects with ownerReferences (controller-made, deleted by garbage collection with their owner).
//   Nodes are cloud instances: they are checked by tag.
// - Cloud: VPCs, subnets, route tables, peerings, security groups (except each VPC's `default` group,
//   which AWS creates and removes with the VPC), load balancers, EKS clusters, IAM roles,
//   instances and launch templates, and pod identity associations when their tags were collected.
// The label/tag may be written `key` (any value) or `key=value` (exact value).
import type { Evidence, Layer, ObjectRef } from '../model/findings.ts';
import type { Evaluator } from '../model/evaluator.ts';
import type { ClusterState, Tags } from '../model/state.ts';
import { finding, layerOf, notAskedFor } from './evidence/finding.ts';
import { cloudRef, clusterRef, LazyKubeRef, refLabel } from './evidence/objectRef.ts';

const CONTROL_ID = 'teardown-clean';
// `plan` when everything checked came from a terraform plan (layerOf), else `config`.
const LAYER = 'config';
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
/** Evidence lists at most this many untagged objects; the message gives the full count. */
const MAX_LISTED = 50;

interface Checked {
  readonly ref: ObjectRef;
  marks: Record<string, string>;
  /** Read from a terraform plan: not applied yet. */
  planned: boolean;
}

interface KubeObject {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; ownerReferences?: unknown[] };
}

export function hasMark(marks: Record<string, string>, wanted: string): boolean {
  const eq = wanted.indexOf('=');
  if (eq < 0) return wanted in marks;
  return marks[wanted.slice(0, eq)] === wanted.slice(eq + 1);
}

export const evaluateTeardownClean: Evaluator = ({ state, spec }) => {
  const teardown = spec.spec.teardown;
  if (!teardown || (!teardown.ownershipLabel && !teardown.ownershipTag)) {
    return [notAskedFor(CONTROL_ID, LAYER, 'ownership labels or tags', 'teardown', clusterRef(spec.metadata.name))];
  }
  const kube = teardown.ownershipLabel ? kubeObjects(state) : [];
  const cloud = teardown.ownershipTag ? cloudObjects(state) : [];
  if (kube.length + cloud.length === 0) {
    return [finding({
      controlId: CONTROL_ID,
      layer: LAYER,
      result: 'not-applicable',
      message: 'No objects the cluster owner created were found in the collected state (only system objects, or nothing collected), so there is nothing to check for ownership marks.',
      evidence: [{ type: 'missing-input', what: [teardown.ownershipLabel && 'non-system Kubernetes objects', teardown.ownershipTag && 'tagged cloud objects'].filter(Boolean).join(' and ') }],
      subject: clusterRef(spec.metadata.name),
    })];
  }
  const layer: Layer = [...kube, ...cloud].every((o) => o.planned) ? 'plan' : LAYER;
  const unlabelled = kube.filter((o) => !hasMark(o.marks, teardown.ownershipLabel!));
  const untagged = cloud.filter((o) => !hasMark(o.marks, teardown.ownershipTag!));
  const missing = [...unlabelled, ...untagged];
  const evidence: Evidence[] = [
    { type: 'rule', rule: 'every non-system Kubernetes object carries spec.teardown.ownershipLabel; every taggable cloud object carries spec.teardown.ownershipTag' },
    ...(teardown.ownershipLabel ? [{ type: 'comparison' as const, what: `Kubernetes objects labelled ${teardown.ownershipLabel}`, expected: kube.length, actual: kube.length - unlabelled.length }] : []),
    ...(teardown.ownershipTag ? [{ type: 'comparison' as const, what: `cloud objects tagged ${teardown.ownershipTag}`, expected: cloud.length, actual: cloud.length - untagged.length }] : []),
    ...missing.slice(0, MAX_LISTED).map((o): Evidence => ({ type: 'object', ref: o.ref, detail: 'missing ownership mark' })),
  ];
  if (missing.length === 0) {
    return [finding({
      controlId: CONTROL_ID,
      layer,
      result: 'pass',
      message: `All ${kube.length} Kubernetes object(s) carry the ownership label and all ${cloud.length} cloud object(s) carry the ownership tag.`,
      evidence,
      subject: clusterRef(spec.metadata.name),
    })];
  }
  const shown = missing.slice(0, 10).map((o) => refLabel(o.ref)).join(', ');
  const parts = [
    unlabelled.length > 0 ? `${unlabelled.length} of ${kube.length} Kubernetes object(s) lack label ${teardown.ownershipLabel}` : '',
    untagged.length > 0 ? `${untagged.length} of ${cloud.length} cloud object(s) lack tag ${teardown.ownershipTag}` : '',
  ].filter(Boolean);
  return [finding({
    controlId: CONTROL_ID,
    layer,
    result: 'fail',
    message: `${parts.join('; ')} — teardown cannot find them: ${shown}${missing.length > 10 ? ', …' : ''}.`,
    evidence,
    subject: missing[0]!.ref,
  })];
};

function kubeObjects(state: ClusterState): Checked[] {
  const k = state.kubernetes;
  const entries: [string, KubeObject[]][] = [
    ['Deployment', k.deployments],
    ['Service', k.services],
    ['NetworkPolicy', k.networkPolicies],
    ['ServiceAccount', k.serviceAccounts],
    ['CronJob', k.cronJobs],
    ['ConfigMap', k.configMaps],
    ['Secret', k.secrets],
    ['Pod', k.pods],
    ['PeerAuthentication', k.istio.peerAuthentications],
    ['DestinationRule', k.istio.destinationRules],
    ['Rollout', k.argo.rollouts],
    ['AnalysisTemplate', k.argo.analysisTemplates.filter((t) => t.kind === 'AnalysisTemplate')],
  ];
  const checked: Checked[] = k.namespaces
    .filter((ns) => !SYSTEM_NAMESPACES.has(ns.metadata?.name ?? '') && ns.metadata?.name !== 'default')
    .map((ns) => kubeChecked(state, 'Namespace', ns, ns.metadata?.labels ?? {}));
  for (const [kind, objects] of entries) {
    for (const o of objects) {
      if (systemMade(kind, o)) continue;
      checked.push(kubeChecked(state, kind, o, o.metadata?.labels ?? {}));
    }
  }
  for (const t of k.argo.analysisTemplates.filter((t) => t.kind !== 'AnalysisTemplate')) {
    checked.push(kubeChecked(state, t.kind, t, t.metadata.labels ?? {}));
  }
  return checked;
}

/** A Kubernetes object to check; its ref is built only if a finding names it (most objects carry their mark). */
class KubeChecked extends LazyKubeRef implements Checked {
  readonly marks: Record<string, string>;
  readonly planned = false;
  constructor(state: ClusterState, kind: string, object: KubeObject, marks: Record<string, string>) {
    super(state, kind, object);
    this.marks = marks;
  }
}

function kubeChecked(state: ClusterState, kind: string, object: KubeObject, marks: Record<string, string>): Checked {
  return new KubeChecked(state, kind, object, marks);
}

/** Objects Kubernetes creates and removes by itself, or that live in system namespaces. */
function systemMade(kind: string, o: KubeObject): boolean {
  const ns = o.metadata?.namespace ?? 'default';
  const name = o.metadata?.name;
  if (SYSTEM_NAMESPACES.has(ns)) return true;
  if ((o.metadata?.ownerReferences ?? []).length > 0) return true;
  if (kind === 'Service' && ns === 'default' && name === 'kubernetes') return true;
  if (kind === 'ServiceAccount' && name === 'default') return true;
  if (kind === 'ConfigMap' && name === 'kube-root-ca.crt') return true;
  // istiod copies its root certificate into every namespace.
  if (kind === 'ConfigMap' && name === 'istio-ca-root-cert') return true;
  const secretType = kind === 'Secret' ? (o as { type?: string }).type : undefined;
  // Token secrets belong to their ServiceAccount; Helm release records go with `helm uninstall`.
  if (secretType === 'kubernetes.io/service-account-token' || secretType === 'helm.sh/release.v1') return true;
  return false;
}

function cloudObjects(state: ClusterState): Checked[] {
  const c = state.cloud;
  const of = (kind: string, name: string, id: string | undefined, tags: Tags, source: Parameters<typeof cloudRef>[3], object: object): Checked =>
    ({ ref: cloudRef(kind, name, id, source), marks: tags, planned: layerOf([object]) === 'plan' });
  return [
    ...c.vpcs.map((v) => of('Vpc', v.tags['Name'] ?? v.id, v.id, v.tags, v.source, v)),
    ...c.subnets.map((s) => of('Subnet', s.tags['Name'] ?? s.id, s.id, s.tags, s.source, s)),
    ...c.routeTables.map((r) => of('RouteTable', r.tags['Name'] ?? r.id, r.id, r.tags, r.source, r)),
    ...c.peerings.map((p) => of('VpcPeering', p.tags['Name'] ?? p.id, p.id, p.tags, p.source, p)),
    ...c.securityGroups.filter((g) => g.name !== 'default').map((g) => of('SecurityGroup', g.name ?? g.id, g.id, g.tags, g.source, g)),
    ...c.loadBalancers.map((l) => of('LoadBalancer', l.name, l.arn, l.tags, l.source, l)),
    ...c.eksClusters.map((e) => of('EksCluster', e.name, e.arn, e.tags, e.source, e)),
    ...c.iamRoles.map((r) => of('IamRole', r.name, r.arn, r.tags, r.source, r)),
    ...c.instances.map((i) => of(i.kind === 'launch-template' ? 'LaunchTemplate' : 'Ec2Instance', i.tags['Name'] ?? i.id, i.id, i.tags, i.source, i)),
    ...c.podIdentityAssociations.flatMap((p) => (p.tags ? [of('PodIdentityAssociation', `${p.namespace}/${p.serviceAccount}`, p.associationId, p.tags, p.source, p)] : [])),
  ];
}
