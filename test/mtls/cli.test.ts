// `clusterproof mtls` end to end (the real CLI process and file loader): Istio's own composition table
// (fixtures/mtls/istio-compose, transcribed from istio.io/istio v0.0.0-20260827124520-eed52ebb66ad
// pilot/pkg/security/authn/policy_applier_test.go TestComposePeerAuthentication) and Istio's documented examples
// (fixtures/mtls/docs-examples/README.md). Expected modes are Istio's `want` and the docs' stated outcomes.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args: string[]) => execa(process.execPath, ['bin/clusterproof.js', 'mtls', ...args], { cwd: root, reject: false });

interface Row {
  workload: string;
  port: number | null;
  mode: string;
  sidecar: boolean;
  plaintextAccepted: boolean;
  source: string;
}
async function rows(...args: string[]): Promise<{ results: Row[]; stderr: string }> {
  const run = await cli(...args);
  expect(run.exitCode, run.stderr).toBe(0);
  return { results: (JSON.parse(run.stdout) as { results: Row[] }).results, stderr: run.stderr };
}
const modes = (results: Row[], workload: string) =>
  Object.fromEntries(results.filter((r) => r.workload === workload).map((r) => [r.port, r.mode]));

// TestComposePeerAuthentication: case file → Istio's want for ports 80, 90, 100 of my-ns/foo (labels app=foo, stage=prod).
const all = (mode: string) => ({ 80: mode, 90: mode, 100: mode });
const ISTIO_TABLE: [string, Record<number, string>][] = [
  ['no-config', all('PERMISSIVE')],
  ['mesh-only', all('STRICT')],
  ['mesh-vs-namespace', all('PERMISSIVE')],
  ['ignore-selector-in-root', all('PERMISSIVE')],
  ['workload-vs-namespace', all('PERMISSIVE')],
  ['workload-vs-mesh', all('PERMISSIVE')],
  ['multiple-mesh', all('PERMISSIVE')],
  ['multiple-namespace', all('PERMISSIVE')],
  ['multiple-workload', all('PERMISSIVE')],
  ['inherit-default-mesh', all('PERMISSIVE')],
  ['inherit-mesh-to-workload', all('STRICT')],
  ['inherit-namespace-to-workload', all('STRICT')],
  ['inherit-mesh-namespace-workload', all('STRICT')],
  ['port-level', { 80: 'DISABLE', 90: 'STRICT', 100: 'STRICT' }],
];

describe('clusterproof mtls: Istio TestComposePeerAuthentication (root namespace "root-namespace" from the mesh ConfigMap)', () => {
  test.concurrent.each(ISTIO_TABLE)('%s', async (slug, want) => {
    const { results } = await rows('fixtures/mtls/istio-compose-base', `fixtures/mtls/istio-compose/${slug}.yaml`);
    expect(modes(results, 'my-ns/foo')).toEqual(want);
  });

  test('the oldest of several matching workload policies wins; the others are named on stderr', async () => {
    const { results, stderr } = await rows('fixtures/mtls/istio-compose-base', 'fixtures/mtls/istio-compose/multiple-workload.yaml');
    expect(results[0]?.source).toBe('PeerAuthentication my-ns/second-ago (workload)');
    expect(stderr).toContain('my-ns/now is ignored');
    expect(stderr).toContain('my-ns/second-later is ignored');
  });

  test("--root-namespace overrides the mesh config: the root policies become an ordinary namespace's, not the workload's", async () => {
    const { results } = await rows(
      'fixtures/mtls/istio-compose-base',
      'fixtures/mtls/istio-compose/mesh-only.yaml',
      '--root-namespace',
      'istio-system',
    );
    expect(modes(results, 'my-ns/foo')).toEqual(all('PERMISSIVE'));
    expect(results[0]?.source).toBe('mesh default');
  });
});

