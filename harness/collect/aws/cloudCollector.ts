// Gathers cloud objects from AWS CLI outputs and terraform plans into one CloudState.
// IAM data arrives in pieces (a role, its attached policy ARNs, policy documents, inline policies) that AWS CLI
// outputs do not always tie together, so pieces are held until `finish()` joins them (see docs in iamPieces below).
import type { CloudState, IamRole, LoadBalancer, PolicyDocument, Tags } from '../../model/state.ts';
import type { SourceLocation } from '../../model/findings.ts';
import { emptyCloud, objectKey } from '../../model/state.ts';

type Keyed = { source?: SourceLocation };

export class CloudCollector {
  readonly cloud: CloudState = emptyCloud();
  /** Role name → attached managed policy ARNs. */
  private readonly attached = new Map<string, Set<string>>();
  /** Policy ARN or name → its document (from get-policy-version, get-account-authorization-details, aws_iam_policy). */
  private readonly policyDocuments = new Map<string, PolicyDocument>();
  /** Role name → inline policies. */
  private readonly inline = new Map<string, { name: string; document: PolicyDocument }[]>();
  /** Load balancer ARN (or terraform address) → listener ports. */
  private readonly listenerPorts = new Map<string, number[]>();
  /** elbv2 load balancer ARN → tags, and classic ELB name → tags (describe-tags outputs). */
  private readonly tagsByArn = new Map<string, Tags>();
  private readonly classicTagsByName = new Map<string, Tags>();

  private readonly origins: Record<string, SourceLocation>;

  constructor(origins: Record<string, SourceLocation>) {
    this.origins = origins;
  }

  add<K extends keyof CloudState>(list: K, kind: string, id: string, item: CloudState[K][number] & Keyed): void {
    (this.cloud[list] as (CloudState[K][number] & Keyed)[]).push(item);
    if (item.source) this.origins[objectKey(`aws:${kind}`, undefined, id)] = item.source;
  }

  /** A role seen again (e.g. inside an instance profile) adds what is new, keeping the first trust policy. */
  addRole(role: IamRole): void {
    const existing = this.cloud.iamRoles.find((r) => r.arn === role.arn || r.name === role.name);
    if (!existing) {
      this.add('iamRoles', 'IamRole', role.arn, role);
      return;
    }
    existing.permissionPolicies.push(...role.permissionPolicies);
    existing.attachedPolicyArns.push(...role.attachedPolicyArns);
    Object.assign(existing.tags, role.tags);
  }

  attachPolicy(roleName: string, policyArn: string): void {
    const set = this.attached.get(roleName) ?? new Set<string>();
    set.add(policyArn);
    this.attached.set(roleName, set);
  }

  addPolicyDocument(arnOrName: string, document: PolicyDocument): void {
    this.policyDocuments.set(arnOrName, document);
  }

  addInlinePolicy(roleName: string, name: string, document: PolicyDocument): void {
    const list = this.inline.get(roleName) ?? [];
    list.push({ name, document });
    this.inline.set(roleName, list);
  }

  addListenerPort(loadBalancerArn: string, port: number): void {
    const ports = this.listenerPorts.get(loadBalancerArn) ?? [];
    if (!ports.includes(port)) ports.push(port);
    this.listenerPorts.set(loadBalancerArn, ports);
  }

  /** Tags from describe-tags: elbv2 names the load balancer by ARN, classic ELB by name. */
  addLoadBalancerTags(of: { arn: string } | { name: string }, tags: Tags): void {
    const [map, key] = 'arn' in of ? [this.tagsByArn, of.arn] : [this.classicTagsByName, of.name];
    map.set(key, { ...map.get(key), ...tags });
  }

  /** Joins the IAM, listener and load balancer tag pieces; documents for attached policies move from attachedPolicyArns to permissionPolicies. */
  finish(): CloudState {
    for (const role of this.cloud.iamRoles) {
      for (const arn of this.attached.get(role.name) ?? []) if (!role.attachedPolicyArns.includes(arn)) role.attachedPolicyArns.push(arn);
      for (const policy of this.inline.get(role.name) ?? []) {
        if (!role.permissionPolicies.some((p) => p.name === policy.name && p.arn === undefined)) role.permissionPolicies.push(policy);
      }
      const unresolved: string[] = [];
      for (const arn of role.attachedPolicyArns) {
        const name = arn.slice(arn.lastIndexOf('/') + 1);
        const document = this.policyDocuments.get(arn) ?? this.policyDocuments.get(name);
        if (!document) unresolved.push(arn);
        else if (!role.permissionPolicies.some((p) => p.arn === arn)) role.permissionPolicies.push({ name, arn, document });
      }
      role.attachedPolicyArns = unresolved;
    }
    for (const lb of this.cloud.loadBalancers) {
      addPorts(lb, this.listenerPorts.get(lb.arn ?? lb.name));
      const tags =
        lb.arn !== undefined ? this.tagsByArn.get(lb.arn) : lb.type === 'classic' ? this.classicTagsByName.get(lb.name) : undefined;
      if (tags) Object.assign(lb.tags, tags);
    }
    return this.cloud;
  }
}

function addPorts(lb: LoadBalancer, ports: number[] | undefined): void {
  for (const port of ports ?? []) if (!lb.listenerPorts.includes(port)) lb.listenerPorts.push(port);
}

/**
 * IAM policy documents: the CLI prints them URL-encoded in some commands (get-role, get-role-policy in older
 * versions) and as objects in others; terraform holds them as JSON strings.
 */
export function policyDocument(value: unknown): PolicyDocument | undefined {
  if (typeof value === 'string') {
    let text = value.trim();
    if (text.startsWith('%7B') || text.startsWith('%7b')) text = decodeURIComponent(text);
    try {
      return policyDocument(JSON.parse(text) as unknown);
    } catch {
      return undefined;
    }
  }
  if (typeof value === 'object' && value !== null && 'Statement' in value) return value as PolicyDocument;
  return undefined;
}
