// Seeds a moto account through the SDK, shaped like fixtures/examples (payments-prod, eu-west-1) but on EKS:
// `compliant` has a private endpoint, a non-overlapping peer, IMDSv2 nodes with a node-only role and an internal
// load balancer; `non-compliant` has a public endpoint open to 0.0.0.0/0, a peer VPC overlapping the cluster's,
// IMDSv1 nodes with hop limit 2 whose role can read S3, 6443 open to the world and an internet-facing apiserver
// load balancer. Only what moto implements (no EKS Pod Identity).
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  EC2Client,
  RunInstancesCommand,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';

export const REGION = 'eu-west-1';
const CLUSTER = 'payments-prod';
const OWNED = { Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'owned' };

export interface Seeded {
  homeVpc: string;
  peerVpc: string;
  peering: string;
  instance: string;
  securityGroup: string;
  loadBalancerArn: string;
}

export async function seedAccount(endpoint: string, kind: 'compliant' | 'non-compliant'): Promise<Seeded> {
  const config = { region: REGION, endpoint };
  const ec2 = new EC2Client(config);
  const eks = new EKSClient(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const iam = new IAMClient(config);
  const bad = kind === 'non-compliant';
  try {
    const vpc = async (cidr: string, name: string) =>
      (
        await ec2.send(
          new CreateVpcCommand({ CidrBlock: cidr, TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: name }] }] }),
        )
      ).Vpc?.VpcId ?? '';
    const homeVpc = await vpc('10.40.0.0/16', 'payments-prod-vpc');
    const peerVpc = await vpc(bad ? '10.40.128.0/17' : '10.50.0.0/16', 'shared-services-vpc');
    const peering =
      (await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: homeVpc, PeerVpcId: peerVpc }))).VpcPeeringConnection
        ?.VpcPeeringConnectionId ?? '';
    const subnetA =
      (await ec2.send(new CreateSubnetCommand({ VpcId: homeVpc, CidrBlock: '10.40.0.0/19', AvailabilityZone: `${REGION}a` }))).Subnet
        ?.SubnetId ?? '';
    const subnetB =
      (await ec2.send(new CreateSubnetCommand({ VpcId: homeVpc, CidrBlock: '10.40.32.0/19', AvailabilityZone: `${REGION}b` }))).Subnet
        ?.SubnetId ?? '';
    const securityGroup =
      (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'payments-prod-cluster', Description: 'cluster', VpcId: homeVpc })))
        .GroupId ?? '';
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: securityGroup,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: bad ? 6443 : 443,
            ToPort: bad ? 6443 : 443,
            IpRanges: [{ CidrIp: bad ? '0.0.0.0/0' : '10.0.0.0/8' }],
          },
        ],
      }),
    );

    // The node role: trusted by EC2; the non-compliant one also carries an application permission (s3 read).
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    };
    await iam.send(new CreateRoleCommand({ RoleName: 'payments-prod-node', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const describe = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'payments-prod-node-describe',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: '*' }],
        }),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'payments-prod-node', PolicyArn: describe.Policy?.Arn ?? '' }));
    if (bad) {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'payments-prod-node',
          PolicyName: 'orders-data',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: 'arn:aws:s3:::acmepay-orders/*' }],
          }),
        }),
      );
    }
    const profile = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'payments-prod-node' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'payments-prod-node', RoleName: 'payments-prod-node' }));

    const metadata = bad
      ? { HttpTokens: 'optional' as const, HttpPutResponseHopLimit: 2 }
      : { HttpTokens: 'required' as const, HttpPutResponseHopLimit: 1 };
    await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'payments-prod-workers',
        LaunchTemplateData: {
          ImageId: 'ami-12c6146b',
          InstanceType: 't3.large',
          IamInstanceProfile: { Arn: profile.InstanceProfile?.Arn ?? '' },
          MetadataOptions: metadata,
          TagSpecifications: [{ ResourceType: 'instance', Tags: [OWNED] }],
        },
      }),
    );
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        InstanceType: 't3.large' as _InstanceType,
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnetA,
        IamInstanceProfile: { Arn: profile.InstanceProfile?.Arn ?? '' },
        MetadataOptions: metadata,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [OWNED, { Key: 'Name', Value: 'payments-prod-worker-a' }] }],
      }),
    );

    await eks.send(
      new CreateClusterCommand({
        name: CLUSTER,
        version: '1.33',
        roleArn: 'arn:aws:iam::123456789012:role/payments-prod-cluster',
        resourcesVpcConfig: {
          subnetIds: [subnetA, subnetB],
          securityGroupIds: [securityGroup],
          endpointPublicAccess: bad,
          endpointPrivateAccess: true,
          ...(bad ? { publicAccessCidrs: ['0.0.0.0/0'] } : {}),
        },
        kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16' },
        tags: { team: 'platform' },
      }),
    );

    const lb = await elb.send(
      new CreateLoadBalancerCommand({
        Name: 'payments-prod-api',
        Subnets: [subnetA, subnetB],
        SecurityGroups: [securityGroup],
        Scheme: bad ? 'internet-facing' : 'internal',
        Type: 'application',
      }),
    );
    const loadBalancerArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    await elb.send(new AddTagsCommand({ ResourceArns: [loadBalancerArn], Tags: [OWNED] }));
    const tg = await elb.send(new CreateTargetGroupCommand({ Name: 'payments-prod-api', Protocol: 'HTTPS', Port: 6443, VpcId: homeVpc }));
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancerArn,
        Protocol: 'HTTP',
        Port: 6443,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroups?.[0]?.TargetGroupArn ?? '' }],
      }),
    );

    return { homeVpc, peerVpc, peering, instance: run.Instances?.[0]?.InstanceId ?? '', securityGroup, loadBalancerArn };
  } finally {
    for (const c of [ec2, eks, elb, iam]) c.destroy();
  }
}
