// Control `iam-node-role-inheritance`: pods must not be able to borrow the node's IAM role. Two halves:
//  1. the node role (via the instance profile of each node instance) carries only node permissions
//     (iam/nodeRoleAllowlist.ts); any application permission on it is one IMDS call away for every pod;
//  2. IMDS is hardened on every node: `httpTokens: required` (IMDSv2) and `httpPutResponseHopLimit` ≤ the spec's
//     maximum (default 1), so a token cannot be fetched from inside a pod's network namespace.
// Node instances are those tagged for a cluster and those a Kubernetes Node's `spec.providerID` names: an untagged
// node is still a node. Missing metadata options, an instance profile whose role is not in the inputs, or a Node
// whose instance is not in the inputs is `error`, not a pass.
// Launch templates (describe-launch-template-versions, terraform aws_launch_template) are judged the same way,
// because every node launched later inherits them (iam/launchTemplates.ts says which templates and versions).
// A template that does not set HttpTokens or the hop limit is a `fail`, not missing input: the template is all
// there is, and what it leaves out the AMI or account default decides (IMDSv1 allowed, unless the AMI or an
// account-level default requires tokens).
// Half 3, the static twin of the probe layer: per tenant namespace of spec.iam, whether NetworkPolicy lets its pods
// reach 169.254.169.254 (iam/imdsReachability.ts); reachable plus an open instance is a fail for that namespace.
import type { Evaluator } from '../model/evaluator.ts';
import type { Evidence, Finding, Layer, ObjectRef } from '../model/findings.ts';
import type { ClusterState, Ec2Instance, IamRole, InstanceProfile } from '../model/state.ts';
import type { IamTenant } from '../model/spec.ts';
import { IMDS_ADDRESS } from '../model/awsIdentity.ts';
import { tenantImdsReachability } from './iam/imdsReachability.ts';
import { isClusterTagged, nodeLaunchTemplates, templateImdsProblems, templateLabel, templateRef } from './iam/launchTemplates.ts';
import { applicationActions, isNodeManagedPolicy } from './iam/nodeRoleAllowlist.ts';
import { policyGrammarProblems } from './iam/policyGrammar.ts';

