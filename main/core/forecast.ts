/**
 * The forecast rule (issue 13): at the current pace, when does each window run out, and which one
 * stops the user first. The 5-hour window is paced by the burn rate (the same rate the runway
 * assumes) against the plan's limit; the week by the server's weekly percent over the
 * observations the status-line store keeps (`sevenDaySeen`). Pure: figures and the clock in, the
 * Snapshot's `quota.forecast` out. Light on imports: the status line runs it after every message.
 */
import { WINDOW_MS } from '../../shared/plans.js';
import type { QuotaForecast, WindowForecast } from '../../shared/snapshot.js';
import { WEEK_MS } from '../../shared/plans.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Observations closer together than this give no pace worth projecting a week with. */
export const MIN_PACE_SPAN_MS = HOUR_MS;
/** Two weekly figures belong to the same window when their resets agree this closely (they sit on the hour). */
const SAME_RESET_MS = HOUR_MS;

/** One weekly figure as the status line saw it (statusline-store.ts's `sevenDaySeen`). */
export interface WeeklyObservation {
  observedAt: string;
  usedPercent: number;
  resetsAt: string | null;
}

export interface ForecastInput {
  now: number;
  fiveHour: {
    percentUsed: number;
    /** The window's reset (epoch ms); null with no window running. */
    resetsAt: number | null;
    percentPerMinute: number;
  };
  /** The server's fresh weekly figure; null when none is known. */
  sevenDay: WeeklyObservation | null;
  /** Earlier weekly figures, oldest first. */
  sevenDaySeen: readonly WeeklyObservation[];
}

/** The rate the runway and the forecast assume: the last hour's, else the window's since it began. */
export function paceTokensPerMinute(burn: { tokensPerMinute: number; lastHourTokensPerMinute: number }): number {
  return burn.lastHourTokensPerMinute > 0 ? burn.lastHourTokensPerMinute : burn.tokensPerMinute;
}

/** The burn rate as percent of the plan's 5-hour limit per minute. */
export function fiveHourPercentPerMinute(burn: { tokensPerMinute: number; lastHourTokensPerMinute: number }, limit: number): number {
  return limit > 0 ? (paceTokensPerMinute(burn) * 100) / limit : 0;
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

function sameWeek(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(Date.parse(a) - Date.parse(b)) <= SAME_RESET_MS;
}

/**
 * The weekly pace in percent per minute: from the oldest observation of this weekly window to the
 * latest figure. Observations of an earlier window (another reset, or a higher percent than a
 * later one: the window reset in between) do not count. With less than an hour observed, the pace
 * since the window began (its reset less a week, when the server's percent was 0); else zero.
 */
export function weeklyPercentPerMinute(latest: WeeklyObservation, seen: readonly WeeklyObservation[]): number {
  const latestMs = Date.parse(latest.observedAt);
  if (!Number.isFinite(latestMs)) return 0;
  let oldest: { at: number; percent: number } | null = null;
  let laterPercent = latest.usedPercent;
  for (let i = seen.length - 1; i >= 0; i -= 1) {
    const entry = seen[i] as WeeklyObservation;
    const at = Date.parse(entry.observedAt);
    if (!Number.isFinite(at) || at > latestMs) continue;
    if (!sameWeek(entry.resetsAt, latest.resetsAt) || entry.usedPercent > laterPercent) break;
    oldest = { at, percent: entry.usedPercent };
    laterPercent = entry.usedPercent;
  }
  if (oldest !== null && latestMs - oldest.at >= MIN_PACE_SPAN_MS) {
    return (Math.max(0, latest.usedPercent - oldest.percent) * MINUTE_MS) / (latestMs - oldest.at);
  }
  const reset = latest.resetsAt === null ? Number.NaN : Date.parse(latest.resetsAt);
  const elapsed = latestMs - (reset - WEEK_MS);
  return Number.isFinite(elapsed) && elapsed >= MIN_PACE_SPAN_MS ? (latest.usedPercent * MINUTE_MS) / elapsed : 0;
}

/**
 * One window at `perMinute` percent a minute from `percent` now. It runs out when it reaches 100
 * before its reset (or, reset unknown, within one window length from now).
 */
export function windowForecast(now: number, percent: number, resetsAt: number | null, perMinute: number, windowMs: number): WindowForecast {
  const used = finiteOr(percent, 0);
  const pace = Math.max(0, finiteOr(perMinute, 0));
  const reset = resetsAt !== null && Number.isFinite(resetsAt) ? resetsAt : null;
  const horizon = reset ?? now + windowMs;
  const toReset = reset === null ? 0 : Math.max(0, reset - now);
  const percentAtReset = Math.round((used + (pace * toReset) / MINUTE_MS) * 10) / 10;
  let runsOut: number | null = null;
  if (used >= 100) runsOut = now;
  else if (pace > 0) {
    const at = now + ((100 - used) / pace) * MINUTE_MS;
    // Truncated to the second: never promise more time than is left.
    if (at < horizon) runsOut = Math.max(now, Math.floor(at / 1000) * 1000);
  }
  return { runsOutAt: runsOut === null ? null : new Date(runsOut).toISOString(), percentAtReset };
}

/** The window that runs out first; on a tie the week, which stops the user for longer. */
function bindingOf(fiveHour: WindowForecast, sevenDay: WindowForecast | null): QuotaForecast['binding'] {
  const five = fiveHour.runsOutAt === null ? null : Date.parse(fiveHour.runsOutAt);
  const week = sevenDay?.runsOutAt ? Date.parse(sevenDay.runsOutAt) : null;
  if (week !== null && (five === null || week <= five)) return 'sevenDay';
  return five !== null ? 'fiveHour' : null;
}

/** The Snapshot's `quota.forecast`. */
export function quotaForecast(input: ForecastInput): QuotaForecast {
  const { now } = input;
  const fiveHour = windowForecast(now, input.fiveHour.percentUsed, input.fiveHour.resetsAt, input.fiveHour.percentPerMinute, WINDOW_MS);
  const week = input.sevenDay;
  const sevenDay = week
    ? windowForecast(now, week.usedPercent, week.resetsAt === null ? null : Date.parse(week.resetsAt), weeklyPercentPerMinute(week, input.sevenDaySeen), WEEK_MS)
    : null;
  return { binding: bindingOf(fiveHour, sevenDay), fiveHour, sevenDay };
}
