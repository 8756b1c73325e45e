// Published recipes: ahmetb/kubernetes-network-policy-recipes (github.com/ahmetb/kubernetes-network-policy-recipes),
// each test names the recipe file it reproduces; the expected table is the behaviour the recipe describes.
import { describe, test } from 'vitest';
import { Model, Reachability } from '../../harness/model/reachabilityModel.ts';
import { netpol, validateOrFail } from './observe.ts';

// Pods named after the recipes' workloads: default/web (app=web), default/api (app=bookstore, role=api),
// default/db (app=bookstore, role=db), default/client, prod/mon (type=monitoring in a team=operations ns), dev/tool.
const model = (extraNs: Record<string, Record<string, string>> = {}) =>
  new Model(['default/web', 'default/api', 'default/db', 'default/client', 'prod/mon', 'dev/tool'], {
    ports: [80, 5000],
    protocols: ['TCP', 'UDP'],
    podLabels: {
      'default/web': { app: 'web' },
      'default/api': { app: 'bookstore', role: 'api' },
      'default/db': { app: 'bookstore', role: 'db' },
      'prod/mon': { type: 'monitoring', role: 'monitoring' },
    },
    namespaceLabels: { prod: { purpose: 'production', team: 'operations' }, dev: { purpose: 'development' }, ...extraNs },
  });
const all = (m: Model) => new Reachability(m.pods, true);

describe('ahmetb/kubernetes-network-policy-recipes', () => {
  test('01-deny-all-traffic-to-an-application.md', () => {
    const m = model();
    validateOrFail(
      m.state([netpol('default', 'web-deny-all', { matchLabels: { app: 'web' } }, { ingress: [] })]),
      all(m).expectAllIngress('default/web', false),
      80,
      'TCP',
    );
  });
  test('02-limit-traffic-to-an-application.md', () => {
    const m = model();
    const p = netpol(
      'default',
      'api-allow',
      { matchLabels: { app: 'bookstore', role: 'api' } },
      { ingress: [{ from: [{ podSelector: { matchLabels: { app: 'bookstore' } } }] }] },
    );
    validateOrFail(
      m.state([p]),
      all(m).expectAllIngress('default/api', false).expect('default/api', 'default/api', true).expect('default/db', 'default/api', true),
      80,
      'TCP',
    );
  });
  test('02a-allow-all-traffic-to-an-application.md (allow-all wins over web-deny-all)', () => {
    const m = model();
    const ps = [
      netpol('default', 'web-deny-all', { matchLabels: { app: 'web' } }, { ingress: [] }),
      netpol('default', 'web-allow-all', { matchLabels: { app: 'web' } }, { ingress: [{}] }),
    ];
    validateOrFail(m.state(ps), all(m), 80, 'TCP');
  });
  test('03-deny-all-non-whitelisted-traffic-in-the-namespace.md', () => {
    const m = model();
    validateOrFail(
      m.state([netpol('default', 'default-deny-all', {}, { ingress: [] })]),
      all(m).expectPeer({}, { namespace: 'default' }, false),
      80,
      'TCP',
    );
  });
  test('04-deny-traffic-from-other-namespaces.md', () => {
    const m = model();
    const p = netpol('default', 'deny-from-other-namespaces', {}, { ingress: [{ from: [{ podSelector: {} }] }] });
    validateOrFail(
      m.state([p]),
      all(m)
        .expectPeer({ namespace: 'prod' }, { namespace: 'default' }, false)
        .expectPeer({ namespace: 'dev' }, { namespace: 'default' }, false),
      80,
      'TCP',
    );
  });
  test('05-allow-traffic-from-all-namespaces.md', () => {
    const m = model();
    validateOrFail(
      m.state([
        netpol(
          'default',
          'web-allow-all-namespaces',
          { matchLabels: { app: 'web' } },
          { ingress: [{ from: [{ namespaceSelector: {} }] }] },
        ),
      ]),
      all(m),
      80,
      'TCP',
    );
  });
  test('06-allow-traffic-from-a-namespace.md', () => {
    const m = model();
    const p = netpol(
      'default',
      'web-allow-prod',
      { matchLabels: { app: 'web' } },
      { ingress: [{ from: [{ namespaceSelector: { matchLabels: { purpose: 'production' } } }] }] },
    );
    validateOrFail(m.state([p]), all(m).expectAllIngress('default/web', false).expect('prod/mon', 'default/web', true), 80, 'TCP');
  });
  test('07-allow-traffic-from-some-pods-in-another-namespace.md (namespaceSelector AND podSelector in one peer)', () => {
    const m = model({ dev: { purpose: 'development', team: 'operations' } });
    const p = netpol(
      'default',
      'web-allow-all-ns-monitoring',
      { matchLabels: { app: 'web' } },
      {
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { team: 'operations' } }, podSelector: { matchLabels: { type: 'monitoring' } } }] },
        ],
      },
    );
    validateOrFail(m.state([p]), all(m).expectAllIngress('default/web', false).expect('prod/mon', 'default/web', true), 80, 'TCP');
  });
  test('09-allow-traffic-only-to-a-port.md', () => {
    const m = model();
    const p = netpol(
      'default',
      'api-allow-5000',
      { matchLabels: { app: 'bookstore', role: 'api' } },
      { ingress: [{ ports: [{ port: 5000 }], from: [{ podSelector: { matchLabels: { role: 'monitoring' } } }] }] },
    );
    validateOrFail(m.state([p]), all(m).expectAllIngress('default/api', false), 80, 'TCP');
    // role=monitoring pods of the same namespace only: prod/mon is in another namespace, so nothing is allowed.
    validateOrFail(m.state([p]), all(m).expectAllIngress('default/api', false), 5000, 'TCP');
  });
  test('11-deny-egress-traffic-from-an-application.md', () => {
    const m = model();
    const p = netpol('default', 'foo-deny-egress', { matchLabels: { app: 'web' } }, { egress: [] });
    validateOrFail(m.state([p]), all(m).expectAllEgress('default/web', false), 80, 'TCP');
  });
  test('12-deny-all-non-whitelisted-traffic-from-the-namespace.md', () => {
    const m = model();
    validateOrFail(
      m.state([netpol('default', 'default-deny-all-egress', {}, { egress: [] })]),
      all(m).expectPeer({ namespace: 'default' }, {}, false),
      80,
      'TCP',
    );
  });
  test('14-deny-external-egress-traffic.md (DNS on 53 plus every in-cluster pod)', () => {
    const m = model();
    const p = netpol(
      'default',
      'foo-deny-external-egress',
      { matchLabels: { app: 'web' } },
      {
        egress: [
          {
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
          { to: [{ namespaceSelector: {} }] },
        ],
      },
    );
    validateOrFail(m.state([p]), all(m), 80, 'TCP');
  });
});
