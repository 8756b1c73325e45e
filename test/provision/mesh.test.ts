// `up --mesh istio` / spec.provider.kind.mesh: how the request is resolved from spec and flag, what the spec schema
// accepts, and the pure half of the install (run-labelled objects, the injection verdict on an admitted Pod).
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { InputError } from '../../harness/errors.ts';
import { K8S_CLUSTER_RUN_LABEL } from '../../harness/kubernetes/runLabels.ts';
import type { ClusterSpec } from '../../harness/model/spec.ts';
import { injectionCheckPod, injectionMissing, labelledInstall } from '../../harness/provision/mesh/istioObjects.ts';
import { clusterRequest } from '../../harness/provision/request.ts';
import { parseSpec } from '../../harness/spec/load.ts';
import { problemsOf, where } from '../spec/problems.ts';

const kindSpec = (kind: NonNullable<ClusterSpec['spec']['provider']>['kind'], type: 'kind' | 'existing' = 'kind'): ClusterSpec => ({
  apiVersion: 'clusterproof.dev/v1alpha1',
  kind: 'ClusterSpec',
  metadata: { name: 'demo' },
  spec: { provider: { type, ...(kind ? { kind } : {}) } },
});

const problemsOfRequest = (run: () => unknown): InputError['problems'] => {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error('expected an InputError');
};

describe('mesh in the ClusterRequest', () => {
  test('no mesh unless asked: the request has no mesh key', () => {
    expect(clusterRequest(undefined, {})).not.toHaveProperty('mesh');
    expect(clusterRequest(kindSpec({ mesh: 'none' }), {})).not.toHaveProperty('mesh');
  });

  test('spec.provider.kind.mesh: istio and --mesh istio both ask for Istio', () => {
    expect(clusterRequest(kindSpec({ mesh: 'istio' }), {}).mesh).toBe('istio');
    expect(clusterRequest(undefined, { mesh: 'istio' }).mesh).toBe('istio');
  });

  test('the flag wins over the spec', () => {
    expect(clusterRequest(kindSpec({ mesh: 'istio' }), { mesh: 'none' })).not.toHaveProperty('mesh');
  });

  test('an unknown mesh names the flag and the meshes there are', () => {
    const [problem] = problemsOfRequest(() => clusterRequest(undefined, { mesh: 'linkerd' }));
    expect(problem).toMatchObject({ pointer: '--mesh', message: 'unknown mesh "linkerd"', fix: 'use one of: none, istio' });
  });

  test('a mesh on another provider is refused, from the flag or at the spec field', () => {
    const [flag] = problemsOfRequest(() => clusterRequest(undefined, { mesh: 'istio', provider: 'existing', kubeconfig: '/k' }));
    expect(flag).toMatchObject({ pointer: '--mesh', fix: 'drop --mesh, or use --provider kind' });
    const [field] = problemsOfRequest(() => clusterRequest(kindSpec({ mesh: 'istio' }, 'existing'), { kubeconfig: '/k' }, 'prod.yaml'));
    expect(field).toMatchObject({ file: 'prod.yaml', pointer: '/spec/provider/kind/mesh' });
  });
});

describe('spec.provider.kind.mesh in the schema', () => {
  const text = (mesh: string): string =>
    `apiVersion: clusterproof.dev/v1alpha1\nkind: ClusterSpec\nmetadata:\n  name: m\nspec:\n  provider:\n    type: kind\n    kind:\n      mesh: ${mesh}\n`;

  test('istio and none are accepted', () => {
    expect(parseSpec(text('istio'), 'm.yaml').spec.provider?.kind?.mesh).toBe('istio');
    expect(parseSpec(text('none'), 'm.yaml').spec.provider?.kind?.mesh).toBe('none');
  });

  test('another value is reported at its line and column', async () => {
    const problems = await problemsOf(() => parseSpec(text('linkerd'), 'm.yaml'));
    expect(where(problems)).toEqual(['9:13 /spec/provider/kind/mesh']);
  });
});

describe('the Istio install', () => {
  const manifest = [
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system',
    '# Source: istiod/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: istiod\n  labels:\n    app: istiod',
    '',
  ].join('\n---\n');

  test('every object carries the cluster-run label, its own labels kept, empty documents dropped', () => {
    const list = labelledInstall(manifest, 'istio.yaml', 'run-1');
    expect(list.kind).toBe('List');
    expect(list.items.map((o) => o.metadata?.labels)).toEqual([
      { [K8S_CLUSTER_RUN_LABEL]: 'run-1' },
      { app: 'istiod', [K8S_CLUSTER_RUN_LABEL]: 'run-1' },
    ]);
  });

  test('a rendering without istiod, or with broken YAML, names the file and the rebuild', () => {
    expect(() => labelledInstall('kind: Namespace\nmetadata: {name: x}\n', 'istio.yaml', 'r')).toThrow(
      /istio\.yaml has no istiod Deployment/,
    );
    expect(() => labelledInstall('kind: [\n', 'istio.yaml', 'r')).toThrow(/istio\.yaml: document 1 is not valid YAML/);
  });

  const admitted = (proxy?: { image: string; env: { name: string; value: string }[] }): V1Pod => {
    const pod = injectionCheckPod('pause');
    return { ...pod, spec: { containers: [...(pod.spec?.containers ?? []), ...(proxy ? [{ name: 'istio-proxy', ...proxy }] : [])] } };
  };

  test('the check Pod asks for the grpc-agent template', () => {
    expect(injectionCheckPod('pause').metadata?.annotations).toEqual({ 'inject.istio.io/templates': 'grpc-agent' });
  });

  test('injection is proven by an istio-proxy container from our proxy image with Envoy disabled', () => {
    const proxy = 'clusterproof.local/istio/proxyv2:t';
    expect(injectionMissing(admitted({ image: proxy, env: [{ name: 'DISABLE_ENVOY', value: 'true' }] }), proxy)).toBeUndefined();
    expect(injectionMissing(admitted(), proxy)).toBe('admitted without an istio-proxy container (containers: app)');
    expect(injectionMissing(admitted({ image: 'other', env: [{ name: 'DISABLE_ENVOY', value: 'true' }] }), proxy)).toBe(
      'istio-proxy runs other, not clusterproof.local/istio/proxyv2:t',
    );
    expect(injectionMissing(admitted({ image: proxy, env: [] }), proxy)).toMatch(/without DISABLE_ENVOY=true: not the grpc-agent template/);
  });
});
