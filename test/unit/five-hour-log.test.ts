import { describe, expect, it } from 'vitest';
import { addFiveHourObservation, FIVE_HOUR_LOG_SPACING_MS, MAX_FIVE_HOUR_LOG } from '../../main/core/sources/five-hour-log.js';
import { applyStatusLinePayload, parseStatusLineState, type FiveHourSeen } from '../../main/core/sources/statusline-store.js';
import { parseStatusLinePayload } from '../../main/core/sources/statusline-payload.js';

const NOW = Date.parse('2026-11-30T14:00:00Z');
const MIN = 60_000;
const RESETS = '2026-11-30T18:00:00.000Z';
const at = (ms: number): string => new Date(ms).toISOString();

function feed(figures: [number, number, string?][]): FiveHourSeen[] {
  let log: FiveHourSeen[] = [];
  for (const [ms, percent, resetsAt] of figures) log = addFiveHourObservation(log, { usedPercent: percent, resetsAt: resetsAt ?? RESETS }, at(ms));
  return log;
}

describe('status-line state: the 5-hour log the reconciliation reads', () => {
  it('keeps several figures per window, at least the spacing apart, the latest always last', () => {
    const log = feed([
      [NOW, 10],
      [NOW + MIN, 11],
      [NOW + 2 * MIN, 12],
      [NOW + 6 * MIN, 14],
      [NOW + 7 * MIN, 15],
    ]);
    expect(log).toEqual([
      { observedAt: at(NOW), usedPercent: 10, resetsAt: RESETS },
      { observedAt: at(NOW + 6 * MIN), usedPercent: 14, resetsAt: RESETS },
      { observedAt: at(NOW + 7 * MIN), usedPercent: 15, resetsAt: RESETS },
    ]);
    for (let i = 1; i < log.length - 1; i += 1) expect(Date.parse(log[i]!.observedAt) - Date.parse(log[i - 1]!.observedAt)).toBeGreaterThanOrEqual(FIVE_HOUR_LOG_SPACING_MS);
  });

  it('keeps an unchanged figure as its first and latest instants, and starts afresh in a new window', () => {
    const next = '2026-11-30T23:00:00.000Z';
    const log = feed([
      [NOW, 20],
      [NOW + 10 * MIN, 20],
      [NOW + 20 * MIN, 20],
      [NOW + 30 * MIN, 20],
      [NOW + 5 * 60 * MIN, 1, next],
      [NOW + 5 * 60 * MIN + MIN, 2, next],
    ]);
    expect(log.map((entry) => [entry.observedAt, entry.usedPercent])).toEqual([
      [at(NOW), 20],
      [at(NOW + 30 * MIN), 20],
      [at(NOW + 5 * 60 * MIN), 1],
      [at(NOW + 5 * 60 * MIN + MIN), 2],
    ]);
  });

  it('is bounded, and keeps no figure without a reset', () => {
    const figures: [number, number][] = [];
    for (let i = 0; i < MAX_FIVE_HOUR_LOG + 20; i += 1) figures.push([NOW + i * FIVE_HOUR_LOG_SPACING_MS, i % 100]);
    const log = feed(figures);
    expect(log).toHaveLength(MAX_FIVE_HOUR_LOG);
    expect(log.at(-1)?.observedAt).toBe(at(NOW + (MAX_FIVE_HOUR_LOG + 19) * FIVE_HOUR_LOG_SPACING_MS));
    expect(addFiveHourObservation(log, { usedPercent: 50, resetsAt: null }, at(NOW))).toEqual(log);
  });

  it('is kept in the state file by the status line and read back; odd entries are dropped', () => {
    const payload = (percent: number, now: number) => parseStatusLinePayload({ session_id: 's1', rate_limits: { five_hour: { used_percentage: percent, resets_at: Date.parse(RESETS) / 1000 } } }, now);
    let state = applyStatusLinePayload(null, payload(10, NOW), NOW);
    state = applyStatusLinePayload(state, payload(40, NOW + 60 * MIN), NOW + 60 * MIN);
    expect(state.fiveHourLog?.map((entry) => entry.usedPercent)).toEqual([10, 40]);
    const stored = JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
    expect(parseStatusLineState(stored)).toEqual(state);
    const odd = { ...stored, fiveHourLog: [{ observedAt: at(NOW), usedPercent: 1e9, resetsAt: RESETS }, 'x', { observedAt: 'soon', usedPercent: 5, resetsAt: RESETS }, ...(state.fiveHourLog ?? [])] };
    expect(parseStatusLineState(odd).fiveHourLog).toEqual(state.fiveHourLog);
  });
});
