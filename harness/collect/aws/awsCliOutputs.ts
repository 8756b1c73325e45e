// AWS CLI JSON outputs, recognised by their top-level key (`aws ec2 describe-vpcs` → {Vpcs}, …).
// Load balancer tags come from `aws elbv2 describe-tags` / `aws elb describe-tags` {TagDescriptions}, joined by ARN / name.
// Launch templates come from `aws ec2 describe-launch-template-versions` {LaunchTemplateVersions}, one entry per version.
//
// Associating IAM pieces with roles (the CLI does not always say which role an output belongs to):
//  - `aws iam get-role` {Role}, `list-roles` {Roles}: the role, trust policy URL-decoded.
//  - `aws iam get-role-policy` {RoleName, PolicyName, PolicyDocument}: an inline policy of RoleName.
//  - `aws iam list-attached-role-policies` {AttachedPolicies}: names no role, so the file must say which: add a
//    top-level "RoleName" (`… | jq '. + {RoleName: "R"}'`) or name the file `R.attached-role-policies.json`.
//  - `aws iam get-policy-version` {PolicyVersion}: names no policy, so add "PolicyArn" (`jq '. + {PolicyArn: "…"}'`)
//    or name the file `POLICYNAME.policy-version.json`. Documents are matched to attachments by ARN, then by name.
//  - `aws iam get-account-authorization-details` {RoleDetailList, Policies}: everything at once (preferred).
import { basename } from 'node:path';
import type { IamRole, SecurityGroupRule, Tags } from '../../model/state.ts';
import type { InputProblem } from '../../errors.ts';
import type { ParsedObject } from '../files/parseInputFile.ts';
import { CloudCollector, policyDocument } from './cloudCollector.ts';
import { isRecord } from '../../model/isRecord.ts';

type Rec = Record<string, unknown>;

