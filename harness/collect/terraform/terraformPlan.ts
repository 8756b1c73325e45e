// `terraform show -json PLAN` → the same CloudState as the AWS CLI outputs, for plan-time checks. Objects whose model
// type has `planned` are marked `planned: true`, so findings resting only on them are reported on the `plan` layer.
// Values unknown until apply (ids, ARNs) become `tf:<resource address>` so references between planned resources still
// join up (a subnet's vpc_id, a pod identity association's role_arn); unknown CIDRs/flags are left out, never guessed.
import type { Ec2Instance, SecurityGroupRule, Tags } from '../../model/state.ts';
import type { InputProblem } from '../../errors.ts';
import type { ParsedObject } from '../files/parseInputFile.ts';
import { CloudCollector, policyDocument } from '../aws/cloudCollector.ts';
import { metadataOptions, tags as awsTags } from '../aws/awsCliOutputs.ts';
import { isRecord } from '../../model/isRecord.ts';

type Rec = Record<string, unknown>;

interface PlannedResource {
  address: string;
  type: string;
  values: Rec;
  unknown: Rec;
  /** Configuration expression references per attribute, e.g. vpc_id → ['aws_vpc.main.id', 'aws_vpc.main']. */
  references: Record<string, string[]>;
  path: (string | number)[];
}

/** Resource types this mapping reads; other planned resources are reported as unknown objects. */
const MAPPED_TYPES: ReadonlySet<string> = new Set([
  'aws_alb',
  'aws_alb_listener',
  'aws_eks_cluster',
  'aws_eks_pod_identity_association',
  'aws_iam_instance_profile',
  'aws_iam_policy',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_instance',
  'aws_launch_template',
  'aws_lb',
  'aws_lb_listener',
  'aws_route',
  'aws_route_table',
  'aws_route_table_association',
  'aws_security_group',
  'aws_security_group_rule',
  'aws_subnet',
  'aws_vpc',
  'aws_vpc_ipv4_cidr_block_association',
  'aws_vpc_peering_connection',
  'aws_vpc_security_group_egress_rule',
  'aws_vpc_security_group_ingress_rule',
]);

export function isTerraformPlan(value: unknown): value is Rec {
  return (
    isRecord(value) && typeof value.format_version === 'string' && (isRecord(value.planned_values) || Array.isArray(value.resource_changes))
  );
}

/**
 * Maps the plan's AWS resources into `cloud`. Returns the resources not mapped (other types, or IAM documents that
 * are unknown until apply: an unknown trust policy must not read as "nobody can assume this role").
 */
