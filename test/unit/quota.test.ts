import { describe, expect, it } from 'vitest';
import {
  TOOL_TOKEN_ESTIMATES,
  activeWindow,
  anchorIndex,
  computeQuota,
  computeWindows,
  crossedThresholds,
  nextThreshold,
  toolEstimate,
  windowStartFor,
  type QuotaInput,
} from '../../main/core/quota.js';
import type { LimitEvent, ToolEvent, UsageEvent } from '../../shared/events.js';
import type { QuotaLevel } from '../../shared/levels.js';
import { DEFAULT_COUNTED_KINDS, TOKEN_KINDS, WINDOW_MS } from '../../shared/plans.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 14:05:23.456Z: deliberately not on the hour. */
const T0 = Date.parse('2026-01-06T14:05:23.456Z');

let seq = 0;
function usage(at: number, input: number, output = 0, extra: { cacheCreation?: number; cacheRead?: number } = {}): UsageEvent {
  seq += 1;
  return {
    kind: 'usage',
    key: `msg_${seq}:req_${seq}`,
    timestamp: at,
    sessionId: 's',
    model: 'claude-opus-4-6',
    sidechain: false,
    tokens: { input, output, cacheCreation: extra.cacheCreation ?? 0, cacheRead: extra.cacheRead ?? 0 },
  };
}

function tool(at: number, name: string): ToolEvent {
  seq += 1;
  return { kind: 'tool', id: `toolu_${seq}`, name, timestamp: at, sessionId: 's', sidechain: false };
}

function limitSignal(at: number, resetsAt: number | null): LimitEvent {
  return { kind: 'limit', timestamp: at, sessionId: 's', resetsAt, text: 'usage limit reached', rateLimitType: null };
}

function input(overrides: Partial<QuotaInput>): QuotaInput {
  return {
    usage: [],
    tools: [],
    limits: [],
    anchor: 0,
    limit: 100_000,
    countedKinds: DEFAULT_COUNTED_KINDS,
    alignment: 'first-token',
    hyperaware: false,
    now: T0 + HOUR,
    ...overrides,
  };
}

describe('computeWindows: the 5-hour window rule', () => {
  it('a window starts at the first token and resets exactly 5 hours later', () => {
    const windows = computeWindows([usage(T0, 10), usage(T0 + HOUR, 20), usage(T0 + 5 * HOUR - 1, 30)], 'first-token');
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject({ start: T0, end: T0 + 5 * HOUR, messages: 3, firstEvent: T0, lastEvent: T0 + 5 * HOUR - 1 });
    expect(windows[0]?.tokens.input).toBe(60);
    expect(WINDOW_MS).toBe(5 * HOUR);
  });

  it('an event exactly at start + 5h starts the next window', () => {
    const windows = computeWindows([usage(T0, 10), usage(T0 + 5 * HOUR, 20)], 'first-token');
    expect(windows.map((w) => [w.start, w.end, w.tokens.input])).toEqual([
      [T0, T0 + 5 * HOUR, 10],
      [T0 + 5 * HOUR, T0 + 10 * HOUR, 20],
    ]);
  });

  it('the next window starts at its own first token, not at the previous reset', () => {
    const windows = computeWindows([usage(T0, 10), usage(T0 + 5 * HOUR + 17 * MINUTE, 20), usage(T0 + 9 * HOUR, 5)], 'first-token');
    expect(windows.map((w) => [w.start, w.tokens.input])).toEqual([
      [T0, 10],
      [T0 + 5 * HOUR + 17 * MINUTE, 25],
    ]);
  });

  it('an event after a long gap starts a new window', () => {
    const windows = computeWindows([usage(T0, 10), usage(T0 + 2 * HOUR, 10), usage(T0 + 30 * HOUR, 7)], 'first-token');
    expect(windows).toHaveLength(2);
    expect(windows[1]).toMatchObject({ start: T0 + 30 * HOUR, messages: 1 });
  });

  it('hour alignment floors the start to the hour (and the reset with it)', () => {
    const windows = computeWindows([usage(T0, 10), usage(Date.parse('2026-01-06T18:59:59.999Z'), 10), usage(Date.parse('2026-01-06T19:00:00.000Z'), 3)], 'hour');
    expect(windows.map((w) => [new Date(w.start).toISOString(), new Date(w.end).toISOString(), w.tokens.input])).toEqual([
      ['2026-01-06T14:00:00.000Z', '2026-01-06T19:00:00.000Z', 20],
      ['2026-01-06T19:00:00.000Z', '2026-01-07T00:00:00.000Z', 3],
    ]);
    expect(windowStartFor(T0, 'hour')).toBe(Date.parse('2026-01-06T14:00:00.000Z'));
    expect(windowStartFor(T0, 'first-token')).toBe(T0);
  });

  it('no events, no window', () => {
    expect(computeWindows([], 'first-token')).toEqual([]);
  });

  it('activeWindow holds now in [start, end)', () => {
    const windows = computeWindows([usage(T0, 1)], 'first-token');
    expect(activeWindow(windows, T0 - 1)).toBeNull();
    expect(activeWindow(windows, T0)).not.toBeNull();
    expect(activeWindow(windows, T0 + 5 * HOUR - 1)).not.toBeNull();
    expect(activeWindow(windows, T0 + 5 * HOUR)).toBeNull();
  });
});

