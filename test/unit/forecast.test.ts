import { describe, expect, it } from 'vitest';
import { quotaForecast, weeklyPercentPerMinute, type ForecastInput, type WeeklyObservation } from '../../main/core/forecast.js';

/** The fake clock: Monday 10:00 UTC. */
const NOW = Date.parse('2026-11-30T10:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number): string => new Date(ms).toISOString();
const week = (at: number, usedPercent: number, resetsAt: number | null): WeeklyObservation => ({ observedAt: iso(at), usedPercent, resetsAt: resetsAt === null ? null : iso(resetsAt) });

function input(parts: Partial<ForecastInput>): ForecastInput {
  return { now: NOW, fiveHour: { percentUsed: 20, resetsAt: NOW + 2 * HOUR, percentPerMinute: 0.1 }, sevenDay: null, sevenDaySeen: [], ...parts };
}

describe('quota forecast: which window runs out first at this pace', () => {
  it('the 5-hour window binds: it runs out before its reset, the week only later', () => {
    const reset = NOW + 3 * DAY;
    const forecast = quotaForecast(input({
      fiveHour: { percentUsed: 50, resetsAt: NOW + 2 * HOUR, percentPerMinute: 1 },
      // 40% a day ago, 60% now: 20% a day, so 100% on Wednesday 10:00, before Thursday's reset.
      sevenDay: week(NOW, 60, reset),
      sevenDaySeen: [week(NOW - DAY, 40, reset)],
    }));
    expect(forecast).toEqual({
      binding: 'fiveHour',
      fiveHour: { runsOutAt: '2026-11-30T10:50:00.000Z', percentAtReset: 170 },
      sevenDay: { runsOutAt: '2026-12-02T10:00:00.000Z', percentAtReset: 120 },
    });
  });

  it('the week binds: it runs out before the 5-hour window does', () => {
    const reset = NOW + 2 * DAY;
    const forecast = quotaForecast(input({
      fiveHour: { percentUsed: 50, resetsAt: NOW + 5 * HOUR, percentPerMinute: 0.2 },
      // 1% an hour from 94% three hours ago: 100% at 13:00, before the 5-hour window's 14:10.
      sevenDay: week(NOW, 97, reset),
      sevenDaySeen: [week(NOW - 3 * HOUR, 94, reset), week(NOW - 2 * HOUR, 95, reset)],
    }));
    expect(forecast.binding).toBe('sevenDay');
    expect(forecast.sevenDay?.runsOutAt).toBe('2026-11-30T13:00:00.000Z');
    expect(forecast.fiveHour.runsOutAt).toBe('2026-11-30T14:10:00.000Z');
    expect(forecast.sevenDay?.percentAtReset).toBe(145);
  });

  it('neither runs out before its reset: binding null, the percents at the resets', () => {
    const reset = NOW + 3 * DAY;
    const forecast = quotaForecast(input({ sevenDay: week(NOW, 30, reset), sevenDaySeen: [week(NOW - DAY, 20, reset)] }));
    expect(forecast).toEqual({ binding: null, fiveHour: { runsOutAt: null, percentAtReset: 32 }, sevenDay: { runsOutAt: null, percentAtReset: 60 } });
  });

  it('no server weekly figure: sevenDay null, the 5-hour window alone decides', () => {
    const forecast = quotaForecast(input({ fiveHour: { percentUsed: 90, resetsAt: NOW + HOUR, percentPerMinute: 0.5 }, sevenDaySeen: [week(NOW - DAY, 20, NOW + DAY)] }));
    expect(forecast).toEqual({ binding: 'fiveHour', fiveHour: { runsOutAt: '2026-11-30T10:20:00.000Z', percentAtReset: 120 }, sevenDay: null });
  });

  it('zero burn never runs out; the percent at the reset is the percent now', () => {
    const reset = NOW + DAY;
    const forecast = quotaForecast(input({ fiveHour: { percentUsed: 42, resetsAt: NOW + HOUR, percentPerMinute: 0 }, sevenDay: week(NOW, 70, reset), sevenDaySeen: [week(NOW - 5 * HOUR, 70, reset)] }));
    expect(forecast).toEqual({ binding: null, fiveHour: { runsOutAt: null, percentAtReset: 42 }, sevenDay: { runsOutAt: null, percentAtReset: 70 } });
  });

  it('ignores weekly observations from before a weekly reset (another reset, or a higher percent)', () => {
    const reset = NOW + 7 * DAY - 6 * HOUR;
    // Last week's 95% would make the pace negative; this week's 2% five hours ago gives 2% an hour.
    const seen = [week(NOW - 30 * HOUR, 95, NOW - 6 * HOUR), week(NOW - 5 * HOUR, 2, reset)];
    const forecast = quotaForecast(input({ sevenDay: week(NOW, 12, reset), sevenDaySeen: seen }));
    expect(forecast.sevenDay?.runsOutAt).toBe(iso(NOW + 44 * HOUR));
    expect(forecast.binding).toBe('sevenDay');
    // Reset times unknown: the fall from 95% to 2% alone marks the reset.
    const unknown = [week(NOW - 30 * HOUR, 95, null), week(NOW - 5 * HOUR, 2, null)];
    expect(weeklyPercentPerMinute(week(NOW, 12, null), unknown)).toBeCloseTo(2 / 60, 10);
  });

  it('with less than an hour observed, paces the week from its start (its reset less seven days)', () => {
    // The window began a day ago; 10% since then is 10% a day: 70% at the reset in six days.
    const forecast = quotaForecast(input({ sevenDay: week(NOW, 10, NOW + 6 * DAY), sevenDaySeen: [week(NOW - 10 * MINUTE, 9.9, NOW + 6 * DAY)] }));
    expect(forecast.sevenDay).toEqual({ runsOutAt: null, percentAtReset: 70 });
    // Nothing to pace by at all (no reset, no observations): it does not run out.
    expect(weeklyPercentPerMinute(week(NOW, 10, null), [])).toBe(0);
  });

  it('a window already spent runs out now', () => {
    const forecast = quotaForecast(input({ fiveHour: { percentUsed: 100, resetsAt: NOW + HOUR, percentPerMinute: 0 }, sevenDay: week(NOW, 100, NOW + DAY) }));
    expect(forecast.fiveHour.runsOutAt).toBe(iso(NOW));
    expect(forecast.sevenDay?.runsOutAt).toBe(iso(NOW));
    // The same instant: the week, which stops the user for longer, binds.
    expect(forecast.binding).toBe('sevenDay');
  });

  it('no NaN or Infinity reaches the forecast', () => {
    const forecast = quotaForecast(input({ fiveHour: { percentUsed: Number.NaN, resetsAt: Number.POSITIVE_INFINITY, percentPerMinute: Number.POSITIVE_INFINITY } }));
    expect(forecast).toEqual({ binding: null, fiveHour: { runsOutAt: null, percentAtReset: 0 }, sevenDay: null });
    const odd = quotaForecast(input({ sevenDay: { observedAt: 'soon', usedPercent: 50, resetsAt: 'never' }, sevenDaySeen: [{ observedAt: 'then', usedPercent: 1, resetsAt: null }] }));
    expect(odd.sevenDay).toEqual({ runsOutAt: null, percentAtReset: 50 });
  });
});
