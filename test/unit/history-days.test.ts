import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { datesEndingOn, historySnapshot, historyTable, localDayOf, offsetDayOf, type HistoryWindowInput } from '../../main/core/sources/history-days.js';

const HOUR = 3_600_000;
const tokens = (input: number, output = 0) => ({ input, output, cacheCreation: 0, cacheRead: 0 });
const win = (startIso: string, input: number, extra: Partial<HistoryWindowInput> = {}): HistoryWindowInput => {
  const start = Date.parse(startIso);
  return { start, end: start + 5 * HOUR, tokens: tokens(input, input / 10), serverPercent: null, limitHit: false, current: false, ...extra };
};
const rules = (nowIso: string, days: number, dayOf = offsetDayOf(0)) => ({ now: Date.parse(nowIso), days, kinds: ['input', 'output'] as const, limit: 1100, dayOf });

describe('historyTable: local days', () => {
  it('puts a window on the local date it started, which depends on the zone', () => {
    const windows = [win('2026-11-29T23:30:00Z', 1000)];
    const now = '2026-11-30T12:00:00Z';
    // UTC: Sunday the 29th; Paris (+1h): Monday the 30th; New York (-5h): still the 29th.
    expect(historyTable(windows, rules(now, 2)).days.map((d) => [d.date, d.counted])).toEqual([['2026-11-29', 1100], ['2026-11-30', 0]]);
    expect(historyTable(windows, rules(now, 2, offsetDayOf(60))).days.map((d) => [d.date, d.counted])).toEqual([['2026-11-29', 0], ['2026-11-30', 1100]]);
    expect(historyTable(windows, rules(now, 2, offsetDayOf(-300))).days.map((d) => [d.date, d.counted])).toEqual([['2026-11-29', 1100], ['2026-11-30', 0]]);
  });

  it('counts a window that runs past midnight once, on its first day, and the days add up to the windows', () => {
    const windows = [win('2026-11-28T21:00:00Z', 500), win('2026-11-29T22:00:00Z', 2000, { limitHit: true, serverPercent: 97 }), win('2026-11-30T08:00:00Z', 300)];
    const table = historyTable(windows, rules('2026-11-30T09:00:00Z', 3));
    expect(table.days.map((d) => [d.date, d.counted, d.windows, d.limitHits])).toEqual([
      ['2026-11-28', 550, 1, 0],
      ['2026-11-29', 2200, 1, 1],
      ['2026-11-30', 330, 1, 0],
    ]);
    expect(table.days.reduce((sum, d) => sum + d.counted, 0)).toBe(table.windows.reduce((sum, w) => sum + w.counted, 0));
    const spanning = table.windows[1];
    expect(spanning).toMatchObject({ start: '2026-11-29T22:00:00.000Z', end: '2026-11-30T03:00:00.000Z', counted: 2200, percent: 200, serverPercent: 97, limitHit: true, current: false });
    expect(table.days[1]?.tokens).toEqual(tokens(2000, 200));
  });

  it('lists the last N dates with the empty ones, today last, across a month end', () => {
    const table = historyTable([win('2026-11-25T10:00:00Z', 10)], rules('2026-12-02T01:00:00Z', 7));
    expect(table.days.map((d) => d.date)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(table.windows).toEqual([]);
    expect([table.from, table.to]).toEqual(['2026-11-26', '2026-12-02']);
  });

  it('leaves out windows that start after now, keeps the current one marked, and orders oldest first', () => {
    const windows = [win('2026-11-30T10:00:00Z', 40, { current: true }), win('2026-11-30T01:00:00Z', 20), win('2026-11-30T20:00:00Z', 99)];
    const table = historyTable(windows, rules('2026-11-30T11:00:00Z', 1));
    expect(table.windows.map((w) => [w.start, w.current])).toEqual([['2026-11-30T01:00:00.000Z', false], ['2026-11-30T10:00:00.000Z', true]]);
  });

  it('follows a zone whose offset changes (a DST day) through an offset function', () => {
    // Offsets by instant: +2h before 2026-10-25T01:00Z (CEST), +1h after (CET).
    const paris = offsetDayOf((ms) => (ms < Date.parse('2026-10-25T01:00:00Z') ? 120 : 60));
    const windows = [win('2026-10-24T22:30:00Z', 100), win('2026-10-25T22:30:00Z', 200)];
    // 22:30 UTC is past midnight in summer time, not in winter time.
    expect(historyTable(windows, rules('2026-10-26T12:00:00Z', 3, paris)).days.map((d) => [d.date, d.counted])).toEqual([['2026-10-24', 0], ['2026-10-25', 330], ['2026-10-26', 0]]);
    expect(historyTable(windows, rules('2026-10-26T12:00:00Z', 3, offsetDayOf(120))).days.map((d) => [d.date, d.counted])).toEqual([['2026-10-24', 0], ['2026-10-25', 110], ['2026-10-26', 220]]);
  });
});

describe('localDayOf: the process time zone (TZ)', () => {
  // A child process, so TZ is read at start-up as a user's shell sets it (npm test builds dist/ first).
  it('gives the date a person in TZ reads', () => {
    const built = new URL('../../dist/main/core/sources/history-days.js', import.meta.url).href;
    const script = `import(${JSON.stringify(built)}).then((m) => console.log(m.localDayOf(Date.parse('2026-11-29T20:00:00Z'))))`;
    const run = (tz: string) => spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
    const kolkata = run('Asia/Kolkata');
    expect(kolkata.stderr).toBe('');
    expect(kolkata.stdout.trim()).toBe('2026-11-30');
    expect(run('America/New_York').stdout.trim()).toBe('2026-11-29');
  });

  it('is the calendar arithmetic the day list uses', () => {
    expect(datesEndingOn('2024-03-01', 3)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(localDayOf(Date.now())).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('historySnapshot', () => {
  it('is a week of days and the learned P90, whatever the days asked elsewhere', () => {
    const part = historySnapshot([win('2026-11-30T08:00:00Z', 300)], { limit: 88_000, windows: 23 }, { now: Date.parse('2026-11-30T09:00:00Z'), kinds: ['input'], limit: 1000, dayOf: offsetDayOf(0) });
    expect(part.days).toHaveLength(7);
    expect(part.days[6]).toMatchObject({ date: '2026-11-30', counted: 300, windows: 1 });
    expect(part.p90).toEqual({ limit: 88_000, windows: 23 });
  });
});
