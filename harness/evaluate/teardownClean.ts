// Control `teardown-clean` (plan/config layer): everything the cluster's owner creates carries the ownership
// label (Kubernetes) or tag (cloud), so teardown and the leak sweeper can find it — untagged objects are
// the ones left behind (aws-load-balancer-controller#3841, kops#4689).
//
// What Kubernetes or AWS creates and removes on its own is not asked to carry the mark: the reasons are SYSTEM_MADE in
// teardownClean/systemMade.ts (each counted in the evidence), and each VPC's `default` security group in cloudObjects.
// A mark is `key` (any value) or `key=value` (exact value).
import type { Evidence, Layer, ObjectRef } from '../model/findings.ts';
import type { Evaluator } from '../model/evaluator.ts';
import { typedLists } from '../model/typedLists.ts';
import type { ClusterState, Ec2Instance, Tags } from '../model/state.ts';
import { finding, layerOf, notAskedFor } from '../findings/finding.ts';
import { cloudRef, clusterRef, LazyKubeRef, refLabel } from './evidence/objectRef.ts';
import {
  apiGroupOf,
  OWNERSHIP_RULE,
  OWNERSHIP_RULE_SHORT,
  SYSTEM_NAMESPACES,
  systemMadeReason,
  type KubeMeta,
  type SystemContext,
  type SystemMadeReason,
} from './teardownClean/systemMade.ts';

const CONTROL_ID = 'teardown-clean';
// `plan` when everything checked came from a terraform plan (layerOf), else `config`.
const LAYER = 'config';
/** Evidence lists at most this many untagged objects; the message gives the full count. */
const MAX_LISTED = 50;

interface Checked {
  readonly ref: ObjectRef;
  marks: Record<string, string>;
  /** Read from a terraform plan: not applied yet. */
  planned: boolean;
  /** Evidence detail when the mark is missing (default: `missing ownership mark`). */
  detail?: string;
}

interface KubeObject {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; ownerReferences?: unknown[] };
}

