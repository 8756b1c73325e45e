// mtls-strict verdicts, messages and evidence stated exactly, for the survivors of
// `npm run mutation -- --mutate harness/evaluate/mtlsStrict.ts` (mtlsStrict.test.ts checks which objects fail;
// these pin what each finding says and the cases at the edges: pods opted in where the namespace is not, a workload
// its own policy makes STRICT inside a PERMISSIVE namespace, a weak policy that weakens nothing in the mesh, port-level
// modes the spec accepts or that set nothing).
import { describe, expect, it } from 'vitest';
import { evaluateMtlsStrict } from '../../harness/evaluate/mtlsStrict.ts';
import type { Finding } from '../../harness/model/findings.ts';
import type { MtlsSpec } from '../../harness/model/spec.ts';
import type { ClusterState, PeerAuthentication } from '../../harness/model/state.ts';
import { control, deployment, namespace, pod, spec, state } from './stateBuilder.ts';
import { mesh, pa } from './meshBuilders.ts';

const STRICT: MtlsSpec = { mode: 'STRICT', scope: { namespaces: ['*'], exclude: ['istio-system'] } };
const PERMISSIVE: MtlsSpec = { ...STRICT, mode: 'PERMISSIVE' };
const run = (s: ClusterState, mtls: MtlsSpec = STRICT) =>
  evaluateMtlsStrict({ state: s, spec: spec({ mtls }), control: control('mtls-strict') });
/** `result Kind ns/name: message`, one line per finding. */
const lines = (out: Finding[]) =>
  out.map((f) => `${f.result} ${f.subject?.kind} ${f.subject?.namespace ?? ''}/${f.subject?.name}: ${f.message}`);
const evidenceOf = (out: Finding[], name: string) => out.find((f) => f.subject?.name === name)?.evidence;

const paRef = (ns: string, name: string) => ({ kind: 'PeerAuthentication', name, namespace: ns });
const RULE = {
  type: 'rule',
  rule: 'PeerAuthentication precedence workload (port-level, then mode) > namespace > mesh (root namespace istio-system, from Istio default) > Istio default PERMISSIVE; UNSET inherits; oldest wins per level; workloads must be in the mesh (sidecar or ambient)',
};
const INJECTED = { type: 'observation', what: 'mesh enrollment of shop', observed: 'sidecar', detail: '{"istio-injection":"enabled"}' };

describe('mtls-strict: findings with nothing to judge', () => {
  it('spec mode DISABLE is one not-applicable finding citing spec.mtls.mode', () => {
    expect(run(mesh(), { ...STRICT, mode: 'DISABLE' })).toEqual([
      {
        controlId: 'mtls-strict',
        layer: 'config',
        result: 'not-applicable',
        message: 'The spec sets mTLS mode DISABLE: there is nothing to enforce.',
        evidence: [{ type: 'rule', rule: 'spec.mtls.mode' }],
        subject: { kind: 'Cluster', name: 'test' },
      },
    ]);
  });

  it('no Namespace objects at all is an error, not a scope that selects nothing', () => {
    expect(run(state())).toEqual([
      {
        controlId: 'mtls-strict',
        layer: 'config',
        result: 'error',
        message: 'Cannot judge mTLS scope: no Namespace objects in the collected state (their injection labels decide mesh membership).',
        evidence: [{ type: 'missing-input', what: 'Namespace objects' }],
        subject: { kind: 'Cluster', name: 'test' },
      },
    ]);
  });

  it('a listed namespace that was not collected is an error naming it; a scope selecting nothing cites spec.mtls.scope', () => {
    const out = run(mesh(), { mode: 'STRICT', scope: { namespaces: ['shop', 'payments'] } });
    expect(out[0]).toEqual({
      controlId: 'mtls-strict',
      layer: 'config',
      result: 'error',
      message: 'Namespace payments is in the mTLS scope but was not collected.',
      evidence: [{ type: 'missing-input', what: 'Namespace payments' }],
      subject: { kind: 'Namespace', name: 'payments' },
    });
    const none = run(mesh(), { mode: 'STRICT', scope: { namespaces: ['team-*'] } });
    expect(none.map((f) => [f.result, f.evidence])).toEqual([['not-applicable', [{ type: 'rule', rule: 'spec.mtls.scope' }]]]);
  });

  it('an injected namespace without workloads is not-applicable, saying what new pods would get', () => {
    const out = run(
      mesh((s) => {
        s.kubernetes.namespaces.push(namespace('empty', { 'istio-injection': 'enabled' }));
      }),
    );
    expect(lines(out)).toEqual([
      'pass Namespace /shop: Namespace shop is in the mesh (sidecar) with mTLS STRICT from PeerAuthentication istio-system/default (mesh).',
      'not-applicable Namespace /empty: Namespace empty has no workloads in the inputs, so there is no traffic whose mTLS could be judged (its settings would give new pods STRICT).',
    ]);
    expect(evidenceOf(out, 'empty')).toEqual([
      {
        type: 'comparison',
        what: 'namespace-wide mTLS mode of empty',
        expected: 'STRICT',
        actual: 'STRICT',
        ref: paRef('istio-system', 'default'),
      },
      { type: 'observation', what: 'mesh enrollment of empty', observed: 'sidecar', detail: '{"istio-injection":"enabled"}' },
      { type: 'missing-input', what: 'workloads in namespace empty', detail: 'no Pod and no object with a pod template in this namespace' },
      RULE,
    ]);
  });
});

