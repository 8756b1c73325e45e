// Proof: `up --mesh istio` gave the live cluster a working Istio control plane built offline: istiod (our build,
// reporting the pinned version) is Ready, the sidecar injector answers for a namespace labelled
// istio-injection=enabled with the proxyless gRPC template (grpc-agent: pilot-agent, no Envoy), and an injected pod's
// pilot-agent gets its workload certificate from istiod's CA (SPIFFE identity of its ServiceAccount) and writes the
// gRPC xDS bootstrap its application would use. The plaintext/mTLS probe itself comes later (issue 6 part 3).
import { X509Certificate } from 'node:crypto';
import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeApiClient } from '../../harness/kubernetes/apiClient.ts';
import { waitFor } from '../../harness/kubernetes/waitFor.ts';
import { execInPod } from '../../harness/probe/podExec.ts';
import { readImageSet } from '../../harness/provision/images.ts';
import { deploymentNotAvailable } from '../../harness/provision/kind/rolloutsController.ts';
import { INJECTION_LABEL, ISTIO_PROXY_CONTAINER as PROXY_CONTAINER } from '../../harness/model/istio.ts';
import { injectionCheckPod, injectionMissing, ISTIO_NAMESPACE, ISTIOD_DEPLOYMENT } from '../../harness/provision/mesh/istioObjects.ts';
import { newRunId } from '../../harness/provision/naming.ts';
import { core, kubeConfig, probeImage, suffix } from './support/liveCluster.ts';
import { createTestNamespace, deleteTestNamespaces } from './support/namespaces.ts';

const api = core();
const apps = makeApiClient(kubeConfig(), AppsV1Api);
const runId = newRunId();
const ns = `cp-mesh-${suffix()}`;
const images = await readImageSet();

beforeAll(async () => {
  try {
    await apps.readNamespacedDeployment({ name: ISTIOD_DEPLOYMENT, namespace: ISTIO_NAMESPACE });
  } catch (error) {
    throw new Error(
      `the live cluster has no ${ISTIO_NAMESPACE}/${ISTIOD_DEPLOYMENT}; bring it up with: clusterproof up --mesh istio (CLUSTERPROOF_LIVE_CLUSTER names it)`,
      { cause: error },
    );
  }
  await createTestNamespace(api, ns, runId);
  await api.patchNamespace({ name: ns, body: [{ op: 'add', path: `/metadata/labels/${INJECTION_LABEL}`, value: 'enabled' }] });
}, 120_000);

afterAll(async () => {
  await deleteTestNamespaces(api, [ns]);
});

describe('Istio control plane (up --mesh istio)', () => {
  test('istiod is Ready, runs our image and reports the pinned version', async () => {
    const deployment = await apps.readNamespacedDeployment({ name: ISTIOD_DEPLOYMENT, namespace: ISTIO_NAMESPACE });
    expect(deploymentNotAvailable(deployment)).toBeUndefined();
    expect(deployment.spec?.template.spec?.containers[0]?.image).toBe(images?.istiod);
    const pods = await api.listNamespacedPod({ namespace: ISTIO_NAMESPACE, labelSelector: 'app=istiod' });
    const ready = pods.items.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    expect(ready.length).toBeGreaterThan(0);
    const pod = ready[0]?.metadata?.name ?? '';
    const version = await execInPod(
      kubeConfig(),
      { namespace: ISTIO_NAMESPACE, pod, container: 'discovery' },
      ['pilot-discovery', 'version', '--short'],
      30_000,
    );
    expect(version.exitCode, version.stderr).toBe(0);
    // images.json's istiod tag is <hub>/pilot:<ISTIO_TAG>, the version the build's ldflags set
    // (`client version: 1.31-dev.eed52ebb66ad`).
    expect(version.stdout.trim()).toBe(`client version: ${images?.istiod?.split(':').at(-1)}`);
  });

  test('the injector adds pilot-agent without Envoy (grpc-agent) to a dry-run Pod of a labelled namespace', async () => {
    const pod = injectionCheckPod(probeImage());
    const admitted = await api.createNamespacedPod({
      namespace: ns,
      body: { ...pod, metadata: { ...pod.metadata, namespace: ns } },
      dryRun: 'All',
    });
    expect(injectionMissing(admitted, images?.istioProxy)).toBeUndefined();
    const app = admitted.spec?.containers.find((c) => c.name === 'app');
    expect(app?.env).toContainEqual({ name: 'GRPC_XDS_BOOTSTRAP', value: '/etc/istio/proxy/grpc-bootstrap.json' });
  });

  test('an injected pod runs pilot-agent to Ready with a workload certificate for its ServiceAccount', async () => {
    const name = 'grpc-agent';
    const base = injectionCheckPod(probeImage());
    await api.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { ...base.metadata, name, namespace: ns },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: probeImage(), imagePullPolicy: 'Never' }] },
      },
    });
    const { value: pod } = await waitFor(
      `pod ${ns}/${name} Ready (app + ${PROXY_CONTAINER})`,
      async () => {
        const p = await api.readNamespacedPod({ namespace: ns, name });
        const statuses = p.status?.containerStatuses ?? [];
        const why = statuses
          .map((s) => `${s.name} ready=${s.ready} ${JSON.stringify(s.state?.waiting ?? s.state?.terminated ?? {})}`)
          .join('; ');
        return statuses.length === 2 && statuses.every((s) => s.ready)
          ? { done: true, value: p }
          : { done: false, why: why || (p.status?.phase ?? '?') };
      },
      { timeout: 180_000, interval: 1000 },
    );
    expect(pod.spec?.containers.map((c) => c.name).sort()).toEqual(['app', PROXY_CONTAINER]);

    const inAgent = (command: string[]) =>
      execInPod(kubeConfig(), { namespace: ns, pod: name, container: PROXY_CONTAINER }, command, 30_000);
    const bootstrap = await inAgent(['cat', '/etc/istio/proxy/grpc-bootstrap.json']);
    expect(bootstrap.exitCode, bootstrap.stderr).toBe(0);
    const parsed = JSON.parse(bootstrap.stdout) as { xds_servers?: { server_uri?: string }[]; node?: { id?: string } };
    expect(parsed.xds_servers?.[0]?.server_uri).toBeTruthy();
    expect(parsed.node?.id).toContain(`${name}.${ns}`);

    const chain = await inAgent(['cat', '/var/lib/istio/data/cert-chain.pem']);
    expect(chain.exitCode, chain.stderr).toBe(0);
    const leaf = new X509Certificate(chain.stdout);
    expect(leaf.subjectAltName).toContain(`URI:spiffe://cluster.local/ns/${ns}/sa/default`);
  }, 240_000);
});
