// Proof: mtls-strict's live layer on real istiod-enforced traffic. The live tier's cluster runs Istio built offline
// (`up --mesh istio`) with the proxyless gRPC data plane (pilot-agent, no Envoy): istiod turns PeerAuthentication
// into each gRPC server's xDS listener. A meshed namespace with a STRICT PeerAuthentication and a real workload
// passes (plaintext and TLS without a mesh certificate refused from outside the mesh, an in-mesh caller seen as
// spiffe://cluster.local/ns/<ns>/sa/default, all as the static twin resolves); a workload opting out of injection
// is found by both twins; the namespace switched to DISABLE fails with the plaintext connection as evidence. The
// whole gate (`clusterproof run --provider kind --apply`) on both modes: mtlsProvider.test.ts.
import { CustomObjectsApi, NetworkingV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evaluateMtlsStrict } from '../../harness/evaluate/mtlsStrict.ts';
import { makeApiClient } from '../../harness/kubernetes/apiClient.ts';
import { K8S_RUN_LABEL } from '../../harness/kubernetes/runLabels.ts';
import type { LiveCheckInput } from '../../harness/model/liveCheck.ts';
import { MESHPROBE_BIN } from '../../harness/probe/mtls/meshProbeObjects.ts';
import { mtlsPlaintextProbe } from '../../harness/probe/mtlsPlaintextProbe.ts';
import { awaitPodReady } from '../../harness/probe/probePods.ts';
import { GRPC_AGENT_TEMPLATE, INJECT_TEMPLATES_ANNOTATION, INJECTION_LABEL } from '../../harness/model/istio.ts';
import { newRunId } from '../../harness/provision/naming.ts';
import { spec } from '../evaluate/stateBuilder.ts';
import { core, kubeConfig, liveInfo, probeImage, suffix } from './support/liveCluster.ts';
import { probeInput, showFindings } from './support/probeInput.ts';
import { createTestNamespace, deleteTestNamespaces } from './support/namespaces.ts';

const api = core();
const custom = makeApiClient(kubeConfig(), CustomObjectsApi);
const runId = newRunId();
const ns = `cp-mtls-live-${suffix()}`;
const PEER_AUTHENTICATION = { group: 'security.istio.io', version: 'v1', plural: 'peerauthentications' } as const;
const mtlsSpec = spec({ mtls: { mode: 'STRICT', mesh: 'istio', scope: { namespaces: [ns] } } });

const input = (): Promise<LiveCheckInput> => probeInput('mtls-strict', mtlsSpec, runId);
const show = showFindings;
async function peerAuthentication(mode: 'STRICT' | 'DISABLE'): Promise<void> {
  const body = {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'default', namespace: ns },
    spec: { mtls: { mode } },
  };
  await custom.deleteNamespacedCustomObject({ ...PEER_AUTHENTICATION, namespace: ns, name: 'default' }).catch(() => undefined);
  await custom.createNamespacedCustomObject({ ...PEER_AUTHENTICATION, namespace: ns, body });
}

/** A user's gRPC workload: in the mesh through the namespace (grpc-agent template), or opted out with the pod label. */
async function workload(name: string, meshed: boolean): Promise<void> {
  await api.createNamespacedPod({
    namespace: ns,
    body: {
      metadata: {
        name,
        labels: { app: name, ...(meshed ? {} : { 'sidecar.istio.io/inject': 'false' }) },
        annotations: { [INJECT_TEMPLATES_ANNOTATION]: GRPC_AGENT_TEMPLATE },
      },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [
          {
            name: 'app',
            image: probeImage(),
            imagePullPolicy: 'IfNotPresent',
            command: [MESHPROBE_BIN, 'serve', '--port', '9090', ...(meshed ? ['--xds'] : [])],
            ports: [{ name: 'grpc', containerPort: 9090 }],
          },
        ],
      },
    },
  });
  await api.createNamespacedService({
    namespace: ns,
    body: { metadata: { name }, spec: { selector: { app: name }, ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }] } },
  });
  await awaitPodReady(api, { namespace: ns, name }, Date.now() + 180_000);
}

beforeAll(async () => {
  await createTestNamespace(api, ns, runId);
  await api.patchNamespace({ name: ns, body: [{ op: 'add', path: `/metadata/labels/${INJECTION_LABEL}`, value: 'enabled' }] });
  await peerAuthentication('STRICT');
  await workload('api', true);
}, 300_000);

afterAll(async () => {
  await deleteTestNamespaces(api, [ns]);
});

describe('mtls-strict probe layer on istiod-enforced proxyless gRPC', () => {
  test('STRICT namespace: plaintext and foreign TLS refused, the in-mesh caller seen as its ServiceAccount (pass)', async () => {
    const findings = await mtlsPlaintextProbe(await input());
    const [f] = findings;
    expect(f?.result, show(findings)).toBe('pass');
    expect(f?.message).toContain(`an in-mesh caller got in as spiffe://cluster.local/ns/${ns}/sa/default`);
    expect(f?.message).toContain(`pod ${ns}/api port 9090: plaintext refused, as STRICT`);
    // Nothing of the probe's is left in the user's namespace, nor its own namespace.
    const selector = `${K8S_RUN_LABEL}=${runId}`;
    expect((await api.listNamespacedPod({ namespace: ns, labelSelector: selector })).items.map((p) => p.metadata?.name)).toEqual([]);
    expect((await api.listNamespacedService({ namespace: ns, labelSelector: selector })).items).toEqual([]);
    expect((await makeApiClient(kubeConfig(), NetworkingV1Api).listNamespacedNetworkPolicy({ namespace: ns })).items).toEqual([]);
  }, 420_000);

  test('a workload opting out of injection in the STRICT namespace is found by both twins (fail)', async () => {
    await workload('legacy', false);
    try {
      const live = await input();
      const findings = await mtlsPlaintextProbe(live);
      expect(findings[0]?.result, show(findings)).toBe('fail');
      expect(findings[0]?.message).toContain(`pod ${ns}/legacy port 9090: plaintext accepted`);
      const config = evaluateMtlsStrict({ state: live.state, spec: mtlsSpec, control: live.control });
      const named = config.filter((c) => c.result === 'fail' && JSON.stringify(c).includes(`${ns}/legacy`));
      expect(named.length, show(config)).toBeGreaterThan(0);
    } finally {
      await api.deleteNamespacedPod({ namespace: ns, name: 'legacy', gracePeriodSeconds: 0 }).catch(() => undefined);
      await api.deleteNamespacedService({ namespace: ns, name: 'legacy' }).catch(() => undefined);
    }
  }, 420_000);

  test('the namespace switched to DISABLE fails, with the plaintext connection as evidence', async () => {
    await peerAuthentication('DISABLE');
    const findings = await mtlsPlaintextProbe(await input());
    const [f] = findings;
    expect(f?.result, show(findings)).toBe('fail');
    expect(f?.message).toContain('plaintext accepted');
    expect(JSON.stringify(f?.evidence)).toContain('plaintext → answered (server saw plaintext)');
  }, 420_000);
});
