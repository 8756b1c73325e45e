// Reads one AWS account and region with Describe/List/Get calls only (READ_ONLY_ACTIONS is the whole set, the
// README's IAM policy lists it and a test checks it against the calls made). Each call's pages are merged into the
// JSON the AWS CLI prints for the same command, so the CLI-output reader turns both into the same state.
import {
  paginateDescribeInstances,
  paginateDescribeLaunchTemplates,
  paginateDescribeLaunchTemplateVersions,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcPeeringConnections,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  paginateListClusters,
  paginateListPodIdentityAssociations,
} from '@aws-sdk/client-eks';
import { DescribeTagsCommand, paginateDescribeListeners, paginateDescribeLoadBalancers } from '@aws-sdk/client-elastic-load-balancing-v2';
import { paginateGetAccountAuthorizationDetails, paginateListInstanceProfiles } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from './awsClients.ts';
import { awsError } from './accessErrors.ts';
import { cliShape } from './cliShape.ts';

export const READ_ONLY_ACTIONS = [
  'sts:GetCallerIdentity',
  'ec2:DescribeVpcs',
  'ec2:DescribeSubnets',
  'ec2:DescribeRouteTables',
  'ec2:DescribeVpcPeeringConnections',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeInstances',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribeLaunchTemplateVersions',
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DescribeListeners',
  'eks:ListClusters',
  'eks:DescribeCluster',
  'eks:ListPodIdentityAssociations',
  'eks:DescribePodIdentityAssociation',
  'iam:GetAccountAuthorizationDetails',
  'iam:ListInstanceProfiles',
] as const;
type ReadOnlyAction = (typeof READ_ONLY_ACTIONS)[number];

/** One CLI-shaped output: `command` is the AWS CLI command printing the same JSON. */
export interface AwsOutput {
  action: ReadOnlyAction;
  command: string;
  value: Record<string, unknown>;
}

export interface GatherOptions {
  /** Only this EKS cluster (default: every cluster ListClusters returns). */
  eksCluster?: string;
}

interface Gathered {
  accountId: string;
  region: string;
  outputs: AwsOutput[];
  /** Operations a local AWS API (--endpoint-url) does not implement: reported as warnings, never on AWS itself. */
  unsupported: { action: ReadOnlyAction; what: string }[];
}

// ELBv2 DescribeTags takes at most 20 ARNs per call.
const TAG_BATCH = 20;

