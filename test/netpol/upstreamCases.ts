// Truth-table cases reproduced from the upstream Kubernetes NetworkPolicy e2e suite:
//   kubernetes/kubernetes test/e2e/network/netpol/network_policy.go (read at commit 008b3652959c).
// Each case keeps the upstream `f.It(...)` title verbatim in `upstream`, the same pod topology
// (initializeResources(... "x/a", "x/b", ...)), the same policies and the same Reachability expectations.
// Multi-step cases (update a policy, add a label, delete policies) become one step per state, since the
// engine is static: each step is the cluster as it is after that upstream action.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import type { Protocol } from '../../harness/model/reachability.ts';
import { Model, Reachability, type ModelOptions } from '../../harness/model/reachabilityModel.ts';
import { netpol, nsName, podLabel } from './observe.ts';

export interface Check {
  port: number;
  protocol: Protocol;
  expect: (r: Reachability) => Reachability;
}
export interface Step {
  policies: (m: Model) => V1NetworkPolicy[];
  model?: ModelOptions;
  checks: Check[];
}
export interface UpstreamCase {
  upstream: string;
  pods: string[];
  steps: Step[];
}

const all = (r: Reachability) => r;
const tcp = (port: number, expect: Check['expect'] = all): Check => ({ port, protocol: 'TCP', expect });
const denyIngress = (ns: string, name = 'deny-ingress') => netpol(ns, name, {}, { ingress: [] });
const portRule = (port: number | string, protocol?: Protocol) => ({ port, ...(protocol ? { protocol } : {}) });
/** upstream makeLargeCIDRForIP: a wide block around the pod's IP (there /4; any block holding the model's IPs is equivalent). */
const LARGE_CIDR = '10.0.0.0/8';

