// The ten-service shop as its repository holds it (fixtures/repos/shop-manifests: Deployments, Services and
// NetworkPolicies, no Pods), judged as a person reading the policies would, and judged the same as a cluster
// dump of the Pods its controllers would create.
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { evaluateDefaultDeny } from '../../harness/evaluate/defaultDenyCoverage.ts';
import { analyseReachability, verdicts } from '../../harness/netpol/matrix.ts';
import type { Finding } from '../../harness/model/findings.ts';
import type { PortProtocol } from '../../harness/model/reachability.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import { loadSpec } from '../../harness/spec/load.ts';
import { control } from '../evaluate/stateBuilder.ts';
import { podsOf } from '../support/controllerPods.ts';

const DIR = 'fixtures/repos/shop-manifests';

/** Read off networkpolicies.yaml: each service's port and who may call it (frontend only from namespace `ingress`). */
const SERVICES: Record<string, { port: number; callers: string[] }> = {
  frontend: { port: 8080, callers: [] },
  cart: { port: 7070, callers: ['frontend', 'checkout'] },
  checkout: { port: 5050, callers: ['frontend'] },
  payment: { port: 50051, callers: ['checkout'] },
  catalog: { port: 3550, callers: ['frontend', 'checkout', 'recommendation'] },
  shipping: { port: 50052, callers: ['frontend', 'checkout'] },
  email: { port: 5000, callers: ['checkout'] },
  currency: { port: 7000, callers: ['frontend', 'checkout'] },
  recommendation: { port: 8081, callers: ['frontend'] },
  ad: { port: 9555, callers: ['frontend'] },
};
const PORTS: PortProtocol[] = Object.values(SERVICES).map((s) => ({ port: s.port, protocol: 'TCP' }));

async function judge(state: ClusterState): Promise<Finding[]> {
  const { spec } = await loadSpec(`${DIR}/clusterproof.yaml`);
  return evaluateDefaultDeny({ state, spec, control: control('netpol-default-deny') });
}

/** `from → to:port` for every allowed pair, names mapped to the service (app label) they run. */
function allowedPairs(state: ClusterState, serviceOf: (id: string) => string): Set<string> {
  const allowed = new Set<string>();
  for (const v of verdicts(analyseReachability(state, PORTS))) {
    if (v.allowed) allowed.add(`${serviceOf(v.from)} → ${serviceOf(v.to)}:${v.port}`);
  }
  return allowed;
}

function expectedPairs(): Set<string> {
  const allowed = new Set<string>();
  for (const [to, { port, callers }] of Object.entries(SERVICES)) for (const from of callers) allowed.add(`${from} → ${to}:${port}`);
  return allowed;
}

const fromWorkloadId = (id: string): string => /^shop\/(.+)\[Deployment\]$/.exec(id)?.[1] ?? `unexpected ${id}`;

describe('shop as manifests (Deployments, no Pods)', () => {
  test('default-deny fails: every allow-list `egress: [{}]` re-opens Egress, and the rule is named', async () => {
    const state = await loadStateFromPaths([DIR]);
    const [f, ...rest] = await judge(state);
    expect(rest).toEqual([]);
    expect(f?.result).toBe('fail');
    const rules = f?.evidence.flatMap((e) => (e.type === 'rule' && e.ref ? [e.rule] : [])).sort();
    expect(rules).toEqual(
      Object.keys(SERVICES)
        .map((s) => `shop/${s}-allow egress rule 0`)
        .sort(),
    );
    expect(f?.message).toContain('shop/cart-allow egress rule 0 re-opens Egress');
    expect(f?.message).toContain('shop/cart[Deployment]');
    // Ingress stays closed to outsiders: every allow-list names its callers.
    expect(f?.message).not.toContain('re-opens Ingress');
  });

  test("the truth table is the allow-lists: X reaches Y on Y's port exactly when Y's policy names X", async () => {
    const state = await loadStateFromPaths([DIR]);
    expect(allowedPairs(state, fromWorkloadId)).toEqual(expectedPairs());
  });

  test('a re-opening ingress rule on a Deployment fails the namespace (it passed before workloads were judged)', async () => {
    const state = await loadStateFromPaths([DIR]);
    state.kubernetes.networkPolicies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'frontend-open', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'frontend' } }, ingress: [{}] },
    });
    const [f] = await judge(state);
    expect(f?.message).toContain('shop/frontend-open ingress rule 0 re-opens Ingress');
    expect(f?.message).toMatch(/re-opens Ingress: admits .* to shop\/frontend\[Deployment\]/);
  });
});

describe('the same shop as a cluster dump of the Pods its controllers would create (generated Pods)', () => {
  async function dump(): Promise<ClusterState> {
    const state = await loadStateFromPaths([DIR]);
    state.kubernetes.pods.push(...podsOf(state.kubernetes.deployments));
    return state;
  }
  const appOf = (state: ClusterState) => {
    const byId = new Map(
      state.kubernetes.pods.map((p: V1Pod) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p.metadata?.labels?.app ?? '']),
    );
    return (id: string): string => byId.get(id) ?? `unexpected ${id}`;
  };

  test('the Pods are judged and their Deployments are not counted again', async () => {
    const state = await dump();
    const pairs = analyseReachability(state, PORTS.slice(0, 1));
    expect(pairs.pods.length).toBe(20);
    expect(pairs.pods.every((p) => !p.id.includes('['))).toBe(true);
  });

  test('same default-deny verdict and re-opening rules', async () => {
    const [asManifests] = await judge(await loadStateFromPaths([DIR]));
    const [asDump] = await judge(await dump());
    expect(asDump?.result).toBe(asManifests?.result);
    const rules = (f: Finding | undefined) => f?.evidence.flatMap((e) => (e.type === 'rule' ? [e.rule] : [])).sort();
    expect(rules(asDump)).toEqual(rules(asManifests));
  });

  test('same truth table, up to names', async () => {
    const state = await dump();
    expect(allowedPairs(state, appOf(state))).toEqual(expectedPairs());
  });
});