export const evaluateIamNodeRoleInheritance: Evaluator = ({ state, spec, control }) => {
  const requireV2 = spec.spec.iam?.imds?.requireV2 ?? true;
  const maxHopLimit = spec.spec.iam?.imds?.maxHopLimit ?? 1;
  const findings: Finding[] = [];
  const add = (result: Finding['result'], layer: Layer, message: string, evidence: Evidence[], subject?: ObjectRef, fix?: string): void => {
    findings.push({ controlId: control.id, layer, result, message, evidence, ...(subject ? { subject } : {}), ...(fix ? { fix } : {}) });
  };

  const { nodes, missing } = nodeInstances(state);
  const templates = nodeLaunchTemplates(state, nodes);
  for (const { node, instanceId, providerID } of missing) {
    add(
      'error',
      'config',
      `Node ${node} runs on EC2 instance ${instanceId} (providerID ${providerID}), which is not in the inputs, so its IMDS settings and role are unknown; add \`aws ec2 describe-instances\` output for ${instanceId}.`,
      [{ type: 'missing-input', what: `EC2 instance ${instanceId}`, detail: `spec.providerID of Node ${node}` }],
      { kind: 'Node', name: node },
    );
  }
  if (nodes.length === 0 && templates.length === 0) {
    if (missing.length > 0) return findings;
    if (state.cloud.eksClusters.length > 0) {
      add(
        'error',
        'config',
        'The inputs hold an EKS cluster but no node instances, so node roles and IMDS settings are unknown; add `aws ec2 describe-instances` output.',
        [{ type: 'missing-input', what: 'EC2 node instances' }],
      );
    } else {
      add('not-applicable', 'config', 'No EC2 node instances in the inputs (not an AWS cluster, or nodes not collected).', [
        { type: 'missing-input', what: 'EC2 node instances' },
      ]);
    }
    return findings;
  }

  const checkedRoles = new Set<string>();
  /** Each role of a node instance profile once, whichever instance or launch template names it first. */
  const judgeProfileRoles = (profile: InstanceProfile, profileText: string, layer: Layer, ref: ObjectRef): void => {
    for (const roleName of profile.roleNames) {
      if (checkedRoles.has(roleName)) continue;
      checkedRoles.add(roleName);
      const role = state.cloud.iamRoles.find((r) => r.name === roleName);
      if (!role) {
        add(
          'error',
          layer,
          `Node role ${roleName} (instance profile ${profileText}) is not in the inputs; add \`aws iam get-role\` and its policies.`,
          [{ type: 'missing-input', what: `IAM role ${roleName}` }],
          ref,
        );
        continue;
      }
      judgeNodeRole(role, profile, add);
    }
  };
  for (const instance of nodes) {
    const ref: ObjectRef = {
      kind: 'EC2Instance',
      name: instance.id,
      id: instance.id,
      ...(instance.source ? { source: instance.source } : {}),
    };
    const layer: Layer = instance.planned ? 'plan' : 'config';
    const md = instance.metadataOptions;
    if (!md || (md.httpEndpoint !== 'disabled' && (md.httpTokens === undefined || md.httpPutResponseHopLimit === undefined))) {
      add(
        'error',
        layer,
        `Instance ${instance.id}: metadata options (httpTokens, httpPutResponseHopLimit) are missing from the inputs, so IMDS hardening is unknown.`,
        [{ type: 'missing-input', what: 'MetadataOptions', detail: instance.id }],
        ref,
      );
    } else if (md.httpEndpoint !== 'disabled') {
      if (requireV2 && md.httpTokens !== 'required') {
        add(
          'fail',
          layer,
          `Instance ${instance.id} allows IMDSv1 (httpTokens ${md.httpTokens}): any pod can read the node role's credentials without a session token.`,
          [{ type: 'comparison', what: 'MetadataOptions.HttpTokens', expected: 'required', actual: md.httpTokens, ref }],
          ref,
          `aws ec2 modify-instance-metadata-options --instance-id ${instance.id} --http-tokens required (and set HttpTokens: required in the launch template its node group uses, or replacement nodes come back with IMDSv1)`,
        );
      }
      if ((md.httpPutResponseHopLimit ?? 0) > maxHopLimit) {
        add(
          'fail',
          layer,
          `Instance ${instance.id} has IMDS hop limit ${md.httpPutResponseHopLimit} (max ${maxHopLimit}): pods behind one network hop can fetch an IMDSv2 token.`,
          [
            {
              type: 'comparison',
              what: 'MetadataOptions.HttpPutResponseHopLimit',
              expected: `<= ${maxHopLimit}`,
              actual: md.httpPutResponseHopLimit,
              ref,
            },
          ],
          ref,
          `aws ec2 modify-instance-metadata-options --instance-id ${instance.id} --http-put-response-hop-limit ${maxHopLimit} (and set HttpPutResponseHopLimit: ${maxHopLimit} in the launch template its node group uses)`,
        );
      }
    }

    const profile = profileOf(state, instance);
    if (!instance.instanceProfileArn) continue;
    if (!profile) {
      add(
        'error',
        layer,
        `Instance ${instance.id}: instance profile ${instance.instanceProfileArn} is not in the inputs, so its role's permissions are unknown.`,
        [{ type: 'missing-input', what: 'instance profile', detail: instance.instanceProfileArn }],
        ref,
      );
      continue;
    }
    judgeProfileRoles(profile, profile.name, layer, ref);
  }

  for (const template of templates) {
    const ref = templateRef(template);
    const layer: Layer = template.planned ? 'plan' : 'config';
    const label = templateLabel(template);
    for (const problem of templateImdsProblems(template, requireV2, maxHopLimit)) {
      add(
        'fail',
        layer,
        `${label} ${problem.message}; every node launched from it inherits this.`,
        [
          {
            type: 'comparison',
            what: `LaunchTemplateData.MetadataOptions.${problem.field}`,
            expected: problem.expected,
            actual: problem.actual,
            ref,
          },
          {
            type: 'rule',
            rule: 'launch-template-imds-hardened',
            detail: `launch templates set HttpTokens required and HttpPutResponseHopLimit <= ${maxHopLimit} (or disable IMDS), so nodes launched later are hardened too`,
          },
        ],
        ref,
      );
    }
    const profile = profileOf(state, template);
    const named = template.instanceProfileArn ?? template.instanceProfileName;
    if (named === undefined) continue;
    if (!profile) {
      add(
        'error',
        layer,
        `${label}: instance profile ${named} is not in the inputs, so the role its nodes get is unknown; add \`aws iam get-instance-profile\` output.`,
        [{ type: 'missing-input', what: 'instance profile', detail: named }],
        ref,
      );
      continue;
    }
    judgeProfileRoles(profile, `${profile.name} of ${label}`, layer, ref);
  }

  judgeTenantReach(state, spec.spec.iam?.tenants ?? [], openInstances(nodes, requireV2, maxHopLimit), add);

  if (!findings.some((f) => f.result !== 'pass')) {
    const judged = [...nodes, ...templates];
    const what =
      templates.length === 0
        ? `${nodes.length} node instance(s)`
        : `${nodes.length} node instance(s) and ${templates.length} launch template version(s)`;
    add(
      'pass',
      judged.every((n) => n.planned) ? 'plan' : 'config',
      `${what} require IMDSv2 with hop limit ≤ ${maxHopLimit}, and ${checkedRoles.size} node role(s) carry only node permissions.`,
      [
        { type: 'observation', what: 'node instances', observed: nodes.map((n) => n.id) },
        ...(templates.length > 0
          ? [{ type: 'observation' as const, what: 'launch template versions', observed: templates.map(templateLabel) }]
          : []),
        { type: 'observation', what: 'node roles', observed: [...checkedRoles] },
      ],
    );
  }
  return findings;
};

