// The shop's manifests (fixtures/repos/shop-manifests) applied to the real cluster: the real Deployment and
// ReplicaSet controllers create the Pods, `collectLive` reads them back, and the static controls judge that dump
// exactly as they judge the manifests: same default-deny result and re-opening rules, same truth table up to names.
import { AppsV1Api, type KubernetesObject, type V1Deployment } from '@kubernetes/client-node';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { collectLive } from '../../harness/collect/live/collectLive.ts';
import { evaluateDefaultDeny } from '../../harness/evaluate/defaultDenyCoverage.ts';
import { analyseReachability, verdicts } from '../../harness/netpol/matrix.ts';
import type { PortProtocol } from '../../harness/model/reachability.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import { readImageSet } from '../../harness/provision/images.ts';
import { K8S_RUN_LABEL } from '../../harness/kubernetes/runLabels.ts';
import { timeoutIsObservation, waitFor } from '../../harness/kubernetes/waitFor.ts';
import { control, spec } from '../evaluate/stateBuilder.ts';
import { createTestNamespace, deleteTestNamespaces } from './support/namespaces.ts';
import { core, kubeConfig, liveInfo, probeImage, suffix } from './support/liveCluster.ts';

const ns = `cp-live-shop-${suffix()}`;
const api = core();
const PORTS: PortProtocol[] = [7070, 5050, 50051, 3550, 8080].map((port) => ({ port, protocol: 'TCP' }));
let manifests: ClusterState;
let live: ClusterState;

/** The shop's objects moved into the test namespace, run with the probe image (the nodes hold no other). */
function forTestNamespace(state: ClusterState): KubernetesObject[] {
  const k = state.kubernetes;
  const objects = [...k.deployments, ...k.services, ...k.serviceAccounts, ...k.networkPolicies] as KubernetesObject[];
  return objects.map((o) => {
    const copy = structuredClone(o) as KubernetesObject & Partial<V1Deployment>;
    copy.metadata = { ...copy.metadata, namespace: ns, labels: { ...(copy.metadata?.labels ?? {}), [K8S_RUN_LABEL]: liveInfo().runId } };
    if (copy.kind === 'Deployment' && copy.spec) {
      copy.spec.replicas = 1;
      for (const c of copy.spec.template.spec?.containers ?? []) Object.assign(c, { image: probeImage(), imagePullPolicy: 'IfNotPresent' });
    }
    return copy;
  });
}

beforeAll(async () => {
  manifests = await loadStateFromPaths(['fixtures/repos/shop-manifests'], { defaultNamespaces: [ns] });
  const objects = forTestNamespace(manifests);
  // The manifests' state, as judged, in the same namespace the cluster holds them in.
  manifests = await loadStateFromPaths(['fixtures/repos/shop-manifests/namespace.yaml']);
  manifests.kubernetes.namespaces.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: 'shop' } } });
  for (const o of objects) {
    const list = {
      Deployment: manifests.kubernetes.deployments,
      Service: manifests.kubernetes.services,
      ServiceAccount: manifests.kubernetes.serviceAccounts,
      NetworkPolicy: manifests.kubernetes.networkPolicies,
    }[o.kind as 'Deployment'];
    (list as KubernetesObject[]).push(o);
  }
  await createTestNamespace(api, ns, liveInfo().runId);
  await api.patchNamespace({ name: ns, body: [{ op: 'add', path: '/metadata/labels/team', value: 'shop' }] });
  // kubectl, not client-node's object API: its serializer drops fields whose model name differs (`from` is `_from`).
  const kubectl = (await readImageSet())?.kubectl ?? 'kubectl';
  await execa(kubectl, ['--kubeconfig', liveInfo().kubeconfig, 'apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  });
  const apps = kubeConfig().makeApiClient(AppsV1Api);
  let ready = 0;
  await waitFor(
    `10 Deployments in ${ns} with a ready Pod`,
    async () => {
      const list = (await apps.listNamespacedDeployment({ namespace: ns })).items;
      ready = list.filter((d) => (d.status?.readyReplicas ?? 0) >= 1).length;
      return ready === 10 ? { done: true, value: undefined } : { done: false, why: `${ready} ready` };
    },
    { timeout: 180_000, interval: 2000 },
  ).catch(timeoutIsObservation);
  expect(ready, 'Deployments with a ready Pod').toBe(10);
  const collected = await collectLive({ kubeconfig: liveInfo().kubeconfig });
  live = {
    ...collected,
    kubernetes: { ...collected.kubernetes, pods: collected.kubernetes.pods.filter((p) => p.metadata?.namespace === ns) },
  };
}, 300_000);

afterAll(() => deleteTestNamespaces(api, [ns]));

const SPEC = spec({ networkPolicy: { defaultDeny: { namespaces: [ns], ingress: true, egress: true } } });
const judged = (s: ClusterState) =>
  evaluateDefaultDeny({ state: s, spec: SPEC, control: control('netpol-default-deny') }).map((f) => ({
    result: f.result,
    rules: f.evidence.flatMap((e) => (e.type === 'rule' && e.ref ? [e.rule] : [])).sort(),
  }));

function allowed(state: ClusterState): Set<string> {
  const appOf = new Map<string, string>();
  for (const p of state.kubernetes.pods) appOf.set(`${p.metadata?.namespace}/${p.metadata?.name}`, p.metadata?.labels?.app ?? '?');
  const name = (id: string): string => appOf.get(id) ?? /^[^/]+\/(.+)\[Deployment\]$/.exec(id)?.[1] ?? `? ${id}`;
  const out = new Set<string>();
  for (const v of verdicts(analyseReachability(state, PORTS, [ns]))) if (v.allowed) out.add(`${name(v.from)} → ${name(v.to)}:${v.port}`);
  return out;
}

describe('the shop as manifests and as the cluster its real controllers made', () => {
  test('the live dump holds Pods owned by real ReplicaSets, and they are what is judged', () => {
    const pods = live.kubernetes.pods;
    expect(pods).toHaveLength(10);
    expect(pods.every((p) => p.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet' && p.metadata.labels?.['pod-template-hash'])).toBe(
      true,
    );
    const ids = analyseReachability(live, PORTS.slice(0, 1), [ns]).pods.map((p) => p.id);
    expect(ids.some((id) => id.includes('['))).toBe(false);
  });

  test('same default-deny result and re-opening rules', () => {
    expect(judged(live)).toEqual(judged(manifests));
    expect(judged(manifests)[0]?.result).toBe('fail');
  });

  test('same truth table, up to names', () => {
    const fromManifests = allowed(manifests);
    expect(fromManifests.size).toBeGreaterThan(0);
    expect(allowed(live)).toEqual(fromManifests);
  });
});
