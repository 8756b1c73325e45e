// Launch templates for iam-node-role-inheritance: nodes launched later (autoscaling, node-group updates, Karpenter)
// take their IMDS options and instance profile from the template, so a hardened fleet today is not enough.
//
// Which templates: those marked as the cluster's — tagged for a cluster themselves, giving instances a cluster tag
// (TagSpecifications), or named by a node instance's `aws:ec2launchtemplate:id` tag (EC2 sets it on every instance
// launched from a template). When nothing is marked, every template in the inputs is judged (the inputs were
// exported for this cluster; a bastion's template is judged too, which errs on the safe side).
// Which versions: `$Default` (DefaultVersion true), `$Latest` (the highest version number in the inputs), and any
// version a node instance names (`aws:ec2launchtemplate:version`); a terraform template is its one planned version.
import type { ObjectRef } from '../../model/findings.ts';
import type { ClusterState, Ec2Instance, Tags } from '../../model/state.ts';

/** Tags that mark an EC2 resource as a cluster's node: EKS node groups, Karpenter, kOps and kubeadm tooling set them. */
export function isClusterTagged(tags: Tags | undefined): boolean {
  return Object.keys(tags ?? {}).some(
    (k) => k.startsWith('kubernetes.io/cluster/') || k === 'eks:cluster-name' || k === 'eks:nodegroup-name',
  );
}

export function nodeLaunchTemplates(state: ClusterState, nodes: readonly Ec2Instance[]): Ec2Instance[] {
  const versions = state.cloud.instances.filter((i) => i.kind === 'launch-template');
  if (versions.length === 0) return [];
  const launchedFrom = new Map<string, Set<string>>();
  for (const node of nodes) {
    const id = node.tags['aws:ec2launchtemplate:id'];
    if (id === undefined) continue;
    const set = launchedFrom.get(id) ?? new Set<string>();
    const version = node.tags['aws:ec2launchtemplate:version'];
    if (version !== undefined) set.add(version);
    launchedFrom.set(id, set);
  }
  const marked = new Set(
    versions.filter((v) => isClusterTagged(v.tags) || isClusterTagged(v.instanceTags) || launchedFrom.has(v.id)).map((v) => v.id),
  );
  const judged = marked.size > 0 ? versions.filter((v) => marked.has(v.id)) : versions;
  const latest = new Map<string, number>();
  for (const v of judged) {
    const n = v.launchTemplate?.version;
    if (n !== undefined && n > (latest.get(v.id) ?? -1)) latest.set(v.id, n);
  }
  return judged.filter((v) => {
    const n = v.launchTemplate?.version;
    return (
      n === undefined || v.launchTemplate?.isDefault === true || latest.get(v.id) === n || (launchedFrom.get(v.id)?.has(String(n)) ?? false)
    );
  });
}

/** `Launch template workers (lt-0abc…) version 3 ($Default, $Latest)`, or the terraform address for a planned one. */
export function templateLabel(t: Ec2Instance): string {
  const lt = t.launchTemplate;
  const name = lt?.name !== undefined && lt.name !== t.id ? `${lt.name} (${t.id})` : t.id;
  if (lt?.version === undefined) return `Launch template ${name}${t.planned ? ' (planned)' : ''}`;
  return `Launch template ${name} version ${lt.version}${lt.isDefault ? ' ($Default)' : ''}`;
}

export function templateRef(t: Ec2Instance): ObjectRef {
  const lt = t.launchTemplate;
  const name = `${lt?.name ?? t.id}${lt?.version === undefined ? '' : ` v${lt.version}`}`;
  return { kind: 'LaunchTemplate', name, id: t.id, ...(t.source ? { source: t.source } : {}) };
}

interface ImdsProblem {
  field: 'HttpTokens' | 'HttpPutResponseHopLimit';
  expected: string;
  actual: string | number;
  message: string;
}

/** Why nodes launched from this template would not have hardened IMDS; empty when they would (or IMDS is off). */
export function templateImdsProblems(t: Ec2Instance, requireV2: boolean, maxHopLimit: number): ImdsProblem[] {
  const md = t.metadataOptions ?? {};
  if (md.httpEndpoint === 'disabled') return [];
  const problems: ImdsProblem[] = [];
  if (requireV2 && md.httpTokens !== 'required') {
    problems.push(
      md.httpTokens === undefined
        ? {
            field: 'HttpTokens',
            expected: 'required',
            actual: 'not set (AMI or account default)',
            message:
              "does not set HttpTokens: its nodes get the AMI's or account's default, which allows IMDSv1 (any pod can read the node role's credentials without a session token) unless the AMI or an account-level default requires tokens",
          }
        : {
            field: 'HttpTokens',
            expected: 'required',
            actual: md.httpTokens,
            message: `allows IMDSv1 (HttpTokens ${md.httpTokens}): any pod on its nodes can read the node role's credentials without a session token`,
          },
    );
  }
  const hop = md.httpPutResponseHopLimit;
  if (hop === undefined) {
    problems.push({
      field: 'HttpPutResponseHopLimit',
      expected: `<= ${maxHopLimit}`,
      actual: 'not set (AMI or account default)',
      message: `does not set HttpPutResponseHopLimit: its nodes get the AMI's or account's default (2 for AMIs that declare ImdsSupport v2.0), not the spec's maximum ${maxHopLimit}`,
    });
  } else if (hop > maxHopLimit) {
    problems.push({
      field: 'HttpPutResponseHopLimit',
      expected: `<= ${maxHopLimit}`,
      actual: hop,
      message: `has IMDS hop limit ${hop} (max ${maxHopLimit}): pods behind one network hop on its nodes can fetch an IMDSv2 token`,
    });
  }
  return problems;
}
