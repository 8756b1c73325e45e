import { describe, expect, it } from 'vitest';
import { evaluateMtlsStrict } from '../../harness/evaluate/mtlsStrict.ts';
import { hostTarget } from '../../harness/evaluate/mtlsStrict/destinationRuleHosts.ts';
import type { MtlsSpec } from '../../harness/model/spec.ts';
import type { ClusterState, DestinationRule, PeerAuthentication } from '../../harness/model/state.ts';
import { control, deployment, namespace, pod, spec, state } from './stateBuilder.ts';
import { mesh, pa } from './meshBuilders.ts';

const STRICT: MtlsSpec = { mode: 'STRICT', scope: { namespaces: ['*'], exclude: ['istio-system'] } };
const run = (s: ClusterState, mtls: MtlsSpec | null = STRICT) =>
  evaluateMtlsStrict({ state: s, spec: spec(mtls ? { mtls } : {}), control: control('mtls-strict') });
const failing = (s: ClusterState, mtls: MtlsSpec = STRICT) =>
  run(s, mtls)
    .filter((f) => f.result === 'fail')
    .map((f) => `${f.subject?.kind ?? '-'} ${f.subject?.namespace ?? ''}/${f.subject?.name ?? ''}`);

const dr = (ns: string, name: string, host: string, tls: 'DISABLE' | 'ISTIO_MUTUAL', portLevel = false): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name, namespace: ns },
  spec: {
    host,
    trafficPolicy: portLevel ? { portLevelSettings: [{ port: { number: 8080 }, tls: { mode: tls } }] } : { tls: { mode: tls } },
  },
});

