import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTrackerFigures, renderStatusLine, type StatusLineView } from '../../main/cli/statusline.js';
import { HOSTILE_CONTEXT_WINDOWS, hostileRateLimits } from '../fixtures/hostile-numbers.js';
import { stripAnsi } from '../../main/cli/render/terminal.js';
import { SESSION_RETENTION_MS, applyStatusLinePayload, freshServerQuota, readPreviousStatusLine, readStatusLineState, recordStatusLinePayload, statusLineStatePath, type StatusLineState } from '../../main/core/sources/statusline-store.js';
import { contextUsedPercent, parseStatusLinePayload, resetTimeToIso } from '../../main/core/sources/statusline-payload.js';

const HOUR = 60 * 60 * 1000;
const NOW = Date.parse('2026-04-10T12:00:00.000Z');
const NOW_S = NOW / 1000;

/** A payload as Claude Code v2.1.80+ sends it to a Max subscriber (values invented, fields real). */
function fullPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    session_id: 'sess-1',
    transcript_path: '/home/dana/.claude/projects/p/sess-1.jsonl',
    cwd: '/home/dana/code/api',
    model: { id: 'claude-opus-4-6', display_name: 'Opus' },
    workspace: { current_dir: '/home/dana/code/api', project_dir: '/home/dana/code/api' },
    version: '2.1.98',
    cost: { total_cost_usd: 0.42 },
    context_window: {
      context_window_size: 200_000,
      used_percentage: 38,
      current_usage: { input_tokens: 6, output_tokens: 97, cache_creation_input_tokens: 2214, cache_read_input_tokens: 73_790 },
    },
    exceeds_200k_tokens: false,
    rate_limits: {
      five_hour: { used_percentage: 42, resets_at: NOW_S + 2 * 3600 + 45 * 60 },
      seven_day: { used_percentage: 31, resets_at: NOW_S + 3 * 24 * 3600 },
    },
    ...overrides,
  };
}

/** Parsed as received at NOW. */
const parse = (raw: unknown) => parseStatusLinePayload(raw, NOW);

