// The same application as manifests (Deployments) and as a dump of the Pods its controllers would create gets the
// same truth table (each Pod answering as its Deployment does) and the same default-deny results: fast-check
// generates namespaces, Deployments and NetworkPolicies.
import type {
  V1Deployment,
  V1LabelSelector,
  V1Namespace,
  V1NetworkPolicy,
  V1NetworkPolicyPeer,
  V1NetworkPolicyPort,
} from '@kubernetes/client-node';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { evaluateDefaultDeny } from '../../harness/evaluate/defaultDenyCoverage.ts';
import { analyseReachability, verdicts } from '../../harness/netpol/matrix.ts';
import type { PortProtocol } from '../../harness/model/reachability.ts';
import { emptyState, type ClusterState } from '../../harness/model/state.ts';
import { control, spec } from '../evaluate/stateBuilder.ts';
import { podsOf } from '../support/controllerPods.ts';

const NAMESPACES = ['x', 'y', 'z'];
const PORTS: PortProtocol[] = [
  { port: 80, protocol: 'TCP' },
  { port: 81, protocol: 'UDP' },
];

const labels = fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('a', 'b', 'web'), { maxKeys: 2 });
const selector: fc.Arbitrary<V1LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.record({
    matchLabels: fc.dictionary(fc.constantFrom('app', 'tier', 'team'), fc.constantFrom('a', 'b', 'web', 'x'), { minKeys: 1, maxKeys: 1 }),
  }),
  fc.record({
    matchExpressions: fc
      .tuple(fc.constantFrom('app', 'tier'), fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'))
      .map(([key, operator]) => [operator === 'In' || operator === 'NotIn' ? { key, operator, values: ['a', 'web'] } : { key, operator }]),
  }),
);
const peer: fc.Arbitrary<V1NetworkPolicyPeer> = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ podSelector: selector, namespaceSelector: selector }),
  // Addresses outside the pod range: the dump's Pods have addresses, the templates none; neither is inside.
  fc.constant({ ipBlock: { cidr: '203.0.113.0/24' } }),
);
const port: fc.Arbitrary<V1NetworkPolicyPort> = fc.oneof(
  fc.record({ port: fc.constantFrom(80, 81), protocol: fc.constantFrom('TCP', 'UDP') }),
  fc.record({ port: fc.constantFrom('http', 'dns') }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP') }),
);
const rule = fc.record({
  peers: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }),
  ports: fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined }),
});
const policy = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: selector,
  ingress: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }),
});
const deployment = fc.record({ namespace: fc.constantFrom(...NAMESPACES), labels, replicas: fc.integer({ min: 1, max: 3 }) });
const namespaceLabels = fc.record({ x: labels, y: labels, z: labels });

type Of<A> = A extends fc.Arbitrary<infer T> ? T : never;
interface Case {
  deployments: Of<typeof deployment>[];
  policies: Of<typeof policy>[];
  nsLabels: Of<typeof namespaceLabels>;
}

function manifests(c: Case): ClusterState {
  const s = emptyState({ type: 'files', inputs: [], collectedAt: '2026-01-01T00:00:00Z' });
  s.kubernetes.namespaces = NAMESPACES.map(
    (name): V1Namespace => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { ...c.nsLabels[name as 'x'], team: name } },
    }),
  );
  s.kubernetes.deployments = c.deployments.map(
    (d, i): V1Deployment => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `d${i}`, namespace: d.namespace },
      spec: {
        replicas: d.replicas,
        selector: { matchLabels: { ...d.labels, workload: `d${i}` } },
        template: {
          metadata: { labels: { ...d.labels, workload: `d${i}` } },
          spec: {
            containers: [
              {
                name: 'c',
                image: 'x',
                ports: [
                  { name: 'http', containerPort: 80 },
                  { name: 'dns', containerPort: 81, protocol: 'UDP' },
                ],
              },
            ],
          },
        },
      },
    }),
  );
  s.kubernetes.networkPolicies = c.policies.map(
    (p, i): V1NetworkPolicy => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `p${i}`, namespace: p.namespace },
      spec: {
        podSelector: p.podSelector,
        policyTypes: [...(p.ingress ? ['Ingress'] : []), ...(p.egress ? ['Egress'] : [])],
        ...(p.ingress
          ? { ingress: p.ingress.map((r) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) }
          : {}),
        ...(p.egress
          ? { egress: p.egress.map((r) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) }
          : {}),
      },
    }),
  );
  return s;
}

/** `from → to port` for every allowed pair, each side named by the Deployment it belongs to. */
function allowed(state: ClusterState, workloadOf: (id: string) => string): Set<string> {
  const out = new Set<string>();
  for (const v of verdicts(analyseReachability(state, PORTS)))
    if (v.allowed) out.add(`${workloadOf(v.from)} → ${workloadOf(v.to)} ${v.port}/${v.protocol}`);
  return out;
}

const SPEC = spec({ networkPolicy: { defaultDeny: { namespaces: ['*'], ingress: true, egress: true } } });
const results = (s: ClusterState) =>
  evaluateDefaultDeny({ state: s, spec: SPEC, control: control('netpol-default-deny') }).map((f) => ({
    ns: f.subject?.name,
    result: f.result,
    rules: f.evidence.flatMap((e) => (e.type === 'rule' && e.ref ? [e.rule] : [])).sort(),
  }));

test('manifests and the dump of their Pods: same truth table (up to names) and same default-deny results', () => {
  fc.assert(
    fc.property(
      fc.array(deployment, { minLength: 1, maxLength: 5 }),
      fc.array(policy, { maxLength: 4 }),
      namespaceLabels,
      (deployments, policies, nsLabels) => {
        const c = { deployments, policies, nsLabels };
        const asManifests = manifests(c);
        const asDump = manifests(c);
        asDump.kubernetes.pods = podsOf(asDump.kubernetes.deployments);
        const workloadOfPod = new Map(
          asDump.kubernetes.pods.map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p.metadata?.labels?.workload ?? '?']),
        );
        expect(allowed(asDump, (id) => workloadOfPod.get(id) ?? `? ${id}`)).toEqual(
          allowed(asManifests, (id) => /\/(d\d+)\[Deployment\]$/.exec(id)?.[1] ?? `? ${id}`),
        );
        expect(results(asDump)).toEqual(results(asManifests));
      },
    ),
    { numRuns: 150 },
  );
});
