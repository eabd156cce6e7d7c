/**
 * `cco history` through the real CLI: fixture transcripts, a status-line state with the server's
 * figures, and a version 1 usage-history.json whose oldest windows have no transcripts any more
 * (Claude Code deleted them after 30 days): they are still listed, and counted per local day (TZ).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryReport } from '../../main/core/sources/history-report.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { subscriberLimitLine } from '../fixtures/api-error-lines.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { runCco, tempRoot } from '../helpers/cli.js';

const NOW = '2026-11-30T12:00:00.000Z';
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const oldWindow = (startIso: string, input: number) => ({ start: Date.parse(startIso), end: Date.parse(startIso) + 5 * HOUR, tokens: { input, output: input / 10, cacheCreation: 0, cacheRead: 0 }, messages: 3 });

/** Five windows from October (transcripts long gone) in a version 1 file; then three windows in transcripts. */
function fixtureRoot(): string {
  const root = tempRoot('cco-history-');
  const old = [oldWindow('2026-10-20T08:00:00Z', 9000), oldWindow('2026-10-21T08:00:00Z', 5000), oldWindow('2026-10-22T08:00:00Z', 7000), oldWindow('2026-10-23T08:00:00Z', 12000), oldWindow('2026-10-24T08:00:00Z', 3000)];
  fs.writeFileSync(path.join(root, 'usage-history.json'), JSON.stringify({ version: 1, alignment: 'first-token', horizon: old[old.length - 1]?.end, windows: old }));
  writeTranscript(root, 'session-a', [
    // From 21:00 on the 28th to 02:00 on the 29th (UTC): across midnight, with a limit hit at 01:30.
    assistantLine({ messageId: 'msg_1', timestamp: '2026-11-28T21:00:00.000Z', input: 1000, output: 100 }),
    assistantLine({ messageId: 'msg_2', timestamp: '2026-11-28T23:30:00.000Z', input: 2000, output: 200 }),
    assistantLine({ messageId: 'msg_3', timestamp: '2026-11-29T01:00:00.000Z', input: 500, output: 50 }),
    subscriberLimitLine({ timestamp: '2026-11-29T01:30:00.000Z', text: "You've hit your limit · resets 2am (UTC)", resetsAt: Date.parse('2026-11-29T02:00:00Z') / 1000, rateLimitType: 'five_hour' }),
    assistantLine({ messageId: 'msg_4', timestamp: '2026-11-29T10:00:00.000Z', input: 3000, output: 300 }),
  ]);
  writeTranscript(root, 'session-b', [
    assistantLine({ messageId: 'msg_5', sessionId: 'b0b0b0b0-1111-4222-8333-444455556666', timestamp: '2026-11-30T09:00:00.000Z', input: 400, output: 40 }),
    assistantLine({ messageId: 'msg_6', sessionId: 'b0b0b0b0-1111-4222-8333-444455556666', timestamp: '2026-11-30T11:00:00.000Z', input: 600, output: 60 }),
  ]);
  // What the status line logged: 62% late in the 29th's window; 21% now.
  const fiveHour = { usedPercent: 21, resetsAt: '2026-11-30T14:00:00.000Z' };
  fs.writeFileSync(
    path.join(root, 'statusline-state.json'),
    JSON.stringify({
      version: 1,
      latest: { observedAt: '2026-11-30T11:00:00.000Z', sessionId: 'b0b0b0b0-1111-4222-8333-444455556666', rateLimits: { fiveHour, sevenDay: null } },
      sessions: {},
      fiveHourSeen: [{ observedAt: '2026-11-29T11:00:00.000Z', usedPercent: 62, resetsAt: '2026-11-29T15:00:00.000Z' }, { observedAt: '2026-11-30T11:00:00.000Z', ...fiveHour }],
    }),
  );
  return root;
}

function historyJson(root: string, args: string[], tz = 'UTC'): HistoryReport {
  const result = runCco(['history', '--json', '--config-dir', root, ...args], { env: { TZ: tz } });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as HistoryReport;
}