let root = '';
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-statusline-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('parseStatusLinePayload', () => {
  it('types a full payload, resets_at seconds as ISO', () => {
    expect(parse(fullPayload())).toEqual({
      sessionId: 'sess-1',
      transcriptPath: '/home/dana/.claude/projects/p/sess-1.jsonl',
      cwd: '/home/dana/code/api',
      model: { id: 'claude-opus-4-6', displayName: 'Opus' },
      version: '2.1.98',
      contextWindow: { size: 200_000, usedPercent: 38, currentUsage: { input: 6, output: 97, cacheCreation: 2214, cacheRead: 73_790 } },
      exceeds200k: false,
      rateLimits: {
        fiveHour: { usedPercent: 42, resetsAt: '2026-04-10T14:45:00.000Z' },
        sevenDay: { usedPercent: 31, resetsAt: '2026-04-13T12:00:00.000Z' },
      },
      rejected: [],
    });
  });

  it('gives nulls for anything missing, null or of the wrong type', () => {
    const empty = {
      sessionId: null,
      transcriptPath: null,
      cwd: null,
      model: null,
      version: null,
      contextWindow: null,
      exceeds200k: null,
      rateLimits: null,
      rejected: [],
    };
    for (const raw of [null, undefined, 42, 'text', [], {}]) expect(parse(raw)).toEqual(empty);
    const nulls = parse({
      session_id: null,
      model: null,
      context_window: null,
      exceeds_200k_tokens: null,
      rate_limits: null,
    });
    expect(nulls).toEqual(empty);
    const odd = parse({
      session_id: 7,
      model: { id: null, display_name: null },
      context_window: { context_window_size: null, used_percentage: null, current_usage: null },
      exceeds_200k_tokens: 'no',
      rate_limits: { five_hour: null, seven_day: { used_percentage: null, resets_at: 1 } },
    });
    expect(odd).toEqual(empty);
  });

  it('keeps what is there when parts are missing', () => {
    const parsed = parse({
      session_id: 's',
      workspace: { current_dir: '/w' },
      context_window: { context_window_size: 1_000_000, used_percentage: null, current_usage: { input_tokens: 10, cache_read_input_tokens: null } },
      rate_limits: { five_hour: { used_percentage: '12.5' } },
    });
    expect(parsed.cwd).toBe('/w');
    expect(parsed.contextWindow).toEqual({ size: 1_000_000, usedPercent: null, currentUsage: { input: 10, output: 0, cacheCreation: 0, cacheRead: 0 } });
    expect(parsed.rateLimits).toEqual({ fiveHour: { usedPercent: 12.5, resetsAt: null }, sevenDay: null });
  });

  it('reads reset times given in seconds, milliseconds or ISO', () => {
    expect(resetTimeToIso(1_775_822_400)).toBe('2026-04-10T12:00:00.000Z');
    expect(resetTimeToIso(1_775_822_400_000)).toBe('2026-04-10T12:00:00.000Z');
    expect(resetTimeToIso('1775822400')).toBe('2026-04-10T12:00:00.000Z');
    expect(resetTimeToIso('2026-04-10T12:00:00Z')).toBe('2026-04-10T12:00:00.000Z');
    for (const bad of [null, undefined, 'soon', -5, 0, {}, Number.NaN]) expect(resetTimeToIso(bad)).toBeNull();
  });

  it('computes context percent from current usage when the payload has none', () => {
    expect(contextUsedPercent({ size: 200_000, usedPercent: null, currentUsage: { input: 10_000, output: 99_999, cacheCreation: 20_000, cacheRead: 70_000 } })).toBe(50);
    expect(contextUsedPercent({ size: 200_000, usedPercent: 12, currentUsage: null })).toBe(12);
    expect(contextUsedPercent({ size: null, usedPercent: null, currentUsage: { input: 1, output: 1, cacheCreation: 1, cacheRead: 1 } })).toBeNull();
    expect(contextUsedPercent(null)).toBeNull();
  });
});

describe('applyStatusLinePayload', () => {
  it('sets latest from a payload with rate limits and records the session', () => {
    const state = applyStatusLinePayload(null, parse(fullPayload()), NOW);
    expect(state.latest).toEqual({
      observedAt: '2026-04-10T12:00:00.000Z',
      sessionId: 'sess-1',
      rateLimits: {
        fiveHour: { usedPercent: 42, resetsAt: '2026-04-10T14:45:00.000Z' },
        sevenDay: { usedPercent: 31, resetsAt: '2026-04-13T12:00:00.000Z' },
      },
    });
    expect(state.sessions['sess-1']).toEqual({
      observedAt: '2026-04-10T12:00:00.000Z',
      transcriptPath: '/home/dana/.claude/projects/p/sess-1.jsonl',
      cwd: '/home/dana/code/api',
      model: { id: 'claude-opus-4-6', displayName: 'Opus' },
      contextWindow: { size: 200_000, usedPercent: 38, currentUsage: { input: 6, output: 97, cacheCreation: 2214, cacheRead: 73_790 } },
      exceeds200k: false,
    });
  });

  it('keeps the previous latest when a payload has no rate limits', () => {
    const first = applyStatusLinePayload(null, parse(fullPayload()), NOW);
    const second = applyStatusLinePayload(first, parse(fullPayload({ session_id: 'sess-2', rate_limits: null })), NOW + 60_000);
    expect(second.latest).toEqual(first.latest);
    expect(Object.keys(second.sessions).sort()).toEqual(['sess-1', 'sess-2']);
    const third = applyStatusLinePayload(second, parse(fullPayload({ session_id: 'sess-2', rate_limits: { five_hour: { used_percentage: 50, resets_at: NOW_S + 3600 } } })), NOW + 120_000);
    expect(third.latest).toMatchObject({ sessionId: 'sess-2', observedAt: '2026-04-10T12:02:00.000Z', rateLimits: { fiveHour: { usedPercent: 50 }, sevenDay: null } });
  });

  it('drops sessions not seen for 24 hours', () => {
    const old = applyStatusLinePayload(null, parse(fullPayload({ session_id: 'old' })), NOW - SESSION_RETENTION_MS - 1);
    const kept = applyStatusLinePayload(old, parse(fullPayload({ session_id: 'recent' })), NOW - HOUR);
    const state = applyStatusLinePayload(kept, parse({ session_id: 'new' }), NOW);
    expect(Object.keys(state.sessions).sort()).toEqual(['new', 'recent']);
  });
});