export async function gatherAccount(c: AwsClients, options: GatherOptions = {}): Promise<Gathered> {
  const outputs: AwsOutput[] = [];
  const call = async <T>(action: ReadOnlyAction, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw awsError(error, action);
    }
  };
  /** All pages of a paginator, their `key` lists concatenated. */
  const pages = async <P>(action: ReadOnlyAction, key: string, paginator: AsyncIterable<P>): Promise<unknown[]> =>
    call(action, async () => {
      const items: unknown[] = [];
      for await (const page of paginator) items.push(...((page as Record<string, unknown[] | undefined>)[key] ?? []));
      return items;
    });
  const unsupported: Gathered['unsupported'] = [];
  /** A call a local AWS API may not implement (moto has no EKS Pod Identity): a warning there, an error on AWS. */
  const optional = async <T>(action: ReadOnlyAction, what: string, fn: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await fn();
    } catch (error) {
      if (c.endpoint === undefined || !notImplemented(error)) throw error;
      unsupported.push({ action, what });
      return [];
    }
  };
  const output = (action: ReadOnlyAction, command: string, value: Record<string, unknown>): void => {
    outputs.push({ action, command, value: cliShape(value) as Record<string, unknown> });
  };

  // Resolves the region and credentials first, so a missing one is reported once, before any other call.
  const region = await call('sts:GetCallerIdentity', () => c.sts.config.region());
  const identity = await call('sts:GetCallerIdentity', () => c.sts.send(new GetCallerIdentityCommand({})));

  const ec2 = { client: c.ec2 };
  const list = async (action: ReadOnlyAction, command: string, key: string, paginator: AsyncIterable<unknown>): Promise<unknown[]> => {
    const items = await pages(action, key, paginator);
    output(action, command, { [key]: items });
    return items;
  };
  await list('ec2:DescribeVpcs', 'aws ec2 describe-vpcs', 'Vpcs', paginateDescribeVpcs(ec2, {}));
  await list('ec2:DescribeSubnets', 'aws ec2 describe-subnets', 'Subnets', paginateDescribeSubnets(ec2, {}));
  await list('ec2:DescribeRouteTables', 'aws ec2 describe-route-tables', 'RouteTables', paginateDescribeRouteTables(ec2, {}));
  await list(
    'ec2:DescribeVpcPeeringConnections',
    'aws ec2 describe-vpc-peering-connections',
    'VpcPeeringConnections',
    paginateDescribeVpcPeeringConnections(ec2, {}),
  );
  await list('ec2:DescribeSecurityGroups', 'aws ec2 describe-security-groups', 'SecurityGroups', paginateDescribeSecurityGroups(ec2, {}));
  await list('ec2:DescribeInstances', 'aws ec2 describe-instances', 'Reservations', paginateDescribeInstances(ec2, {}));
  // Every version of every template: a node launched later may use any of them ($Default, $Latest or a number).
  const templates = (await pages('ec2:DescribeLaunchTemplates', 'LaunchTemplates', paginateDescribeLaunchTemplates(ec2, {}))) as {
    LaunchTemplateId?: string;
  }[];
  for (const t of templates) {
    if (!t.LaunchTemplateId) continue;
    await list(
      'ec2:DescribeLaunchTemplateVersions',
      `aws ec2 describe-launch-template-versions --launch-template-id ${t.LaunchTemplateId}`,
      'LaunchTemplateVersions',
      paginateDescribeLaunchTemplateVersions(ec2, { LaunchTemplateId: t.LaunchTemplateId }),
    );
  }

  const elb = { client: c.elbv2 };
  const lbs = (await list(
    'elasticloadbalancing:DescribeLoadBalancers',
    'aws elbv2 describe-load-balancers',
    'LoadBalancers',
    paginateDescribeLoadBalancers(elb, {}),
  )) as { LoadBalancerArn?: string }[];
  const arns = lbs.map((lb) => lb.LoadBalancerArn).filter((a): a is string => a !== undefined);
  for (let i = 0; i < arns.length; i += TAG_BATCH) {
    const batch = arns.slice(i, i + TAG_BATCH);
    const tags = await call('elasticloadbalancing:DescribeTags', () => c.elbv2.send(new DescribeTagsCommand({ ResourceArns: batch })));
    output('elasticloadbalancing:DescribeTags', `aws elbv2 describe-tags --resource-arns ${batch.join(' ')}`, {
      TagDescriptions: tags.TagDescriptions ?? [],
    });
  }
  for (const arn of arns) {
    await list(
      'elasticloadbalancing:DescribeListeners',
      `aws elbv2 describe-listeners --load-balancer-arn ${arn}`,
      'Listeners',
      paginateDescribeListeners(elb, { LoadBalancerArn: arn }),
    );
  }

  const eks = { client: c.eks };
  const clusters =
    options.eksCluster !== undefined
      ? [options.eksCluster]
      : ((await pages('eks:ListClusters', 'clusters', paginateListClusters(eks, {}))) as string[]);
  for (const name of clusters) {
    const described = await call('eks:DescribeCluster', () => c.eks.send(new DescribeClusterCommand({ name })));
    output('eks:DescribeCluster', `aws eks describe-cluster --name ${name}`, { cluster: described.cluster });
    // The list omits roleArn; each association is described for it.
    const associations = (await optional('eks:ListPodIdentityAssociations', `pod identity associations of EKS cluster ${name}`, () =>
      pages('eks:ListPodIdentityAssociations', 'associations', paginateListPodIdentityAssociations(eks, { clusterName: name })),
    )) as { associationId?: string }[];
    for (const a of associations) {
      if (!a.associationId) continue;
      const associationId = a.associationId;
      const one = await call('eks:DescribePodIdentityAssociation', () =>
        c.eks.send(new DescribePodIdentityAssociationCommand({ clusterName: name, associationId })),
      );
      output(
        'eks:DescribePodIdentityAssociation',
        `aws eks describe-pod-identity-association --cluster-name ${name} --association-id ${associationId}`,
        { association: one.association },
      );
    }
  }

  // Roles with trust policies, inline and attached policies, and the documents of the managed policies, in one
  // paginated call; instance profiles (the link from an instance to its role) separately.
  const iam = { client: c.iam };
  const details = { RoleDetailList: [] as unknown[], Policies: [] as unknown[] };
  await call('iam:GetAccountAuthorizationDetails', async () => {
    for await (const page of paginateGetAccountAuthorizationDetails(iam, { Filter: ['Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] })) {
      details.RoleDetailList.push(...(page.RoleDetailList ?? []));
      details.Policies.push(...(page.Policies ?? []));
    }
  });
  output(
    'iam:GetAccountAuthorizationDetails',
    'aws iam get-account-authorization-details --filter Role LocalManagedPolicy AWSManagedPolicy',
    details,
  );
  await list('iam:ListInstanceProfiles', 'aws iam list-instance-profiles', 'InstanceProfiles', paginateListInstanceProfiles(iam, {}));

  return { accountId: identity.Account ?? '', region, outputs, unsupported };
}

/** A 404 without an AWS error code: the endpoint has no such route (an AWS API answers with a named error). */
function notImplemented(error: unknown): boolean {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const meta = (cause as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata;
  return meta?.httpStatusCode === 404 && (cause as Error).name === 'SyntaxError';
}
