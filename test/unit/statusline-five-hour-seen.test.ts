import { describe, expect, it } from 'vitest';
import { addFiveHourSeen, applyStatusLinePayload, MAX_FIVE_HOUR_SEEN, parseStatusLineState } from '../../main/core/sources/statusline-store.js';
import { parseStatusLinePayload } from '../../main/core/sources/statusline-payload.js';

const NOW = Date.parse('2026-11-30T10:00:00Z');
const epoch = (iso: string) => Date.parse(iso) / 1000;
const payload = (percent: number, resetsAt: string, now: number) => parseStatusLinePayload({ session_id: 's1', rate_limits: { five_hour: { used_percentage: percent, resets_at: epoch(resetsAt) } } }, now);

describe('status-line state: the last 5-hour figure per server window', () => {
  it('keeps one entry per reset, the latest figure of each, for the usage history to copy', () => {
    let state = applyStatusLinePayload(null, payload(10, '2026-11-30T12:00:00Z', NOW), NOW);
    state = applyStatusLinePayload(state, payload(40, '2026-11-30T12:00:00Z', NOW + 60_000), NOW + 60_000);
    // A payload without rate limits leaves the log alone.
    state = applyStatusLinePayload(state, parseStatusLinePayload({ session_id: 's1' }, NOW + 90_000), NOW + 90_000);
    state = applyStatusLinePayload(state, payload(3, '2026-11-30T17:00:00Z', NOW + 3 * 3_600_000), NOW + 3 * 3_600_000);
    expect(state.fiveHourSeen).toEqual([
      { observedAt: '2026-11-30T10:01:00.000Z', usedPercent: 40, resetsAt: '2026-11-30T12:00:00.000Z' },
      { observedAt: '2026-11-30T13:00:00.000Z', usedPercent: 3, resetsAt: '2026-11-30T17:00:00.000Z' },
    ]);
    expect(parseStatusLineState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('keeps at most the newest entries', () => {
    let log = addFiveHourSeen([], { usedPercent: 0, resetsAt: null }, new Date(NOW).toISOString());
    for (let i = 1; i <= MAX_FIVE_HOUR_SEEN + 5; i++) log = addFiveHourSeen(log, { usedPercent: i % 100, resetsAt: new Date(NOW + i * 3_600_000).toISOString() }, new Date(NOW + i * 60_000).toISOString());
    expect(log).toHaveLength(MAX_FIVE_HOUR_SEEN);
    expect(log[log.length - 1]?.usedPercent).toBe((MAX_FIVE_HOUR_SEEN + 5) % 100);
  });

  it('reads a state file written before the log was kept, and drops entries no payload could give', () => {
    const old = { version: 1, latest: null, sessions: {} };
    expect(parseStatusLineState(old)).toEqual({ version: 1, latest: null, sessions: {} });
    const odd = { ...old, fiveHourSeen: [{ observedAt: '2026-11-30T10:00:00Z', usedPercent: 1e9, resetsAt: null }, { observedAt: 'soon', usedPercent: 5, resetsAt: null }, 'x', { observedAt: '2026-11-30T10:00:00Z', usedPercent: 5, resetsAt: null }] };
    expect(parseStatusLineState(odd).fiveHourSeen).toEqual([{ observedAt: '2026-11-30T10:00:00Z', usedPercent: 5, resetsAt: null }]);
  });
});
