// mtls-strict verdicts on DestinationRules once istiod's selection is applied (destinationRuleViolations.ts): a rule
// fails only for the clients istiod gives it (exportTo, client → service → root namespace, most specific host,
// workloadSelector), and the evidence names those clients and the broken workload ports. Selection rules: istio.io/istio
// pilot/pkg/model push_context.go destinationRule, sidecar.go SidecarScope.DestinationRule, and
// https://istio.io/latest/docs/ops/best-practices/traffic-management/ ("Cross-namespace configuration sharing").
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { evaluateMtlsStrict } from '../../harness/evaluate/mtlsStrict.ts';
import type { ClusterState, DestinationRule } from '../../harness/model/state.ts';
import { control, namespace, pod, spec, state } from './stateBuilder.ts';

const INJECTED = { 'istio-injection': 'enabled' };
const meshPod = (ns: string, name: string, labels: Record<string, string>, ports: number[] = []): V1Pod =>
  pod(ns, name, { labels, ports, containers: ['app', 'istio-proxy'], phase: 'Running' });

function rule(
  ns: string,
  name: string,
  host: string,
  mode: 'DISABLE' | 'ISTIO_MUTUAL',
  extra: Partial<DestinationRule['spec']> = {},
): DestinationRule {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name, namespace: ns },
    spec: { host, trafficPolicy: { tls: { mode } }, ...extra },
  };
}

/** Root STRICT; shop/cart (Service port 80 → 8080) in scope; sidecar clients web/web-1, web/web-canary, batch/batch-1. */
function cluster(rules: DestinationRule[], edit: (s: ClusterState) => void = () => {}): ClusterState {
  return state((s) => {
    s.kubernetes.namespaces.push(
      namespace('istio-system'),
      namespace('shop', INJECTED),
      namespace('web', INJECTED),
      namespace('batch', INJECTED),
    );
    s.kubernetes.istio.peerAuthentications.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'istio-system' },
      spec: { mtls: { mode: 'STRICT' } },
    });
    s.kubernetes.services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'cart', namespace: 'shop' },
      spec: { selector: { app: 'cart' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    s.kubernetes.pods.push(
      meshPod('shop', 'cart-1', { app: 'cart' }, [8080]),
      meshPod('web', 'web-1', { app: 'web' }),
      meshPod('web', 'web-canary', { app: 'web', track: 'canary' }),
      meshPod('batch', 'batch-1', { app: 'batch' }),
    );
    s.kubernetes.istio.destinationRules.push(...rules);
    edit(s);
  });
}

interface RuleVerdict {
  /** Destination host → the clients istiod gives the rule toward it. */
  clients: Record<string, string>;
  broken: string;
}

/** Per failing DestinationRule: the clients istiod gives it and the STRICT workload ports its plaintext breaks. */
function verdicts(s: ClusterState): Record<string, RuleVerdict> {
  const findings = evaluateMtlsStrict({
    state: s,
    spec: spec({ mtls: { mode: 'STRICT', scope: { namespaces: ['shop'] } } }),
    control: control('mtls-strict'),
  });
  return Object.fromEntries(
    findings
      .filter((f) => f.result === 'fail' && f.subject?.kind === 'DestinationRule')
      .map((f) => [
        `${f.subject?.namespace}/${f.subject?.name}`,
        {
          clients: Object.fromEntries(
            f.evidence.flatMap((e) =>
              e.type === 'observation' && e.what.startsWith('clients istiod gives') ? [[e.what.split(' toward ')[1], e.observed]] : [],
            ),
          ),
          broken: /broken path: (.*) STRICT/.exec(f.message)?.[1] ?? 'none',
        },
      ]),
  );
}

const CART = 'cart.shop.svc.cluster.local';
const ALL_CLIENTS = 'clients shop/cart-1, web/web-1, web/web-canary, batch/batch-1';
const toCart = (clients: string) => ({ clients: { [CART]: clients }, broken: 'shop/cart-1 port 8080' });

describe('mtls-strict: DestinationRule exportTo', () => {
  it('no exportTo: every sidecar client sends plaintext to shop/cart-1 port 8080', () => {
    expect(verdicts(cluster([rule('shop', 'plain', 'cart', 'DISABLE')]))).toEqual({ 'shop/plain': toCart(ALL_CLIENTS) });
  });

  it('"." in the client namespace: only that namespace\'s clients; named namespaces: only those', () => {
    const own = rule('web', 'plain', CART, 'DISABLE', { exportTo: ['.'] });
    expect(verdicts(cluster([own]))).toEqual({ 'web/plain': toCart('clients web/web-1, web/web-canary') });
    const named = rule('shop', 'plain', 'cart', 'DISABLE', { exportTo: ['batch'] });
    expect(verdicts(cluster([named]))).toEqual({ 'shop/plain': toCart('clients batch/batch-1') });
  });

  it('"." in the service namespace: shop\'s own client only; "*" everyone', () => {
    expect(verdicts(cluster([rule('shop', 'plain', 'cart', 'DISABLE', { exportTo: ['.'] })]))).toEqual({
      'shop/plain': toCart('clients shop/cart-1'),
    });
    expect(verdicts(cluster([rule('shop', 'plain', 'cart', 'DISABLE', { exportTo: ['*'] })]))).toEqual({
      'shop/plain': toCart(ALL_CLIENTS),
    });
  });

  it('exported only to a namespace off the lookup path: no client uses it, no violation', () => {
    expect(verdicts(cluster([rule('web', 'plain', CART, 'DISABLE', { exportTo: ['batch'] })]))).toEqual({});
  });

  it('the mesh default defaultDestinationRuleExportTo "." keeps a rule without exportTo in its namespace', () => {
    const meshConfig = (s: ClusterState) =>
      s.kubernetes.configMaps.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'istio', namespace: 'istio-system' },
        data: { mesh: 'defaultDestinationRuleExportTo: ["."]\n' },
      });
    const s = cluster([rule('shop', 'plain', 'cart', 'DISABLE')], meshConfig);
    expect(verdicts(s)).toEqual({ 'shop/plain': toCart('clients shop/cart-1') });
    const finding = evaluateMtlsStrict({
      state: s,
      spec: spec({ mtls: { mode: 'STRICT', scope: { namespaces: ['shop'] } } }),
      control: control('mtls-strict'),
    }).find((f) => f.subject?.kind === 'DestinationRule');
    expect(finding?.message).toContain('exported to shop only (mesh defaultDestinationRuleExportTo)');
    // An explicit exportTo is not touched by the mesh default.
    expect(verdicts(cluster([rule('shop', 'plain', 'cart', 'DISABLE', { exportTo: ['*'] })], meshConfig))).toEqual({
      'shop/plain': toCart(ALL_CLIENTS),
    });
  });
});

