import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LimitEvent, UsageEvent } from '../../shared/events.js';
import { advanceHistory, emptyHistory, learnedLimit, parseHistory, serverPercentIn, updateHistory, type UsageHistory } from '../../main/core/sources/history.js';
import type { FiveHourSeen } from '../../main/core/sources/statusline-store.js';
import { listTranscriptFiles } from '../../main/core/paths.js';
import { TranscriptLedger } from '../../main/core/transcripts/ledger.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-02-01T08:00:00.000Z');

function usage(at: number, input: number, key = `k${at}`): UsageEvent {
  return { kind: 'usage', key, timestamp: at, sessionId: 's', model: 'm', sidechain: false, tokens: { input, output: 0, cacheCreation: 0, cacheRead: 0 } };
}

describe('advanceHistory', () => {
  it('folds only completed windows and moves the horizon to the last one end', () => {
    const events = [usage(T0, 10), usage(T0 + HOUR, 5), usage(T0 + 6 * HOUR, 7), usage(T0 + 12 * HOUR, 3)];
    const history = advanceHistory(emptyHistory('first-token'), events, T0 + 13 * HOUR);
    expect(history.windows.map((w) => w.tokens.input)).toEqual([15, 7]);
    expect(history.horizon).toBe(T0 + 11 * HOUR);
  });

  it('continues exactly from the horizon without counting earlier events again', () => {
    const first = advanceHistory(emptyHistory('first-token'), [usage(T0, 10), usage(T0 + 6 * HOUR, 7)], T0 + 12 * HOUR);
    expect(first.horizon).toBe(T0 + 11 * HOUR);
    // The ledger hands over everything it has, including events before the horizon.
    const second = advanceHistory(first, [usage(T0, 10), usage(T0 + 6 * HOUR, 7), usage(T0 + 11 * HOUR, 4)], T0 + 17 * HOUR);
    expect(second.windows.map((w) => [w.start, w.tokens.input])).toEqual([
      [T0, 10],
      [T0 + 6 * HOUR, 7],
      [T0 + 11 * HOUR, 4],
    ]);
  });

  it('returns the same object when nothing completed', () => {
    const history = emptyHistory('hour');
    expect(advanceHistory(history, [usage(T0, 1)], T0 + HOUR)).toBe(history);
  });
});