describe('clusterproof mtls: documented examples', () => {
  test('per workload and port: mode, sidecar, plaintext accepted, and the deciding policy', async () => {
    const { results, stderr } = await rows('fixtures/mtls/docs-examples');
    expect(Object.keys(results[0] as Row)).toEqual(['workload', 'port', 'mode', 'sidecar', 'plaintextAccepted', 'source']);
    const row = (w: string, port: number) => results.find((r) => r.workload === w && r.port === port);
    // Namespace PERMISSIVE, one workload STRICT by its own policy.
    expect(row('foo/httpbin', 8000)).toEqual({
      workload: 'foo/httpbin',
      port: 8000,
      mode: 'STRICT',
      sidecar: true,
      plaintextAccepted: false,
      source: 'PeerAuthentication foo/httpbin-strict (workload)',
    });
    expect(row('foo/sleep', 80)).toMatchObject({
      mode: 'PERMISSIVE',
      plaintextAccepted: true,
      source: 'PeerAuthentication foo/default (namespace)',
    });
    // Port-level DISABLE under a STRICT workload policy: only the named port.
    expect(modes(results, 'finance/finance')).toEqual({ 8080: 'DISABLE', 9080: 'STRICT' });
    expect(row('finance/finance', 8080)?.source).toBe('PeerAuthentication finance/finance (workload, port-level)');
    // UNSET inherits the mesh policy.
    expect(row('inherit/app', 8080)).toMatchObject({ mode: 'STRICT', source: 'PeerAuthentication istio-system/default (mesh)' });
    // Oldest namespace-wide policy wins.
    expect(row('dup/app', 8080)).toMatchObject({ mode: 'STRICT', source: 'PeerAuthentication dup/older (namespace)' });
    expect(stderr).toContain('dup/newer is ignored');
    // A selector in the root namespace is ignored (istio/api), and said so.
    expect(stderr).toContain('istio-system/app-permissive is ignored');
    // No sidecar: plaintext only. The inject label wins over the annotation.
    expect(row('legacy/app', 8080)).toMatchObject({ mode: 'NONE', sidecar: false, plaintextAccepted: true });
    expect(row('foo/legacy-client', 80)).toMatchObject({ mode: 'NONE', sidecar: false, source: expect.stringContaining('label') });
    // Ambient: ztunnel enforces the mesh policy without a sidecar.
    expect(row('amb/app', 8080)).toMatchObject({ mode: 'STRICT', sidecar: false, plaintextAccepted: false });
  });

  test("--ports adds ports to every workload; a workload policy's port-level setting still applies only to its port", async () => {
    const { results } = await rows('fixtures/mtls/docs-examples', '--ports', '15090');
    expect(modes(results, 'finance/finance')).toEqual({ 8080: 'DISABLE', 9080: 'STRICT', 15090: 'STRICT' });
  });

  test('table format, and bad --ports is exit 2 naming the flag', async () => {
    const table = await cli('fixtures/mtls/docs-examples', '--format', 'table');
    expect(table.stdout).toMatch(/finance\/finance\s*│\s*8080\s*│\s*DISABLE/);
    const bad = await cli('fixtures/mtls/docs-examples', '--ports', '53/UDP,x');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--ports');
    expect(bad.stdout).toBe('');
  });
});

describe('clusterproof mtls: named Service targetPorts (fixtures/mtls/named-target-ports/README.md)', () => {
  test('a named targetPort is judged on the container port each workload gives that name; a numeric one on every pod', async () => {
    const { results } = await rows('fixtures/mtls/named-target-ports');
    // Service port 80 → `http`: 8080 on v1 (STRICT), 9080 on v2 (port-level PERMISSIVE), 7080 on v3's sidecar init container.
    expect(modes(results, 'shop/cart-v1[Deployment]')).toEqual({ 8080: 'STRICT', 8443: 'STRICT' });
    expect(modes(results, 'shop/cart-v2[Deployment]')).toEqual({ 9080: 'PERMISSIVE', 8443: 'STRICT' });
    expect(modes(results, 'shop/cart-v3[Deployment]')).toEqual({ 7070: 'STRICT', 7080: 'STRICT', 8443: 'STRICT' });
    const row = (w: string, port: number) => results.find((r) => r.workload === w && r.port === port);
    expect(row('shop/cart-v2[Deployment]', 9080)).toEqual({
      workload: 'shop/cart-v2[Deployment]',
      port: 9080,
      mode: 'PERMISSIVE',
      sidecar: true,
      plaintextAccepted: true,
      source: 'PeerAuthentication shop/cart-v2 (workload, port-level)',
    });
    expect(row('shop/cart-v1[Deployment]', 8080)).toMatchObject({
      plaintextAccepted: false,
      source: 'PeerAuthentication shop/default (namespace)',
    });
  });
});