/** Returns false when the object is not an AWS CLI output we know. */
export function readAwsCliOutput(parsed: ParsedObject, cloud: CloudCollector, problems: InputProblem[]): boolean {
  const v = parsed.value;
  if (!isRecord(v)) return false;
  const file = parsed.location.file;
  const each = (key: string, fn: (item: Rec, path: (string | number)[]) => void): void => {
    const list = v[key];
    if (Array.isArray(list))
      list.forEach((item, i) => {
        if (isRecord(item)) fn(item, [key, i]);
      });
  };
  const problem = (path: (string | number)[], message: string, fix: string): void => {
    const at = parsed.locate(path);
    problems.push({ file, line: at.line, column: at.column, pointer: `/${path.join('/')}`, message, fix });
  };
  let known = true;

  if (Array.isArray(v.Vpcs)) {
    each('Vpcs', (vpc, path) =>
      cloud.add('vpcs', 'Vpc', str(vpc.VpcId), {
        id: str(vpc.VpcId),
        cidrs: unique([
          str(vpc.CidrBlock),
          ...records(vpc.CidrBlockAssociationSet)
            .filter(associated)
            .map((a) => str(a.CidrBlock)),
        ]),
        ipv6Cidrs: unique(
          records(vpc.Ipv6CidrBlockAssociationSet)
            .filter(associated)
            .map((a) => str(a.Ipv6CidrBlock)),
        ),
        tags: tags(vpc.Tags),
        source: parsed.locate(path),
      }),
    );
  } else if (Array.isArray(v.Subnets)) {
    each('Subnets', (s, path) =>
      cloud.add('subnets', 'Subnet', str(s.SubnetId), {
        id: str(s.SubnetId),
        vpcId: str(s.VpcId),
        ...opt('cidr', s.CidrBlock),
        ...opt(
          'ipv6Cidr',
          records(s.Ipv6CidrBlockAssociationSet)
            .filter(associated)
            .map((a) => a.Ipv6CidrBlock)[0],
        ),
        ...opt('availabilityZone', s.AvailabilityZone),
        ...(typeof s.MapPublicIpOnLaunch === 'boolean' ? { mapPublicIpOnLaunch: s.MapPublicIpOnLaunch } : {}),
        tags: tags(s.Tags),
        source: parsed.locate(path),
      }),
    );
  } else if (Array.isArray(v.RouteTables)) {
    each('RouteTables', (rt, path) =>
      cloud.add('routeTables', 'RouteTable', str(rt.RouteTableId), {
        id: str(rt.RouteTableId),
        vpcId: str(rt.VpcId),
        routes: records(rt.Routes).map((r) => ({
          destination: str(r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId),
          target: str(
            r.GatewayId ??
              r.NatGatewayId ??
              r.VpcPeeringConnectionId ??
              r.TransitGatewayId ??
              r.NetworkInterfaceId ??
              r.InstanceId ??
              r.EgressOnlyInternetGatewayId ??
              r.LocalGatewayId ??
              r.CarrierGatewayId ??
              r.CoreNetworkArn,
          ),
        })),
        subnetIds: records(rt.Associations)
          .map((a) => a.SubnetId)
          .filter((x): x is string => typeof x === 'string'),
        tags: tags(rt.Tags),
        source: parsed.locate(path),
      }),
    );
  } else if (Array.isArray(v.VpcPeeringConnections)) {
    each('VpcPeeringConnections', (p, path) => {
      const req = isRecord(p.RequesterVpcInfo) ? p.RequesterVpcInfo : {};
      const acc = isRecord(p.AccepterVpcInfo) ? p.AccepterVpcInfo : {};
      cloud.add('peerings', 'VpcPeering', str(p.VpcPeeringConnectionId), {
        id: str(p.VpcPeeringConnectionId),
        requesterVpcId: str(req.VpcId),
        accepterVpcId: str(acc.VpcId),
        requesterCidrs: peerCidrs(req),
        accepterCidrs: peerCidrs(acc),
        tags: tags(p.Tags),
        source: parsed.locate(path),
      });
    });
  } else if (Array.isArray(v.SecurityGroups)) {
    each('SecurityGroups', (g, path) =>
      cloud.add('securityGroups', 'SecurityGroup', str(g.GroupId), {
        id: str(g.GroupId),
        ...opt('name', g.GroupName),
        ...opt('vpcId', g.VpcId),
        ingress: records(g.IpPermissions).map(sgRule),
        egress: records(g.IpPermissionsEgress).map(sgRule),
        tags: tags(g.Tags),
        source: parsed.locate(path),
      }),
    );
  } else if (Array.isArray(v.LoadBalancers)) {
    each('LoadBalancers', (lb, path) =>
      cloud.add('loadBalancers', 'LoadBalancer', str(lb.LoadBalancerArn ?? lb.LoadBalancerName), {
        name: str(lb.LoadBalancerName),
        ...opt('arn', lb.LoadBalancerArn),
        scheme: lb.Scheme === 'internal' ? 'internal' : 'internet-facing',
        ...opt('type', lb.Type),
        ...opt('dnsName', lb.DNSName),
        ...opt('vpcId', lb.VpcId),
        securityGroupIds: strings(lb.SecurityGroups),
        listenerPorts: [],
        tags: tags(lb.Tags),
        source: parsed.locate(path),
      }),
    );
  } else if (Array.isArray(v.LoadBalancerDescriptions)) {
    // Classic ELB (`aws elb describe-load-balancers`): listeners are inline.
    each('LoadBalancerDescriptions', (lb, path) =>
      cloud.add('loadBalancers', 'LoadBalancer', str(lb.LoadBalancerName), {
        name: str(lb.LoadBalancerName),
        scheme: lb.Scheme === 'internal' ? 'internal' : 'internet-facing',
        type: 'classic',
        ...opt('dnsName', lb.DNSName),
        ...opt('vpcId', lb.VPCId),
        securityGroupIds: strings(lb.SecurityGroups),
        listenerPorts: records(lb.ListenerDescriptions)
          .map((d) => (isRecord(d.Listener) ? d.Listener.LoadBalancerPort : undefined))
          .filter((p): p is number => typeof p === 'number'),
        tags: {},
        source: parsed.locate(path),
      }),
    );
  } else if (Array.isArray(v.TagDescriptions)) {
    // `aws elbv2 describe-tags` (ResourceArn) / `aws elb describe-tags` (LoadBalancerName): describe-load-balancers
    // prints no tags, so they are joined to their load balancer in finish(), whichever file came first.
    each('TagDescriptions', (d) => {
      if (typeof d.ResourceArn === 'string') cloud.addLoadBalancerTags({ arn: d.ResourceArn }, tags(d.Tags));
      else if (typeof d.LoadBalancerName === 'string') cloud.addLoadBalancerTags({ name: d.LoadBalancerName }, tags(d.Tags));
    });
  } else if (Array.isArray(v.Listeners)) {
    each('Listeners', (l) => {
      if (typeof l.LoadBalancerArn === 'string' && typeof l.Port === 'number') cloud.addListenerPort(l.LoadBalancerArn, l.Port);
    });
  } else if (isRecord(v.cluster) && typeof v.cluster.name === 'string') {
    readEksCluster(v.cluster, parsed, cloud);
  } else if (isRecord(v.Role) || Array.isArray(v.Roles)) {
    const roles = isRecord(v.Role) ? [['Role'] as (string | number)[]] : records(v.Roles).map((_r, i) => ['Roles', i]);
    for (const path of roles) {
      const role = (path.length === 1 ? v.Role : (v.Roles as unknown[])[path[1] as number]) as Rec;
      const r = iamRole(role, parsed.locate(path));
      if (!r)
        problem(
          [...path, 'AssumeRolePolicyDocument'],
          `role ${str(role.RoleName)}: AssumeRolePolicyDocument is not a policy document`,
          'export it again with `aws iam get-role --role-name NAME --output json`',
        );
      else cloud.addRole(r);
    }
  } else if (typeof v.RoleName === 'string' && typeof v.PolicyName === 'string' && v.PolicyDocument !== undefined) {
    const document = policyDocument(v.PolicyDocument);
    if (!document) problem(['PolicyDocument'], 'PolicyDocument is not a policy document', 'export it again with `aws iam get-role-policy`');
    else cloud.addInlinePolicy(v.RoleName, v.PolicyName, document);
  } else if (Array.isArray(v.AttachedPolicies)) {
    const roleName = typeof v.RoleName === 'string' ? v.RoleName : basename(file).match(/^(.+)\.attached-role-policies\.json$/)?.[1];
    if (!roleName) {
      problem(
        ['AttachedPolicies'],
        'list-attached-role-policies output does not say which role it belongs to',
        'add the role: `aws iam list-attached-role-policies --role-name R | jq \'. + {RoleName: "R"}\'`, or name the file R.attached-role-policies.json',
      );
    } else {
      each('AttachedPolicies', (p) => {
        if (typeof p.PolicyArn === 'string') cloud.attachPolicy(roleName, p.PolicyArn);
      });
    }
  } else if (isRecord(v.PolicyVersion)) {
    const key = typeof v.PolicyArn === 'string' ? v.PolicyArn : basename(file).match(/^(.+)\.policy-version\.json$/)?.[1];
    const document = policyDocument(v.PolicyVersion.Document);
    if (!key) {
      problem(
        ['PolicyVersion'],
        'get-policy-version output does not say which policy it belongs to',
        'add the ARN: `aws iam get-policy-version … | jq \'. + {PolicyArn: "arn:…"}\'`, or name the file POLICYNAME.policy-version.json',
      );
    } else if (!document) {
      problem(
        ['PolicyVersion', 'Document'],
        'PolicyVersion.Document is not a policy document',
        'export it again with `aws iam get-policy-version`',
      );
    } else cloud.addPolicyDocument(key, document);
  } else if (Array.isArray(v.RoleDetailList) || (Array.isArray(v.Policies) && Array.isArray(v.UserDetailList))) {
    readAuthorizationDetails(v, parsed, cloud);
  } else if (isRecord(v.InstanceProfile) || Array.isArray(v.InstanceProfiles)) {
    const list = isRecord(v.InstanceProfile) ? [v.InstanceProfile] : records(v.InstanceProfiles);
    list.forEach((ip, i) =>
      readInstanceProfile(ip, parsed.locate(isRecord(v.InstanceProfile) ? ['InstanceProfile'] : ['InstanceProfiles', i]), cloud),
    );
  } else if (Array.isArray(v.Reservations)) {
    each('Reservations', (res, rpath) =>
      records(res.Instances).forEach((inst, i) => {
        const md = isRecord(inst.MetadataOptions) ? inst.MetadataOptions : undefined;
        const profile = isRecord(inst.IamInstanceProfile) ? inst.IamInstanceProfile : undefined;
        cloud.add('instances', 'Instance', str(inst.InstanceId), {
          id: str(inst.InstanceId),
          kind: 'instance',
          ...opt('instanceProfileArn', profile?.Arn),
          ...(md ? { metadataOptions: metadataOptions(md.HttpTokens, md.HttpPutResponseHopLimit, md.HttpEndpoint) } : {}),
          ...opt('subnetId', inst.SubnetId),
          ...opt('vpcId', inst.VpcId),
          ...opt('privateIp', inst.PrivateIpAddress),
          ...opt('publicIp', inst.PublicIpAddress),
          tags: tags(inst.Tags),
          source: parsed.locate([...rpath, 'Instances', i]),
        });
      }),
    );
  } else if (Array.isArray(v.LaunchTemplateVersions)) {
    // `aws ec2 describe-launch-template-versions`: every node launched from a version gets its metadata options and
    // instance profile. The template's own tags are not printed (describe-launch-templates has them), so they are
    // marked not collected rather than read as "untagged". UserData and the rest of the data are not kept.
    each('LaunchTemplateVersions', (ltv, path) => {
      const data = isRecord(ltv.LaunchTemplateData) ? ltv.LaunchTemplateData : {};
      const md = isRecord(data.MetadataOptions) ? data.MetadataOptions : undefined;
      const profile = isRecord(data.IamInstanceProfile) ? data.IamInstanceProfile : undefined;
      const instanceTags = records(data.TagSpecifications)
        .filter((t) => t.ResourceType === 'instance')
        .map((t) => tags(t.Tags));
      const id = str(ltv.LaunchTemplateId);
      const version = typeof ltv.VersionNumber === 'number' ? ltv.VersionNumber : undefined;
      cloud.add('instances', 'LaunchTemplate', `${id}:${version ?? '?'}`, {
        id,
        kind: 'launch-template',
        launchTemplate: {
          ...opt('name', ltv.LaunchTemplateName),
          ...(version === undefined ? {} : { version }),
          ...(typeof ltv.DefaultVersion === 'boolean' ? { isDefault: ltv.DefaultVersion } : {}),
        },
        ...opt('instanceProfileArn', profile?.Arn),
        ...opt('instanceProfileName', profile?.Name),
        ...(md ? { metadataOptions: metadataOptions(md.HttpTokens, md.HttpPutResponseHopLimit, md.HttpEndpoint) } : {}),
        ...(instanceTags.length > 0 ? { instanceTags: Object.assign({}, ...instanceTags) as Tags } : {}),
        tags: {},
        tagsCollected: false,
        source: parsed.locate(path),
      });
    });
  } else if (isRecord(v.association) || Array.isArray(v.associations)) {
    const list = isRecord(v.association) ? [v.association] : records(v.associations);
    list.forEach((a, i) => {
      // list-pod-identity-associations omits roleArn; such summaries cannot be judged and are skipped.
      if (typeof a.roleArn !== 'string') return;
      cloud.add('podIdentityAssociations', 'PodIdentityAssociation', str(a.associationId ?? `${a.namespace}/${a.serviceAccount}`), {
        clusterName: str(a.clusterName),
        namespace: str(a.namespace),
        serviceAccount: str(a.serviceAccount),
        roleArn: a.roleArn,
        ...opt('associationId', a.associationId),
        ...(isRecord(a.tags) ? { tags: a.tags as Tags } : {}),
        source: parsed.locate(isRecord(v.association) ? ['association'] : ['associations', i]),
      });
    });
  } else {
    known = false;
  }
  return known;
}