describe('the state file', () => {
  it('is written under a lock and read back', () => {
    recordStatusLinePayload(root, parse(fullPayload()), NOW);
    recordStatusLinePayload(root, parse({ session_id: 'sess-2' }), NOW + 1000);
    const { value, warning } = readStatusLineState(root);
    expect(warning).toBeNull();
    expect(value?.version).toBe(1);
    expect(value?.latest?.sessionId).toBe('sess-1');
    expect(Object.keys(value?.sessions ?? {}).sort()).toEqual(['sess-1', 'sess-2']);
    expect(fs.existsSync(`${statusLineStatePath(root)}.lock`)).toBe(false);
  });

  it('reads a missing file as null and moves a corrupt one aside', () => {
    expect(readStatusLineState(root)).toEqual({ value: null, warning: null });
    fs.writeFileSync(statusLineStatePath(root), '{"version": 1, "latest": ');
    const { value, warning } = recordStatusLinePayload(root, parse(fullPayload()), NOW);
    expect(warning).toMatch(/corrupt/);
    expect(value.latest?.sessionId).toBe('sess-1');
    expect(fs.readdirSync(root).some((name) => name.startsWith('statusline-state.json.corrupt-'))).toBe(true);
  });

  it('drops entries that do not fit instead of failing the file', () => {
    fs.writeFileSync(
      statusLineStatePath(root),
      JSON.stringify({ version: 1, latest: { observedAt: 'never' }, sessions: { a: { observedAt: '2026-04-10T11:00:00Z' }, b: 'junk', c: { observedAt: 5 } } }),
    );
    const { value } = readStatusLineState(root);
    expect(value?.latest).toBeNull();
    expect(Object.keys(value?.sessions ?? {})).toEqual(['a']);
  });
});

describe('freshServerQuota', () => {
  const stateAt = (observedAt: number, payload = fullPayload()): StatusLineState => applyStatusLinePayload(null, parse(payload), observedAt);

  it('returns both figures while they are fresh', () => {
    expect(freshServerQuota(stateAt(NOW - 10 * 60_000), NOW)).toEqual({
      fiveHour: { usedPercent: 42, resetsAt: '2026-04-10T14:45:00.000Z' },
      sevenDay: { usedPercent: 31, resetsAt: '2026-04-13T12:00:00.000Z' },
      observedAt: '2026-04-10T11:50:00.000Z',
    });
  });

  it('ignores a 5-hour figure whose reset has passed, keeping the weekly one', () => {
    const fresh = freshServerQuota(stateAt(NOW - 10 * 60_000), Date.parse('2026-04-10T14:45:00.000Z'));
    expect(fresh?.fiveHour).toBeNull();
    expect(fresh?.sevenDay?.usedPercent).toBe(31);
  });

  it('ignores a 5-hour figure older than the window even without a reset time', () => {
    const payload = fullPayload({ rate_limits: { five_hour: { used_percentage: 42 }, seven_day: { used_percentage: 31, resets_at: NOW_S + 3 * 24 * 3600 } } });
    expect(freshServerQuota(stateAt(NOW - 5 * HOUR + 1000, payload), NOW)?.fiveHour?.usedPercent).toBe(42);
    const stale = freshServerQuota(stateAt(NOW - 5 * HOUR - 1000, payload), NOW);
    expect(stale?.fiveHour).toBeNull();
    expect(stale?.sevenDay?.usedPercent).toBe(31);
  });

  it('ignores the weekly figure past its own reset, and returns null when nothing is fresh', () => {
    const state = stateAt(NOW);
    expect(freshServerQuota(state, Date.parse('2026-04-13T12:00:00.000Z'))).toBeNull();
  });

  it('applies a tighter maxAgeMs to both', () => {
    expect(freshServerQuota(stateAt(NOW - 20 * 60_000), NOW, 15 * 60_000)).toBeNull();
    expect(freshServerQuota(stateAt(NOW - 10 * 60_000), NOW, 15 * 60_000)).not.toBeNull();
  });

  it('returns null without state, without latest, or for an observation from the future', () => {
    expect(freshServerQuota(null, NOW)).toBeNull();
    expect(freshServerQuota({ version: 1, latest: null, sessions: {} }, NOW)).toBeNull();
    expect(freshServerQuota(stateAt(NOW + 10 * 60_000), NOW)).toBeNull();
  });
});

