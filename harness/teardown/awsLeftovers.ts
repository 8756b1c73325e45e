// teardown-clean for an aws-provider run: after `down`, whatever AWS still holds tagged clusterproof.run=<run id>
// (the provisioner's inventory plus any other tagged EC2 resource, provision/aws/strays.ts), one `kind ids` entry
// per kind. The region and endpoint come from the cluster's saved state, read before `down` forgets it.
import type { Cluster } from '../model/cluster.ts';
import { type AwsWhere, provisionClients } from '../provision/aws/clients.ts';
import { describeLeft, inventory } from '../provision/aws/inventory.ts';
import { loadState } from '../provision/state.ts';

/** Where an aws cluster lives, or undefined for other providers (and an aws cluster without saved state). */
export async function awsWhereOf(cluster: Cluster): Promise<AwsWhere | undefined> {
  if (cluster.provider !== 'aws') return undefined;
  return (await loadState(cluster.name))?.aws;
}

export async function awsLeftovers(where: AwsWhere, runId: string): Promise<string[]> {
  const c = provisionClients(where);
  try {
    const left = describeLeft(await inventory(c, runId));
    return left === '' ? [] : left.split('; ');
  } finally {
    c.destroy();
  }
}