export function readTerraformPlan(parsed: ParsedObject, cloud: CloudCollector, problems: InputProblem[]): PlannedResource[] {
  const plan = parsed.value as Rec;
  const resources = plannedResources(plan);
  const unmapped = resources.filter((r) => !MAPPED_TYPES.has(r.type));
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const idOf = (r: PlannedResource): string => (typeof r.values.id === 'string' ? r.values.id : `tf:${r.address}`);
  /** The value of attribute `attr` (or `field` of the referenced resource) when known, else the referenced resource's id. */
  const ref = (r: PlannedResource, attr: string, field: 'id' | 'arn' | 'name' = 'id'): string | undefined => {
    const value = r.values[attr];
    if (typeof value === 'string' && value !== '') return value;
    for (const reference of r.references[attr] ?? []) {
      const target = byAddress.get(reference) ?? [...byAddress.values()].find((x) => x.address.startsWith(`${reference}[`));
      if (!target) continue;
      const known = target.values[field];
      return typeof known === 'string' && known !== '' ? known : idOf(target);
    }
    return undefined;
  };
  const locate = (r: PlannedResource) => parsed.locate(r.path);
  const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const first = (v: unknown): Rec => (Array.isArray(v) && isRecord(v[0]) ? v[0] : {});
  const tfTags = (r: PlannedResource): Tags => awsTags(r.values.tags_all ?? r.values.tags);
  const jsonPolicy = (r: PlannedResource, attr: string) => {
    if (r.unknown[attr] === true) {
      unmapped.push(r);
      return undefined;
    }
    const doc = policyDocument(r.values[attr]);
    if (!doc) {
      const at = locate(r);
      problems.push({
        file: at.file,
        line: at.line,
        column: at.column,
        pointer: `${r.address}.${attr}`,
        message: `${r.address}: ${attr} is not a JSON IAM policy document`,
        fix: 'use jsonencode({...}) or a data.aws_iam_policy_document',
      });
    }
    return doc;
  };

  for (const r of resources) {
    const v = r.values;
    const id = idOf(r);
    const source = locate(r);
    switch (r.type) {
      case 'aws_vpc':
        cloud.add('vpcs', 'Vpc', id, {
          id,
          cidrs: strs([v.cidr_block]),
          ipv6Cidrs: strs([v.ipv6_cidr_block]),
          tags: tfTags(r),
          source,
          planned: true,
        });
        break;
      case 'aws_subnet':
        cloud.add('subnets', 'Subnet', id, {
          id,
          vpcId: ref(r, 'vpc_id') ?? '',
          ...optStr('cidr', v.cidr_block),
          ...optStr('ipv6Cidr', v.ipv6_cidr_block),
          ...optStr('availabilityZone', v.availability_zone),
          ...(typeof v.map_public_ip_on_launch === 'boolean' ? { mapPublicIpOnLaunch: v.map_public_ip_on_launch } : {}),
          tags: tfTags(r),
          source,
          planned: true,
        });
        break;
      case 'aws_route_table':
        cloud.add('routeTables', 'RouteTable', id, {
          id,
          vpcId: ref(r, 'vpc_id') ?? '',
          routes: (Array.isArray(v.route) ? v.route.filter(isRecord) : []).map(tfRoute),
          subnetIds: [],
          tags: tfTags(r),
          source,
        });
        break;
      case 'aws_vpc_peering_connection':
        cloud.add('peerings', 'VpcPeering', id, {
          id,
          requesterVpcId: ref(r, 'vpc_id') ?? '',
          accepterVpcId: ref(r, 'peer_vpc_id') ?? '',
          requesterCidrs: [],
          accepterCidrs: [],
          tags: tfTags(r),
          source,
          planned: true,
        });
        break;
      case 'aws_security_group':
        cloud.add('securityGroups', 'SecurityGroup', id, {
          id,
          ...optStr('name', v.name),
          ...optStr('vpcId', ref(r, 'vpc_id')),
          ingress: (Array.isArray(v.ingress) ? v.ingress.filter(isRecord) : []).map(tfSgRule),
          egress: (Array.isArray(v.egress) ? v.egress.filter(isRecord) : []).map(tfSgRule),
          tags: tfTags(r),
          source,
        });
        break;
      case 'aws_lb':
      case 'aws_alb':
        cloud.add('loadBalancers', 'LoadBalancer', id, {
          name: typeof v.name === 'string' ? v.name : r.address,
          arn: typeof v.arn === 'string' ? v.arn : id,
          scheme: v.internal === true ? 'internal' : 'internet-facing',
          ...optStr('type', v.load_balancer_type),
          ...optStr('dnsName', v.dns_name),
          securityGroupIds: strs(v.security_groups),
          listenerPorts: [],
          tags: tfTags(r),
          source,
        });
        break;
      case 'aws_eks_cluster': {
        const vpc = first(v.vpc_config);
        const net = first(v.kubernetes_network_config);
        cloud.add('eksClusters', 'EksCluster', id, {
          name: typeof v.name === 'string' ? v.name : r.address,
          ...optStr('arn', v.arn),
          ...optStr('version', v.version),
          ...(typeof vpc.endpoint_public_access === 'boolean' ? { endpointPublicAccess: vpc.endpoint_public_access } : {}),
          ...(typeof vpc.endpoint_private_access === 'boolean' ? { endpointPrivateAccess: vpc.endpoint_private_access } : {}),
          ...(Array.isArray(vpc.public_access_cidrs) ? { publicAccessCidrs: strs(vpc.public_access_cidrs) } : {}),
          ...optStr('serviceIpv4Cidr', net.service_ipv4_cidr),
          ...optStr('serviceIpv6Cidr', net.service_ipv6_cidr),
          ...(Array.isArray(vpc.subnet_ids) ? { subnetIds: strs(vpc.subnet_ids) } : {}),
          securityGroupIds: strs(vpc.security_group_ids),
          tags: tfTags(r),
          source,
          planned: true,
        });
        break;
      }
      case 'aws_iam_role': {
        const trustPolicy = jsonPolicy(r, 'assume_role_policy');
        if (!trustPolicy) break;
        const name = typeof v.name === 'string' ? v.name : r.address;
        cloud.addRole({
          name,
          arn: typeof v.arn === 'string' ? v.arn : id,
          trustPolicy,
          permissionPolicies: (Array.isArray(v.inline_policy) ? v.inline_policy.filter(isRecord) : []).flatMap((p) => {
            const document = policyDocument(p.policy);
            return document && typeof p.name === 'string' ? [{ name: p.name, document }] : [];
          }),
          attachedPolicyArns: strs(v.managed_policy_arns),
          tags: tfTags(r),
          source,
          planned: true,
        });
        break;
      }
      case 'aws_iam_role_policy': {
        const role = ref(r, 'role', 'name');
        const document = jsonPolicy(r, 'policy');
        if (role && document) cloud.addInlinePolicy(role, typeof v.name === 'string' ? v.name : r.address, document);
        break;
      }
      case 'aws_iam_policy': {
        const document = jsonPolicy(r, 'policy');
        if (document) cloud.addPolicyDocument(typeof v.arn === 'string' ? v.arn : id, document);
        break;
      }
      case 'aws_iam_role_policy_attachment': {
        const role = ref(r, 'role', 'name');
        const policy = ref(r, 'policy_arn', 'arn');
        if (role && policy) cloud.attachPolicy(role, policy);
        break;
      }
      case 'aws_iam_instance_profile':
        cloud.add('instanceProfiles', 'InstanceProfile', id, {
          name: typeof v.name === 'string' ? v.name : r.address,
          arn: typeof v.arn === 'string' ? v.arn : id,
          roleNames: strs([ref(r, 'role', 'name')]),
          source,
        });
        break;
      case 'aws_instance':
      case 'aws_launch_template': {
        const md = first(v.metadata_options);
        const template = r.type === 'aws_launch_template';
        const profileBlock = first(v.iam_instance_profile);
        // A launch template names its profile in a nested block, often by reference to a profile in the same plan.
        const profile = template
          ? (optStr('name', profileBlock.name).name ?? ref(r, 'iam_instance_profile.name', 'name'))
          : ref(r, 'iam_instance_profile', 'name');
        const instanceTags = (Array.isArray(v.tag_specifications) ? v.tag_specifications.filter(isRecord) : [])
          .filter((t) => t.resource_type === 'instance')
          .map((t) => awsTags(t.tags));
        const instance: Ec2Instance = {
          id,
          kind: template ? 'launch-template' : 'instance',
          ...(template ? { launchTemplate: { ...optStr('name', v.name) } } : {}),
          ...optStr('instanceProfileName', profile),
          ...(template ? optStr('instanceProfileArn', profileBlock.arn) : {}),
          ...(Object.keys(md).length > 0
            ? { metadataOptions: metadataOptions(md.http_tokens, md.http_put_response_hop_limit, md.http_endpoint) }
            : {}),
          ...optStr('subnetId', ref(r, 'subnet_id')),
          ...optStr('privateIp', v.private_ip),
          tags: tfTags(r),
          ...(instanceTags.length > 0 ? { instanceTags: Object.assign({}, ...instanceTags) as Tags } : {}),
          source,
          planned: true,
        };
        cloud.add('instances', template ? 'LaunchTemplate' : 'Instance', id, instance);
        break;
      }
      case 'aws_eks_pod_identity_association':
        cloud.add('podIdentityAssociations', 'PodIdentityAssociation', id, {
          clusterName: ref(r, 'cluster_name', 'name') ?? '',
          namespace: String(v.namespace ?? ''),
          serviceAccount: String(v.service_account ?? ''),
          roleArn: ref(r, 'role_arn', 'arn') ?? '',
          tags: tfTags(r),
          source,
        });
        break;
      default:
        break;
    }
  }

  // Resources that attach to others, after every owner exists.
  for (const r of resources) {
    const v = r.values;
    if (r.type === 'aws_route_table_association') {
      const table = cloud.cloud.routeTables.find((t) => t.id === ref(r, 'route_table_id'));
      const subnet = ref(r, 'subnet_id');
      if (table && subnet) table.subnetIds.push(subnet);
    } else if (r.type === 'aws_route') {
      cloud.cloud.routeTables.find((t) => t.id === ref(r, 'route_table_id'))?.routes.push(tfRoute(v));
    } else if (r.type === 'aws_security_group_rule') {
      const group = cloud.cloud.securityGroups.find((g) => g.id === ref(r, 'security_group_id'));
      const rule = tfSgRule({ ...v, security_groups: strs([ref(r, 'source_security_group_id')]) });
      if (group) (v.type === 'egress' ? group.egress : group.ingress).push(rule);
    } else if (r.type === 'aws_vpc_security_group_ingress_rule' || r.type === 'aws_vpc_security_group_egress_rule') {
      const group = cloud.cloud.securityGroups.find((g) => g.id === ref(r, 'security_group_id'));
      const rule: SecurityGroupRule = {
        protocol: protocol(v.ip_protocol),
        ...num('fromPort', v.from_port),
        ...num('toPort', v.to_port),
        cidrs: strs([v.cidr_ipv4]),
        ipv6Cidrs: strs([v.cidr_ipv6]),
        sourceGroupIds: strs([ref(r, 'referenced_security_group_id')]),
      };
      if (group) (r.type.endsWith('egress_rule') ? group.egress : group.ingress).push(rule);
    } else if (r.type === 'aws_lb_listener' || r.type === 'aws_alb_listener') {
      const lb = ref(r, 'load_balancer_arn', 'arn');
      if (lb && typeof v.port === 'number') cloud.addListenerPort(lb, v.port);
    } else if (r.type === 'aws_vpc_ipv4_cidr_block_association') {
      const vpc = cloud.cloud.vpcs.find((x) => x.id === ref(r, 'vpc_id'));
      if (vpc && typeof v.cidr_block === 'string') vpc.cidrs.push(v.cidr_block);
    } else if (r.type === 'aws_instance' || r.type === 'aws_launch_template') {
      const instance = cloud.cloud.instances.find((i) => i.id === idOf(r));
      const profile = cloud.cloud.instanceProfiles.find((p) => p.name === instance?.instanceProfileName);
      if (instance && !instance.instanceProfileArn && profile?.arn) instance.instanceProfileArn = profile.arn;
    }
  }
  // Peering CIDRs come from the planned VPCs when the plan has them.
  for (const p of cloud.cloud.peerings) {
    if (p.requesterCidrs.length === 0) p.requesterCidrs = cloud.cloud.vpcs.find((x) => x.id === p.requesterVpcId)?.cidrs.slice() ?? [];
    if (p.accepterCidrs.length === 0) p.accepterCidrs = cloud.cloud.vpcs.find((x) => x.id === p.accepterVpcId)?.cidrs.slice() ?? [];
  }
  return unmapped;
}