describe('implausible figures (hostile payloads)', () => {
  it.each(hostileRateLimits(NOW_S))('leaves out $name and names it', ({ rateLimits }) => {
    const payload = parse(fullPayload({ rate_limits: rateLimits }));
    expect(payload.rateLimits).toBeNull();
    expect(payload.rejected).toHaveLength(1);
    expect(payload.rejected[0]).toMatch(/^rate_limits\.(five_hour|seven_day)\.(used_percentage|resets_at) /);
    // The rest of the payload still counts.
    expect(payload.sessionId).toBe('sess-1');
    expect(payload.contextWindow?.usedPercent).toBe(38);
  });

  it('keeps the good window when only the other is implausible', () => {
    const payload = parse(fullPayload({ rate_limits: { five_hour: { used_percentage: NOW_S, resets_at: NOW_S + 3600 }, seven_day: { used_percentage: 31, resets_at: NOW_S + 86_400 } } }));
    expect(payload.rateLimits).toEqual({ fiveHour: null, sevenDay: { usedPercent: 31, resetsAt: '2026-04-11T12:00:00.000Z' } });
    expect(payload.rejected).toEqual([`rate_limits.five_hour.used_percentage ${NOW_S} is outside 0-100`]);
  });

  it('accepts the edges: 0 and 100 %, a reset a few seconds past or exactly one window ahead', () => {
    const edges = parse(fullPayload({ rate_limits: { five_hour: { used_percentage: 100, resets_at: NOW_S - 30 }, seven_day: { used_percentage: 0, resets_at: NOW_S + 7 * 86_400 } } }));
    expect(edges.rejected).toEqual([]);
    expect(edges.rateLimits?.fiveHour?.usedPercent).toBe(100);
    expect(edges.rateLimits?.sevenDay?.usedPercent).toBe(0);
    const fiveHoursAhead = parse(fullPayload({ rate_limits: { five_hour: { used_percentage: 1, resets_at: NOW_S + 5 * 3600 } } }));
    expect(fiveHoursAhead.rejected).toEqual([]);
  });

  it.each(HOSTILE_CONTEXT_WINDOWS)('leaves out a context window with $name', ({ contextWindow }) => {
    const payload = parse(fullPayload({ context_window: contextWindow }));
    expect(payload.contextWindow).toBeNull();
    expect(payload.rejected).toHaveLength(1);
    expect(payload.rejected[0]).toMatch(/^context_window\./);
    expect(payload.rateLimits?.fiveHour?.usedPercent).toBe(42);
  });

  it('names a value by its kind only, never its text', () => {
    const payload = parse(fullPayload({ rate_limits: { five_hour: { used_percentage: 'x\u001b]52;c;AAAA\u0007', resets_at: NOW_S + 60 } } }));
    expect(payload.rejected).toEqual(['rate_limits.five_hour.used_percentage is a string of 13 chars, not a number']);
  });

  it('counts rejections in the state file across payloads, and the latest one', () => {
    const [epoch, past] = hostileRateLimits(NOW_S);
    recordStatusLinePayload(root, parse(fullPayload({ rate_limits: epoch?.rateLimits })), NOW);
    const first = readStatusLineState(root).value;
    expect(first?.latest).toBeNull();
    expect(first?.rejected).toEqual({ count: 1, last: `rate_limits.five_hour.used_percentage ${NOW_S + 3600} is outside 0-100`, lastAt: '2026-04-10T12:00:00.000Z' });
    recordStatusLinePayload(root, parseStatusLinePayload({ rate_limits: past?.rateLimits, context_window: { context_window_size: -1 } }, NOW + 1000), NOW + 1000);
    recordStatusLinePayload(root, parse(fullPayload()), NOW + 2000);
    const state = readStatusLineState(root).value;
    expect(state?.rejected).toMatchObject({ count: 3, lastAt: '2026-04-10T12:00:01.000Z' });
    expect(state?.latest?.rateLimits.fiveHour?.usedPercent).toBe(42);
  });

  it('a stored figure out of range (written before the checks) is not used', () => {
    fs.writeFileSync(
      statusLineStatePath(root),
      JSON.stringify({
        version: 1,
        latest: { observedAt: new Date(NOW).toISOString(), sessionId: 's', rateLimits: { fiveHour: { usedPercent: 1_775_826_000, resetsAt: new Date(NOW + HOUR).toISOString() }, sevenDay: { usedPercent: 20, resetsAt: new Date(NOW + 40 * 24 * HOUR).toISOString() } } },
        sessions: { s: { observedAt: new Date(NOW).toISOString(), contextWindow: { size: 1e308, usedPercent: 900, currentUsage: null } } },
      }),
    );
    const state = readStatusLineState(root).value;
    expect(state?.latest?.rateLimits.fiveHour).toBeNull();
    expect(freshServerQuota(state, NOW)).toBeNull();
    expect(state?.sessions.s?.contextWindow).toEqual({ size: null, usedPercent: null, currentUsage: null });
  });
});

