/**
 * The server's 5-hour percentages as they rose through a window (`fiveHourLog` in
 * statusline-state.json), for the reconciliation (main/core/reconciliation.ts): several figures
 * per server window, where `fiveHourSeen` keeps only each window's last one for the history.
 *
 * The status line runs after every assistant message, so the log is thinned as it grows: the
 * last entry stays provisional (replaced by the next figure of its window) until it lies
 * {@link FIVE_HOUR_LOG_SPACING_MS} after the entry before it, and a run of one unchanged figure
 * keeps only its first and latest instants. The last entry is always the latest figure, and a
 * window's first one is never replaced. A figure without a reset names no window and is not kept.
 */
import type { FiveHourSeen } from './statusline-store.js';
import type { ServerWindow } from './statusline-payload.js';

/** Kept entries lie at least this far apart within a window (the last one excepted). */
export const FIVE_HOUR_LOG_SPACING_MS = 5 * 60_000;
/** Two dense windows (about 60 entries each) or many sparse ones: the reconciliation reads the last 10 hours. */
export const MAX_FIVE_HOUR_LOG = 128;

/** The log with one more figure observed at `observedAt` (pure). */
export function addFiveHourObservation(log: readonly FiveHourSeen[], window: ServerWindow, observedAt: string): FiveHourSeen[] {
  if (window.resetsAt === null) return [...log];
  const entry: FiveHourSeen = { observedAt, usedPercent: window.usedPercent, resetsAt: window.resetsAt };
  const before = log[log.length - 2];
  const last = log[log.length - 1];
  let kept = [...log];
  if (before && last && before.resetsAt === window.resetsAt && last.resetsAt === window.resetsAt) {
    const provisional = Date.parse(last.observedAt) - Date.parse(before.observedAt) < FIVE_HOUR_LOG_SPACING_MS;
    const unchanged = before.usedPercent === last.usedPercent && last.usedPercent === window.usedPercent;
    if (provisional || unchanged) kept = log.slice(0, -1);
  }
  kept.push(entry);
  return kept.slice(-MAX_FIVE_HOUR_LOG);
}
