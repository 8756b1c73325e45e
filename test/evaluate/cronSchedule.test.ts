import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maxGapMinutes, parseCron } from '../../harness/evaluate/etcdBackup/cronSchedule.ts';

const gapHours = (expr: string) => {
  const g = maxGapMinutes(parseCron(expr));
  return g === undefined ? undefined : g / 60;
};

describe('cron schedule max gap', () => {
  it.each([
    ['*/15 * * * *', 0.25],
    ['0 * * * *', 1],
    ['@hourly', 1],
    ['0 */6 * * *', 6],
    ['0 2 * * *', 24],
    ['@daily', 24],
    ['0 1,13 * * *', 12],
    ['0 1,5 * * *', 20],
    ['30 2 * * 1-5', 72], // Friday 02:30 → Monday 02:30
    ['0 0 * * 0', 168],
    ['@weekly', 168],
    ['0 0 * * SUN,wed', 96],
    ['0 0 1 * *', 31 * 24],
    ['0 0 1 1 *', 366 * 24],
    ['0 0 29 2 *', (366 + 365 * 3) * 24],
    ['0 0 1 * 1', 7 * 24], // day-of-month OR day-of-week
    ['0 0 */2 * *', 48],
    ['0 6-18/4 * * *', 12],
    ['CRON_TZ=Europe/Paris 0 3 * * *', 24],
  ])('%s → %d h', (expr, hours) => expect(gapHours(expr)).toBe(hours));

  it('reports a schedule that never runs twice (31 February) as undefined', () => {
    expect(gapHours('0 0 31 2 *')).toBeUndefined();
  });

  it.each(['* * * *', '61 * * * *', '0 0 * * 8', '5-1 * * * *', '*/0 * * * *', '@every 1h', 'a b c d e'])('rejects %s', (expr) => {
    expect(() => parseCron(expr)).toThrow();
  });

  it('never reports a gap shorter than the step of */N minutes nor longer than a day for daily-or-more schedules', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 59 }), fc.integer({ min: 0, max: 23 }), (step, hour) => {
        const minuteGap = maxGapMinutes(parseCron(`*/${step} * * * *`))!;
        const expected = Math.max(step, 60 - Math.floor(59 / step) * step);
        return minuteGap === expected && maxGapMinutes(parseCron(`${step} ${hour} * * *`)) === 1440;
      }),
    );
  });
});
