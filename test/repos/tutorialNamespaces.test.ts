// A three-namespace tutorial whose default-deny policy carries no namespace and is applied per namespace
// (fixtures/repos/tutorial-namespaces). Read with the namespaces it is applied to, each team namespace is
// default-deny and only team-a reaches team-b's API; read without them, the policy lands in `default`, the
// teams are open, and the report says where the policy went.
import { describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { evaluateDefaultDeny } from '../../harness/evaluate/defaultDenyCoverage.ts';
import { analyseReachability, verdicts } from '../../harness/netpol/matrix.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import { loadSpec } from '../../harness/spec/load.ts';
import { control } from '../evaluate/stateBuilder.ts';

const DIR = 'fixtures/repos/tutorial-namespaces';
const TEAMS = ['team-a', 'team-b', 'team-c'];

async function results(state: ClusterState): Promise<Record<string, string>> {
  const { spec } = await loadSpec(`${DIR}/clusterproof.yaml`);
  const findings = evaluateDefaultDeny({ state, spec, control: control('netpol-default-deny') });
  return Object.fromEntries(findings.map((f) => [f.subject?.name ?? '?', f.result]));
}

describe('tutorial: a namespace-less default-deny applied per namespace', () => {
  test('read into each team namespace: all three are default-deny for Ingress', async () => {
    const state = await loadStateFromPaths([DIR], { defaultNamespaces: TEAMS });
    expect(await results(state)).toEqual({ 'team-a': 'pass', 'team-b': 'pass', 'team-c': 'pass' });
    expect(state.kubernetes.networkPolicies.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`).sort()).toEqual([
      'team-a/default-deny-ingress',
      'team-b/api-from-team-a',
      'team-b/default-deny-ingress',
      'team-c/default-deny-ingress',
    ]);
  });

  test('the warning names the file, the line and the namespaces it was read into, once', async () => {
    const state = await loadStateFromPaths([DIR], { defaultNamespaces: TEAMS });
    expect(state.warnings).toEqual([
      expect.objectContaining({
        file: `${DIR}/default-deny.yaml`,
        line: 4,
        message: 'NetworkPolicy default-deny-ingress has no metadata.namespace: read into namespace team-a, team-b, team-c',
      }),
    ]);
  });

  test('truth table on port 80: only team-a reaches team-b; nothing else reaches any API (egress is open)', async () => {
    const state = await loadStateFromPaths([DIR], { defaultNamespaces: TEAMS });
    const allowed = [...verdicts(analyseReachability(state, [{ port: 80, protocol: 'TCP' }]))]
      .filter((v) => v.allowed)
      .map((v) => `${v.from} → ${v.to}`);
    expect(allowed).toEqual(['team-a/api[Deployment] → team-b/api[Deployment]']);
  });

  test('read without --namespace, as kubectl would apply it (namespace default): the teams are not default-deny', async () => {
    const state = await loadStateFromPaths([DIR]);
    expect(await results(state)).toEqual({ 'team-a': 'fail', 'team-b': 'fail', 'team-c': 'fail' });
    expect(state.warnings[0]?.message).toContain('read into namespace default');
  });
});
