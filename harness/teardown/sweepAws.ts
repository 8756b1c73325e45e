// `sweep --aws`: what a killed run left in an AWS region, found by the run tag only (no saved state needed), deleted
// in dependency order and verified gone; then the saved state of the aws clusters of those runs is forgotten.
import { type AwsWhere, provisionClients } from '../provision/aws/clients.ts';
import { describeLeft } from '../provision/aws/inventory.ts';
import { teardownAws } from '../provision/aws/teardown.ts';
import { listStates, removeState } from '../provision/state.ts';

export async function sweepAws(opts: AwsWhere & { runId?: string }): Promise<{ summary: string; clusters: string[] }> {
  const c = provisionClients(opts);
  let summary: string;
  try {
    summary = describeLeft(await teardownAws(c, opts.runId));
  } finally {
    c.destroy();
  }
  const clusters: string[] = [];
  for (const s of await listStates()) {
    if (s.provider === 'aws' && s.aws?.region === opts.region && (opts.runId === undefined || s.runId === opts.runId)) {
      await removeState(s.name);
      clusters.push(s.name);
    }
  }
  return { summary, clusters };
}
