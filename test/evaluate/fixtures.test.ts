// Per-control fixture pairs, loaded the way `scan` loads them: `pass/` must give only pass or not-applicable
// for its control, `fail/` at least one fail. The spec is read with `yaml` directly so this test depends
// only on the state loader.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluateApiEndpointPrivate } from '../../harness/evaluate/apiEndpointPrivate.ts';
import { evaluateCanaryAutoRollback } from '../../harness/evaluate/canaryAutoRollback.ts';
import { evaluateEtcdBackup } from '../../harness/evaluate/etcdBackup.ts';
import { evaluateHaControlPlane } from '../../harness/evaluate/haControlPlane.ts';
import { evaluateMtlsStrict } from '../../harness/evaluate/mtlsStrict.ts';
import { evaluateTeardownClean } from '../../harness/evaluate/teardownClean.ts';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import type { Evaluator } from '../../harness/model/evaluator.ts';
import type { ClusterSpec } from '../../harness/model/spec.ts';
import { control } from './stateBuilder.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'controls');
const EVALUATORS: Record<string, Evaluator> = {
  'api-endpoint-private': evaluateApiEndpointPrivate,
  'mtls-strict': evaluateMtlsStrict,
  'ha-control-plane': evaluateHaControlPlane,
  'etcd-backup': evaluateEtcdBackup,
  'canary-auto-rollback': evaluateCanaryAutoRollback,
  'teardown-clean': evaluateTeardownClean,
};

async function evaluateDir(id: string, dir: string) {
  const state = await loadStateFromPaths([dir]);
  const spec = parse(readFileSync(join(dir, 'clusterproof.yaml'), 'utf8')) as ClusterSpec;
  return EVALUATORS[id]!({ state, spec, control: control(id) });
}

describe.each(Object.keys(EVALUATORS))('fixtures/controls/%s', (id) => {
  it('has a pass and a fail directory', () => {
    expect(readdirSync(join(FIXTURES, id)).filter((d) => d === 'pass' || d === 'fail').sort()).toEqual(['fail', 'pass']);
  });

  it('pass/ yields only pass or not-applicable, with at least one pass', async () => {
    const findings = await evaluateDir(id, join(FIXTURES, id, 'pass'));
    const offending = findings.filter((f) => f.result !== 'pass' && f.result !== 'not-applicable');
    expect(offending.map((f) => `${f.result}: ${f.message}`)).toEqual([]);
    expect(findings.some((f) => f.result === 'pass')).toBe(true);
  });

  it('fail/ yields at least one fail', async () => {
    const findings = await evaluateDir(id, join(FIXTURES, id, 'fail'));
    expect(findings.filter((f) => f.result === 'fail').length).toBeGreaterThan(0);
  });
});