function readEksCluster(c: Rec, parsed: ParsedObject, cloud: CloudCollector): void {
  const vpc = isRecord(c.resourcesVpcConfig) ? c.resourcesVpcConfig : {};
  const net = isRecord(c.kubernetesNetworkConfig) ? c.kubernetesNetworkConfig : {};
  const oidc = isRecord(c.identity) && isRecord(c.identity.oidc) ? c.identity.oidc.issuer : undefined;
  const arn = typeof c.arn === 'string' ? c.arn : undefined;
  cloud.add('eksClusters', 'EksCluster', str(c.name), {
    name: str(c.name),
    ...opt('arn', arn),
    ...opt('version', c.version),
    ...opt('endpoint', c.endpoint),
    ...(typeof vpc.endpointPublicAccess === 'boolean' ? { endpointPublicAccess: vpc.endpointPublicAccess } : {}),
    ...(typeof vpc.endpointPrivateAccess === 'boolean' ? { endpointPrivateAccess: vpc.endpointPrivateAccess } : {}),
    ...(Array.isArray(vpc.publicAccessCidrs) ? { publicAccessCidrs: strings(vpc.publicAccessCidrs) } : {}),
    ...opt('serviceIpv4Cidr', net.serviceIpv4Cidr),
    ...opt('serviceIpv6Cidr', net.serviceIpv6Cidr),
    ...opt('vpcId', vpc.vpcId),
    ...(Array.isArray(vpc.subnetIds) ? { subnetIds: strings(vpc.subnetIds) } : {}),
    securityGroupIds: unique([...strings(vpc.securityGroupIds), str(vpc.clusterSecurityGroupId)]),
    ...opt('oidcIssuer', oidc),
    ...opt('accountId', arn?.split(':')[4]),
    tags: isRecord(c.tags) ? (c.tags as Tags) : {},
    source: parsed.locate(['cluster']),
  });
}