/** Prefers resource_changes (has after_unknown); falls back to planned_values. Data sources and deletions are skipped. */
function plannedResources(plan: Rec): PlannedResource[] {
  const references = configurationReferences(plan.configuration);
  const out: PlannedResource[] = [];
  if (Array.isArray(plan.resource_changes)) {
    plan.resource_changes.forEach((rc: unknown, i) => {
      if (!isRecord(rc) || rc.mode === 'data' || !isRecord(rc.change)) return;
      const { after, after_unknown: unknown } = rc.change;
      if (!isRecord(after) || typeof rc.address !== 'string' || typeof rc.type !== 'string') return;
      out.push({
        address: rc.address,
        type: rc.type,
        values: after,
        unknown: isRecord(unknown) ? unknown : {},
        references: references.get(configAddress(rc.address)) ?? {},
        path: ['resource_changes', i],
      });
    });
    return out;
  }
  const walk = (module: unknown, path: (string | number)[]): void => {
    if (!isRecord(module)) return;
    (Array.isArray(module.resources) ? module.resources : []).forEach((r: unknown, i) => {
      if (!isRecord(r) || r.mode === 'data' || typeof r.address !== 'string' || typeof r.type !== 'string') return;
      out.push({
        address: r.address,
        type: r.type,
        values: isRecord(r.values) ? r.values : {},
        unknown: {},
        references: references.get(configAddress(r.address)) ?? {},
        path: [...path, 'resources', i],
      });
    });
    (Array.isArray(module.child_modules) ? module.child_modules : []).forEach((m: unknown, i) => walk(m, [...path, 'child_modules', i]));
  };
  walk(isRecord(plan.planned_values) ? plan.planned_values.root_module : undefined, ['planned_values', 'root_module']);
  return out;
}