describe('mtls-strict: the namespace finding', () => {
  it('a pass states the mode, its policy, the enrollment and each workload, and no ignored-policy warning', () => {
    const out = run(mesh());
    expect(lines(out)).toEqual([
      'pass Namespace /shop: Namespace shop is in the mesh (sidecar) with mTLS STRICT from PeerAuthentication istio-system/default (mesh).',
    ]);
    expect(out[0]?.evidence).toEqual([
      {
        type: 'comparison',
        what: 'namespace-wide mTLS mode of shop',
        expected: 'STRICT',
        actual: 'STRICT',
        ref: paRef('istio-system', 'default'),
      },
      INJECTED,
      {
        type: 'observation',
        what: 'mTLS of shop/cart[Deployment] (sidecar: namespace istio-injection=enabled)',
        observed: 'port any: STRICT (plaintext refused) from PeerAuthentication istio-system/default (mesh)',
      },
      RULE,
    ]);
  });

  it('no policy at all: the comparison names no policy, and only spec STRICT adds the "Istio default is PERMISSIVE" failure', () => {
    const none = (s: ClusterState) => {
      s.kubernetes.istio.peerAuthentications = [];
    };
    const strict = run(mesh(none));
    expect(lines(strict)).toEqual([
      'fail Cluster /test: No PeerAuthentication exists: Istio default is PERMISSIVE, so plaintext is accepted everywhere in scope.',
      'fail Namespace /shop: Namespace shop is not mTLS STRICT: effective mode PERMISSIVE from no PeerAuthentication: Istio default.',
    ]);
    expect(strict[0]?.evidence).toEqual([
      { type: 'comparison', what: 'PeerAuthentication objects', expected: '>= 1 with mtls.mode STRICT', actual: 0 },
    ]);
    expect(strict[1]?.evidence[0]).toEqual({
      type: 'comparison',
      what: 'namespace-wide mTLS mode of shop',
      expected: 'STRICT',
      actual: 'PERMISSIVE',
    });
    expect(lines(run(mesh(none), PERMISSIVE))).toEqual([
      'pass Namespace /shop: Namespace shop is in the mesh (sidecar) with mTLS PERMISSIVE from no PeerAuthentication: Istio default.',
    ]);
  });

  it('pods that opt in where the namespace does not: all in the mesh passes ("pods opted in"), one left out fails the namespace only', () => {
    const optedIn = (s: ClusterState) => {
      s.kubernetes.namespaces.push(namespace('plain'));
      s.kubernetes.pods.push(pod('plain', 'a-1', { labels: { 'sidecar.istio.io/inject': 'true' } }));
    };
    const only: MtlsSpec = { mode: 'STRICT', scope: { namespaces: ['plain'] } };
    expect(lines(run(mesh(optedIn), only))).toEqual([
      'pass Namespace /plain: Namespace plain is in the mesh (pods opted in) with mTLS STRICT from PeerAuthentication istio-system/default (mesh).',
    ]);
    const oneLeftOut = mesh((s) => {
      optedIn(s);
      s.kubernetes.pods.push(pod('plain', 'b-1', { phase: 'Running' }));
    });
    // b-1 is plaintext, but its namespace never asked for the mesh: the namespace fails, b-1 is no violation of its own.
    expect(lines(run(oneLeftOut, only))).toEqual([
      'fail Namespace /plain: Namespace plain is not mTLS STRICT: no sidecar injection (istio-injection=enabled or istio.io/rev) and no ambient enrollment (istio.io/dataplane-mode=ambient).',
    ]);
  });

  it('a weak namespace names only the workloads whose own policy makes every port STRICT', () => {
    const out = run(
      mesh((s) => {
        s.kubernetes.istio.peerAuthentications.push(
          pa('shop', 'ns', { mtls: { mode: 'PERMISSIVE' } }),
          pa('shop', 'pay-strict', { selector: { matchLabels: { app: 'pay' } }, mtls: { mode: 'STRICT' } }),
          pa('shop', 'half-strict', {
            selector: { matchLabels: { app: 'half' } },
            mtls: { mode: 'STRICT' },
            portLevelMtls: { '9090': { mode: 'DISABLE' } },
          }),
        );
        s.kubernetes.pods.push(
          pod('shop', 'pay-1', { labels: { app: 'pay' }, ports: [8443] }),
          pod('shop', 'half-1', { labels: { app: 'half' }, ports: [8080, 9090] }),
        );
      }),
    );
    // cart has no policy of its own; half-1 has one, but its port 9090 is DISABLE.
    expect(lines(out)).toEqual([
      'fail Namespace /shop: Namespace shop is not mTLS STRICT: effective mode PERMISSIVE from PeerAuthentication shop/ns (namespace) (shop/pay-1 STRICT by their own workload policy); 2 violating object(s): PeerAuthentication shop/ns, PeerAuthentication shop/half-strict.',
      'fail PeerAuthentication shop/ns: PeerAuthentication shop/ns sets mode PERMISSIVE for the whole namespace shop.',
      'fail PeerAuthentication shop/half-strict: PeerAuthentication shop/half-strict sets port 9090 DISABLE for Pod shop/half-1 (port 9090: DISABLE).',
    ]);
    expect(evidenceOf(out, 'ns')).toEqual([{ type: 'object', ref: paRef('shop', 'ns'), detail: 'mode PERMISSIVE' }]);
    expect(evidenceOf(out, 'half-strict')).toEqual([
      { type: 'object', ref: paRef('shop', 'half-strict'), detail: 'port 9090 DISABLE' },
      { type: 'observation', what: 'effective mode of Pod shop/half-1', observed: ['port 9090: DISABLE'] },
    ]);
  });

  it('a weak namespace with no workload of its own policy names none', () => {
    const out = run(
      mesh((s) => {
        s.kubernetes.istio.peerAuthentications.push(pa('shop', 'ns', { mtls: { mode: 'DISABLE' } }));
      }),
    );
    expect(lines(out)).toEqual([
      'fail Namespace /shop: Namespace shop is not mTLS STRICT: effective mode DISABLE from PeerAuthentication shop/ns (namespace); 1 violating object(s): PeerAuthentication shop/ns.',
      'fail PeerAuthentication shop/ns: PeerAuthentication shop/ns sets mode DISABLE for the whole namespace shop.',
    ]);
  });

  it('a Namespace without metadata is no crash; the others are judged as before', () => {
    const out = run(
      mesh((s) => {
        s.kubernetes.namespaces.push({ apiVersion: 'v1', kind: 'Namespace' });
      }),
    );
    expect(out[0]?.message).toBe(
      'Namespace shop is in the mesh (sidecar) with mTLS STRICT from PeerAuthentication istio-system/default (mesh).',
    );
  });
});

