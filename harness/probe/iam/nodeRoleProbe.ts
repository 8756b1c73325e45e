// Control iam-node-role-inheritance, probe layer: can a plain pod obtain the node's IAM role credentials from the
// instance metadata service? In each tenant namespace of spec.iam (or, without tenants, a fresh namespace of this
// run: what any new workload gets), a pod that Pod Security `restricted` admits runs `probe imds`: IMDSv2 token,
// role list and credentials, then the same without a token (IMDSv1). A hostNetwork witness on the same node asks
// the same questions as the node itself: if the node gets no answer the layer cannot judge (error), if the node has
// no role there is nothing to inherit. The NetworkPolicy engine's prediction for egress to 169.254.169.254:80 from
// that pod is the static twin: a pod that reaches the service its policies should block fails with both sides.
import { finding } from '../../findings/finding.ts';
import { clusterApi, requireRunId } from '../../kubernetes/clusterApi.ts';
import { K8S_RUN_LABEL } from '../../kubernetes/runLabels.ts';
import { createRunNamespace, deleteNamespacesAndWait } from '../../kubernetes/runNamespace.ts';
import { IMDS_ADDRESS } from '../../model/awsIdentity.ts';
import type { Evidence, Finding } from '../../model/findings.ts';
import type { LiveCheck, LiveCheckInput } from '../../model/liveCheck.ts';
import { imdsReach } from '../../evaluate/iam/imdsReachability.ts';
import { platformAbsent } from '../platformAbsent.ts';
import { runProbeCommand } from '../probePods.ts';
import { identitySources, sourcesEvidence } from './identitySources.ts';
import { answered, credentialSteps, describeStep, parseImdsWalk, rolesListed, type ImdsStep } from './imdsWalk.ts';

const LAYER = 'probe';
const POD_MS = 120_000;
/** Bounds what one run does to a cluster. */
const MAX_NAMESPACES = 8;
const PROBE_LABELS = { 'clusterproof.dev/probe': 'imds' };
const ENFORCER_SETTLE = '3s';

interface Observed {
  namespace: string;
  pod: string;
  node: string;
  steps: ImdsStep[];
  /** How the probe pod ended: `probe imds` always prints its token request, so no steps means it did not run. */
  ended: string;
}

export const probeNodeRoleInheritance: LiveCheck = async (input) => {
  const sources = await identitySources(input);
  const context = sourcesEvidence(sources);
  if (!sources.metadataService) {
    return platformAbsent(
      input,
      `No instance metadata service for a pod to borrow a node role from: the nodes have providerID ${sources.providerSchemes.join(', ')} (not aws://) and no AWS emulation is installed.`,
      [context],
    );
  }
  if (!input.run.probeImage)
    return [error(input, 'No probe image is known for this cluster, so no pod could ask the metadata service.', [context])];
  const runId = requireRunId(input.run);
  const api = clusterApi(input.run);
  const runNs = `cp-iam-${runId}`.slice(0, 63);
  const tenants = [...new Set((input.spec.spec.iam?.tenants ?? []).map((t) => t.namespace))];
  const findings: Finding[] = [];
  const targets: string[] = [];
  for (const ns of tenants.slice(0, MAX_NAMESPACES)) {
    if (
      await api.core.readNamespace({ name: ns }).then(
        () => true,
        () => false,
      )
    )
      targets.push(ns);
    else findings.push(error(input, `Tenant namespace ${ns} does not exist, so no pod of it could be probed.`, [context], ns));
  }
  const nodes = schedulableNodes(input);
  try {
    await createRunNamespace(api.core, runNs, runId);
    if (tenants.length === 0) targets.push(runNs);
    const deadline = Date.now() + POD_MS;
    const placed = targets.map((namespace, i) => ({ namespace, node: nodes[i % nodes.length] ?? '' }));
    const usedNodes = [...new Set(placed.map((p) => p.node))];
    const ask = (namespace: string, pod: string, node: string, hostNetwork: boolean): Promise<Observed> =>
      runProbeCommand(
        api.core,
        {
          namespace,
          name: pod,
          runId,
          image: input.run.probeImage ?? '',
          node,
          labels: PROBE_LABELS,
          hostNetwork,
          restricted: !hostNetwork,
        },
        // The delay lets the NetworkPolicy enforcer program the new pod's rules before it asks.
        ['imds', '--addr', `${IMDS_ADDRESS}:80`, '--delay', ENFORCER_SETTLE],
        deadline,
      ).then((r) => ({ namespace, pod, node, steps: parseImdsWalk(r.log), ended: `${r.phase}, exit ${r.exitCode ?? '?'}` }));
    const witnesses = await Promise.all(usedNodes.map((node, i) => ask(runNs, `imds-witness-${i}`, node, true)));
    const pods = await Promise.all(placed.map((p) => ask(p.namespace, `cp-imds-${runId}`.slice(0, 63), p.node, false)));
    for (const pod of pods) {
      const witness = witnesses.find((w) => w.node === pod.node);
      findings.push(judge(input, pod, witness, context, pod.namespace === runNs));
    }
  } finally {
    await deleteNamespacesAndWait(api.core, [runNs]);
  }
  return findings;
};

