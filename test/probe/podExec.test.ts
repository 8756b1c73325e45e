// How an exec status from the API server becomes an exit code: only a real ExitCode counts as a probe result.
import { describe, expect, test } from 'vitest';
import { exitCodeOf } from '../../harness/probe/podExec.ts';

describe('exitCodeOf', () => {
  test('Success is 0', () => expect(exitCodeOf({ status: 'Success' })).toBe(0));
  test('NonZeroExitCode carries the code', () => {
    expect(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '1' }] } })).toBe(
      1,
    );
  });
  test('a failure without an exit code is -1 (no observation)', () => {
    expect(exitCodeOf({ status: 'Failure', message: 'container not found' })).toBe(-1);
  });
});
