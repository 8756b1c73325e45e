// Control `ha-control-plane`: enough control-plane nodes, spread over enough zones, an etcd quorum that
// survives a member loss (odd, ≥ 3), and clients reaching the apiserver through a load-balanced endpoint
// rather than one node's address. One finding per property so a report says exactly which one is short.
// EKS: the control plane is AWS's, run across ≥ 3 AZs; that is the evidence, not a node count.
import type { V1Node } from '@kubernetes/client-node';
import type { Evidence, Finding, ObjectRef } from '../model/findings.ts';
import type { HaSpec } from '../model/spec.ts';
import type { Evaluator } from '../model/evaluator.ts';
import type { ClusterState } from '../model/state.ts';
import { hostOf } from './apiEndpointPrivate/addressClass.ts';
import { finding, notAskedFor } from '../findings/finding.ts';
import { cloudRef, clusterRef, kubeRef, kubeadmRef } from './evidence/objectRef.ts';

const CONTROL_ID = 'ha-control-plane';
const LAYER = 'config';
const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';
/** Removed in Kubernetes 1.24 but still on clusters upgraded from older versions. */
const LEGACY_MASTER_LABEL = 'node-role.kubernetes.io/master';
const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

type Parts = Omit<Parameters<typeof finding>[0], 'controlId' | 'layer'>;
const make = (p: Parts): Finding => finding({ controlId: CONTROL_ID, layer: LAYER, ...p });

export const evaluateHaControlPlane: Evaluator = ({ state, spec }) => {
  const ha = spec.spec.ha;
  if (!ha) return [notAskedFor(CONTROL_ID, LAYER, 'a highly available control plane', 'ha', clusterRef(spec.metadata.name))];

  const controlPlanes = state.kubernetes.nodes.filter(isControlPlane);
  const eks = state.cloud.eksClusters;
  if (controlPlanes.length === 0 && eks.length > 0) {
    return eks.map((cluster) =>
      make({
        result: 'pass',
        message: `EKS cluster ${cluster.name}: EKS manages the control plane across ≥3 AZs (at least two apiservers and three etcd members behind an AWS load balancer).`,
        evidence: [
          { type: 'rule', rule: 'managed control plane: provider responsibility (EKS runs the control plane in 3 AZs)' },
          {
            type: 'comparison',
            what: 'control planes / zones required by the spec',
            expected: { controlPlanes: ha.controlPlanes, zones: ha.zones },
            actual: 'EKS managed',
          },
        ],
        subject: cloudRef('EksCluster', cluster.name, cluster.arn, cluster.source),
      }),
    );
  }
  if (state.kubernetes.nodes.length === 0) {
    return [
      make({
        result: 'error',
        message: 'Cannot judge control-plane HA: no Node objects and no EKS cluster in the collected state.',
        evidence: [{ type: 'missing-input', what: 'Node objects (kubectl get nodes -o yaml) or aws eks describe-cluster output' }],
        subject: clusterRef(spec.metadata.name),
      }),
    ];
  }
  const cluster = clusterRef(spec.metadata.name);
  if (controlPlanes.length === 0) {
    // Nodes but no control plane among them: a managed control plane the inputs do not describe (GKE, AKS, an
    // EKS cluster without its describe-cluster output) or unlabelled masters. Either way not a verdict on HA.
    return [
      make({
        result: 'error',
        message: `None of the ${state.kubernetes.nodes.length} collected nodes is a control plane (label ${CONTROL_PLANE_LABEL}): for a managed control plane add the provider's cluster description (aws eks describe-cluster); for self-managed ones label the control-plane nodes.`,
        evidence: [
          { type: 'missing-input', what: 'control-plane nodes or managed control-plane description' },
          ...nodeRefs(state, state.kubernetes.nodes.slice(0, 10)),
        ],
        subject: cluster,
      }),
    ];
  }
  return [
    countFinding(state, controlPlanes, ha, cluster),
    zoneFinding(state, controlPlanes, ha, cluster),
    etcdFinding(state, controlPlanes, cluster),
    endpointFinding(state, controlPlanes, cluster),
  ];
};

function isControlPlane(node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  return CONTROL_PLANE_LABEL in labels || LEGACY_MASTER_LABEL in labels;
}

function nodeRefs(state: ClusterState, nodes: V1Node[]): Evidence[] {
  return nodes.map((n): Evidence => ({ type: 'object', ref: kubeRef(state, 'Node', n) }));
}

function countFinding(state: ClusterState, controlPlanes: V1Node[], ha: HaSpec, subject: ObjectRef): Finding {
  const ok = controlPlanes.length >= ha.controlPlanes;
  return make({
    result: ok ? 'pass' : 'fail',
    message: `${controlPlanes.length} control-plane node(s) found, the spec requires at least ${ha.controlPlanes}.`,
    evidence: [
      { type: 'rule', rule: `control-plane nodes carry the label ${CONTROL_PLANE_LABEL} (or legacy ${LEGACY_MASTER_LABEL})` },
      { type: 'comparison', what: 'control-plane nodes', expected: `>= ${ha.controlPlanes}`, actual: controlPlanes.length },
      ...nodeRefs(state, controlPlanes),
    ],
    subject,
  });
}

