// Anything else in EC2 tagged with a run that the provisioner does not make itself (a volume, an ENI, an Elastic
// IP, a snapshot… left by a drill, a user or a half-finished call): EC2's DescribeTags lists every resource type by
// tag, so `down`, `sweep --aws` and teardown-clean see it even though nothing here knows how to delete it.
import { DescribeTagsCommand, DescribeVolumesCommand, type EC2Client, type TagDescription } from '@aws-sdk/client-ec2';
import { RUN_TAG } from './tags.ts';

/** Types inventory.ts lists itself (with their state: a terminated instance keeps its tags for a while). */
const LISTED = new Set(['instance', 'security-group', 'subnet', 'route-table', 'internet-gateway', 'vpc', 'vpc-endpoint', 'volume']);
/** A volume that is no instance's disk (in use: its instance is listed; deleting: on its way out). */
const STRAY_VOLUME_STATES = ['available', 'creating', 'error'];

/** `type:id` of every EC2 resource tagged with the run (or any run) that inventory.ts does not list by kind. */
export async function strayTagged(ec2: EC2Client, runId?: string): Promise<string[]> {
  const Filters = [{ Name: 'key', Values: [RUN_TAG] }, ...(runId === undefined ? [] : [{ Name: 'value', Values: [runId] }])];
  const tags: TagDescription[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeTagsCommand({ Filters, MaxResults: 1000, ...(NextToken ? { NextToken } : {}) }));
    tags.push(...(page.Tags ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const volumes = await ec2.send(
    new DescribeVolumesCommand({
      Filters: [
        runId === undefined ? { Name: 'tag-key', Values: [RUN_TAG] } : { Name: `tag:${RUN_TAG}`, Values: [runId] },
        { Name: 'status', Values: STRAY_VOLUME_STATES },
      ],
    }),
  );
  return [
    ...tags.filter((t) => !LISTED.has(String(t.ResourceType))).map((t) => `${t.ResourceType}:${t.ResourceId}`),
    ...(volumes.Volumes ?? []).map((v) => `volume:${v.VolumeId}`),
  ];
}
