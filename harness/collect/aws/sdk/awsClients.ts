// The AWS SDK v3 clients the collector reads with: the SDK's default credential chain and profiles, adaptive retries
// (client-side rate limiting when AWS throttles), and one middleware that records every operation sent, so a test
// can prove the collector only reads.
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

export interface AwsTarget {
  /** Default: the SDK's (AWS_REGION, then the profile's region). */
  region?: string;
  /** A local AWS API (moto) instead of AWS; loopback only in tests. */
  endpoint?: string;
  /** Named profile; default: AWS_PROFILE, then `default`. */
  profile?: string;
}

export interface AwsClients {
  ec2: EC2Client;
  eks: EKSClient;
  elbv2: ElasticLoadBalancingV2Client;
  iam: IAMClient;
  sts: STSClient;
  /** `service:Operation` of every request sent, in order (IAM action names). */
  operations: string[];
  /** Set when the calls go to a local AWS API (moto) rather than AWS. */
  endpoint?: string;
  destroy(): void;
}

const MAX_ATTEMPTS = 5;

export function awsClients(target: AwsTarget): AwsClients {
  const config = {
    ...(target.region ? { region: target.region } : {}),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
    retryMode: 'adaptive',
    maxAttempts: MAX_ATTEMPTS,
  };
  const operations: string[] = [];
  const clients = {
    ec2: new EC2Client(config),
    eks: new EKSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    iam: new IAMClient(config),
    sts: new STSClient(config),
  };
  // IAM action prefixes: elbv2 actions are `elasticloadbalancing:*`.
  const prefixes: Record<keyof typeof clients, string> = { ec2: 'ec2', eks: 'eks', elbv2: 'elasticloadbalancing', iam: 'iam', sts: 'sts' };
  for (const [key, client] of Object.entries(clients) as [keyof typeof clients, { middlewareStack: EC2Client['middlewareStack'] }][]) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        operations.push(`${prefixes[key]}:${String(context.commandName).replace(/Command$/, '')}`);
        return next(args);
      },
      { step: 'initialize', name: 'clusterproofRecordOperation' },
    );
  }
  return {
    ...clients,
    operations,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    destroy: () => Object.values(clients).forEach((c) => c.destroy()),
  };
}
