import { describe, expect, it } from 'vitest';
import { addSevenDaySeen, applyStatusLinePayload, MAX_SEVEN_DAY_SEEN, parseStatusLineState } from '../../main/core/sources/statusline-store.js';
import { parseStatusLinePayload } from '../../main/core/sources/statusline-payload.js';
import { WEEK_MS } from '../../shared/plans.js';

const NOW = Date.parse('2026-11-30T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const RESET = '2026-12-03T14:00:00.000Z';
const epoch = (iso: string) => Date.parse(iso) / 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const payload = (percent: number, resetsAt: string, now: number) => parseStatusLinePayload({ session_id: 's1', rate_limits: { seven_day: { used_percentage: percent, resets_at: epoch(resetsAt) } } }, now);

describe('status-line state: the weekly figures kept for the weekly pace', () => {
  it('keeps about one figure an hour, and a new one at once when the window resets', () => {
    let state = applyStatusLinePayload(null, payload(30, RESET, NOW), NOW);
    // Within the hour: the log stays (the latest figure lives in `latest`).
    state = applyStatusLinePayload(state, payload(31, RESET, NOW + 20 * MINUTE), NOW + 20 * MINUTE);
    state = applyStatusLinePayload(state, parseStatusLinePayload({ session_id: 's1' }, NOW + 30 * MINUTE), NOW + 30 * MINUTE);
    state = applyStatusLinePayload(state, payload(33, RESET, NOW + HOUR), NOW + HOUR);
    const next = '2026-12-07T11:00:00.000Z';
    state = applyStatusLinePayload(state, payload(1, next, NOW + HOUR + MINUTE), NOW + HOUR + MINUTE);
    expect(state.sevenDaySeen).toEqual([
      { observedAt: iso(NOW), usedPercent: 30, resetsAt: RESET },
      { observedAt: iso(NOW + HOUR), usedPercent: 33, resetsAt: RESET },
      { observedAt: iso(NOW + HOUR + MINUTE), usedPercent: 1, resetsAt: next },
    ]);
    expect(state.latest?.rateLimits.sevenDay?.usedPercent).toBe(1);
    expect(parseStatusLineState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('drops figures over a week old and keeps at most the newest entries', () => {
    const old = [{ observedAt: iso(NOW - WEEK_MS - MINUTE), usedPercent: 90, resetsAt: null }];
    expect(addSevenDaySeen(old, { usedPercent: 5, resetsAt: null }, iso(NOW))).toEqual([{ observedAt: iso(NOW), usedPercent: 5, resetsAt: null }]);
    let log = addSevenDaySeen([], { usedPercent: 0, resetsAt: null }, iso(NOW));
    for (let i = 1; i <= MAX_SEVEN_DAY_SEEN + 5; i++) log = addSevenDaySeen(log, { usedPercent: i % 100, resetsAt: `${i}` }, iso(NOW + i * MINUTE));
    expect(log).toHaveLength(MAX_SEVEN_DAY_SEEN);
    expect(log[log.length - 1]?.usedPercent).toBe((MAX_SEVEN_DAY_SEEN + 5) % 100);
  });

  it('reads a state file written before the log was kept, and drops entries no payload could give', () => {
    const before = { version: 1, latest: null, sessions: {} };
    expect(parseStatusLineState(before)).toEqual({ version: 1, latest: null, sessions: {} });
    const odd = { ...before, sevenDaySeen: [{ observedAt: iso(NOW), usedPercent: 250, resetsAt: null }, { observedAt: 'soon', usedPercent: 5, resetsAt: null }, 7, { observedAt: iso(NOW), usedPercent: 5, resetsAt: RESET }] };
    expect(parseStatusLineState(odd).sevenDaySeen).toEqual([{ observedAt: iso(NOW), usedPercent: 5, resetsAt: RESET }]);
    const long = { ...before, sevenDaySeen: Array.from({ length: MAX_SEVEN_DAY_SEEN + 50 }, (_, i) => ({ observedAt: iso(NOW + i * HOUR), usedPercent: 1, resetsAt: null })) };
    expect(parseStatusLineState(long).sevenDaySeen).toHaveLength(MAX_SEVEN_DAY_SEEN);
  });
});