function readAuthorizationDetails(v: Rec, parsed: ParsedObject, cloud: CloudCollector): void {
  records(v.Policies).forEach((p) => {
    const version = records(p.PolicyVersionList).find((x) => x.IsDefaultVersion === true);
    const document = policyDocument(version?.Document);
    if (document && typeof p.Arn === 'string') cloud.addPolicyDocument(p.Arn, document);
  });
  records(v.RoleDetailList).forEach((role, i) => {
    const r = iamRole(role, parsed.locate(['RoleDetailList', i]));
    if (!r) return;
    for (const inline of records(role.RolePolicyList)) {
      const document = policyDocument(inline.PolicyDocument);
      if (document && typeof inline.PolicyName === 'string') r.permissionPolicies.push({ name: inline.PolicyName, document });
    }
    for (const attached of records(role.AttachedManagedPolicies)) {
      if (typeof attached.PolicyArn === 'string') r.attachedPolicyArns.push(attached.PolicyArn);
    }
    cloud.addRole(r);
  });
  records(v.InstanceProfileList).forEach((ip, i) => readInstanceProfile(ip, parsed.locate(['InstanceProfileList', i]), cloud));
}

function readInstanceProfile(ip: Rec, source: ParsedObject['location'], cloud: CloudCollector): void {
  const roles = records(ip.Roles);
  cloud.add('instanceProfiles', 'InstanceProfile', str(ip.InstanceProfileName), {
    name: str(ip.InstanceProfileName),
    ...opt('arn', ip.Arn),
    roleNames: roles.map((r) => str(r.RoleName)),
    source,
  });
  // The profile's roles carry their trust policy: record them so node-role checks can see them.
  for (const role of roles) {
    const r = iamRole(role, source);
    if (r) cloud.addRole(r);
  }
}

