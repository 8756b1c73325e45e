import { describe, expect, test } from 'vitest';
import { InputError } from '../../harness/errors.ts';
import type { ClusterSpec } from '../../harness/model/spec.ts';
import { clusterRequest } from '../../harness/provision/request.ts';

const spec: ClusterSpec = {
  apiVersion: 'clusterproof.dev/v1alpha1',
  kind: 'ClusterSpec',
  metadata: { name: 'demo' },
  spec: {
    provider: { type: 'kind', kind: { controlPlanes: 3, workers: 2, zones: ['x', 'y', 'z'] } },
    cidrs: { pods: [{ name: 'pods', cidr: '10.244.0.0/16' }], services: [{ name: 'svc', cidr: '10.96.0.0/16' }] },
  },
};

describe('ClusterRequest from spec and flags', () => {
  test('the spec gives provider, node counts, zones and subnets', () => {
    const r = clusterRequest(spec, {}, 'demo.yaml', '261125-180000-abcd');
    expect(r).toMatchObject({
      provider: 'kind',
      name: 'cp-261125-180000-abcd',
      controlPlanes: 3,
      workers: 2,
      zones: ['x', 'y', 'z'],
      podSubnet: '10.244.0.0/16',
      serviceSubnet: '10.96.0.0/16',
      nodeImage: 'build',
    });
    expect(r.runDir).toMatch(/clusters\/cp-261125-180000-abcd$/);
  });

  test('flags win over the spec', () => {
    const r = clusterRequest(spec, { name: 'dev', controlPlanes: '1', workers: '0', zones: 'a,b' });
    expect(r).toMatchObject({ name: 'dev', controlPlanes: 1, workers: 0, zones: ['a', 'b'] });
  });

  test('defaults without a spec: kind, 1 + 2 nodes, zones a,b,c', () => {
    expect(clusterRequest(undefined, {})).toMatchObject({ provider: 'kind', controlPlanes: 1, workers: 2, zones: ['a', 'b', 'c'] });
  });

  test('every bad flag is reported at once, naming the flag and the fix', () => {
    let caught: unknown;
    try {
      clusterRequest(undefined, { provider: 'gke', name: 'Bad_Name', controlPlanes: '0', workers: 'x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const problems = (caught as InputError).problems;
    expect(problems.map((p) => p.pointer).sort()).toEqual(['--control-planes', '--name', '--provider', '--workers']);
    expect(problems.every((p) => p.fix)).toBe(true);
  });

  test('an unsupported provider in the spec points at the spec field', () => {
    // aws is provisioned now (harness/provision/aws/); a value outside the schema stands for an unsupported one.
    const gke: ClusterSpec = { ...spec, spec: { provider: { type: 'gke' as 'aws' } } };
    expect(() => clusterRequest(gke, {}, 'prod.yaml')).toThrow(/prod\.yaml at \/spec\/provider\/type/);
  });

  test('existing provider needs a kubeconfig', () => {
    const saved = process.env.KUBECONFIG;
    delete process.env.KUBECONFIG;
    try {
      expect(() => clusterRequest(undefined, { provider: 'existing' })).toThrow(/needs a kubeconfig/);
      expect(clusterRequest(undefined, { provider: 'existing', kubeconfig: '/k', context: 'prod' })).toMatchObject({
        name: 'prod',
        kubeconfig: '/k',
        context: 'prod',
      });
    } finally {
      if (saved !== undefined) process.env.KUBECONFIG = saved;
    }
  });
});