describe('anchorIndex', () => {
  const cases: { name: string; offsets: number[]; knownSince: number; expected: number | null }[] = [
    { name: 'no events → 0', offsets: [], knownSince: T0 - 10 * HOUR, expected: 0 },
    { name: 'a gap of exactly 5h → the event after it', offsets: [0, HOUR, 6 * HOUR, 7 * HOUR], knownSince: T0 - HOUR, expected: 2 },
    { name: 'several gaps → the event after the last one', offsets: [0, 6 * HOUR, 7 * HOUR, 13 * HOUR, 14 * HOUR], knownSince: T0 - HOUR, expected: 3 },
    { name: 'a gap just under 5h does not prove anything', offsets: [0, 5 * HOUR - 1, 6 * HOUR], knownSince: T0 - HOUR, expected: null },
    { name: 'no gap, but the first event is 5h after knownSince → 0', offsets: [0, HOUR, 2 * HOUR], knownSince: T0 - 5 * HOUR, expected: 0 },
    { name: 'no gap, first event under 5h after knownSince → null (look further back)', offsets: [0, HOUR, 2 * HOUR], knownSince: T0 - 5 * HOUR + 1, expected: null },
    { name: 'a single event long after knownSince → 0', offsets: [0], knownSince: T0 - 9 * HOUR, expected: 0 },
  ];
  it.each(cases)('$name', ({ offsets, knownSince, expected }) => {
    expect(anchorIndex(offsets.map((offset) => usage(T0 + offset, 1)), knownSince)).toBe(expected);
  });

  it('computeQuota ignores events before the anchor', () => {
    const events = [usage(T0, 50_000), usage(T0 + HOUR, 10_000)];
    expect(computeQuota(input({ usage: events, anchor: 0, now: T0 + 2 * HOUR })).tokensUsed).toBe(60_000);
    // With anchor 1 the first event is out: the window starts at the second one.
    const figures = computeQuota(input({ usage: events, anchor: 1, now: T0 + 2 * HOUR }));
    expect(figures.tokensUsed).toBe(10_000);
    expect(figures.window?.start).toBe(T0 + HOUR);
  });
});

