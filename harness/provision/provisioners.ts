// Provider name → provisioner. The one place that knows every provider; suites and the CLI depend on the contract.
import type { ProviderName, Provisioner } from '../model/cluster.ts';
import { AwsProvisioner } from './aws/awsProvisioner.ts';
import { ExistingProvisioner } from './existing/existingProvisioner.ts';
import { KindProvisioner } from './kind/kindProvisioner.ts';

export function provisionerFor(name: ProviderName): Provisioner {
  if (name === 'aws') return new AwsProvisioner();
  return name === 'kind' ? new KindProvisioner() : new ExistingProvisioner();
}