function zoneOf(node: V1Node): string | undefined {
  const labels = node.metadata?.labels ?? {};
  return ZONE_LABELS.map((l) => labels[l]).find((z) => z !== undefined && z !== '');
}

function zoneFinding(state: ClusterState, controlPlanes: V1Node[], ha: HaSpec, subject: ObjectRef): Finding {
  const zones = new Set(controlPlanes.map(zoneOf).filter((z): z is string => z !== undefined));
  const unlabelled = controlPlanes.filter((n) => zoneOf(n) === undefined).map((n) => n.metadata?.name ?? '');
  const ok = zones.size >= ha.zones;
  const missing = unlabelled.length > 0 ? ` Nodes without a zone label: ${unlabelled.join(', ')}.` : '';
  return make({
    result: ok ? 'pass' : 'fail',
    message: `Control-plane nodes span ${zones.size} zone(s)${zones.size > 0 ? ` (${[...zones].join(', ')})` : ''}, the spec requires at least ${ha.zones}.${missing}`,
    evidence: [
      { type: 'rule', rule: `zone from node label ${ZONE_LABELS.join(' or ')}` },
      { type: 'comparison', what: 'distinct control-plane zones', expected: `>= ${ha.zones}`, actual: [...zones] },
    ],
    subject,
  });
}

/** etcd members: collected members, else kubeadm external endpoints, else one stacked member per control plane. */
function etcdFinding(state: ClusterState, controlPlanes: V1Node[], subject: ObjectRef): Finding {
  const { etcdMembers, kubeadm } = state.kubernetes.controlPlane;
  const external = kubeadm?.etcd?.external?.endpoints ?? [];
  const [count, from] =
    etcdMembers.length > 0
      ? [etcdMembers.length, `etcd members seen: ${etcdMembers.map((m) => m.name).join(', ')}`]
      : external.length > 0
        ? [external.length, `kubeadm external etcd endpoints: ${external.join(', ')}`]
        : [controlPlanes.length, 'stacked etcd assumed: one member per control-plane node'];
  const ok = count >= 3 && count % 2 === 1;
  const why =
    count < 3
      ? 'fewer than 3 members cannot survive losing one'
      : count % 2 === 0
        ? 'an even count tolerates no more failures than one member fewer'
        : 'quorum survives a member loss';
  return make({
    result: ok ? 'pass' : 'fail',
    message: `etcd has ${count} member(s): ${why}.`,
    evidence: [
      { type: 'rule', rule: 'etcd member count is odd and >= 3' },
      { type: 'observation', what: 'etcd member source', observed: count, detail: from },
    ],
    subject,
  });
}

/** Every address a node answers on, so an endpoint equal to one of them is recognised as a single node. */
function nodeAddressIndex(nodes: V1Node[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    index.set(name.toLowerCase(), name);
    for (const a of node.status?.addresses ?? []) index.set(a.address.toLowerCase(), name);
  }
  return index;
}

function endpointFinding(state: ClusterState, controlPlanes: V1Node[], cluster: ObjectRef): Finding {
  const kubeadmEndpoint = state.kubernetes.controlPlane.kubeadm?.controlPlaneEndpoint;
  const server = state.kubernetes.kubeconfig?.server ?? state.source.server;
  const rule: Evidence = {
    type: 'rule',
    rule: "the apiserver endpoint (kubeadm controlPlaneEndpoint, else kubeconfig server) is not one node's name or address",
  };
  const kubeadm = kubeadmRef(state);
  if (state.kubernetes.controlPlane.kubeadm && !kubeadmEndpoint) {
    return make({
      result: 'fail',
      message:
        'kubeadm ClusterConfiguration has no controlPlaneEndpoint: clients and nodes talk to a single apiserver, and more control planes cannot be joined behind a load balancer.',
      evidence: [
        rule,
        { type: 'comparison', what: 'controlPlaneEndpoint', expected: 'a load-balanced DNS name or VIP', actual: null, ref: kubeadm },
      ],
      subject: kubeadm,
    });
  }
  const [what, endpoint] = kubeadmEndpoint ? ['kubeadm controlPlaneEndpoint', kubeadmEndpoint] : ['kubeconfig server', server];
  if (endpoint === undefined) {
    return make({
      result: 'error',
      message:
        'Cannot tell whether the apiserver is load-balanced: no kubeadm controlPlaneEndpoint and no kubeconfig server in the collected state.',
      evidence: [{ type: 'missing-input', what: 'kubeadm-config ConfigMap or kubeconfig' }],
      subject: cluster,
    });
  }
  const host = hostOf(endpoint);
  const node = host === undefined ? undefined : nodeAddressIndex(controlPlanes).get(host.toLowerCase());
  const evidence: Evidence[] = [rule, { type: 'observation', what, observed: endpoint }];
  if (node !== undefined) {
    return make({
      result: 'fail',
      message: `The ${what} ${endpoint} is control-plane node ${node}'s own address: losing that node loses the API.`,
      evidence,
      subject: kubeadmEndpoint ? kubeadm : cluster,
    });
  }
  return make({
    result: 'pass',
    message: `The ${what} ${endpoint} is not a single node's address (load balancer or VIP).`,
    evidence,
    subject: kubeadmEndpoint ? kubeadm : cluster,
  });
}