describe('readPreviousStatusLine', () => {
  const write = (content: string): void => fs.writeFileSync(path.join(root, 'cco-integration.json'), content);

  it('reads the recorded command', () => {
    write(JSON.stringify({ previousStatusLine: { type: 'command', command: '~/bin/my-status', padding: 0 }, hooks: [] }));
    expect(readPreviousStatusLine(root)).toEqual({ type: 'command', command: '~/bin/my-status' });
  });

  it('treats a missing, broken or odd file as none', () => {
    expect(readPreviousStatusLine(root)).toBeNull();
    for (const content of ['{broken', '[]', '{}', '{"previousStatusLine":null}', '{"previousStatusLine":{"type":"command","command":"  "}}', '{"previousStatusLine":{"type":"static","command":"x"}}']) {
      write(content);
      expect(readPreviousStatusLine(root), content).toBeNull();
    }
  });
});

describe('renderStatusLine', () => {
  const view = (overrides: Partial<StatusLineView> = {}): StatusLineView => {
    const payload = parse(fullPayload());
    return {
      payload,
      server: payload.rateLimits ? { ...payload.rateLimits, observedAt: new Date(NOW).toISOString() } : null,
      tracker: null,
      now: NOW,
      color: false,
      ...overrides,
    };
  };

  it('shows the server quota, its reset, the week and the context', () => {
    expect(renderStatusLine(view())).toBe('◆ 42% of 5h · resets 2h 45m · week 31% · ctx 38% of 200k');
  });

  it('adds the burn rate from the tracker when it has one', () => {
    expect(renderStatusLine(view({ tracker: { percentUsed: 10, resetTime: null, burnRate: 630 } }))).toBe('◆ 42% of 5h · resets 2h 45m · week 31% · ctx 38% of 200k · 630 tok/min');
  });

  it('falls back to the tracker estimate, marked as such, and skips a tracker whose window ended', () => {
    const payload = parse(fullPayload({ rate_limits: null, context_window: { context_window_size: 1_000_000, used_percentage: 5 } }));
    const tracker = { percentUsed: 61.4, resetTime: '2026-04-10T13:30:00.000Z', burnRate: null };
    expect(renderStatusLine(view({ payload, server: null, tracker }))).toBe('◆ ~61% of 5h (est.) · resets 1h 30m · ctx 5% of 1M');
    expect(renderStatusLine(view({ payload, server: null, tracker: { ...tracker, resetTime: '2026-04-10T11:00:00.000Z' } }))).toBe('◆ ctx 5% of 1M');
  });

  it('says when the session\'s prompt cache goes cold, before the burn rate', () => {
    const tracker = { percentUsed: 10, resetTime: null, burnRate: 630 };
    expect(renderStatusLine(view({ tracker, cacheExpiresAt: new Date(NOW + 12 * 60_000).toISOString() }))).toBe('◆ 42% of 5h · resets 2h 45m · week 31% · ctx 38% of 200k · cache cold in 12m · 630 tok/min');
    expect(renderStatusLine(view({ cacheExpiresAt: new Date(NOW - 1).toISOString() }))).toBe('◆ 42% of 5h · resets 2h 45m · week 31% · ctx 38% of 200k · cache cold');
    expect(renderStatusLine(view({ cacheExpiresAt: null }))).toBe('◆ 42% of 5h · resets 2h 45m · week 31% · ctx 38% of 200k');
  });

  it('is empty when there is nothing to show', () => {
    expect(renderStatusLine(view({ payload: parse({}), server: null }))).toBe('');
  });

  it('colours by level and leaves colour out when asked', () => {
    const payload = parse(
      fullPayload({ rate_limits: { five_hour: { used_percentage: 93, resets_at: NOW_S + 600 } }, context_window: { context_window_size: 200_000, used_percentage: 60 } }),
    );
    const server = { fiveHour: payload.rateLimits?.fiveHour ?? null, sevenDay: null, observedAt: '2026-04-10T12:00:00.000Z' };
    const coloured = renderStatusLine(view({ payload, server, color: true }));
    expect(coloured).toContain('\u001b[31m93%\u001b[39m');
    expect(coloured).toContain('\u001b[33m60%\u001b[39m');
    expect(stripAnsi(coloured)).toBe('◆ 93% of 5h · resets 10m · ctx 60% of 200k');
    expect(renderStatusLine(view({ payload, server }))).not.toContain('\u001b');
  });
});

