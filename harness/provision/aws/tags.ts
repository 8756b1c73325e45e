// Every AWS resource of a run carries `clusterproof.run=<run id>` (the Docker label's name), so `down` and
// `sweep --aws` find it by tag alone, whatever happened to the process that made it.
import type { ResourceType, TagSpecification } from '@aws-sdk/client-ec2';
import { CLUSTER_LABEL, RUN_LABEL } from '../naming.ts';

export const RUN_TAG = RUN_LABEL;

export interface RunTags {
  runId: string;
  cluster: string;
}

export function tagList(t: RunTags, name?: string): { Key: string; Value: string }[] {
  return [{ Key: RUN_TAG, Value: t.runId }, { Key: CLUSTER_LABEL, Value: t.cluster }, ...(name ? [{ Key: 'Name', Value: name }] : [])];
}

export function tagSpec(type: ResourceType, t: RunTags, name?: string): TagSpecification[] {
  return [{ ResourceType: type, Tags: tagList(t, name) }];
}

/** EC2 Describe* filter: one run's resources, or every clusterproof run's. */
export function runFilter(runId?: string): { Name: string; Values: string[] }[] {
  return runId === undefined ? [{ Name: 'tag-key', Values: [RUN_TAG] }] : [{ Name: `tag:${RUN_TAG}`, Values: [runId] }];
}

/** IAM names are global per account: the run id keeps runs apart, the path lets sweep list ours only. */
export const IAM_PATH = '/clusterproof/';
export function iamName(runId: string): string {
  return `clusterproof-${runId}-node`;
}
