/**
 * The old window's figure, which the client may relay for a moment after a reset
 * (claude-code-facts.md §6): told apart from a real one by what the status-line state already
 * accepted, so it is a rule of the state (statusline-store.ts applies it to each payload) rather
 * than of the payload's own parsing (statusline-payload.ts).
 */
import { WEEK_MS, WINDOW_MS } from '../../../shared/plans.js';
import { CLOCK_TOLERANCE_MS, type ServerWindow, type StatusLinePayload } from './statusline-payload.js';
import type { FiveHourSeen, StatusLineState } from './statusline-store.js';

/**
 * How long into a 5-hour window (from its reset less 5 h) a figure as high as the previous
 * window's last one is taken for that stale figure: the server's windows sit on the hour, so a
 * window's first response comes within the hour after its nominal start, and the client's stale
 * figure follows within minutes.
 */
export const OLD_FIGURE_GRACE_MS = 75 * 60_000;

/** A window's figure, or null when it belongs to the window before the one already accepted (named in `rejected`). */
function notOlder(window: ServerWindow | null, accepted: string | null, name: string, windowMs: number, rejected: string[]): ServerWindow | null {
  if (window?.resetsAt == null || accepted === null) return window;
  // A reset a whole window before the accepted one names the window before it; a reset moved by minutes is the same window.
  if (Date.parse(window.resetsAt) > Date.parse(accepted) - windowMs + CLOCK_TOLERANCE_MS) return window;
  rejected.push(`${name}.resets_at ${window.resetsAt} is the previous window's (the window resetting ${accepted} was already reported)`);
  return null;
}

/**
 * The 5-hour figure, or null when it is the previous window's percentage relayed with the new
 * reset: early in the window, higher than this window already reported, and as high as the last
 * figure of the window before (which this window had fallen below).
 */
function notPreviousPercent(window: ServerWindow | null, seen: readonly FiveHourSeen[], now: number, rejected: string[]): ServerWindow | null {
  if (window?.resetsAt == null) return window;
  const resets = Date.parse(window.resetsAt);
  const current = seen[seen.length - 1];
  const previous = seen[seen.length - 2];
  if (current?.resetsAt !== window.resetsAt || previous?.resetsAt == null || now >= resets - WINDOW_MS + OLD_FIGURE_GRACE_MS) return window;
  if (Date.parse(previous.resetsAt) > resets - WINDOW_MS + CLOCK_TOLERANCE_MS) return window;
  const stale = previous.usedPercent > current.usedPercent && window.usedPercent > current.usedPercent && window.usedPercent >= previous.usedPercent;
  if (!stale) return window;
  rejected.push(`rate_limits.five_hour.used_percentage ${window.usedPercent} is the previous window's figure (it ended at ${previous.usedPercent}%; this window had ${current.usedPercent}%)`);
  return null;
}

/**
 * The payload without the old window's figures, which the client may relay for a moment after a
 * 5-hour reset (claude-code-facts.md §6): a reset a whole window before the newest one already
 * accepted for that window, or the previous window's percentage with the new reset. Each is named
 * in `rejected` (and so counted) like the figures parsing rejects. Pure.
 */
export function withoutOldWindow(state: StatusLineState | null, payload: StatusLinePayload, now: number): StatusLinePayload {
  const limits = payload.rateLimits;
  if (limits === null || state === null) return payload;
  const rejected = [...payload.rejected];
  const seen = state.fiveHourSeen ?? [];
  const lastFiveHour = seen.at(-1)?.resetsAt ?? null;
  let fiveHour = notOlder(limits.fiveHour, lastFiveHour, 'rate_limits.five_hour', WINDOW_MS, rejected);
  fiveHour = notPreviousPercent(fiveHour, seen, now, rejected);
  const sevenDay = notOlder(limits.sevenDay, state.latest?.rateLimits.sevenDay?.resetsAt ?? null, 'rate_limits.seven_day', WEEK_MS, rejected);
  if (rejected.length === payload.rejected.length) return payload;
  return { ...payload, rateLimits: fiveHour === null && sevenDay === null ? null : { fiveHour, sevenDay }, rejected };
}