/** Node instances whose IMDS lets a pod one hop away get credentials (IMDSv1 allowed, or the hop limit above max). */
function openInstances(nodes: readonly Ec2Instance[], requireV2: boolean, maxHopLimit: number): string[] {
  return nodes
    .filter((n) => {
      const md = n.metadataOptions;
      if (!md || md.httpEndpoint === 'disabled') return false;
      return (requireV2 && md.httpTokens !== 'required') || (md.httpPutResponseHopLimit ?? 0) > maxHopLimit;
    })
    .map((n) => n.id);
}

/** Half 3, the static twin of the probe: per tenant namespace, may its pods reach 169.254.169.254 at all? */
function judgeTenantReach(
  state: ClusterState,
  tenants: readonly IamTenant[],
  open: string[],
  add: (result: Finding['result'], layer: Layer, message: string, evidence: Evidence[], subject?: ObjectRef, fix?: string) => void,
): void {
  for (const reach of tenantImdsReachability(state, tenants)) {
    const subject = { kind: 'Namespace', name: reach.namespace };
    const what = `egress ${reach.namespace} → ${IMDS_ADDRESS}:80/TCP`;
    if (reach.reachable === false) {
      add(
        'pass',
        'config',
        `Pods of tenant namespace ${reach.namespace} cannot reach the metadata service: NetworkPolicy ${reach.policies.join(', ')} denies egress to ${IMDS_ADDRESS}.`,
        [{ type: 'observation', what, observed: `denied by ${reach.policies.join(', ')}` }],
        subject,
      );
    } else if (reach.reachable === undefined) {
      add(
        'error',
        'config',
        `Whether pods of tenant namespace ${reach.namespace} reach the metadata service is unknown: ${reach.why}.`,
        [{ type: 'missing-input', what, detail: reach.why }],
        subject,
      );
    } else if (open.length > 0) {
      add(
        'fail',
        'config',
        `Pods of tenant namespace ${reach.namespace} can borrow the node role: they reach the metadata service (${reach.why}) and instance(s) ${open.join(', ')} hand credentials to a pod one hop away.`,
        [{ type: 'observation', what, observed: reach.why }],
        subject,
        `deny egress to ${IMDS_ADDRESS}/32 in namespace ${reach.namespace} (an egress ipBlock 0.0.0.0/0 with except ${IMDS_ADDRESS}/32), besides hardening the instances' IMDS`,
      );
    }
  }
}

