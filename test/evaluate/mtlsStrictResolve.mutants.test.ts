// resolveWorkloadMtls verdicts and warnings stated exactly, for the survivors of
// `npm run mutation -- --mutate harness/evaluate/mtlsStrict/resolveWorkloadMtls.ts` (the CLI tests run out of process
// and kill nothing). Rules: istio.io/istio pilot/pkg/model/authentication.go (oldest policy per level wins; a selector
// in the root namespace never applies, istio/api security/v1/peer_authentication.proto) and pilot/pkg/security/authn
// policy_applier.go ComposePeerAuthentication.
import { describe, expect, it } from 'vitest';
import { meshWorkloads } from '../../harness/evaluate/mtlsStrict/meshWorkloads.ts';
import { resolveWorkloadMtls } from '../../harness/evaluate/mtlsStrict/resolveWorkloadMtls.ts';
import type { ClusterState, PeerAuthentication } from '../../harness/model/state.ts';
import { namespace, pod, state } from './stateBuilder.ts';

const pa = (ns: string, name: string, created: string, s: PeerAuthentication['spec']): PeerAuthentication => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace: ns, creationTimestamp: created },
  spec: s,
});
const CART = { matchLabels: { app: 'cart' } };

function resolve(s: ClusterState) {
  const r = resolveWorkloadMtls(s, 'istio-system', meshWorkloads(s));
  return {
    ports: Object.fromEntries(
      r.workloads.map((w) => [
        w.workload.id,
        w.ports.map((p) => `${p.port ?? 'any'} ${p.mode} ${p.plaintextAccepted ? 'plaintext' : 'mtls-only'}`),
      ]),
    ),
    warnings: r.warnings.map((w) => `${w.namespace}: ${w.message}`),
    neverApplied: [...r.neverApplied].map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
  };
}

function cluster(policies: PeerAuthentication[]): ClusterState {
  return state((s) => {
    // A Namespace without metadata (a malformed input) is skipped, not a crash.
    s.kubernetes.namespaces.push(namespace('istio-system'), namespace('shop', { 'istio-injection': 'enabled' }), {
      apiVersion: 'v1',
      kind: 'Namespace',
    });
    s.kubernetes.pods.push(pod('shop', 'cart-1', { labels: { app: 'cart' }, ports: [8080] }));
    s.kubernetes.istio.peerAuthentications.push(...policies);
  });
}

describe('resolveWorkloadMtls: which policies istiod ignores, said once each', () => {
  it('the older of two workload policies decides; the newer is a warning naming the workload, not "never applied" (it may decide for other workloads)', () => {
    const out = resolve(
      cluster([
        pa('shop', 'newer', '2026-02-01T00:00:00Z', { selector: CART, mtls: { mode: 'DISABLE' } }),
        pa('shop', 'older', '2026-01-01T00:00:00Z', { selector: CART, mtls: { mode: 'STRICT' } }),
      ]),
    );
    expect(out.ports).toEqual({ 'shop/cart-1': ['8080 STRICT mtls-only'] });
    expect(out.warnings).toEqual([
      'shop: PeerAuthentication shop/newer is ignored for shop/cart-1: the older workload policy shop/older selects it too (oldest wins)',
    ]);
    expect(out.neverApplied).toEqual([]);
  });

  it('duplicate namespace- and mesh-level policies: the older wins, the newer is never applied, with its level named once', () => {
    const out = resolve(
      cluster([
        pa('istio-system', 'mesh-new', '2026-02-01T00:00:00Z', { mtls: { mode: 'DISABLE' } }),
        pa('istio-system', 'mesh-old', '2026-01-01T00:00:00Z', { mtls: { mode: 'STRICT' } }),
        pa('shop', 'ns-new', '2026-02-01T00:00:00Z', { mtls: { mode: 'DISABLE' } }),
        pa('shop', 'ns-old', '2026-01-01T00:00:00Z', { mtls: { mode: 'UNSET' } }),
      ]),
    );
    // ns-old is UNSET: the mesh's older STRICT shows through.
    expect(out.ports).toEqual({ 'shop/cart-1': ['8080 STRICT mtls-only'] });
    expect(out.warnings).toEqual([
      'istio-system: PeerAuthentication istio-system/mesh-new is ignored: istio-system/mesh-old is the older mesh-level policy (oldest wins)',
      'shop: PeerAuthentication shop/ns-new is ignored: shop/ns-old is the older namespace-level policy (oldest wins)',
    ]);
    expect(out.neverApplied).toEqual(['istio-system/mesh-new', 'shop/ns-new']);
  });

  it('a selector in the root namespace never applies, and is the only warning', () => {
    const out = resolve(
      cluster([
        pa('istio-system', 'mesh', '2026-01-01T00:00:00Z', { mtls: { mode: 'STRICT' } }),
        pa('istio-system', 'cart-off', '2026-02-01T00:00:00Z', { selector: CART, mtls: { mode: 'DISABLE' } }),
      ]),
    );
    expect(out.ports).toEqual({ 'shop/cart-1': ['8080 STRICT mtls-only'] });
    expect(out.warnings).toEqual([
      'istio-system: PeerAuthentication istio-system/cart-off is ignored: a policy with a workload selector in the root namespace istio-system never applies',
    ]);
    expect(out.neverApplied).toEqual(['istio-system/cart-off']);
  });

  it('no policies: PERMISSIVE everywhere, no warnings, nothing ignored', () => {
    expect(resolve(cluster([]))).toEqual({ ports: { 'shop/cart-1': ['8080 PERMISSIVE plaintext'] }, warnings: [], neverApplied: [] });
  });
});

describe('resolveWorkloadMtls: a workload without a sidecar accepts plaintext on every port', () => {
  it('NONE, plaintext accepted, whatever the STRICT policies say', () => {
    const s = cluster([
      pa('istio-system', 'mesh', '2026-01-01T00:00:00Z', { mtls: { mode: 'STRICT' } }),
      pa('shop', 'cart', '2026-01-01T00:00:00Z', {
        selector: CART,
        mtls: { mode: 'STRICT' },
        portLevelMtls: { '9090': { mode: 'STRICT' } },
      }),
    ]);
    s.kubernetes.pods.push(pod('shop', 'cart-legacy', { labels: { app: 'cart', 'sidecar.istio.io/inject': 'false' }, ports: [8080] }));
    expect(resolve(s).ports).toEqual({
      'shop/cart-1': ['8080 STRICT mtls-only', '9090 STRICT mtls-only'],
      'shop/cart-legacy': ['8080 NONE plaintext', '9090 NONE plaintext'],
    });
  });
});
