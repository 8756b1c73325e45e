// Fields of the wrong type, as the API server would refuse them, found by the input fuzzer: before the loader checked
// them they reached the evaluators, and `scan` ended with "the compliance suites crashed" (netpol-default-deny:
// `.map is not a function`; mtls-strict: `reading 'ports'` of a null container).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { InputError } from '../../harness/errors.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tmp(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cp-types-'));
  dirs.push(dir);
  await writeFile(join(dir, name), text);
  return dir;
}

async function problems(dir: string) {
  const error = await loadStateFromPaths([dir]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems;
}

const NETPOL = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: payments}\nspec:\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: payments}\nspec:\n';

describe('a field of the wrong type is refused at that field', () => {
  test('spec.podSelector: 7 and spec.ingress: 5 in a NetworkPolicy', async () => {
    const dir = await tmp('np.yaml', `${NETPOL}  podSelector: 7\n  ingress: 5\n`);
    const found = await problems(dir);
    expect(found.map((p) => [p.pointer, p.line, p.column])).toEqual([
      ['spec.podSelector', 5, 16],
      ['spec.ingress', 6, 12],
    ]);
    expect(found[0]?.message).toContain('spec.podSelector must be a mapping, not number 7');
    expect(found[0]?.fix).toContain('kubectl explain');
  });

  test('a null and a number among containers, and ports that are not a list', async () => {
    const found = await problems(await tmp('pod.yaml', `${POD}  containers: [7, null, {name: c, ports: 9}]\n`));
    expect(found.map((p) => p.pointer)).toEqual(['spec.containers.0', 'spec.containers.1', 'spec.containers.2.ports']);
  });

  test('labels must map to strings (an unquoted number is a number)', async () => {
    const found = await problems(
      await tmp(
        'pod.json',
        JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x', labels: { version: 2 } }, spec: {} }),
      ),
    );
    expect(found[0]).toMatchObject({ pointer: 'metadata.labels.version' });
    expect(found[0]?.message).toContain('(quote it)');
  });

  // Found by the input fuzzer: ha-control-plane crashed with "boolean false is not iterable" on a Node whose
  // status.addresses was `false`; the status fields evaluators read are checked like spec fields.
  test('a Node whose status.addresses is not a list, and a Pod whose podIP is a number', async () => {
    const node = 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus:\n  addresses: false\n';
    const pod = `${POD}  containers: []\nstatus:\n  podIP: 7\n`;
    const found = [...(await problems(await tmp('node.yaml', node))), ...(await problems(await tmp('pod.yaml', pod)))];
    expect(found.map((p) => [p.pointer, p.message])).toEqual([
      ['status.addresses', 'document 0 (0-based): status.addresses must be a list, not boolean false'],
      ['status.podIP', 'document 0 (0-based): status.podIP must be a string, not number 7'],
    ]);
  });

  // Found by the input fuzzer: api-endpoint-private crashed with "raw.trim is not a function" on a kind Cluster
  // config whose networking.apiServerAddress was a number.
  test('kind and kubeadm config files: networking.apiServerAddress, controlPlaneEndpoint and etcd endpoints typed', async () => {
    const kind = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  apiServerAddress: 7\n  apiServerPort: "6443"\n';
    const kubeadm =
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrolPlaneEndpoint: [lb]\netcd:\n  external:\n    endpoints: false\n';
    const found = [...(await problems(await tmp('kind.yaml', kind))), ...(await problems(await tmp('kubeadm.yaml', kubeadm)))];
    expect(found.map((p) => p.pointer)).toEqual([
      'networking.apiServerAddress',
      'networking.apiServerPort',
      'controlPlaneEndpoint',
      'etcd.external.endpoints',
    ]);
  });

  test('a null field is absent, as the API server reads it', async () => {
    const state = await loadStateFromPaths([
      await tmp('np.yaml', `${NETPOL}  podSelector: {}\n  ingress: null\n  policyTypes: [Ingress]\n`),
    ]);
    expect(state.kubernetes.networkPolicies).toHaveLength(1);
  });
});

test('scan with such a NetworkPolicy and Pod: exit 2 naming the fields, no crash, no report', { timeout: 90_000 }, async () => {
  const dir = await tmp('weird.yaml', `${NETPOL}  podSelector: {}\n  ingress: 5\n---\n${POD}  containers: [null]\n`);
  const out = join(dir, 'out');
  const r = await execa(
    process.execPath,
    ['bin/clusterproof.js', 'scan', dir, '--spec', 'fixtures/examples/non-compliant/clusterproof.yaml', '--out', out],
    { reject: false },
  );
  expect(r.exitCode).toBe(2);
  expect(r.stderr).not.toContain('crashed');
  expect(r.stderr).toContain(`${join(dir, 'weird.yaml')}:6:12 at spec.ingress`);
  expect(r.stderr).toContain('at spec.containers.0');
  expect(existsSync(join(out, 'report.json'))).toBe(false);
});
