import { describe, expect, it } from 'vitest';
import { applyStatusLinePayload, type StatusLineState } from '../../main/core/sources/statusline-store.js';
import { OLD_FIGURE_GRACE_MS } from '../../main/core/sources/statusline-old-window.js';
import { parseStatusLinePayload } from '../../main/core/sources/statusline-payload.js';

/** The old 5-hour window resets at noon; the next one resets at 17:00. */
const OLD_RESET = '2026-11-30T12:00:00.000Z';
const NEW_RESET = '2026-11-30T17:00:00.000Z';
const at = (time: string): number => Date.parse(`2026-11-30T${time}Z`);
const epoch = (iso: string): number => Date.parse(iso) / 1000;

function payload(percent: number, resetsAt: string, now: number, weekly?: { percent: number; resetsAt: string }) {
  const rateLimits: Record<string, unknown> = { five_hour: { used_percentage: percent, resets_at: epoch(resetsAt) } };
  if (weekly) rateLimits.seven_day = { used_percentage: weekly.percent, resets_at: epoch(weekly.resetsAt) };
  return parseStatusLinePayload({ session_id: 's1', rate_limits: rateLimits }, now);
}

/** The figures before and just after the reset: 87% at 11:50 in the old window, 3% at 12:00:20 in the new one. */
function afterReset(): StatusLineState {
  const before = applyStatusLinePayload(null, payload(87, OLD_RESET, at('11:50:00')), at('11:50:00'));
  return applyStatusLinePayload(before, payload(3, NEW_RESET, at('12:00:20')), at('12:00:20'));
}

describe("the old window's figure relayed for a moment after a 5-hour reset", () => {
  it('rejects a payload naming the old reset once the new window was reported, and counts it', () => {
    const state = afterReset();
    // 40 s after the old reset: within the clock tolerance, so parsing alone lets it through.
    const now = at('12:00:40');
    const stale = payload(87, OLD_RESET, now);
    expect(stale.rateLimits?.fiveHour).toEqual({ usedPercent: 87, resetsAt: OLD_RESET });
    const next = applyStatusLinePayload(state, stale, now);
    expect(next.latest).toEqual(state.latest);
    expect(next.fiveHourSeen).toEqual(state.fiveHourSeen);
    expect(next.rejected).toEqual({ count: 1, last: `rate_limits.five_hour.resets_at ${OLD_RESET} is the previous window's (the window resetting ${NEW_RESET} was already reported)`, lastAt: new Date(now).toISOString() });
  });

  it("rejects the previous window's percentage relayed with the new reset early in the window", () => {
    const state = afterReset();
    const now = at('12:01:00');
    const next = applyStatusLinePayload(state, payload(87, NEW_RESET, now), now);
    expect(next.latest?.rateLimits.fiveHour).toEqual({ usedPercent: 3, resetsAt: NEW_RESET });
    expect(next.fiveHourSeen?.at(-1)).toMatchObject({ usedPercent: 3, resetsAt: NEW_RESET });
    expect(next.rejected?.count).toBe(1);
    expect(next.rejected?.last).toBe("rate_limits.five_hour.used_percentage 87 is the previous window's figure (it ended at 87%; this window had 3%)");
    // Higher than the old window's last figure is the old window's too (the client may have seen more of it).
    expect(applyStatusLinePayload(state, payload(90, NEW_RESET, now), now).rejected?.count).toBe(1);
  });

  it('keeps figures that belong to the new window', () => {
    const state = afterReset();
    // Growing, but below the old window's figure.
    const growing = applyStatusLinePayload(state, payload(5, NEW_RESET, at('12:05:00')), at('12:05:00'));
    expect(growing.latest?.rateLimits.fiveHour).toEqual({ usedPercent: 5, resetsAt: NEW_RESET });
    // As high as the old window's last figure once the window is well under way.
    const late = at('12:00:00') + OLD_FIGURE_GRACE_MS + 60_000;
    const climbed = applyStatusLinePayload(growing, payload(88, NEW_RESET, late), late);
    expect(climbed.latest?.rateLimits.fiveHour).toEqual({ usedPercent: 88, resetsAt: NEW_RESET });
    // The server moving the reset by minutes is the same window.
    const moved = '2026-11-30T16:50:00.000Z';
    const shifted = applyStatusLinePayload(growing, payload(6, moved, at('12:06:00')), at('12:06:00'));
    expect(shifted.latest?.rateLimits.fiveHour).toEqual({ usedPercent: 6, resetsAt: moved });
    for (const next of [growing, climbed, shifted]) expect(next.rejected).toBeUndefined();
  });

  it('keeps a rising figure early in a window when the previous window ended lower (it never fell)', () => {
    const light = applyStatusLinePayload(null, payload(2, OLD_RESET, at('11:50:00')), at('11:50:00'));
    const first = applyStatusLinePayload(light, payload(3, NEW_RESET, at('12:00:20')), at('12:00:20'));
    const next = applyStatusLinePayload(first, payload(4, NEW_RESET, at('12:01:00')), at('12:01:00'));
    expect(next.latest?.rateLimits.fiveHour).toEqual({ usedPercent: 4, resetsAt: NEW_RESET });
    expect(next.rejected).toBeUndefined();
  });

  it('leaves the first figures of a window alone when no earlier window was reported', () => {
    const first = applyStatusLinePayload(null, payload(3, NEW_RESET, at('12:00:20')), at('12:00:20'));
    const next = applyStatusLinePayload(first, payload(87, NEW_RESET, at('12:01:00')), at('12:01:00'));
    expect(next.latest?.rateLimits.fiveHour).toEqual({ usedPercent: 87, resetsAt: NEW_RESET });
    expect(next.rejected).toBeUndefined();
  });

  it("rejects a weekly reset a week before the accepted one, keeping the payload's 5-hour figure", () => {
    const week = '2026-12-07T12:00:00.000Z';
    const lastWeek = '2026-11-30T12:00:00.000Z';
    const state = applyStatusLinePayload(afterReset(), payload(4, NEW_RESET, at('12:00:30'), { percent: 1, resetsAt: week }), at('12:00:30'));
    const next = applyStatusLinePayload(state, payload(5, NEW_RESET, at('12:00:50'), { percent: 99, resetsAt: lastWeek }), at('12:00:50'));
    expect(next.latest?.rateLimits).toEqual({ fiveHour: { usedPercent: 5, resetsAt: NEW_RESET }, sevenDay: null });
    expect(next.rejected?.last).toMatch(/^rate_limits\.seven_day\.resets_at 2026-11-30T12:00:00\.000Z is the previous window's/);
  });
});
