// teardown-clean for an aws-provider run, against moto: the teardown layer releases the cluster (`down` deletes by
// tag), then lists what AWS still has tagged clusterproof.run=<id>. One resource is leaked on purpose (a volume
// tagged with the run, of a kind the provisioner neither makes nor deletes): the finding fails naming it; without
// the leak it passes. moto never boots the instances, so `up` runs with waitForNodes: false.
import { CreateVolumeCommand, DeleteVolumeCommand } from '@aws-sdk/client-ec2';
import { describe, expect, test } from 'vitest';
import type { Finding } from '../../harness/model/findings.ts';
import type { ClusterSpec } from '../../harness/model/spec.ts';
import { AwsProvisioner } from '../../harness/provision/aws/awsProvisioner.ts';
import { describeLeft, inventory } from '../../harness/provision/aws/inventory.ts';
import { tagSpec } from '../../harness/provision/aws/tags.ts';
import { loadState } from '../../harness/provision/state.ts';
import { releaseOnce, type HeldCluster } from '../../harness/teardown/release.ts';
import { teardownLayer } from '../../harness/teardown/teardownLayer.ts';
import { IMAGE, useAwsMoto } from '../provision/support/awsMoto.ts';

const aws = useAwsMoto();

const spec: ClusterSpec = {
  apiVersion: 'clusterproof.dev/v1alpha1',
  kind: 'ClusterSpec',
  metadata: { name: 'aws-teardown' },
  spec: { teardown: { ownershipLabel: 'clusterproof.run' } },
} as ClusterSpec;
const deferred: Finding = {
  controlId: 'teardown-clean',
  layer: 'teardown',
  result: 'not-applicable',
  message: '',
  evidence: [{ type: 'rule', rule: 'deferred-to-runner' }],
};

async function runTeardownLayer(name: string, runId: string, leak: boolean): Promise<{ verdict: Finding | undefined; logs: string[] }> {
  const provisioner = new AwsProvisioner();
  const cluster = await provisioner.up(aws.request(name, runId), { waitForNodes: false, imageId: IMAGE });
  if (leak) {
    await aws.c.ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 1, TagSpecifications: tagSpec('volume', { runId, cluster: name }) }),
    );
  }
  const held: HeldCluster = { cluster, provisioner, owned: true, forget: false };
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const findings = await teardownLayer([deferred], spec, held, {
    runId,
    keep: false,
    log,
    release: releaseOnce(() => held, runId, false, log),
  });
  return { verdict: findings.find((f) => f.controlId === 'teardown-clean'), logs };
}

// moto calls slow down when the machine is busy: more than the unit project's 30 s default per test.
describe('teardown-clean sees AWS leftovers (moto)', { timeout: 120_000 }, () => {
  test('a volume tagged with the run survives down: teardown-clean fails naming it, and down said so', async () => {
    const runId = '261207-150000-b1b1';
    const { verdict, logs } = await runTeardownLayer('awsleak', runId, true);
    const [volume = ''] = (await inventory(aws.c, runId)).otherTagged;
    expect(volume).toMatch(/^volume:vol-/);
    expect(verdict?.result).toBe('fail');
    expect(verdict?.message).toBe(`The run left resources behind: AWS otherTagged ${volume}.`);
    expect(verdict?.evidence).toContainEqual({
      type: 'observation',
      what: `AWS resources tagged clusterproof.run=${runId} after down`,
      observed: [`otherTagged ${volume}`],
    });
    // Everything the provisioner made is gone; `down` failed naming the volume, and the run carried on to the verdict.
    expect(describeLeft(await inventory(aws.c, runId))).toBe(`otherTagged ${volume}`);
    expect(logs.join('\n')).toContain(`still there after teardown: otherTagged ${volume}`);
    // The saved state stays (down did not finish), so `clusterproof down` can be run again once the volume is gone.
    expect(await loadState('awsleak')).toBeDefined();
    await aws.c.ec2.send(new DeleteVolumeCommand({ VolumeId: volume.replace('volume:', '') }));
    await new AwsProvisioner().down('awsleak');
  });

  test('nothing leaked: teardown-clean passes on what AWS was asked, and Docker is not part of an aws run', async () => {
    const runId = '261207-150100-b2b2';
    const { verdict } = await runTeardownLayer('awsclean', runId, false);
    expect(verdict?.result).toBe('pass');
    expect(verdict?.message).toContain('nothing tagged with the run in AWS');
    expect(verdict?.evidence.some((e) => e.type === 'observation' && e.what.startsWith('Docker'))).toBe(false);
    expect(await loadState('awsclean')).toBeUndefined();
  });
});