describe('learnedLimit', () => {
  const withSums = (sums: number[], end = T0): UsageHistory => ({
    version: 2,
    alignment: 'first-token',
    horizon: end,
    windows: sums.map((input, i) => ({ start: end - (i + 1) * 6 * HOUR, end: end - (i + 1) * 6 * HOUR + 5 * HOUR, tokens: { input, output: input, cacheCreation: 0, cacheRead: 0 }, messages: 1, serverPercent: null, limitHit: false })),
  });

  it('is the 90th percentile (nearest rank) of counted tokens', () => {
    const history = withSums([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(learnedLimit(history, ['input'], T0)).toEqual({ limit: 90, windows: 10 });
    expect(learnedLimit(history, ['input', 'output'], T0)).toEqual({ limit: 180, windows: 10 });
  });

  it('needs five windows in the last 60 days', () => {
    expect(learnedLimit(withSums([10, 20, 30, 40]), ['input'], T0)).toEqual({ limit: null, windows: 4 });
    expect(learnedLimit(withSums([10, 20, 30, 40, 50]), ['input'], T0 + 61 * 24 * HOUR)).toEqual({ limit: null, windows: 0 });
  });
});

describe('parseHistory: windows no responses can add up to', () => {
  it('leaves out a window counted from hostile usage (written before it was rejected), keeping the rest', () => {
    const window = (i: number, tokens: Record<string, number>, messages: number) => ({ start: T0 + i * 5 * HOUR, end: T0 + (i + 1) * 5 * HOUR, tokens: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0, ...tokens }, messages });
    const history = parseHistory({
      version: 1,
      alignment: 'first-token',
      horizon: T0 + 40 * HOUR,
      windows: [
        window(0, { input: 50_000, output: 9_000 }, 10),
        window(1, { input: 1e308 }, 3),
        window(2, { output: 2 * 131_072 + 1 }, 2),
        window(3, { cacheRead: 3_000_001 }, 3),
        window(4, { input: -5 }, 1),
        window(5, { input: 12.5 }, 1),
        window(6, { input: 1_000_000, output: 131_072 }, 1),
      ],
    });
    expect(history.windows.map((w) => w.start)).toEqual([T0, T0 + 30 * HOUR]);
  });
});

describe('updateHistory (real files)', () => {
  it('keeps completed windows after Claude Code deletes the transcripts', () => {
    const root = tempRoot();
    const day = 24 * HOUR;
    for (let d = 0; d < 6; d += 1) {
      writeTranscript(root, `day-${d}`, [
        assistantLine({ messageId: `msg_${d}a`, timestamp: new Date(T0 + d * day).toISOString(), input: 1000 * (d + 1), output: 0 }),
        assistantLine({ messageId: `msg_${d}b`, timestamp: new Date(T0 + d * day + HOUR).toISOString(), input: 1, output: 0 }),
      ], { mtime: new Date(T0 + d * day + HOUR) });
    }
    const now = T0 + 6 * day;
    const first = updateHistory(root, new TranscriptLedger(), listTranscriptFiles([root]).files, now, 'first-token', true);
    expect(first.history.windows).toHaveLength(6);
    expect(learnedLimit(first.history, ['input'], now).limit).toBe(6001);

    fs.rmSync(path.join(root, 'projects'), { recursive: true });
    const ledger = new TranscriptLedger();
    const second = updateHistory(root, ledger, listTranscriptFiles([root]).files, now + HOUR, 'first-token', true);
    expect(second.history.windows).toHaveLength(6);
    expect(ledger.stats.filesRead).toBe(0);
  });

  it('opens only files modified since the horizon', () => {
    const root = tempRoot();
    writeTranscript(root, 'old', [assistantLine({ messageId: 'msg_o', timestamp: new Date(T0).toISOString(), input: 5, output: 0 })], { mtime: new Date(T0) });
    const now = T0 + 10 * HOUR;
    updateHistory(root, new TranscriptLedger(), listTranscriptFiles([root]).files, now, 'first-token', true);
    writeTranscript(root, 'new', [assistantLine({ messageId: 'msg_n', timestamp: new Date(now).toISOString(), input: 7, output: 0 })], { cwd: '/b', mtime: new Date(now) });
    const ledger = new TranscriptLedger();
    const next = updateHistory(root, ledger, listTranscriptFiles([root]).files, now + 6 * HOUR, 'first-token', true);
    expect(ledger.stats.filesRead).toBe(1);
    expect(next.history.windows.map((w) => w.tokens.input)).toEqual([5, 7]);
  });

  it('does not write when persist is false (a --now report)', () => {
    const root = tempRoot();
    writeTranscript(root, 'x', [assistantLine({ messageId: 'msg_x', timestamp: new Date(T0).toISOString(), input: 5, output: 0 })]);
    const result = updateHistory(root, new TranscriptLedger(), listTranscriptFiles([root]).files, T0 + 6 * HOUR, 'first-token', false);
    expect(result.history.windows).toHaveLength(1);
    expect(fs.existsSync(path.join(root, 'usage-history.json'))).toBe(false);
  });
});

describe('usage history version 2: limit signals and the server figure per window', () => {
  const H = 3_600_000;
  const B = Date.parse('2026-11-20T08:00:00Z');
  const event = (at: number, input: number): UsageEvent => ({ kind: 'usage', key: `m${at}`, timestamp: at, sessionId: 's', model: 'm', sidechain: false, tokens: { input, output: 0, cacheCreation: 0, cacheRead: 0 } });
  const limit = (at: number): LimitEvent => ({ kind: 'limit', timestamp: at, sessionId: 's', resetsAt: null, text: "You've hit your limit", rateLimitType: null });
  const seen = (at: number, usedPercent: number, resetsAt: number | null): FiveHourSeen => ({ observedAt: new Date(at).toISOString(), usedPercent, resetsAt: resetsAt === null ? null : new Date(resetsAt).toISOString() });

  it('marks the window a limit signal fell in and copies the last server percentage seen in it', () => {
    const events = [event(B, 10), event(B + H, 20), event(B + 6 * H, 5)];
    const next = advanceHistory(emptyHistory('first-token'), events, B + 12 * H, {
      limits: [limit(B + 2 * H)],
      // 40 then 97 in the first window; a figure still naming the first window's reset seen later is not the second's.
      serverSeen: () => [seen(B + 30 * 60_000, 40, B + 5 * H), seen(B + 4 * H, 97, B + 5 * H), seen(B + 6 * H + 60_000, 12, B + 5 * H)],
    });
    expect(next.windows.map((w) => [w.start, w.limitHit, w.serverPercent])).toEqual([
      [B, true, 97],
      [B + 6 * H, false, null],
    ]);
  });

  it('reads the status-line figures once when a window completes, and not at all otherwise', () => {
    let reads = 0;
    const signals = { limits: [], serverSeen: () => (reads++, [seen(B + H, 33, B + 5 * H)]) };
    const history = emptyHistory('first-token');
    expect(advanceHistory(history, [event(B, 1)], B + H, signals)).toBe(history);
    expect(reads).toBe(0);
    expect(advanceHistory(history, [event(B, 1), event(B + 6 * H, 1), event(B + 12 * H, 1)], B + 13 * H, signals).windows.map((w) => w.serverPercent)).toEqual([33, null]);
    expect(reads).toBe(1);
  });

  it('reads a version 1 file: its windows have unknown limit hits and no server figure, and new ones are recorded as version 2', () => {
    const v1 = { version: 1, alignment: 'first-token', horizon: B + 5 * H, windows: [{ start: B, end: B + 5 * H, tokens: { input: 7, output: 0, cacheCreation: 0, cacheRead: 0 }, messages: 1 }] };
    const read = parseHistory(v1);
    expect(read.version).toBe(2);
    expect(read.windows[0]).toMatchObject({ start: B, serverPercent: null, limitHit: null });
    const next = advanceHistory(read, [event(B + 6 * H, 3)], B + 12 * H, { limits: [], serverSeen: () => [] });
    expect(next.windows.map((w) => w.limitHit)).toEqual([null, false]);
    expect(parseHistory(JSON.parse(JSON.stringify(next)))).toEqual(next);
  });

  it('serverPercentIn takes the latest figure inside the window only', () => {
    const log = [seen(B - 60_000, 80, B), seen(B + H, 30, B + 5 * H), seen(B + 2 * H, 55, null), seen(B + 5 * H, 1, B + 10 * H)];
    expect(serverPercentIn(log, B, B + 5 * H)).toBe(55);
    expect(serverPercentIn(log, B + 20 * H, B + 25 * H)).toBeNull();
  });
});
