// What a worker node's own role legitimately needs (kubelet, VPC CNI, image pulls, SSM agent). Anything else
// on the node role is inherited by every pod that can reach IMDS, so it counts as application permission.
// Sources: AWS managed policies AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy, AmazonEC2ContainerRegistryReadOnly.

/** Managed policy names (any partition, account `aws`). */
const NODE_MANAGED_POLICIES: readonly string[] = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKSWorkerNodeMinimalPolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEKS_CNI_IPv6_Policy',
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonEC2ContainerRegistryPullOnly',
  // Node management through Session Manager is infrastructure, not an application permission.
  'AmazonSSMManagedInstanceCore',
];

/** Actions (exactly as written, case-insensitive) allowed in inline/customer policies on a node role. */
const NODE_ACTIONS: readonly string[] = [
  'ec2:Describe*',
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeRouteTables',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeVolumes',
  'ec2:DescribeVolumesModifications',
  'ec2:DescribeVpcs',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeTags',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
  'ec2:AssignIpv6Addresses',
  'ec2:AttachNetworkInterface',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DetachNetworkInterface',
  'ec2:ModifyNetworkInterfaceAttribute',
  'ec2:CreateTags',
  'eks:DescribeCluster',
  'eks-auth:AssumeRoleForPodIdentity',
  'ecr:GetAuthorizationToken',
  'ecr:BatchCheckLayerAvailability',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchGetImage',
  'ecr:GetRepositoryPolicy',
  'ecr:DescribeRepositories',
  'ecr:ListImages',
  'ecr:DescribeImages',
  'ecr:BatchImportUpstreamImage',
];

export function isNodeManagedPolicy(arn: string): boolean {
  const match = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match?.[1] !== undefined && NODE_MANAGED_POLICIES.includes(match[1]);
}

const allowedActions = new Set(NODE_ACTIONS.map((a) => a.toLowerCase()));

/** Allow-statement actions of a policy document that fall outside the node allowlist (NotAction counts as everything). */
export function applicationActions(document: { Statement: unknown }): string[] {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const extra: string[] = [];
  for (const statement of statements) {
    if (typeof statement !== 'object' || statement === null) continue;
    const s = statement as { Effect?: unknown; Action?: unknown; NotAction?: unknown };
    if (s.Effect !== 'Allow') continue;
    if (s.NotAction !== undefined) extra.push(`NotAction ${JSON.stringify(s.NotAction)} (allows everything else)`);
    const actions =
      typeof s.Action === 'string' ? [s.Action] : Array.isArray(s.Action) ? s.Action.filter((a): a is string => typeof a === 'string') : [];
    for (const action of actions) if (!allowedActions.has(action.toLowerCase())) extra.push(action);
  }
  return [...new Set(extra)];
}
