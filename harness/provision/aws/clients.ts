// The SDK clients the aws provisioner writes with: same credential chain and adaptive retries as `collect --aws`
// (collect/aws/sdk/awsClients.ts), plus SSM for node exec. `endpoint` points everything at moto in tests.
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';

export interface AwsWhere {
  region: string;
  endpoint?: string;
}

export interface ProvisionClients {
  ec2: EC2Client;
  elbv2: ElasticLoadBalancingV2Client;
  iam: IAMClient;
  ssm: SSMClient;
  destroy(): void;
}

export function provisionClients(where: AwsWhere): ProvisionClients {
  const config = { region: where.region, ...(where.endpoint ? { endpoint: where.endpoint } : {}), retryMode: 'adaptive', maxAttempts: 5 };
  const clients = {
    ec2: new EC2Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    iam: new IAMClient(config),
    ssm: new SSMClient(config),
  };
  return { ...clients, destroy: () => Object.values(clients).forEach((c) => c.destroy()) };
}