describe('readTrackerFigures', () => {
  const write = (value: unknown): void => fs.writeFileSync(path.join(root, 'quota-tracker.json'), JSON.stringify(value));

  it('reads percent, reset and an optional burn rate in either shape', () => {
    const base = { plan: 'pro', limit: 200_000, currentWindow: { startTime: '2026-04-10T10:00:00Z', resetTime: '2026-04-10T15:00:00Z', tokensUsed: 84_000, remaining: 116_000 }, percentUsed: 42 };
    write(base);
    expect(readTrackerFigures(root)).toEqual({ percentUsed: 42, resetTime: '2026-04-10T15:00:00Z', burnRate: null, percentPerMinute: null });
    write({ ...base, burnRate: { tokensPerMinute: 630, lastHourTokensPerMinute: 700 } });
    expect(readTrackerFigures(root)?.burnRate).toBe(630);
    // The forecast's 5-hour pace: the last hour's rate against the limit (700 of 200,000 a minute).
    expect(readTrackerFigures(root)?.percentPerMinute).toBeCloseTo(0.35, 10);
    write({ ...base, burnRate: 512 });
    expect(readTrackerFigures(root)?.burnRate).toBe(512);
  });

  it('is null for a missing or broken tracker, and leaves the file where it is', () => {
    expect(readTrackerFigures(root)).toBeNull();
    fs.writeFileSync(path.join(root, 'quota-tracker.json'), '{nope');
    expect(readTrackerFigures(root)).toBeNull();
    expect(fs.existsSync(path.join(root, 'quota-tracker.json'))).toBe(true);
  });
});