describe('cco history --json', () => {
  it('lists the windows kept past the transcripts, the transcripts\' windows and the current one, with limit hits and server figures', () => {
    const report = historyJson(fixtureRoot(), ['--days', '60', '--now', NOW, '--plan', 'pro']);
    expect(report.range).toEqual({ days: 60, from: '2026-10-02', to: '2026-11-30' });
    expect(report.windows.map((w) => [w.start, w.counted, w.serverPercent, w.limitHit, w.current])).toEqual([
      ['2026-10-20T08:00:00.000Z', 9900, null, null, false],
      ['2026-10-21T08:00:00.000Z', 5500, null, null, false],
      ['2026-10-22T08:00:00.000Z', 7700, null, null, false],
      ['2026-10-23T08:00:00.000Z', 13200, null, null, false],
      ['2026-10-24T08:00:00.000Z', 3300, null, null, false],
      ['2026-11-28T21:00:00.000Z', 3850, null, true, false],
      ['2026-11-29T10:00:00.000Z', 3300, 62, false, false],
      ['2026-11-30T09:00:00.000Z', 1100, 21, false, true],
    ]);
    expect(report.windows[5]?.tokens).toEqual({ input: 3500, output: 350, cacheCreation: 0, cacheRead: 0 });
    expect(report.windows[5]?.percent).toBe(Math.round((3850 / report.plan.limit) * 1000) / 10);
    // The auto plan's learned limit over the 7 completed windows: the 90th percentile is the largest.
    expect(report.p90).toEqual({ limit: 13200, windows: 7 });
    expect(report.days).toHaveLength(60);
    const day = (date: string) => report.days.find((d) => d.date === date);
    expect(day('2026-10-20')).toMatchObject({ counted: 9900, windows: 1, limitHits: 0 });
    expect(day('2026-11-28')).toMatchObject({ counted: 3850, windows: 1, limitHits: 1 });
    expect(day('2026-11-29')).toMatchObject({ counted: 3300, windows: 1, limitHits: 0 });
    expect(day('2026-11-30')).toMatchObject({ counted: 1100, windows: 1, limitHits: 0 });
    expect(day('2026-11-01')).toMatchObject({ counted: 0, windows: 0 });
  });

  it('counts days in the local zone: in Tokyo the window of the 28th at 21:00 UTC began on the 29th', () => {
    const report = historyJson(fixtureRoot(), ['--days', '3', '--now', NOW], 'Asia/Tokyo');
    expect(report.days.map((d) => [d.date, d.counted, d.windows])).toEqual([
      ['2026-11-28', 0, 0],
      ['2026-11-29', 3850 + 3300, 2],
      ['2026-11-30', 1100, 1],
    ]);
  });

  it('defaults to 7 days and refuses --days outside 1..90 with one line', () => {
    expect(historyJson(fixtureRoot(), ['--now', NOW]).days).toHaveLength(7);
    for (const bad of ['0', '91', '1.5', 'week', '-3', '']) {
      const result = runCco(['history', '--days', bad, '--config-dir', tempRoot()]);
      expect(result.code, bad).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toEqual([`cco: --days must be a whole number of days from 1 to 90; got ${bad === '' ? '""' : bad}`]);
    }
  });

  it('saves the history as version 2, the windows Claude Code deleted kept, and the Snapshot then carries the week', () => {
    const root = tempRoot('cco-history-live-');
    const now = Date.now();
    const gone = { start: now - 40 * 24 * HOUR, end: now - 40 * 24 * HOUR + 5 * HOUR, tokens: { input: 777, output: 0, cacheCreation: 0, cacheRead: 0 }, messages: 1 };
    fs.writeFileSync(path.join(root, 'usage-history.json'), JSON.stringify({ version: 1, alignment: 'first-token', horizon: gone.end, windows: [gone] }));
    writeTranscript(root, 'session-a', [
      assistantLine({ messageId: 'msg_1', timestamp: iso(now - 30 * HOUR), input: 100, output: 10 }),
      assistantLine({ messageId: 'msg_2', timestamp: iso(now - HOUR), input: 200, output: 20 }),
    ]);
    const report = historyJson(root, ['--days', '60']);
    expect(report.windows.map((w) => [w.counted, w.current])).toEqual([[777, false], [110, false], [220, true]]);
    const saved = JSON.parse(fs.readFileSync(path.join(root, 'usage-history.json'), 'utf8')) as { version: number; windows: { tokens: { input: number }; limitHit: boolean | null }[] };
    expect(saved.version).toBe(2);
    expect(saved.windows.map((w) => [w.tokens.input, w.limitHit])).toEqual([[777, null], [100, false]]);

    const status = runCco(['status', '--json', '--config-dir', root]);
    expect(status.code).toBe(0);
    const snapshot = JSON.parse(status.stdout) as Snapshot;
    expect(snapshot.history?.days).toHaveLength(7);
    expect(snapshot.history?.days.reduce((sum, d) => sum + d.counted, 0)).toBe(110 + 220);
    // The window of 40 days ago and yesterday's: fewer than the 5 the auto plan learns from.
    expect(snapshot.history?.p90).toEqual({ limit: null, windows: 2 });
  });
});

