// Controls the spec does not ask for are "not requested", not "nothing to judge": the gate summary keeps them apart.
import { expect, test } from 'vitest';
import { evaluateStatic } from '../../harness/evaluate/registry.ts';
import { loadControls } from '../../harness/controls/load.ts';
import { notJudgedControls, notRequestedControls } from '../../harness/findings/notJudged.ts';
import { state, spec } from '../evaluate/stateBuilder.ts';

test('a spec asking only for default-deny: nine controls not requested; an empty namespace is not judged', async () => {
  const s = state((st) => {
    st.kubernetes.namespaces.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  });
  s.kubernetes.networkPolicies.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', namespace: 'shop' },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });
  const findings = await evaluateStatic(
    s,
    spec({ networkPolicy: { defaultDeny: { namespaces: ['shop'], ingress: true, egress: false } } }),
    loadControls(),
  );
  expect(notRequestedControls(findings)).toHaveLength(9);
  expect(notRequestedControls(findings)).not.toContain('netpol-default-deny');
  expect(notJudgedControls(findings)).toEqual([
    { control: 'netpol-default-deny', reason: expect.stringContaining('Namespace shop has no workloads in the inputs') },
  ]);
});
