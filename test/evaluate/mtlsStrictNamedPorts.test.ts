// Named Service targetPorts resolved per workload (serviceTargetPorts.ts). Kubernetes resolves a named targetPort to
// the container port of that name and protocol on each pod (k8s.io/kubernetes pkg/api/v1/pod FindPort, containers
// then sidecar init containers); Istio's port-level PeerAuthentication names that container port ("the port value
// in the portLevelMtls field refers to the port of the workload, not the port of the Kubernetes service",
// https://istio.io/latest/docs/reference/config/security/peer_authentication/). So one Service port may land on
// different container ports, with different modes, on different pods. Verdicts are stated per workload and port.
import type { V1ContainerPort, V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { evaluateMtlsStrict } from '../../harness/evaluate/mtlsStrict.ts';
import { meshWorkloads } from '../../harness/evaluate/mtlsStrict/meshWorkloads.ts';
import { resolveWorkloadMtls } from '../../harness/evaluate/mtlsStrict/resolveWorkloadMtls.ts';
import { targetPortOn } from '../../harness/evaluate/mtlsStrict/serviceTargetPorts.ts';
import type { ClusterState, PeerAuthentication } from '../../harness/model/state.ts';
import { control, namespace, spec, state } from './stateBuilder.ts';

function namedPod(name: string, ports: V1ContainerPort[], sidecarPorts: V1ContainerPort[] = []): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels: { app: 'cart' } },
    spec: {
      containers: [
        { name: 'app', image: 'app', ports },
        { name: 'istio-proxy', image: 'proxy' },
      ],
      ...(sidecarPorts.length > 0
        ? { initContainers: [{ name: 'helper', image: 'h', restartPolicy: 'Always', ports: sidecarPorts }] }
        : {}),
    },
    status: { phase: 'Running' },
  };
}

const cartService = (ports: NonNullable<V1Service['spec']>['ports']): V1Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'cart', namespace: 'shop' },
  spec: { selector: { app: 'cart' }, ports },
});

const pa = (name: string, s: PeerAuthentication['spec'], ns = 'shop'): PeerAuthentication => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace: ns },
  spec: s,
});