describe('mtls-strict: violating objects', () => {
  it('workload policies: the workloads and ports each weakens, "all ports" for a template without ports, and none for a pod outside the mesh', () => {
    const out = run(
      mesh((s) => {
        s.kubernetes.istio.peerAuthentications.push(
          pa('shop', 'cart-perm', { selector: { matchLabels: { app: 'cart' } }, mtls: { mode: 'PERMISSIVE' } }),
          pa('shop', 'old-perm', { selector: { matchLabels: { app: 'old' } }, mtls: { mode: 'PERMISSIVE' } }),
        );
        s.kubernetes.pods.push(pod('shop', 'old-1', { labels: { app: 'old' }, ports: [80], phase: 'Running' }));
      }),
    );
    expect(lines(out).slice(1)).toEqual([
      'fail PeerAuthentication shop/cart-perm: PeerAuthentication shop/cart-perm sets mode PERMISSIVE for Deployment shop/cart (all ports: PERMISSIVE).',
      // old-1 has no sidecar: its port is NONE (plaintext whatever the policy says), which the policy did not weaken.
      'fail PeerAuthentication shop/old-perm: PeerAuthentication shop/old-perm sets mode PERMISSIVE (weakens no port of a collected workload in the mesh).',
      'fail Pod shop/old-1: Pod shop/old-1 is not in the mesh (running pod has no istio-proxy container (namespace istio-injection=enabled)), so its traffic is plaintext.',
    ]);
    expect(evidenceOf(out, 'cart-perm')).toEqual([
      { type: 'object', ref: paRef('shop', 'cart-perm'), detail: 'mode PERMISSIVE' },
      { type: 'observation', what: 'effective mode of Deployment shop/cart', observed: ['all ports: PERMISSIVE'] },
    ]);
    expect(evidenceOf(out, 'old-perm')).toEqual([{ type: 'object', ref: paRef('shop', 'old-perm'), detail: 'mode PERMISSIVE' }]);
    expect(evidenceOf(out, 'old-1')).toEqual([
      {
        type: 'object',
        ref: { kind: 'Pod', name: 'old-1', namespace: 'shop' },
        detail: 'running pod has no istio-proxy container (namespace istio-injection=enabled)',
      },
    ]);
  });

  it('port-level modes: PERMISSIVE is weak only under spec STRICT, UNSET is never weak', () => {
    const portLevel = (mode: 'UNSET' | 'DISABLE' | 'PERMISSIVE') =>
      mesh((s) => {
        s.kubernetes.istio.peerAuthentications.push(
          pa('shop', 'cart-ports', { selector: { matchLabels: { app: 'cart' } }, portLevelMtls: { '9090': { mode } } }),
        );
      });
    const paFindings = (out: Finding[]) => lines(out.filter((f) => f.subject?.kind === 'PeerAuthentication'));
    expect(paFindings(run(portLevel('PERMISSIVE')))).toEqual([
      'fail PeerAuthentication shop/cart-ports: PeerAuthentication shop/cart-ports sets port 9090 PERMISSIVE for Deployment shop/cart (port 9090: PERMISSIVE).',
    ]);
    expect(paFindings(run(portLevel('PERMISSIVE'), PERMISSIVE))).toEqual([]);
    expect(paFindings(run(portLevel('UNSET')))).toEqual([]);
    expect(paFindings(run(portLevel('DISABLE'), PERMISSIVE))).toEqual([
      'fail PeerAuthentication shop/cart-ports: PeerAuthentication shop/cart-ports sets port 9090 DISABLE for Deployment shop/cart (port 9090: DISABLE).',
    ]);
  });
});
