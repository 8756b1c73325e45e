// Installing Argo Rollouts in `up`: readiness is the Deployment's Available condition for its current generation,
// and the checked-in controller manifest is never applied as if it were a network enforcer.
import { describe, expect, test } from 'vitest';
import type { V1Deployment } from '@kubernetes/client-node';
import { enforcerManifests } from '../../harness/provision/kind/networkEnforcer.ts';
import { deploymentNotAvailable, ROLLOUTS_MANIFEST_FILE } from '../../harness/provision/kind/rolloutsController.ts';

function deployment(o: { generation?: number; observed?: number; available?: 'True' | 'False'; ready?: number }): V1Deployment {
  return {
    metadata: { name: 'argo-rollouts', generation: o.generation ?? 1 },
    spec: { replicas: 1, selector: {}, template: {} },
    status: {
      observedGeneration: o.observed ?? 1,
      availableReplicas: o.ready ?? 0,
      conditions: [
        ...(o.available
          ? [
              {
                type: 'Available',
                status: o.available,
                message: o.available === 'True' ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
              },
            ]
          : []),
        { type: 'Progressing', status: 'True', message: 'ReplicaSet "argo-rollouts-5d8f" is progressing.' },
      ],
    },
  };
}

describe('deploymentNotAvailable', () => {
  test('Available for the current generation: ready', () => {
    expect(deploymentNotAvailable(deployment({ available: 'True', ready: 1 }))).toBeUndefined();
  });

  test('not Available yet: says how many replicas and why', () => {
    expect(deploymentNotAvailable(deployment({ available: 'False' }))).toContain(
      '0/1 replicas available; Deployment does not have minimum availability.',
    );
  });

  test('Available from an older generation does not count', () => {
    expect(deploymentNotAvailable(deployment({ generation: 2, observed: 1, available: 'True', ready: 1 }))).toBeDefined();
  });
});

describe('enforcerManifests fallback', () => {
  test('applies the enforcer manifests of images/manifests, not the Argo Rollouts controller', async () => {
    const files = (await enforcerManifests()).map((m) => m.file.split('/').at(-1));
    expect(files).toContain('kube-router.yaml');
    expect(files).not.toContain(ROLLOUTS_MANIFEST_FILE);
  });
});
