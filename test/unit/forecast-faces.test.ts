/**
 * `quota.forecast` from the Snapshot builder to every face: computeSnapshot over a status-line
 * state with weekly observations, the panel's Forecast line, the status line's short form (and the
 * forecast it makes itself from its store and the tracker), and the shared sentence.
 */
import { describe, expect, it } from 'vitest';
import { panelTooltipLines } from '../../main/cli/render/panel-formats.js';
import { renderStatusPanel } from '../../main/cli/render/status-panel.js';
import { renderStatusLine, statusLineForecast, type StatusLineView } from '../../main/cli/statusline.js';
import { type StatusLineState } from '../../main/core/sources/statusline-store.js';
import { parseStatusLinePayload } from '../../main/core/sources/statusline-payload.js';
import { forecastSentence, forecastShort } from '../../shared/forecast-text.js';
import type { QuotaForecast } from '../../shared/snapshot.js';
import { FIXTURE_NOW, snapshotWith } from '../fixtures/snapshot-builder.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number): string => new Date(ms).toISOString();
const WEEK_RESET = iso(FIXTURE_NOW + 2 * 24 * HOUR);

/** The server at 50% of the 5-hour window and 97% of the week, 94% three hours ago: 1% an hour, out at 19:45. */
function statusLine(): StatusLineState {
  return {
    version: 1,
    latest: { observedAt: iso(FIXTURE_NOW), sessionId: 's', rateLimits: { fiveHour: { usedPercent: 50, resetsAt: iso(FIXTURE_NOW + 75 * MINUTE) }, sevenDay: { usedPercent: 97, resetsAt: WEEK_RESET } } },
    sessions: {},
    sevenDaySeen: [{ observedAt: iso(FIXTURE_NOW - 3 * HOUR), usedPercent: 94, resetsAt: WEEK_RESET }],
  };
}

describe('quota.forecast in the Snapshot', () => {
  it('computeSnapshot paces the week by the stored observations: the weekly limit binds', () => {
    const snapshot = snapshotWith({}, { statusLine: statusLine() });
    expect(snapshot.quota.forecast).toEqual({
      binding: 'sevenDay',
      // No transcripts here: no burn, so the 5-hour window stays at the server's 50%.
      fiveHour: { runsOutAt: null, percentAtReset: 50 },
      sevenDay: { runsOutAt: '2025-01-06T19:45:00.000Z', percentAtReset: 145 },
    });
  });

  it('has no weekly part without a server weekly figure', () => {
    const snapshot = snapshotWith();
    expect(snapshot.quota.forecast).toEqual({ binding: null, fiveHour: { runsOutAt: null, percentAtReset: 0 }, sevenDay: null });
  });
});

describe('the forecast in words', () => {
  const time = (value: string): string => value.slice(11, 16);
  const at = iso(FIXTURE_NOW);
  const forecast = (parts: Partial<QuotaForecast>): QuotaForecast => ({ binding: null, fiveHour: { runsOutAt: null, percentAtReset: 40 }, sevenDay: null, ...parts });

  it('names the binding window and what it comes before', () => {
    const weekFirst = forecast({ binding: 'sevenDay', fiveHour: { runsOutAt: iso(FIXTURE_NOW + 4 * HOUR), percentAtReset: 120 }, sevenDay: { runsOutAt: iso(FIXTURE_NOW + 3 * HOUR), percentAtReset: 145 } });
    expect(forecastSentence(weekFirst, at, time)).toBe('At this pace the weekly limit stops you 19:45, before the 5-hour window.');
    expect(forecastShort(weekFirst, at)).toBe('week out in 3h');
    const fiveFirst = forecast({ binding: 'fiveHour', fiveHour: { runsOutAt: iso(FIXTURE_NOW + 35 * MINUTE), percentAtReset: 130 }, sevenDay: { runsOutAt: iso(FIXTURE_NOW + 3 * HOUR), percentAtReset: 145 } });
    expect(forecastSentence(fiveFirst, at, time)).toBe('At this pace the 5-hour window runs out 17:20, before the weekly limit (19:45).');
    expect(forecastShort(fiveFirst, at)).toBe('5h out in 35m');
  });

  it('says nothing when nothing runs out, or when the window is already spent', () => {
    expect(forecastSentence(forecast({}), at, time)).toBeNull();
    const spent = forecast({ binding: 'fiveHour', fiveHour: { runsOutAt: at, percentAtReset: 100 } });
    expect(forecastSentence(spent, at, time)).toBeNull();
    expect(forecastShort(spent, at)).toBeNull();
  });

  it('the panel shows the Forecast line under the quota figures', () => {
    const lines = renderStatusPanel(snapshotWith({}, { statusLine: statusLine() }), { color: false, timeZone: 'UTC' }).split('\n');
    expect(lines).toContain('Forecast:     At this pace the weekly limit stops you 1/6/2025, 7:45:00 PM.');
    expect(renderStatusPanel(snapshotWith(), { color: false, timeZone: 'UTC' })).not.toContain('Forecast:');
  });
});

describe('the forecast on the status line', () => {
  const payload = parseStatusLinePayload({ session_id: 's' }, FIXTURE_NOW);
  const state = statusLine();
  const server = { ...state.latest!.rateLimits, observedAt: state.latest!.observedAt };
  const view = (parts: Partial<StatusLineView>): StatusLineView => ({ payload, server, tracker: null, now: FIXTURE_NOW, color: false, ...parts });

  it('makes the forecast from the stored weekly log and shows the binding window', () => {
    const forecast = statusLineForecast(server, state.sevenDaySeen ?? [], null, FIXTURE_NOW);
    expect(forecast?.binding).toBe('sevenDay');
    expect(renderStatusLine(view({ forecast }))).toBe('◆ 50% of 5h · resets 1h 15m · week 97% (resets 2d) · week out in 3h');
  });

  it('paces the 5-hour window by the tracker while its window is current, never by a stale one', () => {
    // 1% of the limit a minute: 50% left runs out in 50 minutes, before the 75-minute reset and the week.
    const tracker = { percentUsed: 50, resetTime: iso(FIXTURE_NOW + 75 * MINUTE), burnRate: 2000, percentPerMinute: 1 };
    const forecast = statusLineForecast(server, state.sevenDaySeen ?? [], tracker, FIXTURE_NOW);
    expect(forecast?.binding).toBe('fiveHour');
    expect(forecast?.fiveHour.runsOutAt).toBe(iso(FIXTURE_NOW + 50 * MINUTE));
    const stale = statusLineForecast(server, [], { ...tracker, resetTime: iso(FIXTURE_NOW - MINUTE) }, FIXTURE_NOW);
    expect(stale?.fiveHour.runsOutAt).toBeNull();
    expect(statusLineForecast(null, [], null, FIXTURE_NOW)).toBeNull();
  });
});

describe('the forecast in the desktop panel tooltip', () => {
  it('adds the sentence to the waybar tooltip when a window runs out', () => {
    const tooltip = panelTooltipLines(snapshotWith({}, { statusLine: statusLine() }), { timeZone: 'UTC' });
    expect(tooltip).toContain('At this pace the weekly limit stops you 1/6/2025, 7:45:00 PM.');
    expect(panelTooltipLines(snapshotWith(), { timeZone: 'UTC' }).some((line) => line.startsWith('At this pace'))).toBe(false);
  });
});
