// Which DestinationRule each client sidecar gets toward shop/cart, as istiod picks it
// (harness/evaluate/mtlsStrict/destinationRuleSelection.ts). Each case states, per client namespace and labels, the
// rule chosen ('none': the client gets no rule, Istio's auto mTLS applies). Rules taken from istio.io/istio
// pilot/pkg/model push_context.go (setDestinationRules, destinationRule, getExportedDestinationRuleFromNamespace),
// destination_rule.go mergeDestinationRule, sidecar.go SidecarScope.DestinationRule, config.go MostSpecificHostMatch,
// and https://istio.io/latest/docs/ops/best-practices/traffic-management/ ("Cross-namespace configuration sharing").
import { describe, expect, it } from 'vitest';
import {
  buildRuleIndex,
  mostSpecificHost,
  pickRule,
  rulesFor,
  type IndexOptions,
} from '../../harness/evaluate/mtlsStrict/destinationRuleSelection.ts';
import type { DestinationRule } from '../../harness/model/state.ts';

const CART = 'cart.shop.svc.cluster.local';
const OPTIONS: IndexOptions = { rootNamespace: 'istio-system', clusterDomain: 'cluster.local', defaultExportTo: 'public' };

function rule(
  ns: string,
  name: string,
  host: string,
  extra: Partial<DestinationRule['spec']> & { created?: string } = {},
): DestinationRule {
  const { created, ...spec } = extra;
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name, namespace: ns, ...(created ? { creationTimestamp: created } : {}) },
    spec: { host, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } }, ...spec },
  };
}

/** The rule (`ns/name`, merged rules joined with +) a client in `ns` with `labels` uses toward shop/cart. */
function chooser(rules: DestinationRule[], options: Partial<IndexOptions> = {}) {
  const index = buildRuleIndex(rules, { ...OPTIONS, ...options });
  return (ns: string, labels: Record<string, string> = {}): string => {
    const picked = pickRule(rulesFor(index, ns, CART, 'shop'), ns, labels);
    return picked ? picked.from.map((r) => `${r.metadata.namespace}/${r.metadata.name}`).join('+') : 'none';
  };
}

describe('DestinationRule exportTo limits the client namespaces a rule reaches', () => {
  it('without exportTo (mesh default public) and with "*": every client namespace', () => {
    for (const exportTo of [undefined, ['*']]) {
      const chosen = chooser([rule('shop', 'cart', 'cart', exportTo ? { exportTo } : {})]);
      expect([chosen('shop'), chosen('web'), chosen('batch'), chosen('istio-system')]).toEqual([
        'shop/cart',
        'shop/cart',
        'shop/cart',
        'shop/cart',
      ]);
    }
  });

  it('"." (or only its own namespace by name): the rule\'s namespace only', () => {
    for (const exportTo of [['.'], ['shop']]) {
      const chosen = chooser([rule('shop', 'cart', 'cart', { exportTo })]);
      expect([chosen('shop'), chosen('web'), chosen('batch')]).toEqual(['shop/cart', 'none', 'none']);
    }
  });

  it('named namespaces: exactly those, and not its own namespace unless named', () => {
    const chosen = chooser([rule('shop', 'cart', 'cart', { exportTo: ['web'] })]);
    expect([chosen('shop'), chosen('web'), chosen('batch')]).toEqual(['none', 'shop/cart', 'none']);
    const withOwn = chooser([rule('shop', 'cart', 'cart', { exportTo: ['web', '.'] })]);
    expect([withOwn('shop'), withOwn('web'), withOwn('batch')]).toEqual(['shop/cart', 'shop/cart', 'none']);
  });

  it('meshConfig.defaultDestinationRuleExportTo "." makes rules without exportTo private; an explicit "*" still exports', () => {
    const rules = [rule('shop', 'implicit', 'cart'), rule('shop', 'explicit', '*.shop.svc.cluster.local', { exportTo: ['*'] })];
    const chosen = chooser(rules, { defaultExportTo: 'private' });
    // shop's own clients see both and take the exact host; web sees only the exported wildcard.
    expect([chosen('shop'), chosen('web')]).toEqual(['shop/implicit', 'shop/explicit']);
  });

  it('a rule exported to a namespace off the lookup path (client, service, root) is never used', () => {
    const chosen = chooser([rule('web', 'to-batch', CART, { exportTo: ['batch'] })]);
    expect([chosen('web'), chosen('batch'), chosen('shop')]).toEqual(['none', 'none', 'none']);
  });

  it("a private rule of the root namespace serves only the root namespace's proxies", () => {
    const chosen = chooser([rule('istio-system', 'root-private', '*.local', { exportTo: ['.'] })]);
    expect([chosen('istio-system'), chosen('web'), chosen('shop')]).toEqual(['istio-system/root-private', 'none', 'none']);
  });

  it('a workloadSelector rule is never exported, whatever its exportTo says', () => {
    const chosen = chooser([rule('shop', 'sel', 'cart', { exportTo: ['*'], workloadSelector: { matchLabels: { app: 'ui' } } })]);
    expect([chosen('shop', { app: 'ui' }), chosen('web', { app: 'ui' })]).toEqual(['shop/sel', 'none']);
  });
});