/** Kubernetes objects checked, and how many were skipped as made by Kubernetes itself, by reason. */
interface KubeInventory {
  checked: Checked[];
  skipped: Map<SystemMadeReason, number>;
  /** Checked objects of kinds clusterproof does not type (kept as unknown objects). */
  untyped: number;
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
  const inventory: KubeInventory = teardown.ownershipLabel ? kubeObjects(state) : { checked: [], skipped: new Map(), untyped: 0 };
  const kube = inventory.checked;
  const cloud = teardown.ownershipTag ? cloudObjects(state) : [];
  const skippedEvidence: Evidence[] =
    inventory.skipped.size === 0
      ? []
      : [
          {
            type: 'observation',
            what: 'Kubernetes objects skipped as made by Kubernetes itself, by reason',
            observed: Object.fromEntries([...inventory.skipped].sort(([a], [b]) => a.localeCompare(b))),
          },
        ];
  if (kube.length + cloud.length === 0) {
    return [
      finding({
        controlId: CONTROL_ID,
        layer: LAYER,
        result: 'not-applicable',
        message:
          'No objects the cluster owner created were found in the collected state (only system objects, or nothing collected), so there is nothing to check for ownership marks.',
        evidence: [
          {
            type: 'missing-input',
            what: [teardown.ownershipLabel && 'non-system Kubernetes objects', teardown.ownershipTag && 'tagged cloud objects']
              .filter(Boolean)
              .join(' and '),
          },
          ...skippedEvidence,
        ],
        subject: clusterRef(spec.metadata.name),
      }),
    ];
  }
  const layer: Layer = [...kube, ...cloud].every((o) => o.planned) ? 'plan' : LAYER;
  const unlabelled = kube.filter((o) => !hasMark(o.marks, teardown.ownershipLabel!));
  const untagged = cloud.filter((o) => !hasMark(o.marks, teardown.ownershipTag!));
  const missing = [...unlabelled, ...untagged];
  const untypedNote =
    inventory.untyped > 0 ? ` (${inventory.untyped} of them of kinds clusterproof does not type, such as custom resources)` : '';
  const evidence: Evidence[] = [
    {
      type: 'rule',
      rule: 'ownership-mark',
      detail: `spec.teardown.ownershipLabel on ${OWNERSHIP_RULE}; spec.teardown.ownershipTag on every taggable cloud object`,
    },
    ...(teardown.ownershipLabel
      ? [
          {
            type: 'comparison' as const,
            what: `Kubernetes objects labelled ${teardown.ownershipLabel}${untypedNote}`,
            expected: kube.length,
            actual: kube.length - unlabelled.length,
          },
        ]
      : []),
    ...(teardown.ownershipTag
      ? [
          {
            type: 'comparison' as const,
            what: `cloud objects tagged ${teardown.ownershipTag}`,
            expected: cloud.length,
            actual: cloud.length - untagged.length,
          },
        ]
      : []),
    ...missing.slice(0, MAX_LISTED).map((o): Evidence => ({ type: 'object', ref: o.ref, detail: o.detail ?? 'missing ownership mark' })),
    ...skippedEvidence,
  ];
  if (missing.length === 0) {
    return [
      finding({
        controlId: CONTROL_ID,
        layer,
        result: 'pass',
        message: `All ${kube.length} Kubernetes object(s)${untypedNote} carry the ownership label and all ${cloud.length} cloud object(s) carry the ownership tag.`,
        evidence,
        subject: clusterRef(spec.metadata.name),
      }),
    ];
  }
  const shown = missing
    .slice(0, 10)
    .map((o) => refLabel(o.ref))
    .join(', ');
  const parts = [
    unlabelled.length > 0 ? `${unlabelled.length} of ${kube.length} Kubernetes object(s) lack label ${teardown.ownershipLabel}` : '',
    untagged.length > 0 ? `${untagged.length} of ${cloud.length} cloud object(s) lack tag ${teardown.ownershipTag}` : '',
  ].filter(Boolean);
  const rule = unlabelled.length > 0 ? ` The label is required on ${OWNERSHIP_RULE_SHORT}.` : '';
  return [
    finding({
      controlId: CONTROL_ID,
      layer,
      result: 'fail',
      message: `${parts.join('; ')} — teardown cannot find them: ${shown}${missing.length > 10 ? ', …' : ''}.${rule}`,
      evidence,
      subject: missing[0]!.ref,
    }),
  ];
};