describe('computeQuota: percent, remaining and level at the band edges', () => {
  // limit 10,000: tokens / 100 = percent.
  const cases: { tokens: number; hyperaware: boolean; level: QuotaLevel }[] = [
    { tokens: 0, hyperaware: true, level: 'fresh' },
    { tokens: 999, hyperaware: true, level: 'fresh' },
    { tokens: 1000, hyperaware: true, level: 'excellent' },
    { tokens: 2499, hyperaware: true, level: 'excellent' },
    { tokens: 2500, hyperaware: true, level: 'good' },
    { tokens: 4999, hyperaware: true, level: 'good' },
    { tokens: 5000, hyperaware: true, level: 'moderate' },
    { tokens: 7499, hyperaware: true, level: 'moderate' },
    { tokens: 7500, hyperaware: true, level: 'high' },
    { tokens: 8999, hyperaware: true, level: 'high' },
    { tokens: 9000, hyperaware: true, level: 'danger' },
    { tokens: 9499, hyperaware: true, level: 'danger' },
    { tokens: 9500, hyperaware: true, level: 'critical' },
    { tokens: 12_000, hyperaware: true, level: 'critical' },
    { tokens: 0, hyperaware: false, level: 'good' },
    { tokens: 4990, hyperaware: false, level: 'good' },
    { tokens: 5000, hyperaware: false, level: 'moderate' },
    { tokens: 7999, hyperaware: false, level: 'moderate' },
    { tokens: 8000, hyperaware: false, level: 'high' },
    { tokens: 8999, hyperaware: false, level: 'high' },
    { tokens: 9000, hyperaware: false, level: 'danger' },
    { tokens: 9499, hyperaware: false, level: 'danger' },
    { tokens: 9500, hyperaware: false, level: 'critical' },
  ];
  it.each(cases)('$tokens of 10,000 (hyperaware $hyperaware) → $level', ({ tokens, hyperaware, level }) => {
    const events = tokens > 0 ? [usage(T0, tokens - Math.floor(tokens / 3), Math.floor(tokens / 3))] : [];
    const figures = computeQuota(input({ usage: events, limit: 10_000, hyperaware, now: T0 + HOUR }));
    expect(figures.tokensUsed).toBe(tokens);
    expect(figures.percentUsed).toBeCloseTo(tokens / 100, 10);
    expect(figures.remaining).toBe(Math.max(0, 10_000 - tokens));
    expect(figures.level).toBe(level);
  });

  it('the plan limits hit the bands exactly (no float rounding below an edge)', () => {
    for (const limit of [50_000, 200_000, 500_000, 1_000_000, 4_000_000]) {
      for (const [percent, level] of [[10, 'excellent'], [25, 'good'], [50, 'moderate'], [75, 'high'], [90, 'danger'], [95, 'critical']] as const) {
        const figures = computeQuota(input({ usage: [usage(T0, (limit * percent) / 100)], limit, hyperaware: true }));
        expect(figures.level, `${limit} at ${percent}%`).toBe(level);
      }
    }
  });

  it('counts only the chosen token kinds; the window still has the full breakdown', () => {
    const events = [usage(T0, 100, 200, { cacheCreation: 300, cacheRead: 4000 })];
    expect(computeQuota(input({ usage: events })).tokensUsed).toBe(300);
    expect(computeQuota(input({ usage: events, countedKinds: TOKEN_KINDS })).tokensUsed).toBe(4600);
    expect(computeQuota(input({ usage: events, countedKinds: ['output'] })).tokensUsed).toBe(200);
    expect(computeQuota(input({ usage: events })).window?.tokens).toEqual({ input: 100, output: 200, cacheCreation: 300, cacheRead: 4000 });
  });

  it('no window: zero used, the whole limit remaining, the lowest level', () => {
    const figures = computeQuota(input({ usage: [usage(T0 - 6 * HOUR, 90_000)], now: T0 }));
    expect(figures).toMatchObject({ window: null, resetTime: null, tokensUsed: 0, remaining: 100_000, percentUsed: 0, level: 'good', toolCalls: 0, lastActivity: T0 - 6 * HOUR });
    expect(figures.burnRate).toEqual({ tokensPerMinute: 0, lastHourTokensPerMinute: 0, series: [] });
    expect(figures.runway.minutes).toBeNull();
  });

  it('a zero limit does not divide by zero', () => {
    const figures = computeQuota(input({ usage: [usage(T0, 10)], limit: 0 }));
    expect(figures.percentUsed).toBe(0);
    expect(figures.remaining).toBe(0);
  });
});