function judgeNodeRole(
  role: IamRole,
  profile: InstanceProfile,
  add: (result: Finding['result'], layer: Layer, message: string, evidence: Evidence[], subject?: ObjectRef) => void,
): void {
  const ref: ObjectRef = { kind: 'IAMRole', name: role.name, id: role.arn, ...(role.source ? { source: role.source } : {}) };
  const layer: Layer = role.planned ? 'plan' : 'config';
  const documented = new Set(role.permissionPolicies.map((p) => p.arn).filter((a): a is string => a !== undefined));
  const extraManaged = role.attachedPolicyArns.filter((arn) => !isNodeManagedPolicy(arn) && !documented.has(arn));
  // A policy AWS rejects grants nothing, yet reading it as "allows nothing" would pass the role unjudged.
  const broken = role.permissionPolicies.flatMap((p) =>
    policyGrammarProblems(p.document, 'permission').map((problem) => `policy ${p.name}: ${problem}`),
  );
  if (broken.length > 0) {
    add(
      'error',
      layer,
      `Node role ${role.name} (instance profile ${profile.name}) has a permission policy that is not valid IAM (AWS would reject it), so its permissions cannot be judged: ${broken.join('; ')}.`,
      [
        { type: 'object', ref },
        {
          type: 'rule',
          rule: 'IAM policy grammar',
          detail: 'Effect exactly Allow or Deny, Statement an object or a list of them, AWS condition operators',
        },
      ],
      ref,
    );
    return;
  }
  const extraActions = role.permissionPolicies
    .filter((p) => !(p.arn && isNodeManagedPolicy(p.arn)))
    .map((p) => ({ policy: p.name, actions: applicationActions(p.document) }))
    .filter((p) => p.actions.length > 0);
  if (extraManaged.length === 0 && extraActions.length === 0) return;
  const parts = [
    ...extraManaged.map((arn) => `attached policy ${arn}`),
    ...extraActions.map((p) => `policy ${p.policy} allows ${p.actions.join(', ')}`),
  ];
  add(
    'fail',
    layer,
    `Node role ${role.name} (instance profile ${profile.name}) carries application permissions every pod can inherit through IMDS: ${parts.join('; ')}.`,
    [
      { type: 'object', ref },
      {
        type: 'rule',
        rule: 'node-role-only-node-permissions',
        detail: 'allowed: EKS worker node, CNI and ECR read-only managed policies and their actions',
      },
      { type: 'comparison', what: 'permissions beyond the node allowlist', expected: [], actual: parts, ref },
    ],
    ref,
  );
}

/**
 * Instances that are Kubernetes nodes: those tagged for a cluster (EKS node groups, Karpenter and kubeadm tooling
 * all tag them; only when nothing is tagged, every instance with an instance profile, so a bastion would then be
 * judged too, which errs on the safe side), plus every instance a Node's `aws:///ZONE/i-…` providerID names, tagged
 * or not. Instances a Node names but the inputs lack are returned as `missing`.
 */
function nodeInstances(state: ClusterState): { nodes: Ec2Instance[]; missing: { node: string; instanceId: string; providerID: string }[] } {
  const instances = state.cloud.instances.filter((i) => i.kind !== 'launch-template');
  const tagged = instances.filter((i) => isClusterTagged(i.tags));
  const byTag = tagged.length > 0 ? tagged : instances.filter((i) => i.instanceProfileArn !== undefined);
  const nodes = new Set(byTag);
  const missing: { node: string; instanceId: string; providerID: string }[] = [];
  for (const node of state.kubernetes.nodes) {
    const providerID = node.spec?.providerID ?? '';
    const instanceId = ec2InstanceId(providerID);
    if (!instanceId) continue;
    const instance = state.cloud.instances.find((i) => i.id === instanceId && i.kind !== 'launch-template');
    if (instance) nodes.add(instance);
    else missing.push({ node: node.metadata?.name ?? '', instanceId, providerID });
  }
  return { nodes: [...nodes], missing };
}

/** `aws:///eu-west-1b/i-0e9d8c7b6a5f43210` → `i-0e9d8c7b6a5f43210`; Fargate and non-AWS providerIDs name no instance. */
function ec2InstanceId(providerID: string): string | undefined {
  return /^aws:\/\/\/(?:[^/]*\/)?(i-[0-9a-f]+)$/.exec(providerID)?.[1];
}

function profileOf(state: ClusterState, instance: Ec2Instance): InstanceProfile | undefined {
  const { instanceProfileArn: arn, instanceProfileName: name } = instance;
  const profiles = state.cloud.instanceProfiles;
  if (arn) return profiles.find((p) => p.arn === arn) ?? profiles.find((p) => arn.endsWith(`/${p.name}`));
  return name === undefined ? undefined : profiles.find((p) => p.name === name);
}
