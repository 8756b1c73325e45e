import { describe, expect, test } from 'vitest';
import {
  clusterNameProblem,
  defaultClusterName,
  dockerNetworkName,
  isValidRunId,
  newRunId,
  runLabelFilter,
} from '../../harness/provision/naming.ts';

describe('run ids, cluster names and label filters', () => {
  test('run ids carry the UTC time and a random suffix, and are valid labels and name parts', () => {
    const id = newRunId(new Date('2026-11-25T18:00:12.345Z'));
    expect(id).toMatch(/^261125-180012-[0-9a-f]{4}$/);
    expect(isValidRunId(id)).toBe(true);
    expect(clusterNameProblem(defaultClusterName(id))).toBeUndefined();
    expect(defaultClusterName(id)).toBe(`cp-${id}`);
  });

  test('two run ids in the same second differ', () => {
    const now = new Date();
    const ids = new Set(Array.from({ length: 20 }, () => newRunId(now)));
    expect(ids.size).toBeGreaterThan(1);
  });

  test('bad cluster names are explained', () => {
    expect(clusterNameProblem('Dev')).toMatch(/lowercase/);
    expect(clusterNameProblem('a_b')).toMatch(/not a usable cluster name/);
    expect(clusterNameProblem('-x')).toBeDefined();
    expect(clusterNameProblem('x'.repeat(41))).toBeDefined();
    expect(clusterNameProblem('dev-1')).toBeUndefined();
  });

  test('filters select one run or every clusterproof object', () => {
    expect(runLabelFilter()).toBe('label=clusterproof.run');
    expect(runLabelFilter('r1')).toBe('label=clusterproof.run=r1');
    expect(dockerNetworkName('dev')).toBe('clusterproof-dev');
  });
});
