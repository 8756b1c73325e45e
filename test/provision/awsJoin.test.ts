// kubeadm join with the cluster CA pinned (harness/provision/aws/join.ts), against moto: the user-data the
// instances get never skips CA verification (only the first control plane runs kubeadm there), and the joins that
// go over SSM carry `--discovery-token-ca-cert-hash sha256:<hash>`, control planes one at a time with their
// certificate key. moto records SSM commands but runs none, so the hash is given here; reading it from a node is
// shown failing with one clear line (moto answers every command with empty output).
import { DescribeInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { ListCommandsCommand } from '@aws-sdk/client-ssm';
import { describe, expect, test } from 'vitest';
import { RunError } from '../../harness/errors.ts';
import { AwsProvisioner } from '../../harness/provision/aws/awsProvisioner.ts';
import { joinNodes, joinScript, readCaCertHash } from '../../harness/provision/aws/join.ts';
import { describeLeft, inventory } from '../../harness/provision/aws/inventory.ts';
import { loadState, requireState } from '../../harness/provision/state.ts';
import { IMAGE, useAwsMoto } from './support/awsMoto.ts';

const aws = useAwsMoto();
const HASH = 'a3f5c1e09b7d2468ace0fdb97531eca86420bdf13579ace02468bdf13579ace0';
/** The script of `'bash' '-c' '<script>'` as nodes.ts sends it (each argument single-quoted). */
const bashScript = (command: string): string =>
  command
    .replace(/^'bash' '-c' '/, '')
    .replace(/'$/, '')
    .replaceAll("'\\''", "'");
const UNSAFE = /unsafe|skip-ca-verification|unsafeSkipCAVerification/i;

// moto calls slow down when the machine is busy: more than the unit project's 30 s default per test.
describe('kubeadm join pins the CA, against moto', { timeout: 120_000 }, () => {
  test('user-data (read back from moto): kubeadm init on the first control plane only, no join and no unsafe flag anywhere', async () => {
    const provisioner = new AwsProvisioner();
    const cluster = await provisioner.up(aws.request('awsjoin1', '261207-130000-f1f1', { controlPlanes: 2, workers: 2 }), {
      waitForNodes: false,
      imageId: IMAGE,
    });
    const { nodes } = await requireState('awsjoin1');
    const scripts: string[] = [];
    for (const n of nodes ?? []) {
      const attr = await aws.c.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: n.instanceId, Attribute: 'userData' }));
      scripts.push(Buffer.from(attr.UserData?.Value ?? '', 'base64').toString('utf8'));
    }
    expect(scripts).toHaveLength(4);
    // The init node marks the end of `kubeadm init`: the CA hash and the joins wait for it.
    expect(scripts[0]).toContain(
      'kubeadm init --upload-certs --config /etc/kubeadm.yaml\nmkdir -p /var/lib/clusterproof && touch /var/lib/clusterproof/initialized\n',
    );
    for (const s of scripts) expect(s).not.toMatch(UNSAFE);
    for (const s of scripts.slice(1)) {
      expect(s).not.toMatch(/^kubeadm /m);
      expect(s).toContain('touch /var/lib/clusterproof/prepared');
      // The zone label kubeadm's JoinConfiguration used to carry, now through the kubelet's defaults file.
      expect(s).toMatch(/KUBELET_EXTRA_ARGS=--node-labels=topology\.kubernetes\.io\/zone=eu-west-1[abc]' > \/etc\/default\/kubelet$/m);
    }
    expect(cluster.nodes).toHaveLength(4);
    await provisioner.down('awsjoin1');
  });

  test('the joins sent over SSM carry sha256:<hash> and never the unsafe flag; control planes get --control-plane and the certificate key', async () => {
    const provisioner = new AwsProvisioner();
    const cluster = await provisioner.up(aws.request('awsjoin2', '261207-130100-f2f2', { controlPlanes: 2, workers: 2 }), {
      waitForNodes: false,
      imageId: IMAGE,
    });
    const [, ...others] = cluster.nodes;
    await joinNodes(others, { endpoint: 'cp.internal', token: 'abcdef.0123456789abcdef', certificateKey: 'c0ffee', caCertHash: HASH });
    // moto lists every instance of the region in each command's InstanceIds (it reads "no targets" as "all"), so the
    // joins are told apart by their order: the control plane first (alone), then the workers.
    const joins = ((await aws.c.ssm.send(new ListCommandsCommand({}))).Commands ?? []).flatMap((c) => c.Parameters?.commands ?? []);
    expect(joins).toHaveLength(3);
    const scripts = joins.map(bashScript);
    for (const script of scripts) {
      expect(script).toContain(
        `'kubeadm' 'join' 'cp.internal:6443' '--token' 'abcdef.0123456789abcdef' '--discovery-token-ca-cert-hash' 'sha256:${HASH}'`,
      );
      expect(script).not.toMatch(UNSAFE);
    }
    expect(scripts.map((c) => c.includes("'--control-plane' '--certificate-key' 'c0ffee'"))).toEqual([true, false, false]);
    expect(others.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    await provisioner.down('awsjoin2');
  });

  test('reading the CA hash: moto runs no command (empty output), so it fails with one line naming the node', async () => {
    const provisioner = new AwsProvisioner();
    const cluster = await provisioner.up(aws.request('awsjoin3', '261207-130200-f3f3'), { waitForNodes: false, imageId: IMAGE });
    const first = cluster.nodes[0];
    if (!first) throw new Error('no node');
    const error = await readCaCertHash(first).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as Error).message).toMatch(
      new RegExp(`^cannot read the cluster CA's public key hash on ${first.name} \\(exit 0\\): printed ""$`),
    );
    await provisioner.down('awsjoin3');
  });

  test('a join script refuses anything but a 64-hex-digit hash (no join without a pin)', () => {
    for (const caCertHash of ['', 'sha256:' + HASH, HASH.slice(1), HASH.toUpperCase()])
      expect(() => joinScript({ endpoint: 'e', token: 't', caCertHash })).toThrow(/not a CA public key hash/);
    expect(joinScript({ endpoint: 'e', token: 't', caCertHash: HASH })).toMatch(/prepared \] \|\| \{ echo .*exit 1; \}\n'kubeadm' 'join'/);
  });

  test('up waiting for the nodes: moto runs no command, so kubeadm init never finishes; up fails naming the node and removes what it made', async () => {
    const runId = '261207-130300-f4f4';
    const before = ((await aws.c.ssm.send(new ListCommandsCommand({}))).Commands ?? []).length;
    const error = await new AwsProvisioner()
      .up(aws.request('awsjoin4', runId), { imageId: IMAGE, bootTimeoutMs: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as Error).message).toBe('kubeadm did not finish on awsjoin4-cp0 in time: no admin.conf yet');
    // It asked for admin.conf only behind the mark the init user-data writes after `kubeadm init`, and joined nobody.
    const sent = ((await aws.c.ssm.send(new ListCommandsCommand({}))).Commands ?? [])
      .slice(before)
      .flatMap((c) => c.Parameters?.commands ?? []);
    expect(sent.map(bashScript)).toEqual(['[ -f /var/lib/clusterproof/initialized ] && cat /etc/kubernetes/admin.conf']);
    expect(describeLeft(await inventory(aws.c, runId))).toBe('');
    expect(await loadState('awsjoin4')).toBeUndefined();
  });
});