describe('computeQuota: burn rate, runway, next alert', () => {
  // A window two hours old: 10k at start, 20k at +90 min, 10k at +110 min (input + output), limit 100k.
  const now = T0 + 120 * MINUTE;
  const events = [usage(T0, 6000, 4000), usage(T0 + 90 * MINUTE, 15_000, 5000), usage(T0 + 110 * MINUTE, 8000, 2000)];

  it('burn rate over the window and over the last hour; runway from the last-hour rate', () => {
    const figures = computeQuota(input({ usage: events, now }));
    expect(figures.tokensUsed).toBe(40_000);
    expect(figures.remaining).toBe(60_000);
    expect(figures.resetTime).toBe(T0 + 5 * HOUR);
    expect(figures.burnRate.tokensPerMinute).toBeCloseTo(40_000 / 120, 9);
    // The last hour (from +60 min) holds 30,000 tokens: 500 a minute.
    expect(figures.burnRate.lastHourTokensPerMinute).toBeCloseTo(500, 9);
    expect(figures.runway.minutes).toBe(120);
    expect(figures.lastActivity).toBe(T0 + 110 * MINUTE);
  });

  it('a window younger than an hour: the last-hour rate covers the window only', () => {
    const figures = computeQuota(input({ usage: [usage(T0, 3000), usage(T0 + 20 * MINUTE, 3000)], now: T0 + 30 * MINUTE }));
    expect(figures.burnRate.tokensPerMinute).toBeCloseTo(200, 9);
    expect(figures.burnRate.lastHourTokensPerMinute).toBeCloseTo(200, 9);
    expect(figures.runway.minutes).toBe(Math.floor(94_000 / 200));
  });

  it('nothing in the last hour: the runway uses the window rate', () => {
    const figures = computeQuota(input({ usage: [usage(T0, 24_000)], now: T0 + 4 * HOUR }));
    expect(figures.burnRate.lastHourTokensPerMinute).toBe(0);
    expect(figures.burnRate.tokensPerMinute).toBeCloseTo(100, 9);
    expect(figures.runway.minutes).toBe(760);
  });

  it('tool calls: the spec per-tool estimates while fewer than 10 calls', () => {
    const tools = [tool(T0 + MINUTE, 'Edit'), tool(T0 + 2 * MINUTE, 'Read'), tool(T0 + 3 * MINUTE, 'Bash')];
    const figures = computeQuota(input({ usage: events, tools, now }));
    expect(figures.toolCalls).toBe(3);
    const perCall = Math.round((1500 + 800 + 300) / 3);
    expect(figures.runway).toMatchObject({ tokensPerToolCall: perCall, tokensPerToolCallSource: 'estimate', toolCalls: Math.floor(60_000 / perCall) });
  });

  it('the spec estimate table', () => {
    expect(TOOL_TOKEN_ESTIMATES).toEqual({ Edit: 1500, Write: 1200, Read: 800, WebFetch: 1000, Task: 2000, Grep: 500, Glob: 400, Bash: 300 });
    expect(toolEstimate('Glob')).toBe(400);
    // An unknown tool: the average of the table.
    expect(toolEstimate('TodoWrite')).toBe(Math.round(7700 / 8));
  });

  it('no tool call yet: the table average', () => {
    const figures = computeQuota(input({ usage: events, now }));
    expect(figures.runway).toMatchObject({ tokensPerToolCall: 963, tokensPerToolCallSource: 'estimate', toolCalls: Math.floor(60_000 / 963) });
  });

  it('tool calls: the window history average from 10 calls on', () => {
    const nine = Array.from({ length: 9 }, (_, i) => tool(T0 + (i + 1) * MINUTE, 'Grep'));
    expect(computeQuota(input({ usage: events, tools: nine, now })).runway.tokensPerToolCallSource).toBe('estimate');
    const twelve = Array.from({ length: 12 }, (_, i) => tool(T0 + (i + 1) * MINUTE, 'Grep'));
    const figures = computeQuota(input({ usage: events, tools: twelve, now }));
    expect(figures.toolCalls).toBe(12);
    expect(figures.runway).toMatchObject({ tokensPerToolCall: Math.round(40_000 / 12), tokensPerToolCallSource: 'history', toolCalls: Math.floor(60_000 / Math.round(40_000 / 12)) });
  });

  it('tool calls outside the window (before it, or after now) are not counted', () => {
    const tools = [tool(T0 - MINUTE, 'Edit'), tool(T0 + MINUTE, 'Read'), tool(now + MINUTE, 'Edit')];
    expect(computeQuota(input({ usage: events, tools, now })).toolCalls).toBe(1);
  });

  const alertCases: { hyperaware: boolean; tokens: number; percent: number | null; until: number }[] = [
    { hyperaware: true, tokens: 40_000, percent: 50, until: 10_000 },
    { hyperaware: true, tokens: 5_000, percent: 10, until: 5_000 },
    { hyperaware: true, tokens: 10_000, percent: 25, until: 15_000 },
    { hyperaware: true, tokens: 96_000, percent: null, until: 0 },
    { hyperaware: false, tokens: 40_000, percent: 50, until: 10_000 },
    { hyperaware: false, tokens: 50_000, percent: 80, until: 30_000 },
    { hyperaware: false, tokens: 91_234, percent: 95, until: 3_766 },
  ];
  it.each(alertCases)('next alert (hyperaware $hyperaware) at $tokens tokens: $percent%, $until tokens away', ({ hyperaware, tokens, percent, until }) => {
    const figures = computeQuota(input({ usage: [usage(T0, tokens)], hyperaware, now }));
    if (percent === null) expect(figures.nextAlert).toBeNull();
    else expect(figures.nextAlert).toEqual({ percent, tokensUntil: until });
  });

  it('nextThreshold lists', () => {
    expect(nextThreshold(0, true)?.percent).toBe(10);
    expect(nextThreshold(10, true)?.percent).toBe(25);
    expect(nextThreshold(0, false)?.percent).toBe(50);
    expect(nextThreshold(95, false)).toBeNull();
  });

  it('the danger level advice names the tool calls left', () => {
    const figures = computeQuota(input({ usage: [usage(T0, 91_000)], hyperaware: true, now }));
    expect(figures.level).toBe('danger');
    expect(figures.recommendation).toContain(`About ${figures.runway.toolCalls.toLocaleString('en-US')} tool calls left.`);
  });
});

