// `collect --aws`: reads an AWS account through the SDK into a ClusterState. Every output goes through the same
// StateBuilder / CLI-output reader as `aws … > file.json` does, so findings are identical either way; objects point
// at the call they came from (`aws://REGION/ec2:DescribeVpcs#/Vpcs/0`) instead of a file line.
import type { ClusterState } from '../../../model/state.ts';
import type { SourceLocation } from '../../../model/findings.ts';
import { sha256 } from '../../bundle.ts';
import { StateBuilder } from '../../stateBuilder.ts';
import { awsClients, type AwsTarget } from './awsClients.ts';
import { gatherAccount, type AwsOutput, type GatherOptions } from './gatherAccount.ts';

interface CollectAwsOptions extends AwsTarget, GatherOptions {}

export async function collectAws(options: CollectAwsOptions): Promise<{ state: ClusterState; operations: string[] }> {
  const clients = awsClients(options);
  try {
    const gathered = await gatherAccount(clients, options);
    const state = stateFromOutputs(gathered.outputs, gathered.region, gathered.accountId);
    for (const u of gathered.unsupported) {
      state.warnings.push({
        file: `aws://${gathered.region}/${u.action}`,
        message: `${options.endpoint} does not implement ${u.action}: ${u.what} not collected`,
        fix: 'collect from AWS itself, or add `aws eks describe-pod-identity-association` outputs with --from',
      });
    }
    return { state, operations: clients.operations };
  } finally {
    clients.destroy();
  }
}

function stateFromOutputs(outputs: AwsOutput[], region: string, accountId: string): ClusterState {
  const at = (o: AwsOutput) => `aws://${region}/${o.action}`;
  const texts = outputs.map((o) => JSON.stringify(o.value));
  const builder = new StateBuilder({
    type: 'live',
    // The account and region, never credentials; `server` stays unset: it means the Kubernetes API server.
    context: `aws account ${accountId} region ${region}`,
    inputs: outputs.map((o, i) => ({ path: `${at(o)} (${o.command})`, sha256: sha256(texts[i] ?? '') })),
    collectedAt: new Date().toISOString(),
  });
  outputs.forEach((o, documentIndex) => {
    const location: SourceLocation = { file: at(o), documentIndex };
    builder.addParsed({
      value: o.value,
      location,
      locate: (path) => ({ file: `${at(o)}#/${path.join('/')}`, documentIndex }),
    });
  });
  return builder.finish();
}