/** cart-a answers `http` on 8080, cart-b on 9080, cart-c has no `http`; the workload policy is STRICT with 9080 DISABLE. */
function cluster(edit: (s: ClusterState) => void = () => {}): ClusterState {
  return state((s) => {
    s.kubernetes.namespaces.push(namespace('istio-system'), namespace('shop', { 'istio-injection': 'enabled' }));
    s.kubernetes.istio.peerAuthentications.push(
      pa('default', { mtls: { mode: 'PERMISSIVE' } }, 'istio-system'),
      pa('cart', { selector: { matchLabels: { app: 'cart' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '9080': { mode: 'DISABLE' } } }),
    );
    s.kubernetes.services.push(cartService([{ port: 80, targetPort: 'http' }]));
    s.kubernetes.pods.push(
      namedPod('cart-a', [{ name: 'http', containerPort: 8080 }]),
      namedPod('cart-b', [{ name: 'http', containerPort: 9080 }]),
      namedPod('cart-c', [{ name: 'metrics', containerPort: 9090 }]),
    );
    edit(s);
  });
}

/** workload → port → `MODE plaintext accepted|refused via <services>`. */
function table(s: ClusterState, extraPorts: number[] = []): Record<string, Record<string, string>> {
  const resolution = resolveWorkloadMtls(s, 'istio-system', meshWorkloads(s), extraPorts);
  return Object.fromEntries(
    resolution.workloads.map((w) => [
      w.workload.id,
      Object.fromEntries([
        ...w.ports.map((p) => [
          String(p.port),
          `${p.mode} plaintext ${p.plaintextAccepted ? 'accepted' : 'refused'}${p.services.length > 0 ? ` via ${p.services.join(', ')}` : ''}`,
        ]),
        ...w.unresolvedServicePorts.map((via) => [via, 'unresolved']),
      ]),
    ]),
  );
}

const VIA_HTTP = 'via Service shop/cart port 80 → targetPort http';

describe('named targetPorts resolve per workload', () => {
  it('port-level PeerAuthentication applies to the container port the name resolves to on each pod', () => {
    expect(table(cluster())).toEqual({
      // 9080 is judged on every pod the policy selects (the ports a workload policy names); only cart-b gets Service traffic there.
      'shop/cart-a': { 8080: `STRICT plaintext refused ${VIA_HTTP}`, 9080: 'DISABLE plaintext accepted' },
      'shop/cart-b': { 9080: `DISABLE plaintext accepted ${VIA_HTTP}` },
      'shop/cart-c': {
        9090: 'STRICT plaintext refused',
        9080: 'DISABLE plaintext accepted',
        'Service shop/cart port 80 → targetPort http': 'unresolved',
      },
    });
  });

  it('a workload declaring no ports still gets the numeric targetPort and the Service port of a targetPort-less entry', () => {
    const s = cluster((st) => {
      st.kubernetes.services = [
        cartService([{ port: 80, targetPort: 8443 }, { port: 9000 }, { port: 53, protocol: 'UDP', targetPort: 5353 }]),
      ];
      st.kubernetes.pods = [namedPod('cart-a', [])];
    });
    expect(table(s)).toEqual({
      'shop/cart-a': {
        8443: 'STRICT plaintext refused via Service shop/cart port 80 → targetPort 8443',
        9000: 'STRICT plaintext refused via Service shop/cart port 9000',
        9080: 'DISABLE plaintext accepted',
      },
    });
  });

  it("a name matches only a container port of the Service port's protocol, and sidecar init containers count after the app's", () => {
    const udpOnly = namedPod('cart-a', [{ name: 'http', containerPort: 8080, protocol: 'UDP' }]);
    expect(
      targetPortOn({ port: 80, targetPort: 'http' }, meshWorkloads(state((s) => s.kubernetes.pods.push(udpOnly)))[0]!),
    ).toBeUndefined();
    const s = cluster((st) => {
      st.kubernetes.pods = [namedPod('cart-a', [{ name: 'web', containerPort: 8080 }], [{ name: 'http', containerPort: 9080 }])];
    });
    expect(table(s)).toEqual({
      'shop/cart-a': { 8080: 'STRICT plaintext refused', 9080: `DISABLE plaintext accepted ${VIA_HTTP}` },
    });
  });

  it('a Service selecting other pods or in another namespace does not add ports', () => {
    const s = cluster((st) => {
      st.kubernetes.services.push(
        {
          ...cartService([{ port: 81, targetPort: 7000 }]),
          metadata: { name: 'other', namespace: 'shop' },
          spec: { selector: { app: 'x' }, ports: [{ port: 81, targetPort: 7000 }] },
        },
        { ...cartService([{ port: 82, targetPort: 7001 }]), metadata: { name: 'cart', namespace: 'pay' } },
        { ...cartService([]), metadata: { name: 'headless', namespace: 'shop' }, spec: { ports: [{ port: 83, targetPort: 7002 }] } },
      );
    });
    expect(Object.keys(table(s)['shop/cart-a'] ?? {})).toEqual(['8080', '9080']);
  });
});

describe('mtls-strict with named targetPorts', () => {
  const run = (s: ClusterState) =>
    evaluateMtlsStrict({
      state: s,
      spec: spec({ mtls: { mode: 'STRICT', scope: { namespaces: ['shop'] } } }),
      control: control('mtls-strict'),
    });

  it('the workload policy weakens port 9080, and the namespace evidence names the Service port behind each container port', () => {
    const out = run(cluster());
    const paFinding = out.find((f) => f.subject?.kind === 'PeerAuthentication');
    expect(paFinding?.message).toBe(
      'PeerAuthentication shop/cart sets port 9080 DISABLE for Pod shop/cart-a (port 9080: DISABLE), Pod shop/cart-b (port 9080: DISABLE), Pod shop/cart-c (port 9080: DISABLE).',
    );
    const observed = Object.fromEntries(
      (out.find((f) => f.subject?.kind === 'Namespace')?.evidence ?? []).flatMap((e) =>
        e.type === 'observation' && e.what.startsWith('mTLS of') ? [[e.what.split(' (')[0], e.observed]] : [],
      ),
    );
    expect(observed['mTLS of shop/cart-a']).toBe(
      'port 8080 (Service shop/cart port 80 → targetPort http): STRICT (plaintext refused) from PeerAuthentication shop/cart (workload); port 9080: DISABLE (plaintext accepted) from PeerAuthentication shop/cart (workload, port-level)',
    );
    expect(observed['mTLS of shop/cart-c']).toBe(
      'port 9090: STRICT (plaintext refused) from PeerAuthentication shop/cart (workload); port 9080: DISABLE (plaintext accepted) from PeerAuthentication shop/cart (workload, port-level); Service shop/cart port 80 → targetPort http: no container port of that name, no traffic',
    );
  });

  it('a DestinationRule DISABLE on Service port 80 breaks cart-a port 8080 (STRICT), not cart-b port 9080 (DISABLE accepts it)', () => {
    const s = cluster((st) => {
      st.kubernetes.istio.destinationRules.push({
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'cart-80-plain', namespace: 'shop' },
        spec: { host: 'cart', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'DISABLE' } }] } },
      });
    });
    const drFinding = run(s).find((f) => f.subject?.kind === 'DestinationRule');
    expect(drFinding?.message).toMatch(/broken path: shop\/cart-a port 8080 STRICT, refusing the plaintext\.$/);
  });
});

describe("the sidecar's own ports are not the workload's", () => {
  // Istio never captures its own ports (pilot-agent status 15020, health 15021, Envoy metrics 15090): they answer
  // plaintext by design. The live layer observed 15020 greeting plaintext on a STRICT pod before this rule existed.
  it('lists only the application containers’ ports, so a STRICT pod is not judged on 15020', () => {
    const pod = namedPod('cart-1', [{ name: 'http', containerPort: 8080 }]);
    const proxy = pod.spec?.containers.find((c) => c.name === 'istio-proxy');
    if (proxy) proxy.ports = [{ name: 'http-envoy-prom', containerPort: 15090 }, { containerPort: 15020 }];
    const s = state((st) => {
      st.kubernetes.namespaces.push(namespace('shop', { 'istio-injection': 'enabled' }));
      st.kubernetes.pods.push(pod);
    });
    const [w] = meshWorkloads(s);
    expect(w?.ports).toEqual([8080]);
    expect(w?.namedPorts.map((p) => p.name)).toEqual(['http']);
    expect(w?.hasSidecar).toBe(true);
    expect(resolveWorkloadMtls(s, 'istio-system', meshWorkloads(s)).workloads[0]?.ports.map((p) => p.port)).toEqual([8080]);
  });
});