describe('computeQuota: events after now', () => {
  it('are not counted, and do not start a window', () => {
    const now = T0 + HOUR;
    const figures = computeQuota(input({ usage: [usage(T0, 1000), usage(now + 1, 50_000), usage(now + 3 * HOUR, 50_000)], now }));
    expect(figures.tokensUsed).toBe(1000);
    expect(figures.window?.messages).toBe(1);
    expect(figures.lastActivity).toBe(T0);

    const onlyFuture = computeQuota(input({ usage: [usage(T0 + 2 * HOUR, 50_000)], now: T0 }));
    expect(onlyFuture.window).toBeNull();
    expect(onlyFuture.tokensUsed).toBe(0);
  });

  it('an event exactly at now is counted', () => {
    expect(computeQuota(input({ usage: [usage(T0, 1000)], now: T0 })).tokensUsed).toBe(1000);
  });
});

describe('computeQuota: the usage-limit signal', () => {
  const now = T0 + 2 * HOUR;
  const events = [usage(T0, 10_000), usage(T0 + HOUR, 5_000)];

  it('a signal with a future reset forces 100%, critical, 0 remaining, and its reset time', () => {
    const resetsAt = T0 + 3 * HOUR;
    const signal = limitSignal(T0 + 90 * MINUTE, resetsAt);
    for (const hyperaware of [true, false]) {
      const figures = computeQuota(input({ usage: events, limits: [signal], hyperaware, now }));
      expect(figures.limitReached).toBe(signal);
      expect(figures.percentUsed).toBe(100);
      expect(figures.level).toBe('critical');
      expect(figures.remaining).toBe(0);
      expect(figures.resetTime).toBe(resetsAt);
      expect(figures.nextAlert).toBeNull();
      expect(figures.runway.toolCalls).toBe(0);
      expect(figures.recommendation).toContain('LIMIT REACHED');
    }
  });

  it('a server reset later than the computed one wins too', () => {
    const resetsAt = T0 + 7 * HOUR;
    expect(computeQuota(input({ usage: events, limits: [limitSignal(T0 + 90 * MINUTE, resetsAt)], now })).resetTime).toBe(resetsAt);
  });

  it('an estimate over 100% is kept as is', () => {
    const figures = computeQuota(input({ usage: [usage(T0, 150_000)], limits: [limitSignal(T0 + MINUTE, T0 + 3 * HOUR)], now }));
    expect(figures.percentUsed).toBe(150);
  });

  it('a signal whose reset has passed is ignored', () => {
    const figures = computeQuota(input({ usage: events, limits: [limitSignal(T0 + 10 * MINUTE, T0 + 100 * MINUTE)], now }));
    expect(figures.limitReached).toBeNull();
    expect(figures.percentUsed).toBe(15);
    expect(figures.resetTime).toBe(T0 + 5 * HOUR);
  });

  it('a signal stamped after now is ignored', () => {
    const figures = computeQuota(input({ usage: events, limits: [limitSignal(now + MINUTE, now + 3 * HOUR)], now }));
    expect(figures.limitReached).toBeNull();
  });

  it('a signal without a reset time counts while it is in the active window and nothing answered since', () => {
    const inWindow = computeQuota(input({ usage: events, limits: [limitSignal(T0 + 90 * MINUTE, null)], now }));
    expect(inWindow.limitReached).not.toBeNull();
    expect(inWindow.percentUsed).toBe(100);
    expect(inWindow.resetTime).toBe(T0 + 5 * HOUR);
    const before = computeQuota(input({ usage: events, limits: [limitSignal(T0 - 30 * MINUTE, null)], now }));
    expect(before.limitReached).toBeNull();
  });

  it('a signal without a reset time is over once an API response came after it (an API-key 429 passes)', () => {
    const answered = computeQuota(input({ usage: events, limits: [limitSignal(T0 + 30 * MINUTE, null)], now }));
    expect(answered.limitReached).toBeNull();
    expect(answered.percentUsed).toBe(15);
  });

  it('a weekly or per-model reset leaves the 5-hour window its own reset', () => {
    const weekly = { ...limitSignal(T0 + 90 * MINUTE, T0 + 3 * 24 * HOUR), rateLimitType: 'seven_day' };
    const figures = computeQuota(input({ usage: events, limits: [weekly], now }));
    expect(figures.limitReached).toBe(weekly);
    expect(figures.percentUsed).toBe(100);
    expect(figures.resetTime).toBe(T0 + 5 * HOUR);
    const untypedDated = limitSignal(T0 + 90 * MINUTE, T0 + 2 * 24 * HOUR);
    expect(computeQuota(input({ usage: events, limits: [untypedDated], now })).resetTime).toBe(T0 + 5 * HOUR);
    const fiveHour = { ...limitSignal(T0 + 90 * MINUTE, T0 + 4 * HOUR), rateLimitType: 'five_hour' };
    expect(computeQuota(input({ usage: events, limits: [fiveHour], now })).resetTime).toBe(T0 + 4 * HOUR);
  });

  it('a signal with a future reset forces 100% even with no active window', () => {
    const figures = computeQuota(input({ usage: [usage(T0 - 6 * HOUR, 10)], limits: [limitSignal(T0 - 10 * MINUTE, T0 + HOUR)], now: T0 }));
    expect(figures.window).toBeNull();
    expect(figures.percentUsed).toBe(100);
    expect(figures.level).toBe('critical');
    expect(figures.resetTime).toBe(T0 + HOUR);
  });
});

