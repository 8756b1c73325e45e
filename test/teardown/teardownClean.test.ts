// The teardown-clean verdict over what the runner observed after the suites and the cluster's removal.
import { describe, expect, test } from 'vitest';
import { isDeferredTeardown, judgeTeardown } from '../../harness/teardown/teardownClean.ts';

const clean = { namespaces: [], pods: [] };
const noDocker = { containers: 0, networks: 0, volumes: 0 };

describe('judgeTeardown', () => {
  test('nothing labelled left anywhere: pass', () => {
    expect(judgeTeardown({ runId: 'r1', kubernetes: clean, docker: noDocker }).result).toBe('pass');
  });
  test('a probe namespace left behind: fail naming it', () => {
    const f = judgeTeardown({ runId: 'r1', kubernetes: { namespaces: ['cp-probe-r1'], pods: [] }, docker: noDocker });
    expect(f.result).toBe('fail');
    expect(f.message).toContain('cp-probe-r1');
  });
  test('a Docker volume left behind: fail', () => {
    expect(judgeTeardown({ runId: 'r1', kubernetes: clean, docker: { ...noDocker, volumes: 1 } }).message).toContain('1 Docker volumes');
  });
  test('nothing could be checked: error, never pass', () => {
    expect(judgeTeardown({ runId: 'r1', kubernetesSkipped: 'unreachable', dockerSkipped: 'no engine' }).result).toBe('error');
  });
  test('kept cluster: pass on what was checked, saying what was not', () => {
    const f = judgeTeardown({ runId: 'r1', kubernetes: clean, dockerSkipped: 'kept (--keep)' });
    expect(f.result).toBe('pass');
    expect(f.message).toContain('Not checked: kept (--keep)');
  });
  test('the in-suite placeholder is recognised and a real verdict is not', () => {
    expect(
      isDeferredTeardown({
        controlId: 'teardown-clean',
        layer: 'teardown',
        result: 'not-applicable',
        message: '',
        evidence: [{ type: 'rule', rule: 'deferred-to-runner' }],
      }),
    ).toBe(true);
    expect(isDeferredTeardown(judgeTeardown({ runId: 'r1', kubernetes: clean, docker: noDocker }))).toBe(false);
  });
});