/** Root-module expression references by resource address (instance keys stripped): references name other resources. */
function configurationReferences(configuration: unknown): Map<string, Record<string, string[]>> {
  const out = new Map<string, Record<string, string[]>>();
  const root = isRecord(configuration) && isRecord(configuration.root_module) ? configuration.root_module : {};
  for (const r of Array.isArray(root.resources) ? root.resources.filter(isRecord) : []) {
    if (typeof r.address !== 'string' || !isRecord(r.expressions)) continue;
    const refs: Record<string, string[]> = {};
    // ['aws_vpc.main.id', 'aws_vpc.main'] → resource addresses only (two dotted parts, or three for data/module).
    const addresses = (list: unknown[]): string[] =>
      list.filter((x): x is string => typeof x === 'string').map((x) => x.split('.').slice(0, 2).join('.'));
    for (const [attr, expr] of Object.entries(r.expressions)) {
      if (isRecord(expr) && Array.isArray(expr.references)) refs[attr] = addresses(expr.references);
      // A nested block (`iam_instance_profile { name = aws_iam_instance_profile.nodes.name }`) is a list of
      // expression maps: its references are keyed `block.attr`.
      if (Array.isArray(expr) && isRecord(expr[0])) {
        for (const [sub, subExpr] of Object.entries(expr[0])) {
          if (isRecord(subExpr) && Array.isArray(subExpr.references)) refs[`${attr}.${sub}`] = addresses(subExpr.references);
        }
      }
    }
    out.set(r.address, refs);
  }
  return out;
}

