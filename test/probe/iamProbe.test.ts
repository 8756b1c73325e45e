// The IAM live layer decides from the collected nodes alone whether it can run: on non-AWS nodes it says so
// (not-applicable, naming the providerID scheme) and never contacts an instance metadata address.
import { describe, expect, test } from 'vitest';
import { iamProbe } from '../../harness/probe/iamProbe.ts';
import type { LiveCheckInput } from '../../harness/model/liveCheck.ts';
import { control, node, spec, state } from '../evaluate/stateBuilder.ts';

function input(providerIDs: string[]): LiveCheckInput {
  return {
    state: state((s) => providerIDs.forEach((id, i) => s.kubernetes.nodes.push({ ...node(`n${i}`), spec: { providerID: id } }))),
    spec: spec({}),
    control: { ...control('iam-pod-isolation'), layers: ['plan', 'config', 'probe'] },
    run: { mode: 'live', statePath: '', specPath: '', layers: ['probe'], kubeconfig: '/nonexistent' },
    platform: { nodeAccess: async () => ({ ok: false, reason: 'not used by this check' }), ownAddresses: async () => new Set() },
    staticFindings: [],
    signal: new AbortController().signal,
  };
}

describe('iamProbe', () => {
  test('kind nodes: not-applicable naming the providerID scheme', async () => {
    const [f] = await iamProbe(input(['kind://docker/cp/cp-worker']));
    expect(f).toMatchObject({ result: 'not-applicable', layer: 'probe' });
    expect(f?.message).toContain('need AWS nodes');
    expect(f?.message).toContain('kind');
  });

  test('AWS nodes: still not-applicable (the in-pod probe is not implemented), never pass', async () => {
    const [f] = await iamProbe(input(['aws:///eu-west-1a/i-0123']));
    expect(f?.result).toBe('not-applicable');
    expect(f?.message).toContain('not implemented');
  });
});
