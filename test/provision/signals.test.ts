import { describe, expect, test } from 'vitest';
import { abortOnSignals } from '../../harness/provision/signals.ts';

describe('SIGINT/SIGTERM during up or a suite', () => {
  test('the first signal aborts the work and says whether the cluster is torn down or kept', () => {
    const lines: string[] = [];
    const scope = abortOnSignals((l) => lines.push(l), false, ['SIGUSR2']);
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(scope.signal.aborted).toBe(true);
      expect(scope.received()).toBe('SIGUSR2');
      expect(lines).toEqual(['SIGUSR2 received: stopping, then tearing the cluster down; send it again to exit at once']);
    } finally {
      scope.dispose();
    }
  });

  test('with --keep it says the cluster is kept', () => {
    const lines: string[] = [];
    const scope = abortOnSignals((l) => lines.push(l), true, ['SIGUSR2']);
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(lines[0]).toMatch(/KEEPING the cluster \(--keep\)/);
    } finally {
      scope.dispose();
    }
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
