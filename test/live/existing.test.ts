// The existing provider against a real cluster (the live kind cluster, reached only through its kubeconfig):
// `up` records it without changing it, nodes refuse disruption, disruptive suites are refused until a namespace
// carries the spec's disposable label (or --allow-disruptive), and `down` only forgets it.
import { afterAll, describe, expect, test } from 'vitest';
import { RunError } from '../../harness/errors.ts';
import { assertDisruptiveAllowed } from '../../harness/provision/existing/disruptive.ts';
import { ExistingProvisioner } from '../../harness/provision/existing/existingProvisioner.ts';
import { newRunId } from '../../harness/provision/naming.ts';
import { clusterRequest } from '../../harness/provision/request.ts';
import { createTestNamespace, deleteTestNamespaces } from './support/namespaces.ts';
import { cli, core, liveInfo, suffix } from './support/liveCluster.ts';

const name = `cp-existing-${suffix()}`;
const ns = `cp-live-disposable-${suffix()}`;
const label = `clusterproof.dev/disposable-${suffix()}`;

afterAll(async () => {
  await deleteTestNamespaces(core(), [ns]);
  await new ExistingProvisioner().down(name);
});

describe('existing provider on a real cluster', () => {
  test('up records the cluster read-only; info shows the same nodes; nodes refuse exec/stop', async () => {
    const info = liveInfo();
    const up = await cli(['up', '--provider', 'existing', '--kubeconfig', info.kubeconfig, '--name', name]);
    expect(up.exitCode, String(up.stderr)).toBe(0);
    const shown = JSON.parse(String((await cli(['info', '--name', name, '--format', 'json'])).stdout)) as {
      provider: string;
      apiEndpoint: string;
      nodes: { name: string; zone: string | null }[];
    };
    expect(shown.provider).toBe('existing');
    expect(shown.apiEndpoint).toBe(info.apiEndpoint);
    expect(shown.nodes.map((n) => [n.name, n.zone]).sort()).toEqual(info.nodes.map((n) => [n.name, n.zone]).sort());
    const cluster = await new ExistingProvisioner().attach(name);
    await expect(cluster.nodes[0]?.stop() ?? Promise.resolve()).rejects.toThrow(/does not touch nodes it did not create/);
  }, 120_000);

  test('disruptive suites are refused until a namespace carries the disposable label', async () => {
    const info = liveInfo();
    const cluster = { kubeconfigPath: info.kubeconfig };
    await expect(assertDisruptiveAllowed(cluster, label, false)).rejects.toBeInstanceOf(RunError);
    await expect(assertDisruptiveAllowed(cluster, undefined, false)).rejects.toThrow(/--allow-disruptive/);
    expect((await assertDisruptiveAllowed(cluster, undefined, true)).reason).toBe('allowed by --allow-disruptive');
    await createTestNamespace(core(), ns, newRunId());
    await core().patchNamespace({ name: ns, body: [{ op: 'add', path: `/metadata/labels/${label.replace('/', '~1')}`, value: 'true' }] });
    expect((await assertDisruptiveAllowed(cluster, label, false)).reason).toBe(`Namespace ${ns} is labelled ${label}=true (disposable)`);
  }, 120_000);

  test('down only forgets it: the cluster still answers', async () => {
    const down = await cli(['down', '--name', name]);
    expect(down.exitCode, String(down.stderr)).toBe(0);
    expect(String(down.stdout)).toMatch(/nothing in it was touched/);
    expect((await core().listNode()).items.length).toBe(liveInfo().nodes.length);
  }, 120_000);
});

// clusterRequest is what the CLI uses; keep the existing defaults honest here too.
test('existing requests never ask for nodes', () => {
  expect(clusterRequest(undefined, { provider: 'existing', kubeconfig: '/k', name: 'x' })).toMatchObject({
    provider: 'existing',
    kubeconfig: '/k',
  });
});