describe('DestinationRule selection when several match the host', () => {
  const layered = [rule('web', 'client-ns', CART), rule('shop', 'service-ns', 'cart'), rule('istio-system', 'root-ns', '*.local')];

  it('client namespace, then service namespace, then root namespace', () => {
    const chosen = chooser(layered);
    expect([chosen('web'), chosen('batch'), chosen('shop')]).toEqual(['web/client-ns', 'shop/service-ns', 'shop/service-ns']);
    // The service namespace's rule kept private: other clients fall through to the root namespace's.
    const privateService = chooser([layered[0]!, rule('shop', 'service-ns', 'cart', { exportTo: ['.'] }), layered[2]!]);
    expect([privateService('web'), privateService('batch'), privateService('shop')]).toEqual([
      'web/client-ns',
      'istio-system/root-ns',
      'shop/service-ns',
    ]);
  });

  it('a wildcard in the client namespace beats an exact host in the service namespace (namespace first)', () => {
    const chosen = chooser([rule('web', 'any-svc', '*.svc.cluster.local'), rule('shop', 'exact', 'cart')]);
    expect([chosen('web'), chosen('batch')]).toEqual(['web/any-svc', 'shop/exact']);
  });

  it('within one namespace the most specific host wins: exact, then the longest wildcard', () => {
    const wide = rule('shop', 'wide', '*.svc.cluster.local');
    const narrow = rule('shop', 'narrow', '*.shop.svc.cluster.local');
    const exact = rule('shop', 'exact', 'cart');
    expect(chooser([wide, narrow, exact])('web')).toBe('shop/exact');
    expect(chooser([wide, narrow])('web')).toBe('shop/narrow');
    expect(chooser([wide])('web')).toBe('shop/wide');
    expect(mostSpecificHost(CART, ['*', '*.local', '*.cluster.local'])).toBe('*.cluster.local');
    expect(mostSpecificHost(CART, ['*.pay.svc.cluster.local'])).toBeUndefined();
  });

  it('no fall-back to a less specific host of the same namespace when the most specific is not exported to the client', () => {
    const rules = [
      rule('shop', 'exact-to-batch', 'cart', { exportTo: ['batch'] }),
      rule('shop', 'wildcard', '*.shop.svc.cluster.local'),
      rule('istio-system', 'root-ns', '*.local'),
    ];
    const chosen = chooser(rules);
    // web: shop's most specific exported host is the exact one, not exported to web; the root namespace answers.
    expect([chosen('batch'), chosen('web')]).toEqual(['shop/exact-to-batch', 'istio-system/root-ns']);
  });

  it("workloadSelector: the selected clients of the rule's namespace get it, the others the catch-all rule", () => {
    const rules = [rule('web', 'canary', CART, { workloadSelector: { matchLabels: { track: 'canary' } } }), rule('web', 'all', CART)];
    const chosen = chooser([...rules, rule('shop', 'service-ns', 'cart')]);
    expect(chosen('web', { app: 'web', track: 'canary' })).toBe('web/canary');
    expect(chosen('web', { app: 'web' })).toBe('web/all');
    expect(chosen('batch', { track: 'canary' })).toBe('shop/service-ns');
  });

  it('a workloadSelector rule alone in the client namespace leaves its unselected clients without any rule', () => {
    const chosen = chooser([
      rule('web', 'canary', CART, { workloadSelector: { matchLabels: { track: 'canary' } } }),
      rule('shop', 'service-ns', 'cart'),
    ]);
    expect([chosen('web', { track: 'canary' }), chosen('web', { app: 'web' })]).toEqual(['web/canary', 'none']);
  });

  it('same-host rules of one namespace merge oldest first: the older top-level policy stays, subsets add up', () => {
    const older = rule('shop', 'older', 'cart', { created: '2026-01-01T00:00:00Z', trafficPolicy: { tls: { mode: 'DISABLE' } } });
    const newer = rule('shop', 'newer', 'cart', {
      created: '2026-02-01T00:00:00Z',
      subsets: [{ name: 'v2', labels: { version: 'v2' } }],
    });
    const index = buildRuleIndex([newer, older], OPTIONS);
    const [merged, ...others] = rulesFor(index, 'web', CART, 'shop');
    expect(others).toEqual([]);
    expect(merged?.from.map((r) => r.metadata.name)).toEqual(['older', 'newer']);
    expect(merged?.trafficPolicy?.from.metadata.name).toBe('older');
    expect(merged?.subsets.map((s) => `${s.subset.name} from ${s.from.metadata.name}`)).toEqual(['v2 from newer']);
    // Different exportTo: kept apart; the client takes the last catch-all istiod listed (SidecarScope.DestinationRule).
    const apart = chooser([older, { ...newer, spec: { ...newer.spec, exportTo: ['web'] } }]);
    expect(apart('web')).toBe('shop/newer');
  });

  it('a selector rule and a selector-less "." rule of one namespace merge into the selector rule (enhanced merge)', () => {
    const chosen = chooser([
      rule('web', 'plain', CART, { exportTo: ['.'], created: '2026-01-01T00:00:00Z' }),
      rule('web', 'canary', CART, { workloadSelector: { matchLabels: { track: 'canary' } }, created: '2026-02-01T00:00:00Z' }),
    ]);
    expect([chosen('web', { track: 'canary' }), chosen('web', { app: 'web' })]).toEqual(['web/canary+web/plain', 'none']);
  });
});