function iamRole(role: Rec, source: ParsedObject['location']): IamRole | undefined {
  const trustPolicy = policyDocument(role.AssumeRolePolicyDocument);
  if (!trustPolicy) return undefined;
  return {
    name: str(role.RoleName),
    arn: str(role.Arn),
    trustPolicy,
    permissionPolicies: [],
    attachedPolicyArns: [],
    tags: tags(role.Tags),
    source,
  };
}

function sgRule(p: Rec): SecurityGroupRule {
  return {
    protocol: str(p.IpProtocol),
    ...(typeof p.FromPort === 'number' ? { fromPort: p.FromPort } : {}),
    ...(typeof p.ToPort === 'number' ? { toPort: p.ToPort } : {}),
    cidrs: records(p.IpRanges).map((r) => str(r.CidrIp)),
    ipv6Cidrs: records(p.Ipv6Ranges).map((r) => str(r.CidrIpv6)),
    sourceGroupIds: records(p.UserIdGroupPairs).map((r) => str(r.GroupId)),
  };
}

export function metadataOptions(
  httpTokens: unknown,
  hopLimit: unknown,
  endpoint: unknown,
): NonNullable<import('../../model/state.ts').Ec2Instance['metadataOptions']> {
  return {
    ...(httpTokens === 'required' || httpTokens === 'optional' ? { httpTokens } : {}),
    ...(typeof hopLimit === 'number' ? { httpPutResponseHopLimit: hopLimit } : {}),
    ...(endpoint === 'enabled' || endpoint === 'disabled' ? { httpEndpoint: endpoint } : {}),
  };
}

function peerCidrs(info: Rec): string[] {
  return unique([
    str(info.CidrBlock),
    ...records(info.CidrBlockSet).map((c) => str(c.CidrBlock)),
    ...records(info.Ipv6CidrBlockSet).map((c) => str(c.Ipv6CidrBlock)),
  ]);
}

function associated(a: Rec): boolean {
  const state = isRecord(a.CidrBlockState)
    ? a.CidrBlockState.State
    : isRecord(a.Ipv6CidrBlockState)
      ? a.Ipv6CidrBlockState.State
      : undefined;
  return state === undefined || state === 'associated' || state === 'associating';
}

export function tags(value: unknown): Tags {
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  const out: Tags = {};
  for (const t of records(value)) if (typeof t.Key === 'string') out[t.Key] = String(t.Value ?? '');
  return out;
}

function records(value: unknown): Rec[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
function unique(values: string[]): string[] {
  return [...new Set(values.filter((x) => x !== ''))];
}
function opt<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return typeof value === 'string' && value !== '' ? ({ [key]: value } as { [P in K]?: string }) : {};
}
