// Proof of the mTLS issue's "done when": `clusterproof run --provider kind` makes its own cluster with Istio
// (spec.provider.kind.mesh: istio), deploys the workloads under test (`--apply`: two meshed namespaces, one with a
// STRICT PeerAuthentication and one with DISABLE, each running a real proxyless gRPC workload), and the live mTLS
// layer passes the STRICT namespace and fails the DISABLE one on istiod-enforced traffic, each agreeing with the
// static twin. The cluster goes with the run.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../harness/model/findings.ts';
import type { RunReport } from '../../harness/model/report.ts';
import { MESHPROBE_BIN } from '../../harness/probe/mtls/meshProbeObjects.ts';
import { GRPC_AGENT_TEMPLATE, INJECT_TEMPLATES_ANNOTATION } from '../../harness/model/istio.ts';
import { readImageSet } from '../../harness/provision/images.ts';
import { listStates } from '../../harness/provision/state.ts';
import { cli } from './support/liveCluster.ts';

const STRICT = 'cp-mtls-strict';
const DISABLE = 'cp-mtls-disable';
const dir = mkdtempSync(join(tmpdir(), 'clusterproof-live-mtls-kind-'));
const out = join(dir, 'out');
let report: RunReport;
let exitCode: number | undefined;
let log = '';
/** The probe image of the node image `run --provider kind` boots (images.json), which a kept live cluster may predate. */
const probeImage = (await readImageSet())?.probe ?? '';

/** A meshed namespace with its PeerAuthentication and one gRPC workload (meshprobe under istiod's xDS), as a user's repository holds them. */
function namespaceManifests(ns: string, mode: 'STRICT' | 'DISABLE'): object[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio-injection': 'enabled' } } },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: ns },
      spec: { mtls: { mode } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' }, annotations: { [INJECT_TEMPLATES_ANNOTATION]: GRPC_AGENT_TEMPLATE } },
          spec: {
            terminationGracePeriodSeconds: 0,
            containers: [
              {
                name: 'api',
                image: probeImage,
                imagePullPolicy: 'IfNotPresent',
                command: [MESHPROBE_BIN, 'serve', '--port', '9090', '--xds'],
                ports: [{ name: 'grpc', containerPort: 9090 }],
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: ns },
      spec: { selector: { app: 'api' }, ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }] },
    },
  ];
}

const find = (layer: Finding['layer'], ns: string): Finding | undefined =>
  report.findings.find((f) => f.controlId === 'mtls-strict' && f.layer === layer && f.subject?.name === ns);

beforeAll(async () => {
  const workloads = join(dir, 'workloads');
  mkdirSync(workloads);
  writeFileSync(
    join(workloads, 'strict.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: namespaceManifests(STRICT, 'STRICT') }),
  );
  writeFileSync(
    join(workloads, 'disable.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: namespaceManifests(DISABLE, 'DISABLE') }),
  );
  const specFile = join(dir, 'clusterproof.yaml');
  writeFileSync(
    specFile,
    [
      'apiVersion: clusterproof.dev/v1alpha1',
      'kind: ClusterSpec',
      'metadata: {name: live-mtls-kind}',
      'spec:',
      '  profile: nightly',
      '  provider: {type: kind, kind: {controlPlanes: 1, workers: 1, mesh: istio}}',
      `  mtls: {mode: STRICT, scope: {namespaces: [${STRICT}, ${DISABLE}]}}`,
      '',
    ].join('\n'),
  );
  const r = await cli(['run', '--provider', 'kind', '--spec', specFile, '--apply', workloads, '--out', out, '--format', 'json'], {
    timeoutMs: 1_080_000,
  });
  exitCode = r.exitCode;
  log = `${String(r.stderr)}\n${String(r.stdout)}`;
  console.info(`clusterproof run --provider kind exit ${exitCode}\n${log}`);
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
}, 1_100_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('clusterproof run --provider kind --apply (its own cluster with Istio)', () => {
  test('the STRICT namespace passes the live layer, as its static twin', () => {
    const probe = find('probe', STRICT);
    expect(probe?.result, JSON.stringify(probe, null, 2)).toBe('pass');
    expect(probe?.message).toContain(`pod ${STRICT}/api-`);
    expect(probe?.message).toContain(`an in-mesh caller got in as spiffe://cluster.local/ns/${STRICT}/sa/default`);
    expect(find('config', STRICT)?.result).toBe('pass');
  });

  test('the DISABLE namespace fails the live layer with the plaintext connection, as its static twin; the gate fails (exit 1)', () => {
    const probe = find('probe', DISABLE);
    expect(probe?.result, JSON.stringify(probe, null, 2)).toBe('fail');
    expect(JSON.stringify(probe?.evidence)).toContain('plaintext → answered (server saw plaintext)');
    expect(find('config', DISABLE)?.result).toBe('fail');
    expect(exitCode, log).toBe(1);
  });

  test('the cluster the run made is gone', async () => {
    const name = /provisioning kind cluster (\S+)/.exec(log)?.[1];
    expect(name, log).toBeDefined();
    expect((await listStates()).map((s) => s.name)).not.toContain(name);
  });
});