function judge(input: LiveCheckInput, pod: Observed, witness: Observed | undefined, context: Evidence, fresh: boolean): Finding {
  const where = fresh ? `A pod in a fresh namespace (no tenants in spec.iam)` : `A pod of tenant namespace ${pod.namespace}`;
  const evidence: Evidence[] = [
    context,
    { type: 'observation', what: `node ${pod.node} itself (hostNetwork witness)`, observed: (witness?.steps ?? []).map(describeStep) },
    { type: 'observation', what: `pod ${pod.namespace}/${pod.pod} on ${pod.node}`, observed: pod.steps.map(describeStep) },
  ];
  if (pod.steps.length === 0) {
    return error(
      input,
      `The probe pod ${pod.namespace}/${pod.pod} asked nothing (${pod.ended}), so this namespace was not observed.`,
      evidence,
      pod.namespace,
    );
  }
  if (!witness || !answered(witness.steps)) {
    return error(
      input,
      `The metadata service did not answer node ${pod.node} itself, so whether its pods could borrow the node role is unknown.`,
      evidence,
      pod.namespace,
    );
  }
  const nodeRoles = rolesListed(witness.steps);
  if (credentialSteps(witness.steps).length === 0) {
    return result(
      input,
      'pass',
      `Node ${pod.node} has no role credentials in its metadata service (roles listed: ${nodeRoles.join(', ') || 'none'}), so there is nothing for a pod to inherit.`,
      evidence,
      pod.namespace,
    );
  }
  const predicted = imdsReach(input.state, pod.namespace, {
    name: pod.pod,
    labels: { [K8S_RUN_LABEL]: requireRunId(input.run), ...PROBE_LABELS },
  });
  const policyBlocks = predicted.reachable === false;
  const reached = answered(pod.steps);
  evidence.push({
    type: 'comparison',
    what: `egress ${pod.namespace} → ${IMDS_ADDRESS}:80/TCP`,
    expected:
      predicted.reachable === false
        ? `blocked by NetworkPolicy (${predicted.policies.join(', ')})`
        : predicted.reachable
          ? predicted.why
          : `unknown: ${predicted.why}`,
    actual: reached ? 'the metadata service answered' : 'no answer',
  });
  const stolen = credentialSteps(pod.steps);
  if (stolen.length > 0) {
    return result(
      input,
      'fail',
      `${where} obtained node ${pod.node}'s role credentials (${nodeRoles.join(', ')}) from the metadata service: ${stolen.map((s) => `${s.version} ${s.method} ${s.path}`).join('; ')}.`,
      evidence,
      pod.namespace,
      `deny egress to ${IMDS_ADDRESS}/32 from pods (a NetworkPolicy egress rule with ipBlock cidr 0.0.0.0/0 except ${IMDS_ADDRESS}/32, or a node firewall rule dropping pod traffic to it before any accepting rule: \`iptables -I FORWARD 1 -i <pod interfaces> -d ${IMDS_ADDRESS}/32 -j DROP\` as EKS's guide gives it, or the raw table's PREROUTING where the network plugin keeps its own FORWARD rules first), and require IMDSv2 with hop limit 1`,
    );
  }
  if (policyBlocks && reached) {
    return result(
      input,
      'fail',
      `${where} got answers from the metadata service although its NetworkPolicies should block ${IMDS_ADDRESS}: the static prediction and the cluster disagree (no credentials came back).`,
      evidence,
      pod.namespace,
    );
  }
  const how = reached
    ? 'the metadata service answered it but handed out no credentials (IMDSv2 token refused beyond the hop limit and IMDSv1 off)'
    : policyBlocks
      ? 'its NetworkPolicies block the metadata service, as predicted'
      : 'the metadata service did not answer it although NetworkPolicy allows the traffic: something below NetworkPolicy (a node firewall rule) blocks it';
  return result(
    input,
    'pass',
    `${where} could not obtain node ${pod.node}'s role credentials, which the node itself gets: ${how}.`,
    evidence,
    pod.namespace,
  );
}

/** Worker nodes (pods of tenants run there), else every node. */
function schedulableNodes(input: LiveCheckInput): string[] {
  const all = input.state.kubernetes.nodes;
  const workers = all.filter((n) => !('node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {})));
  return (workers.length > 0 ? workers : all).map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
}

function result(
  input: LiveCheckInput,
  outcome: 'pass' | 'fail',
  message: string,
  evidence: Evidence[],
  namespace: string,
  fix?: string,
): Finding {
  return finding({
    controlId: input.control.id,
    layer: LAYER,
    result: outcome,
    subject: { kind: 'Namespace', name: namespace },
    message,
    evidence,
    ...(fix ? { fix } : {}),
  });
}

function error(input: LiveCheckInput, message: string, evidence: Evidence[], namespace?: string): Finding {
  return finding({
    controlId: input.control.id,
    layer: LAYER,
    result: 'error',
    ...(namespace ? { subject: { kind: 'Namespace', name: namespace } } : {}),
    message,
    evidence,
  });
}