function configAddress(address: string): string {
  return address.replace(/\[[^\]]*\]/g, '');
}

function tfRoute(route: Rec): { destination: string; target: string } {
  const dest =
    route.cidr_block ||
    route.ipv6_cidr_block ||
    route.destination_cidr_block ||
    route.destination_ipv6_cidr_block ||
    route.destination_prefix_list_id;
  const target =
    route.gateway_id ||
    route.nat_gateway_id ||
    route.vpc_peering_connection_id ||
    route.transit_gateway_id ||
    route.network_interface_id ||
    route.egress_only_gateway_id ||
    route.local_gateway_id ||
    route.carrier_gateway_id;
  return { destination: typeof dest === 'string' ? dest : '', target: typeof target === 'string' ? target : '' };
}

function tfSgRule(rule: Rec): SecurityGroupRule {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    protocol: protocol(rule.protocol),
    ...num('fromPort', rule.from_port),
    ...num('toPort', rule.to_port),
    cidrs: list(rule.cidr_blocks),
    ipv6Cidrs: list(rule.ipv6_cidr_blocks),
    sourceGroupIds: list(rule.security_groups),
  };
}

/** Terraform accepts `all`, `-1`, names or numbers; the AWS CLI prints `-1`, `tcp`, `udp`, `icmp`. */
function protocol(value: unknown): string {
  const p = String(value ?? '-1').toLowerCase();
  return ({ all: '-1', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' } as Record<string, string>)[p] ?? p;
}

function num<K extends string>(key: K, value: unknown): { [P in K]?: number } {
  return typeof value === 'number' ? ({ [key]: value } as { [P in K]?: number }) : {};
}
function optStr<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return typeof value === 'string' && value !== '' ? ({ [key]: value } as { [P in K]?: string }) : {};
}
