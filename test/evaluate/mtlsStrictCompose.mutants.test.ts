// composePeerAuthentication and its ordering stated exactly, for the survivors of
// `npm run mutation -- --mutate harness/evaluate/mtlsStrict/composePeerAuthentication.ts`. Rules: istio.io/istio
// pilot/pkg/security/authn/policy_applier.go ComposePeerAuthentication (levels, UNSET inherits, port-level only from
// the workload policy) and pilot/pkg/model/config.go configCompareByCreationTime (oldest first; a missing timestamp is
// Go's zero time; then name, then namespace).
import { describe, expect, it } from 'vitest';
import {
  composePeerAuthentication,
  describeDecision,
  olderFirst,
  type Decided,
} from '../../harness/evaluate/mtlsStrict/composePeerAuthentication.ts';
import type { PeerAuthentication } from '../../harness/model/state.ts';

const pa = (ns: string, name: string, s: PeerAuthentication['spec'], created?: string): PeerAuthentication => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace: ns, ...(created ? { creationTimestamp: created } : {}) },
  spec: s,
});
const CART = { matchLabels: { app: 'cart' } };
const id = (p: PeerAuthentication) => `${p.metadata.namespace}/${p.metadata.name}`;
const decided = (d: Decided) => `${d.mode} from ${describeDecision(d)}`;

function compose(candidates: PeerAuthentication[]) {
  const c = composePeerAuthentication('istio-system', candidates);
  return {
    mode: decided(c.mode),
    perPort: Object.fromEntries([...c.perPort].map(([port, d]) => [port, decided(d)])),
    workload: c.workload && id(c.workload),
    ignored: c.ignored.map((i) => `${i.level}: ${id(i.ignored)} (winner ${id(i.winner)})`),
    rootSelectorIgnored: c.rootSelectorIgnored.map(id),
  };
}

describe('composePeerAuthentication', () => {
  it('per level the oldest wins and every other policy of that level is ignored naming it; a root-namespace selector never applies', () => {
    expect(
      compose([
        pa('istio-system', 'mesh-new', { mtls: { mode: 'DISABLE' } }, '2026-02-01T00:00:00Z'),
        pa('istio-system', 'mesh-old', { mtls: { mode: 'STRICT' } }, '2026-01-01T00:00:00Z'),
        pa('istio-system', 'cart-off', { selector: CART, mtls: { mode: 'DISABLE' } }),
        pa('shop', 'ns-new', { mtls: { mode: 'DISABLE' } }, '2026-02-01T00:00:00Z'),
        pa('shop', 'ns-old', { mtls: { mode: 'UNSET' } }, '2026-01-01T00:00:00Z'),
        pa('shop', 'cart-new', { selector: CART, mtls: { mode: 'DISABLE' } }, '2026-02-01T00:00:00Z'),
        pa('shop', 'cart-old', { selector: CART }, '2026-01-01T00:00:00Z'),
      ]),
    ).toEqual({
      // ns-old and cart-old set nothing: the mesh's older STRICT shows through.
      mode: 'STRICT from PeerAuthentication istio-system/mesh-old (mesh)',
      perPort: {},
      workload: 'shop/cart-old',
      ignored: [
        'mesh: istio-system/mesh-new (winner istio-system/mesh-old)',
        'namespace: shop/ns-new (winner shop/ns-old)',
        'workload: shop/cart-new (winner shop/cart-old)',
      ],
      rootSelectorIgnored: ['istio-system/cart-off'],
    });
  });

  it('nothing applies: Istio default PERMISSIVE, nothing ignored', () => {
    expect(compose([])).toEqual({
      mode: 'PERMISSIVE from mesh default',
      perPort: {},
      workload: undefined,
      ignored: [],
      rootSelectorIgnored: [],
    });
  });

  it('a port-level mode comes from the workload policy; an UNSET (or empty) port takes the composed mode', () => {
    const workload = pa('shop', 'cart', {
      selector: CART,
      portLevelMtls: {
        '8080': { mode: 'DISABLE' },
        '9090': { mode: 'UNSET' },
        // A port key with no value (`9443:` in YAML) is read as null: it sets nothing.
        '9443': null as unknown as { mode: 'UNSET' },
      },
    });
    expect(compose([pa('shop', 'ns', { mtls: { mode: 'PERMISSIVE' } }), workload])).toMatchObject({
      mode: 'PERMISSIVE from PeerAuthentication shop/ns (namespace)',
      perPort: {
        8080: 'DISABLE from PeerAuthentication shop/cart (workload, port-level)',
        9090: 'PERMISSIVE from PeerAuthentication shop/ns (namespace)',
        9443: 'PERMISSIVE from PeerAuthentication shop/ns (namespace)',
      },
    });
  });
});

describe('olderFirst (configCompareByCreationTime)', () => {
  const at = (ns: string, name: string, created?: string) => pa(ns, name, {}, created);

  it('a policy without a timestamp is the oldest, whatever its name', () => {
    expect(olderFirst(at('shop', 'z', undefined), at('shop', 'a', '2026-01-01T00:00:00Z'))).toBe(-1);
    expect(olderFirst(at('shop', 'a', '2026-01-01T00:00:00Z'), at('shop', 'z', undefined))).toBe(1);
    expect(
      compose([
        pa('shop', 'a-dated', { mtls: { mode: 'STRICT' } }, '2026-01-01T00:00:00Z'),
        pa('shop', 'z-undated', { mtls: { mode: 'DISABLE' } }),
      ]).mode,
    ).toBe('DISABLE from PeerAuthentication shop/z-undated (namespace)');
  });

  it('at the same time the name decides, then the namespace; identical is 0', () => {
    const t = '2026-01-01T00:00:00Z';
    expect(Math.sign(olderFirst(at('shop', 'a', t), at('shop', 'b', t)))).toBe(-1);
    expect(Math.sign(olderFirst(at('shop', 'b', t), at('shop', 'a', t)))).toBe(1);
    expect(Math.sign(olderFirst(at('x', 'same', t), at('y', 'same', t)))).toBe(-1);
    expect(Math.sign(olderFirst(at('y', 'same', t), at('x', 'same', t)))).toBe(1);
    expect(olderFirst(at('x', 'same', t), at('x', 'same', t))).toBe(0);
    for (const order of [
      ['b', 'a'],
      ['a', 'b'],
    ]) {
      const policies = order.map((n) => pa('shop', n, { mtls: { mode: n === 'a' ? 'STRICT' : 'DISABLE' } }, t));
      expect(compose(policies).mode).toBe('STRICT from PeerAuthentication shop/a (namespace)');
    }
  });
});
