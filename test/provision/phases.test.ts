import { describe, expect, test } from 'vitest';
import type { PhaseEvent } from '../../harness/model/cluster.ts';
import { PhaseClock } from '../../harness/provision/phases.ts';

describe('phase timing of up', () => {
  test('each phase is reported as it ends, failed ones too', async () => {
    const seen: PhaseEvent[] = [];
    const clock = new PhaseClock((e) => seen.push(e));
    expect(
      await clock.run(
        'a',
        async () => 3,
        (n) => `${n} nodes`,
      ),
    ).toBe(3);
    await expect(clock.run('b', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(seen.map((e) => [e.phase, e.detail])).toEqual([
      ['a', '3 nodes'],
      ['b', 'failed'],
    ]);
    expect(clock.done).toEqual(seen);
    expect(seen.every((e) => e.seconds >= 0)).toBe(true);
  });
});