describe('mtls-strict: which DestinationRule a client uses decides the verdict', () => {
  it("a root-namespace DISABLE: shadowed toward cart by the service namespace's ISTIO_MUTUAL, still failing for new services; made private, the shop rule lets it reach cart's other clients", () => {
    const root = rule('istio-system', 'mesh-plain', '*.local', 'DISABLE');
    // Every client still gets the root rule toward services without a nearer rule (the wildcard host), none toward cart.
    expect(verdicts(cluster([root, rule('shop', 'cart-mtls', 'cart', 'ISTIO_MUTUAL')]))).toEqual({
      'istio-system/mesh-plain': { clients: { '*.local': ALL_CLIENTS }, broken: 'none' },
    });
    expect(verdicts(cluster([root, rule('shop', 'cart-mtls', 'cart', 'ISTIO_MUTUAL', { exportTo: ['.'] })]))).toEqual({
      'istio-system/mesh-plain': {
        clients: { [CART]: 'clients web/web-1, web/web-canary, batch/batch-1', '*.local': ALL_CLIENTS },
        broken: 'shop/cart-1 port 8080',
      },
    });
  });

  it("the client namespace's ISTIO_MUTUAL wins over the service namespace's DISABLE for its clients only", () => {
    const s = cluster([rule('shop', 'plain', 'cart', 'DISABLE'), rule('web', 'mtls', CART, 'ISTIO_MUTUAL')]);
    expect(verdicts(s)).toEqual({ 'shop/plain': toCart('clients shop/cart-1, batch/batch-1') });
  });

  it('the most specific host wins inside a namespace: an exact ISTIO_MUTUAL hides a wildcard DISABLE from cart', () => {
    const wildcard = rule('shop', 'wild-plain', '*.shop.svc.cluster.local', 'DISABLE');
    expect(verdicts(cluster([wildcard, rule('shop', 'exact', 'cart', 'ISTIO_MUTUAL')]))).toEqual({
      'shop/wild-plain': { clients: { '*.shop.svc.cluster.local': ALL_CLIENTS }, broken: 'none' },
    });
    expect(verdicts(cluster([wildcard]))).toEqual({
      'shop/wild-plain': { clients: { [CART]: ALL_CLIENTS, '*.shop.svc.cluster.local': ALL_CLIENTS }, broken: 'shop/cart-1 port 8080' },
    });
  });

  it('a workloadSelector DISABLE fails for the selected clients only, named in the evidence', () => {
    const canary = rule('web', 'canary-plain', CART, 'DISABLE', { workloadSelector: { matchLabels: { track: 'canary' } } });
    const s = cluster([canary, rule('web', 'mtls', CART, 'ISTIO_MUTUAL')]);
    expect(verdicts(s)).toEqual({ 'web/canary-plain': toCart('clients web/web-canary') });
  });

  it('ISTIO_MUTUAL toward a workload without a sidecar is a broken path only for the clients that use the rule', () => {
    const s = cluster([rule('web', 'mtls', 'legacy.shop.svc.cluster.local', 'ISTIO_MUTUAL', { exportTo: ['.'] })], (st) => {
      st.kubernetes.services.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'legacy', namespace: 'shop' },
        spec: { selector: { app: 'legacy' }, ports: [{ port: 80 }] },
      });
      st.kubernetes.pods.push(
        pod('shop', 'legacy-1', { labels: { app: 'legacy' }, ports: [80], annotations: { 'sidecar.istio.io/inject': 'false' } }),
      );
    });
    const findings = evaluateMtlsStrict({
      state: s,
      spec: spec({ mtls: { mode: 'STRICT', scope: { namespaces: ['shop'] } } }),
      control: control('mtls-strict'),
    });
    expect(findings.find((f) => f.subject?.name === 'mtls')?.message).toMatch(
      /sends ISTIO_MUTUAL toward legacy\.shop\.svc\.cluster\.local for clients web\/web-1, web\/web-canary, but shop\/legacy-1 has no sidecar/,
    );
  });
});