describe('mtls-strict', () => {
  it('is not-applicable without an mtls section, and for spec mode DISABLE', () => {
    expect(run(state(), null).map((f) => f.result)).toEqual(['not-applicable']);
    expect(run(mesh(), { ...STRICT, mode: 'DISABLE' }).map((f) => f.result)).toEqual(['not-applicable']);
  });

  it('passes a mesh-wide STRICT policy over an injected namespace', () => {
    const out = run(mesh());
    expect(out.map((f) => [f.result, f.subject?.name])).toEqual([['pass', 'shop']]);
  });

  it('fails with "Istio default is PERMISSIVE" when there is no PeerAuthentication at all', () => {
    const out = run(
      mesh((s) => {
        s.kubernetes.istio.peerAuthentications = [];
      }),
    );
    expect(out[0]?.message).toMatch(/Istio default is PERMISSIVE/);
    expect(out.map((f) => f.result)).toEqual(['fail', 'fail']);
  });

  it('lets a namespace policy override the mesh one, and UNSET inherit it', () => {
    const permissiveNs = mesh((s) => {
      s.kubernetes.istio.peerAuthentications.push(pa('shop', 'ns', { mtls: { mode: 'PERMISSIVE' } }));
    });
    expect(failing(permissiveNs)).toEqual(['Namespace /shop', 'PeerAuthentication shop/ns']);
    const unset = mesh((s) => {
      s.kubernetes.istio.peerAuthentications.push(pa('shop', 'ns', { mtls: { mode: 'UNSET' } }));
    });
    expect(failing(unset)).toEqual([]);
    const strictOverPermissiveMesh = mesh((s) => {
      s.kubernetes.istio.peerAuthentications = [
        pa('istio-system', 'default', { mtls: { mode: 'PERMISSIVE' } }),
        pa('shop', 'ns', { mtls: { mode: 'STRICT' } }),
      ];
    });
    expect(failing(strictOverPermissiveMesh)).toEqual([]);
  });

  it('names the workloads and ports a workload policy weakens, including port-level overrides', () => {
    const s = mesh((st) => {
      st.kubernetes.pods.push(
        pod('shop', 'cart-1', { labels: { app: 'cart' }, ports: [8080, 9090], containers: ['app', 'istio-proxy'], phase: 'Running' }),
      );
      st.kubernetes.istio.peerAuthentications.push(
        pa('shop', 'cart-metrics', { selector: { matchLabels: { app: 'cart' } }, portLevelMtls: { '9090': { mode: 'DISABLE' } } }),
      );
    });
    const out = run(s);
    const paFinding = out.find((f) => f.subject?.kind === 'PeerAuthentication');
    expect(paFinding?.result).toBe('fail');
    expect(paFinding?.message).toContain('port 9090 DISABLE');
    expect(paFinding?.message).toContain('Pod shop/cart-1 (port 9090: DISABLE)');
    expect(paFinding?.message).toContain('Deployment shop/cart');
  });

  it('ignores portLevelMtls on a namespace-wide policy, as istiod does', () => {
    const s = mesh((st) => {
      st.kubernetes.istio.peerAuthentications.push(
        pa('shop', 'ns', { mtls: { mode: 'STRICT' }, portLevelMtls: { '80': { mode: 'DISABLE' } } }),
      );
    });
    expect(failing(s)).toEqual([]);
  });

  it('treats PERMISSIVE as acceptable when the spec asks only for PERMISSIVE, DISABLE still fails', () => {
    const s = mesh((st) => {
      st.kubernetes.istio.peerAuthentications.push(pa('shop', 'ns', { mtls: { mode: 'PERMISSIVE' } }));
    });
    expect(failing(s, { ...STRICT, mode: 'PERMISSIVE' })).toEqual([]);
    const d = mesh((st) => {
      st.kubernetes.istio.peerAuthentications.push(pa('shop', 'ns', { mtls: { mode: 'DISABLE' } }));
    });
    expect(failing(d, { ...STRICT, mode: 'PERMISSIVE' })).toEqual(['Namespace /shop', 'PeerAuthentication shop/ns']);
  });

  it('fails DestinationRules that disable TLS toward in-scope hosts only, for the sidecar clients they reach', () => {
    const rules = (st: ClusterState) =>
      st.kubernetes.istio.destinationRules.push(
        dr('shop', 'short', 'cart', 'DISABLE'),
        dr('legacy', 'fqdn', 'cart.shop.svc.cluster.local', 'DISABLE', true),
        dr('legacy', 'own', 'old', 'DISABLE'),
        dr('shop', 'external', 'api.stripe.com', 'DISABLE'),
        dr('shop', 'fine', '*.shop.svc.cluster.local', 'ISTIO_MUTUAL'),
      );
    // legacy's new pods get a sidecar: legacy/fqdn is the rule its clients use toward cart.shop (client namespace first).
    const injected = mesh((st) => {
      st.kubernetes.namespaces.push(namespace('legacy', { 'istio-injection': 'enabled' }));
      rules(st);
    });
    expect(failing(injected, { mode: 'STRICT', scope: { namespaces: ['shop'] } })).toEqual([
      'Namespace /shop',
      'DestinationRule shop/short',
      'DestinationRule legacy/fqdn',
    ]);
    // Without injection legacy has no sidecar client to apply the rule: it sends plaintext anyway, and no DestinationRule matters.
    const plain = mesh((st) => {
      st.kubernetes.namespaces.push(namespace('legacy'));
      rules(st);
    });
    expect(failing(plain, { mode: 'STRICT', scope: { namespaces: ['shop'] } })).toEqual(['Namespace /shop', 'DestinationRule shop/short']);
  });

  it('judges DestinationRule subsets and ports against the workloads behind the Service: plaintext to STRICT and ISTIO_MUTUAL to no sidecar are broken paths', () => {
    const s = mesh((st) => {
      st.kubernetes.namespaces.push(namespace('legacy'));
      st.kubernetes.services.push(
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'cart', namespace: 'shop' },
          spec: { selector: { app: 'cart' }, ports: [{ port: 80, targetPort: 8080 }] },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'old', namespace: 'legacy' },
          spec: { selector: { app: 'old' }, ports: [{ port: 80 }] },
        },
      );
      st.kubernetes.pods.push(
        pod('shop', 'cart-v2', { labels: { app: 'cart', version: 'v2' }, ports: [8080] }),
        pod('legacy', 'old-1', { labels: { app: 'old' }, ports: [80] }),
      );
      st.kubernetes.istio.destinationRules.push(
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'DestinationRule',
          metadata: { name: 'cart-v2-plain', namespace: 'shop' },
          spec: {
            host: 'cart',
            trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
            subsets: [
              {
                name: 'v2',
                labels: { version: 'v2' },
                trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'DISABLE' } }] },
              },
            ],
          },
        },
        dr('shop', 'to-legacy', 'old.legacy.svc.cluster.local', 'ISTIO_MUTUAL'),
      );
    });
    const out = run(s, { mode: 'STRICT', scope: { namespaces: ['shop', 'legacy'] } });
    const msg = (name: string) => out.filter((f) => f.subject?.name === name).map((f) => f.message);
    // The subset's port 80 (target 8080) sends plaintext to shop/cart-v2, which the mesh policy makes STRICT.
    expect(msg('cart-v2-plain')).toEqual([
      expect.stringMatching(/subsets\[v2\]\.trafficPolicy\.portLevelSettings\[port 80\]\.tls.*broken path: shop\/cart-v2 port 8080 STRICT/),
    ]);
    // legacy is not injected: nothing terminates the ISTIO_MUTUAL the rule sends.
    expect(msg('to-legacy')).toEqual([expect.stringContaining('legacy/old-1 has no sidecar or ztunnel to terminate it: broken path')]);
  });

  it('resolves DestinationRule hosts the way Istio does', () => {
    const known = new Set(['shop', 'pay']);
    expect(hostTarget('cart', 'shop', known)).toEqual({ kind: 'namespace', namespace: 'shop' });
    expect(hostTarget('cart.pay', 'shop', known)).toEqual({ kind: 'namespace', namespace: 'pay' });
    expect(hostTarget('*.pay.svc.cluster.local', 'shop', known)).toEqual({ kind: 'namespace', namespace: 'pay' });
    expect(hostTarget('*', 'shop', known)).toEqual({ kind: 'all' });
    expect(hostTarget('*.cluster.local', 'shop', known)).toEqual({ kind: 'all' });
    expect(hostTarget('*.local', 'shop', known)).toEqual({ kind: 'all' });
    expect(hostTarget('www.example.com', 'shop', known)).toEqual({ kind: 'external' });
  });

  it('fails namespaces outside the mesh, and accepts ambient and revision labels', () => {
    const s = mesh((st) => {
      st.kubernetes.namespaces.push(
        namespace('plain'),
        namespace('amb', { 'istio.io/dataplane-mode': 'ambient' }),
        namespace('rev', { 'istio.io/rev': 'canary' }),
        namespace('off', { 'istio-injection': 'disabled', 'istio.io/rev': 'canary' }),
      );
    });
    expect(failing(s)).toEqual(['Namespace /plain', 'Namespace /off']);
  });

  it('fails workloads that opt out of injection and running pods without a sidecar', () => {
    const s = mesh((st) => {
      st.kubernetes.deployments.push(deployment('shop', 'batch', { templateAnnotations: { 'sidecar.istio.io/inject': 'false' } }));
      st.kubernetes.pods.push(pod('shop', 'old-1', { phase: 'Running' }), pod('shop', 'manifest-only'));
    });
    expect(failing(s)).toEqual(['Namespace /shop', 'Pod shop/old-1', 'Deployment shop/batch']);
  });

  it("states every workload port's resolved mode, and names a STRICT workload inside a PERMISSIVE namespace", () => {
    const s = mesh((st) => {
      st.kubernetes.istio.peerAuthentications.push(
        pa('shop', 'ns', { mtls: { mode: 'PERMISSIVE' } }),
        pa('shop', 'pay-strict', { selector: { matchLabels: { app: 'pay' } }, mtls: { mode: 'STRICT' } }),
      );
      st.kubernetes.pods.push(pod('shop', 'pay-1', { labels: { app: 'pay' }, ports: [8443] }));
    });
    const nsFinding = run(s).find((f) => f.subject?.kind === 'Namespace');
    expect(nsFinding?.result).toBe('fail');
    expect(nsFinding?.message).toContain('shop/pay-1 STRICT by their own workload policy');
    const observed = Object.fromEntries(
      nsFinding!.evidence.flatMap((e) => (e.type === 'observation' ? [[e.what.split(' (')[0], e.observed]] : [])),
    );
    expect(observed['mTLS of shop/pay-1']).toBe('port 8443: STRICT (plaintext refused) from PeerAuthentication shop/pay-strict (workload)');
    expect(observed['mTLS of shop/cart[Deployment]']).toBe(
      'port any: PERMISSIVE (plaintext accepted) from PeerAuthentication shop/ns (namespace)',
    );
  });

  it('takes the mesh-wide policy from the root namespace the mesh config names, and ignores selectors there', () => {
    const s = mesh((st) => {
      st.kubernetes.istio.peerAuthentications = [
        pa('mesh-root', 'default', { mtls: { mode: 'STRICT' } }),
        pa('mesh-root', 'cart-off', { selector: { matchLabels: { app: 'cart' } }, mtls: { mode: 'DISABLE' } }),
      ];
      st.kubernetes.configMaps.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'istio', namespace: 'istio-system' },
        data: { mesh: 'rootNamespace: mesh-root\n' },
      });
    });
    expect(failing(s)).toEqual([]);
    const warned = run(s)[0]!.evidence.some(
      (e) => e.type === 'observation' && String(e.observed).includes('mesh-root/cart-off is ignored'),
    );
    expect(warned).toBe(false); // the warning belongs to mesh-root's findings, which is out of scope here
    // Without the mesh config the policy sits in an ordinary namespace: shop falls back to Istio's PERMISSIVE.
    const noConfig = mesh((st) => {
      st.kubernetes.istio.peerAuthentications = [pa('mesh-root', 'default', { mtls: { mode: 'STRICT' } })];
    });
    expect(failing(noConfig)).toEqual(['Namespace /shop']);
    expect(failing(noConfig, { ...STRICT, rootNamespace: 'mesh-root' })).toEqual([]);
  });

  it('lets the oldest of two namespace-wide policies win and shows the other as ignored', () => {
    const s = mesh((st) => {
      st.kubernetes.istio.peerAuthentications.push(
        {
          ...pa('shop', 'newer', { mtls: { mode: 'PERMISSIVE' } }),
          metadata: { name: 'newer', namespace: 'shop', creationTimestamp: '2026-03-01T00:00:00Z' },
        },
        {
          ...pa('shop', 'older', { mtls: { mode: 'STRICT' } }),
          metadata: { name: 'older', namespace: 'shop', creationTimestamp: '2026-02-01T00:00:00Z' },
        },
      );
    });
    const nsFinding = run(s).find((f) => f.subject?.kind === 'Namespace');
    expect(nsFinding?.message).toContain('mTLS STRICT from PeerAuthentication shop/older (namespace)');
    expect(nsFinding?.evidence).toContainEqual({
      type: 'observation',
      what: 'PeerAuthentication ignored by Istio',
      observed: 'PeerAuthentication shop/newer is ignored: shop/older is the older namespace-level policy (oldest wins)',
    });
  });

  it('reports listed namespaces that were not collected as errors, and a scope that selects nothing as not-applicable', () => {
    const out = run(mesh(), { mode: 'STRICT', scope: { namespaces: ['shop', 'payments'] } });
    expect(out.map((f) => f.result)).toEqual(['error', 'pass']);
    expect(run(mesh(), { mode: 'STRICT', scope: { namespaces: ['team-*'] } }).map((f) => f.result)).toEqual(['not-applicable']);
  });
});