export const upstreamCases: UpstreamCase[] = [
  {
    upstream: "should support a 'default-deny-ingress' policy",
    pods: ['x/a', 'x/b', 'y/a', 'y/b'],
    steps: [{ policies: () => [denyIngress('x')], checks: [tcp(80, (r) => r.expectPeer({}, { namespace: 'x' }, false))] }],
  },
  {
    upstream: "should support a 'default-deny-all' policy",
    pods: ['x/a', 'x/b', 'y/a'],
    steps: [
      {
        policies: () => [netpol('x', 'deny-all', {}, { ingress: [], egress: [] })],
        checks: [tcp(80, (r) => r.expectPeer({}, { namespace: 'x' }, false).expectPeer({ namespace: 'x' }, {}, false))],
      },
    ],
  },
  {
    upstream: 'should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    steps: [
      {
        policies: () => [netpol('x', 'x-a-allows-x-b', podLabel('a'), { ingress: [{ from: [{ podSelector: podLabel('b') }] }] })],
        checks: [tcp(80, (r) => r.expectAllIngress('x/a', false).expect('x/b', 'x/a', true))],
      },
    ],
  },
  {
    upstream: 'should enforce policy to allow ingress traffic for a target',
    pods: ['x/a', 'x/b', 'y/a'],
    steps: [
      {
        policies: () => [
          denyIngress('x', 'deny-all'),
          netpol('x', 'allow-all-to-a', podLabel('a'), { ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] }),
        ],
        checks: [tcp(80, (r) => r.expectAllIngress('x/a', true).expectAllIngress('x/b', false))],
      },
    ],
  },
  {
    upstream: 'should enforce policy to allow ingress traffic from pods in all namespaces',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-from-another-ns', podLabel('a'), { ingress: [{ from: [{ namespaceSelector: { matchLabels: {} } }] }] }),
        ],
        checks: [tcp(80)],
      },
    ],
  },
  {
    upstream: 'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-client-a-via-ns-selector', podLabel('a'), { ingress: [{ from: [{ namespaceSelector: nsName('y') }] }] }),
        ],
        checks: [
          tcp(80, (r) =>
            r
              .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
              .expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false),
          ),
        ],
      },
    ],
  },
  {
    upstream: 'should enforce policy based on PodSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a'],
    steps: [
      {
        policies: () => [
          netpol('x', 'x-a-allows-x-b', podLabel('a'), {
            ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] }],
          }),
        ],
        checks: [tcp(80, (r) => r.expectAllIngress('x/a', false).expect('x/b', 'x/a', true))],
      },
    ],
  },
  {
    upstream: 'should enforce policy based on NamespaceSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-ns-y-match-selector', podLabel('a'), {
            ingress: [
              {
                from: [
                  { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['y'] }] } },
                ],
              },
            ],
          }),
        ],
        checks: [
          tcp(80, (r) =>
            r
              .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
              .expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false),
          ),
        ],
      },
    ],
  },
  {
    upstream: 'should enforce policy based on PodSelector or NamespaceSelector',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-ns-y-match-selector', podLabel('a'), {
            ingress: [
              {
                from: [
                  { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }] } },
                  { podSelector: podLabel('b') },
                ],
              },
            ],
          }),
        ],
        checks: [tcp(80, (r) => r.expect('x/a', 'x/a', false).expect('x/c', 'x/a', false))],
      },
    ],
  },
  {
    upstream: 'should enforce policy based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-ns-y-podselector-and-nsselector', podLabel('a'), {
            ingress: [
              {
                from: [
                  {
                    namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }] },
                    podSelector: podLabel('b'),
                  },
                ],
              },
            ],
          }),
        ],
        checks: [tcp(80, (r) => r.expectAllIngress('x/a', false).expect('y/b', 'x/a', true).expect('z/b', 'x/a', true))],
      },
    ],
  },
  {
    upstream: 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'y/c'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-ns-y-z-pod-b-c', podLabel('a'), {
            ingress: [
              {
                from: [
                  {
                    namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }] },
                    podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] },
                  },
                ],
              },
            ],
          }),
        ],
        checks: [tcp(80, (r) => r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expect('y/a', 'x/a', false))],
      },
    ],
  },
  {
    upstream: 'should enforce policy based on any PodSelectors',
    pods: ['x/a', 'x/b', 'x/c'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-ns-x-pod-b-c', podLabel('a'), {
            ingress: [{ from: [{ podSelector: podLabel('b') }, { podSelector: podLabel('c') }] }],
          }),
        ],
        checks: [tcp(80, (r) => r.expectAllIngress('x/a', false).expect('x/b', 'x/a', true).expect('x/c', 'x/a', true))],
      },
    ],
  },
  ...(['TCP', 'UDP', 'SCTP'] as const).map(
    (protocol): UpstreamCase => ({
      upstream: `should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector${protocol === 'TCP' ? '' : ` (NetworkPolicy between server and client using ${protocol})`}`,
      pods: protocol === 'TCP' ? ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'] : ['x/a', 'x/b', 'y/a'],
      steps: [
        {
          policies: () => [
            netpol('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', podLabel('a'), {
              ingress: [{ from: [{ namespaceSelector: nsName('y'), podSelector: podLabel('a') }] }],
            }),
          ],
          checks: [{ port: 80, protocol, expect: (r) => r.expectAllIngress('x/a', false).expect('y/a', 'x/a', true) }],
        },
      ],
    }),
  ),
  ...(['TCP', 'UDP', 'SCTP'] as const).map(
    (protocol): UpstreamCase => ({
      upstream: `should enforce policy based on Ports${protocol === 'TCP' ? '' : ` (NetworkPolicy between server and client using ${protocol})`}`,
      pods: protocol === 'TCP' ? ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'] : ['x/a', 'x/b', 'y/a', 'z/a'],
      steps: [
        {
          policies: () => [
            netpol('x', 'allow-client-a-via-ns-selector', podLabel('a'), {
              ingress: [{ from: [{ namespaceSelector: nsName('y') }], ports: [portRule(81, protocol)] }],
            }),
          ],
          checks: [
            {
              port: 81,
              protocol,
              expect: (r) =>
                r
                  .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
                  .expectPeer({ namespace: 'y' }, { namespace: 'x', pod: 'a' }, true)
                  .expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false),
            },
          ],
        },
      ],
    }),
  ),
  ...(['UDP', 'SCTP'] as const).map(
    (protocol): UpstreamCase => ({
      upstream: `should support a 'default-deny-ingress' policy (NetworkPolicy between server and client using ${protocol})`,
      pods: ['x/a', 'x/b', 'y/a', 'y/b'],
      steps: [
        {
          policies: () => [denyIngress('x', 'deny-all')],
          checks: [{ port: 80, protocol, expect: (r) => r.expectPeer({}, { namespace: 'x' }, false) }],
        },
      ],
    }),
  ),
  {
    upstream: 'should enforce multiple, stacked policies with overlapping podSelectors',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    steps: (() => {
      const allow = (port: number, name: string) =>
        netpol('x', name, podLabel('a'), { ingress: [{ from: [{ namespaceSelector: nsName('y') }], ports: [portRule(port, 'TCP')] }] });
      const allowExpect = (r: Reachability) =>
        r
          .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
          .expectPeer({ namespace: 'y' }, { namespace: 'x', pod: 'a' }, true)
          .expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
      return [
        {
          policies: () => [allow(81, 'allow-client-a-via-ns-selector')],
          checks: [tcp(81, allowExpect), tcp(80, (r) => r.expectAllIngress('x/a', false))],
        },
        {
          policies: () => [allow(81, 'allow-client-a-via-ns-selector'), allow(80, 'allow-client-a-via-ns-selector-80')],
          checks: [tcp(80, allowExpect)],
        },
      ];
    })(),
  },
  {
    upstream: 'should support allow-all policy',
    pods: ['x/a', 'x/b', 'y/a'],
    steps: [{ policies: () => [netpol('x', 'allow-all', { matchLabels: {} }, { ingress: [{}] })], checks: [tcp(80), tcp(81)] }],
  },
  {
    upstream: 'should allow ingress access on one named port',
    pods: ['x/a', 'x/b', 'y/a'],
    steps: [
      {
        policies: () => [netpol('x', 'allow-all', { matchLabels: {} }, { ingress: [{ ports: [portRule('serve-81-tcp')] }] })],
        checks: [tcp(81), tcp(80, (r) => r.expectPeer({}, { namespace: 'x' }, false))],
      },
    ],
  },
  {
    upstream: 'should allow ingress access from namespace on one named port',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-client-a-via-ns-selector-80', podLabel('a'), {
            ingress: [{ from: [{ namespaceSelector: nsName('y') }], ports: [portRule('serve-80-tcp', 'TCP')] }],
          }),
        ],
        checks: [
          tcp(80, (r) =>
            r
              .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
              .expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false),
          ),
          tcp(81, (r) => r.expectAllIngress('x/a', false)),
        ],
      },
    ],
  },
  {
    upstream: 'should allow egress access on one named port',
    pods: ['x/a', 'y/a'],
    steps: [
      {
        policies: () => [netpol('x', 'allow-egress', { matchLabels: {} }, { egress: [{ ports: [portRule('serve-80-tcp')] }] })],
        checks: [tcp(80), tcp(81, (r) => r.expectPeer({ namespace: 'x' }, {}, false))],
      },
    ],
  },
  {
    upstream: 'should enforce updated policy',
    pods: ['x/a', 'y/a'],
    steps: [
      { policies: () => [netpol('x', 'allow-all-mutate-to-deny-all', { matchLabels: {} }, { ingress: [{}] })], checks: [tcp(81)] },
      {
        policies: () => [netpol('x', 'allow-all-mutate-to-deny-all', { matchLabels: {} }, { ingress: [] })],
        checks: [tcp(81, (r) => r.expectPeer({}, { namespace: 'x' }, false))],
      },
    ],
  },
  {
    upstream: 'should allow ingress access from updated namespace',
    pods: ['x/a', 'y/a'],
    steps: (() => {
      const policies = () => [
        netpol('x', 'allow-client-a-via-ns-selector', podLabel('a'), {
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }],
        }),
      ];
      return [
        { policies, checks: [tcp(80, (r) => r.expectAllIngress('x/a', false))] },
        {
          policies,
          model: { namespaceLabels: { y: { ns2: 'updated' } } },
          checks: [tcp(80, (r) => r.expectAllIngress('x/a', false).expectPeer({ namespace: 'y' }, {}, true))],
        },
      ];
    })(),
  },
  {
    upstream: 'should allow ingress access from updated pod',
    pods: ['x/a', 'x/b'],
    steps: (() => {
      const policies = () => [
        netpol('x', 'allow-client-a-via-pod-selector', podLabel('a'), {
          ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }],
        }),
      ];
      return [
        { policies, checks: [tcp(80, (r) => r.expectAllIngress('x/a', false))] },
        {
          policies,
          model: { podLabels: { 'x/b': { pod2: 'updated' } } },
          checks: [tcp(80, (r) => r.expectAllIngress('x/a', false).expect('x/b', 'x/a', true))],
        },
      ];
    })(),
  },
  {
    upstream: 'should deny ingress from pods on other namespaces',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: [
      {
        policies: () => [netpol('x', 'deny-empty-policy', {}, { ingress: [{ from: [{ podSelector: { matchLabels: {} } }] }] })],
        checks: [
          tcp(80, (r) =>
            r.expectPeer({ namespace: 'y' }, { namespace: 'x' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x' }, false),
          ),
        ],
      },
    ],
  },
  {
    upstream: 'should deny ingress access to updated pod',
    pods: ['x/a', 'y/a'],
    steps: (() => {
      const policies = () => [netpol('x', 'deny-ingress-via-label-selector', { matchLabels: { target: 'isolated' } }, { ingress: [] })];
      return [
        { policies, checks: [tcp(80)] },
        { policies, model: { podLabels: { 'x/a': { target: 'isolated' } } }, checks: [tcp(80, (r) => r.expectAllIngress('x/a', false))] },
      ];
    })(),
  },
  {
    upstream: 'should deny egress from pods based on PodSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    steps: [
      {
        policies: () => [netpol('x', 'deny-egress-pod-a', podLabel('a'), { egress: [] })],
        checks: [tcp(80, (r) => r.expectAllEgress('x/a', false))],
      },
    ],
  },
  {
    upstream: 'should deny egress from all pods in a namespace',
    pods: ['x/a', 'x/b', 'y/a'],
    steps: [
      {
        policies: () => [netpol('x', 'deny-egress-ns-x', {}, { egress: [] })],
        checks: [tcp(80, (r) => r.expectPeer({ namespace: 'x' }, {}, false))],
      },
    ],
  },
  {
    upstream: 'should work with Ingress, Egress specified together',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-client-a-via-pod-selector', podLabel('a'), {
            ingress: [{ from: [{ podSelector: podLabel('b') }] }],
            egress: [{ ports: [{ port: 80 }] }],
          }),
        ],
        checks: [
          tcp(80, (r) => r.expectAllIngress('x/a', false).expect('x/b', 'x/a', true)),
          tcp(81, (r) => r.expectAllIngress('x/a', false).expectAllEgress('x/a', false).expect('x/b', 'x/a', true)),
        ],
      },
    ],
  },
  {
    upstream: 'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    pods: ['x/a', 'y/a', 'y/b'],
    steps: [
      {
        policies: () => {
          const fromXA = [{ from: [{ namespaceSelector: nsName('x'), podSelector: podLabel('a') }] }];
          return [
            netpol('x', 'allow-to-ns-y-pod-a', podLabel('a'), {
              egress: [{ to: [{ namespaceSelector: nsName('y'), podSelector: podLabel('a') }] }],
            }),
            netpol('y', 'allow-from-xa-on-ya-match-selector', podLabel('a'), { ingress: fromXA }),
            netpol('y', 'allow-from-xa-on-yb-match-selector', podLabel('b'), { ingress: fromXA }),
          ];
        },
        checks: [
          tcp(80, (r) =>
            r
              .expectPeer({ namespace: 'x', pod: 'a' }, {}, false)
              .expectPeer({}, { namespace: 'y', pod: 'a' }, false)
              .expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y', pod: 'a' }, true)
              .expectPeer({}, { namespace: 'y', pod: 'b' }, false),
          ),
        ],
      },
    ],
  },
  {
    upstream:
      'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'y/a', 'y/b'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-to-ns-y-pod-a', podLabel('a'), {
            egress: [{ to: [{ namespaceSelector: nsName('y'), podSelector: podLabel('a') }] }],
          }),
        ],
        checks: [tcp(80, (r) => r.expectAllEgress('x/a', false).expect('x/a', 'y/a', true))],
      },
    ],
  },
  {
    upstream: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol',
    pods: ['x/a', 'y/a'],
    steps: [
      {
        policies: () => [netpol('x', 'allow-ingress-by-proto', podLabel('a'), { ingress: [{ ports: [{ protocol: 'TCP' }] }] })],
        checks: [tcp(80), { port: 80, protocol: 'UDP', expect: (r) => r.expectPeer({}, { namespace: 'x', pod: 'a' }, false) }],
      },
    ],
  },
  {
    upstream: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence',
    pods: ['x/a', 'y/a'],
    steps: (() => {
      const only80 = netpol('x', 'allow-ingress-port-80', { matchLabels: {} }, { ingress: [{ ports: [{ port: 80 }] }] });
      return [
        { policies: () => [only80], checks: [tcp(81, (r) => r.expectPeer({}, { namespace: 'x' }, false))] },
        { policies: () => [only80, netpol('x', 'allow-ingress', { matchLabels: {} }, { ingress: [{}] })], checks: [tcp(81)] },
      ];
    })(),
  },
  {
    upstream: 'should enforce multiple egress policies with egress allow-all policy taking precedence',
    pods: ['x/a', 'y/a'],
    steps: (() => {
      const only80 = netpol('x', 'allow-egress-port-80', { matchLabels: {} }, { egress: [{ ports: [{ port: 80 }] }] });
      return [
        { policies: () => [only80], checks: [tcp(81, (r) => r.expectPeer({ namespace: 'x' }, {}, false))] },
        { policies: () => [only80, netpol('x', 'allow-egress', { matchLabels: {} }, { egress: [{}] })], checks: [tcp(81)] },
      ];
    })(),
  },
  {
    upstream: 'should stop enforcing policies after they are deleted',
    pods: ['x/a', 'y/a'],
    steps: [
      {
        policies: () => [netpol('x', 'deny-all', {}, { ingress: [], egress: [] })],
        checks: [tcp(80, (r) => r.expectPeer({ namespace: 'x' }, {}, false).expectPeer({}, { namespace: 'x' }, false))],
      },
      { policies: () => [], checks: [tcp(80)] },
    ],
  },
  {
    upstream: 'should allow egress access to server in CIDR block',
    pods: ['x/a', 'y/a', 'y/b'],
    steps: [
      {
        policies: (m) => [
          netpol('x', 'allow-client-a-via-cidr-egress-rule', podLabel('a'), {
            egress: [{ to: [{ ipBlock: { cidr: `${m.ip('y/b')}/32` } }] }],
          }),
        ],
        checks: [tcp(80, (r) => r.expectAllEgress('x/a', false).expect('x/a', 'y/b', true))],
      },
    ],
  },
  {
    upstream: 'should enforce except clause while egress access to server in CIDR block',
    pods: ['x/a', 'x/b', 'x/c'],
    steps: [
      {
        policies: (m) => [
          netpol('x', 'allow-client-a-via-cidr-egress-rule', podLabel('a'), {
            egress: [{ to: [{ ipBlock: { cidr: LARGE_CIDR, except: [`${m.ip('x/b')}/32`] } }] }],
          }),
        ],
        checks: [tcp(80, (r) => r.expect('x/a', 'x/b', false))],
      },
    ],
  },
  {
    upstream: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed',
    pods: ['x/a', 'x/b', 'x/c'],
    steps: [
      {
        policies: (m) => [
          netpol('x', 'allow-client-a-via-cidr-egress-rule', podLabel('a'), {
            egress: [{ to: [{ ipBlock: { cidr: LARGE_CIDR, except: [`${m.ip('x/b')}/32`] } }] }],
          }),
        ],
        checks: [tcp(80, (r) => r.expect('x/a', 'x/b', false))],
      },
      {
        // Upstream UpdatePolicy replaces the policy of the same name with one allowing only x/b's IP.
        policies: (m) => [
          netpol('x', 'allow-client-a-via-cidr-egress-rule', podLabel('a'), {
            egress: [{ to: [{ ipBlock: { cidr: `${m.ip('x/b')}/32` } }] }],
          }),
        ],
        checks: [tcp(80, (r) => r.expectAllEgress('x/a', false).expect('x/a', 'x/b', true))],
      },
    ],
  },
  {
    upstream: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    steps: (() => {
      const allowEgress = netpol('x', 'allow-egress-for-target', podLabel('a'), { egress: [{}] });
      return [
        { policies: () => [allowEgress], checks: [tcp(80)] },
        {
          policies: () => [allowEgress, netpol('x', 'deny-ingress-via-label-selector', podLabel('a'), { ingress: [] })],
          checks: [tcp(80, (r) => r.expectAllIngress('x/a', false))],
        },
      ];
    })(),
  },
  {
    upstream: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
    pods: ['x/a', 'y/a'],
    steps: [
      {
        policies: () => [
          denyIngress('x'),
          netpol('x', 'allow-only-sctp-ingress-on-port-81', podLabel('a'), { ingress: [{ ports: [portRule(81, 'SCTP')] }] }),
        ],
        checks: [tcp(81, (r) => r.expectPeer({}, { namespace: 'x' }, false))],
      },
    ],
  },
  {
    upstream: "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
    pods: ['x/a', 'y/a'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-only-sctp-ingress-on-port-80', podLabel('a'), { ingress: [{ ports: [portRule(80, 'SCTP')] }] }),
        ],
        checks: [tcp(81, (r) => r.expectAllIngress('x/a', false))],
      },
    ],
  },
  {
    upstream: 'should not allow access by TCP when a policy specifies only UDP',
    pods: ['x/a', 'y/a'],
    steps: [
      {
        policies: () => [netpol('x', 'allow-only-udp-ingress-on-port-81', podLabel('a'), { ingress: [{ ports: [portRule(81, 'UDP')] }] })],
        checks: [tcp(81, (r) => r.expectAllIngress('x/a', false))],
      },
    ],
  },
  {
    upstream: 'should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-client-a-via-ns-selector-for-immutable-ns-label', podLabel('a'), {
            ingress: [{ from: [{ namespaceSelector: nsName('y') }] }],
          }),
        ],
        checks: [
          tcp(80, (r) =>
            r
              .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
              .expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false),
          ),
        ],
      },
    ],
  },
  {
    upstream: 'should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    steps: [
      {
        policies: () => [
          netpol('x', 'allow-ns-y-match-selector-for-immutable-ns-label', podLabel('a'), {
            egress: [
              {
                to: [
                  { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['y'] }] } },
                ],
              },
            ],
          }),
        ],
        checks: [tcp(80, (r) => r.expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y' }, false))],
      },
    ],
  },
];