describe('crossedThresholds', () => {
  const W1 = '2026-01-06T14:05:23.456Z';
  const W2 = '2026-01-06T19:30:00.000Z';
  const cases: { name: string; previous: { windowStart: string | null; percentUsed: number } | null; next: { windowStart: string | null; percentUsed: number }; hyperaware: boolean; expected: number[] }[] = [
    { name: 'first observation, hyperaware', previous: null, next: { windowStart: W1, percentUsed: 30 }, hyperaware: true, expected: [10, 25] },
    { name: 'first observation, standard', previous: null, next: { windowStart: W1, percentUsed: 30 }, hyperaware: false, expected: [] },
    { name: 'same window, several crossed at once (hyperaware)', previous: { windowStart: W1, percentUsed: 20 }, next: { windowStart: W1, percentUsed: 91 }, hyperaware: true, expected: [25, 50, 75, 90] },
    { name: 'same window, several crossed at once (standard)', previous: { windowStart: W1, percentUsed: 20 }, next: { windowStart: W1, percentUsed: 91 }, hyperaware: false, expected: [50, 80, 90] },
    { name: 'landing exactly on a threshold crosses it', previous: { windowStart: W1, percentUsed: 49.9 }, next: { windowStart: W1, percentUsed: 50 }, hyperaware: false, expected: [50] },
    { name: 'starting exactly on a threshold does not cross it again', previous: { windowStart: W1, percentUsed: 50 }, next: { windowStart: W1, percentUsed: 79.9 }, hyperaware: false, expected: [] },
    { name: 'no change', previous: { windowStart: W1, percentUsed: 60 }, next: { windowStart: W1, percentUsed: 60 }, hyperaware: true, expected: [] },
    { name: 'going down', previous: { windowStart: W1, percentUsed: 60 }, next: { windowStart: W1, percentUsed: 20 }, hyperaware: true, expected: [] },
    { name: 'a new window starts from 0', previous: { windowStart: W1, percentUsed: 97 }, next: { windowStart: W2, percentUsed: 12 }, hyperaware: true, expected: [10] },
    { name: 'a new window after none', previous: { windowStart: null, percentUsed: 0 }, next: { windowStart: W2, percentUsed: 55 }, hyperaware: false, expected: [50] },
    { name: 'no window → none', previous: { windowStart: W1, percentUsed: 40 }, next: { windowStart: null, percentUsed: 100 }, hyperaware: true, expected: [] },
    { name: 'limit reached: all the rest', previous: { windowStart: W1, percentUsed: 40 }, next: { windowStart: W1, percentUsed: 100 }, hyperaware: true, expected: [50, 75, 90, 95] },
  ];
  it.each(cases)('$name', ({ previous, next, hyperaware, expected }) => {
    expect(crossedThresholds(previous, next, hyperaware).map((row) => row.percent)).toEqual(expected);
  });
});

describe('burn-rate series', () => {
  it('splits the window into 15-minute buckets up to now', () => {
    const start = Date.parse('2026-05-01T10:00:00.000Z');
    const event = (minute: number, input: number): UsageEvent => ({ kind: 'usage', key: `s${minute}`, timestamp: start + minute * 60_000, sessionId: 's', model: 'm', sidechain: false, tokens: { input, output: 0, cacheCreation: 0, cacheRead: 0 } });
    const figures = computeQuota({ usage: [event(0, 300), event(20, 150), event(31, 30)], tools: [], limits: [], anchor: 0, limit: 10_000, countedKinds: ['input'], alignment: 'first-token', hyperaware: false, now: start + 40 * 60_000 });
    expect(figures.burnRate.series).toEqual([
      { at: start, tokensPerMinute: 20 },
      { at: start + 15 * 60_000, tokensPerMinute: 10 },
      { at: start + 30 * 60_000, tokensPerMinute: 3 },
    ]);
  });
});