describe('cco history with the status line fed as Claude Code feeds it', () => {
  it('shows the server figure on the open window, and keeps it with the window once it completes', () => {
    const root = tempRoot('cco-history-statusline-');
    const now = Date.now();
    const sessionId = 'c0c0c0c0-1111-4222-8333-444455556666';
    writeTranscript(root, 'session-c', [assistantLine({ messageId: 'msg_1', sessionId, timestamp: iso(now - HOUR), input: 500, output: 50 })]);
    const payload = (percent: number) => JSON.stringify({
      session_id: sessionId,
      transcript_path: path.join(root, 'projects', 'x', 'session-c.jsonl'),
      model: { id: 'claude-opus-5-5', display_name: 'Opus' },
      rate_limits: { five_hour: { used_percentage: percent, resets_at: Math.floor((now + 4 * HOUR) / 1000) }, seven_day: { used_percentage: 20, resets_at: Math.floor((now + 3 * 24 * HOUR) / 1000) } },
    });
    for (const percent of [30, 44]) expect(runCco(['statusline', '--config-dir', root], { input: payload(percent) }).code).toBe(0);

    const open = historyJson(root, ['--days', '2']);
    expect(open.windows.map((w) => [w.counted, w.serverPercent, w.current])).toEqual([[550, 44, true]]);
    // Six hours on the window has completed: the usage history records the last figure seen in it.
    const later = historyJson(root, ['--days', '2', '--now', iso(now + 6 * HOUR)]);
    expect(later.windows.map((w) => [w.counted, w.serverPercent, w.current])).toEqual([[550, 44, false]]);
  });
});

describe('cco history in a terminal', () => {
  it('draws a bar per day and the windows with the P90 marked, in 80 columns, plain under NO_COLOR', () => {
    const result = runCco(['history', '--days', '3', '--now', NOW, '--plan', 'pro', '--config-dir', fixtureRoot()], { env: { TZ: 'UTC', NO_COLOR: '1' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(GOLDEN);
    for (const line of result.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('colours only when asked (FORCE_COLOR), never under NO_COLOR', () => {
    const coloured = runCco(['history', '--now', NOW, '--config-dir', fixtureRoot()], { env: { TZ: 'UTC', NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[36m');
    const plain = runCco(['history', '--now', NOW, '--config-dir', fixtureRoot()], { env: { TZ: 'UTC', NO_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\u001b[');
  });
});

/** The panel for the fixture (TZ=UTC, NO_COLOR): the day bars scale to the busiest day, the window bars to the P90. */
const GOLDEN = `${[
  '📈 USAGE HISTORY: last 3 days (2026-11-28 to 2026-11-30)',
  'Plan: pro, 200,000 tokens per 5-hour window (preset)',
  'Auto plan\'s P90: 13,200 tokens per window (learned from 7 windows in 60 days)',
  '',
  'Per day (counted tokens; a window counts on the day it started)',
  'Sat 2026-11-28 ████████████████████████████████████   3.9k  1w 1 limit',
  'Sun 2026-11-29 ██████████████████████████████▉        3.3k  1w',
  'Mon 2026-11-30 ██████████▎                            1.1k  1w',
  '',
  'Windows (┊ marks the P90, 13k)',
  'Sat 11-28 21:00-02:00 ███████                ┊   3.9k    2% LIMIT',
  'Sun 11-29 10:00-15:00 ██████                 ┊   3.3k    2% srv 62%',
  'Mon 11-30 09:00-14:00 ██                     ┊   1.1k    1% srv 21% ← now',
].join('\n')}\n`;