function kubeObjects(state: ClusterState): KubeInventory {
  const k = state.kubernetes;
  // Typed lists with their API group (the skip rule is keyed by group and kind); Namespaces and Nodes are the
  // cluster's own, not objects a run creates.
  const entries: [string, string, KubeObject[]][] = typedLists(state)
    .filter((t) => t.kind !== 'Namespace' && t.kind !== 'Node')
    .map((t) => [t.group, t.kind, t.objects as KubeObject[]]);

  const ctx: SystemContext = {
    selectorServices: new Set(
      k.services
        .filter((s) => Object.keys(s.spec?.selector ?? {}).length > 0)
        .map((s) => `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name ?? ''}`),
    ),
  };
  const skipped = new Map<SystemMadeReason, number>();
  const skip = (reason: SystemMadeReason): void => {
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  };
  const checked: Checked[] = [];
  for (const ns of k.namespaces) {
    const name = ns.metadata?.name ?? '';
    if (SYSTEM_NAMESPACES.has(name) || name === 'default') skip('system-namespace');
    else checked.push(kubeChecked(state, 'Namespace', ns, ns.metadata?.labels ?? {}));
  }
  for (const [group, kind, objects] of entries) {
    for (const o of objects) {
      const reason = systemMadeReason(typedMeta(group, kind, o), ctx);
      if (reason) skip(reason);
      else checked.push(kubeChecked(state, kind, o, o.metadata?.labels ?? {}));
    }
  }
  // Kinds ClusterState does not type: Kubernetes objects only (they have an apiVersion; planned terraform
  // resources kept as unknown do not), each once even when several inputs hold it.
  const seen = new Set<string>();
  let untyped = 0;
  for (const u of state.unknown) {
    if (u.apiVersion === undefined || u.kind === undefined || u.name === undefined) continue;
    const group = apiGroupOf(u.apiVersion);
    const key = `${group}/${u.kind}/${u.namespace ?? ''}/${u.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const reason = systemMadeReason(
      {
        group,
        kind: u.kind,
        name: u.name,
        ...(u.namespace === undefined ? {} : { namespace: u.namespace }),
        labels: u.labels ?? {},
        annotationKeys: u.annotationKeys ?? [],
        owned: (u.ownerReferences ?? []).length > 0,
      },
      ctx,
    );
    if (reason) {
      skip(reason);
      continue;
    }
    untyped++;
    const ref: ObjectRef = {
      kind: u.kind,
      name: u.name,
      ...(u.namespace === undefined ? {} : { namespace: u.namespace }),
      ...(u.source ? { source: u.source } : {}),
    };
    checked.push({
      ref,
      marks: u.labels ?? {},
      planned: false,
      detail: `missing ownership mark (${u.apiVersion} ${u.kind}, a kind clusterproof keeps untyped)`,
    });
  }
  return { checked, skipped, untyped };
}

const NO_KEYS: readonly string[] = [];

function typedMeta(group: string, kind: string, o: KubeObject): KubeMeta {
  const m = o.metadata;
  const secretType = kind === 'Secret' ? (o as { type?: string }).type : undefined;
  return {
    group,
    kind,
    name: m?.name ?? '',
    ...(m?.namespace === undefined ? {} : { namespace: m.namespace }),
    labels: m?.labels ?? {},
    annotationKeys: NO_KEYS,
    owned: (m?.ownerReferences ?? []).length > 0,
    ...(secretType === undefined ? {} : { secretType }),
  };
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

function cloudObjects(state: ClusterState): Checked[] {
  const c = state.cloud;
  const of = (
    kind: string,
    name: string,
    id: string | undefined,
    tags: Tags,
    source: Parameters<typeof cloudRef>[3],
    object: object,
  ): Checked => ({ ref: cloudRef(kind, name, id, source), marks: tags, planned: layerOf([object]) === 'plan' });
  return [
    ...c.vpcs.map((v) => of('Vpc', v.tags['Name'] ?? v.id, v.id, v.tags, v.source, v)),
    ...c.subnets.map((s) => of('Subnet', s.tags['Name'] ?? s.id, s.id, s.tags, s.source, s)),
    ...c.routeTables.map((r) => of('RouteTable', r.tags['Name'] ?? r.id, r.id, r.tags, r.source, r)),
    ...c.peerings.map((p) => of('VpcPeering', p.tags['Name'] ?? p.id, p.id, p.tags, p.source, p)),
    // AWS creates each VPC's `default` group and removes it with the VPC.
    ...c.securityGroups.filter((g) => g.name !== 'default').map((g) => of('SecurityGroup', g.name ?? g.id, g.id, g.tags, g.source, g)),
    ...c.loadBalancers.map((l) => of('LoadBalancer', l.name, l.arn, l.tags, l.source, l)),
    ...c.eksClusters.map((e) => of('EksCluster', e.name, e.arn, e.tags, e.source, e)),
    ...c.iamRoles.map((r) => of('IamRole', r.name, r.arn, r.tags, r.source, r)),
    ...c.instances
      .filter((i) => i.kind !== 'launch-template')
      .map((i) => of('Ec2Instance', i.tags['Name'] ?? i.id, i.id, i.tags, i.source, i)),
    ...launchTemplates(c.instances).map((t) =>
      of('LaunchTemplate', t.launchTemplate?.name ?? t.tags['Name'] ?? t.id, t.id, t.tags, t.source, t),
    ),
    ...c.podIdentityAssociations.flatMap((p) =>
      p.tags ? [of('PodIdentityAssociation', `${p.namespace}/${p.serviceAccount}`, p.associationId, p.tags, p.source, p)] : [],
    ),
  ];
}

/** One entry per launch template (the CLI lists each version), and only those whose own tags were collected. */
function launchTemplates(instances: readonly Ec2Instance[]): Ec2Instance[] {
  const byId = new Map<string, Ec2Instance>();
  for (const i of instances) {
    if (i.kind === 'launch-template' && i.tagsCollected !== false && !byId.has(i.id)) byId.set(i.id, i);
  }
  return [...byId.values()];
}
