/**
 * The one rule for things that come due at an instant (a session-window warning, the quota
 * window's reset, a scheduled session), shared by the app's notifier and the Engine's timer. A
 * machine that sleeps, or a clock that jumps (NTP, a manual change), makes a check arrive long
 * after an instant: what came due inside such a gap is reported as missed (once, summarised by the
 * caller) rather than replayed as if it were news. Instants are epoch ms, so a time-zone or DST
 * change moves nothing; only formatting is local. Pure: the clock is a parameter.
 */

/** A check this late after an instant still counts as on time (a tick or two, a slow wake). */
export const DUE_GRACE_MS = 2 * 60_000;

export interface DueInstant {
  /** Once-key: an instant whose key was already sent (or reported missed) is never due again. */
  key: string;
  /** Epoch ms. */
  at: number;
}

export interface DueCheckInput<T extends DueInstant> {
  /** When the previous check ran (epoch ms); null when none is known (a first start). */
  lastCheck: number | null;
  now: number;
  due: readonly T[];
  sent: { has(key: string): boolean };
  graceMs?: number;
}

export interface DueCheckResult<T extends DueInstant> {
  /** Due and on time (or newly learnt of, not lost to a gap): show now. */
  fire: T[];
  /** Came due inside a gap since the last check and is now late: report, do not replay. */
  missed: T[];
}

/**
 * Sorts the unsent instants that have come due into `fire` and `missed`. An instant is missed
 * when it fell after the last check and is more than the grace late: the checks between were lost
 * to sleep or a jump. One at or before the last check was not known then (a session found late, a
 * queue edit) and fires. After a backward jump the last check lies ahead of `now`, so nothing is
 * missed, and keys already sent keep anything from firing twice as the clock passes them again.
 */
export function checkDue<T extends DueInstant>(input: DueCheckInput<T>): DueCheckResult<T> {
  const grace = input.graceMs ?? DUE_GRACE_MS;
  const fire: T[] = [];
  const missed: T[] = [];
  const seen = new Set<string>();
  for (const item of input.due) {
    if (seen.has(item.key) || input.sent.has(item.key) || !Number.isFinite(item.at) || item.at > input.now) continue;
    seen.add(item.key);
    const late = input.now - item.at > grace;
    const inGap = input.lastCheck !== null && item.at > input.lastCheck;
    (late && inGap ? missed : fire).push(item);
  }
  return { fire, missed };
}

/**
 * Whether the wall clock moved differently from the timer that just fired: backwards, or by more
 * than `toleranceMs` beyond what the timer waited (sleep pauses timers; NTP and people move clocks).
 */
export function clockJumped(lastTick: number, now: number, waitedMs: number, toleranceMs: number): boolean {
  const elapsed = now - lastTick;
  return elapsed < 0 || Math.abs(elapsed - waitedMs) > toleranceMs;
}

/**
 * How long to wait before the next look at the wall clock: until the earliest future instant (plus
 * `slackMs`), but never longer than `maxMs`, since a long timer is late by however long the
 * machine sleeps and blind to clock changes.
 */
export function nextTickDelay(now: number, instants: readonly number[], maxMs: number, slackMs: number): number {
  const future = instants.filter((at) => Number.isFinite(at) && at > now);
  const until = future.length === 0 ? maxMs : Math.min(...future) - now + slackMs;
  return Math.max(1, Math.min(maxMs, until));
}
