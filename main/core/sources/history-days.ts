/**
 * The history's rules (pure; the clock and the local calendar are parameters): which windows a
 * report of the last N days lists, and the per-day totals. A window belongs to the local day it
 * started on, so each window is counted once: a day's tokens, windows and limit hits add up to its
 * windows' own, even for a window that runs past midnight.
 */
import { zeroTokens, type TokenBreakdown } from '../../../shared/events.js';
import type { TokenKind } from '../../../shared/plans.js';
import type { HistoryDay, HistorySnapshot, HistoryWindow } from '../../../shared/snapshot.js';
import { addTokens, countedTokens } from '../quota.js';
import type { CompletedWindow } from './history.js';
import type { LearnedLimit } from '../snapshot.js';

/** `--days`: the default and the accepted range. */
export const HISTORY_DAYS = { default: 7, min: 1, max: 90 } as const;
/** The popover's chart: a week. */
export const SNAPSHOT_HISTORY_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The local calendar date (YYYY-MM-DD) of an instant. */
export type DayOf = (ms: number) => string;

const pad = (n: number): string => String(n).padStart(2, '0');

/** The date in the process's time zone (TZ), as a person there reads it. */
export const localDayOf: DayOf = (ms) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/** The date at a fixed offset from UTC (minutes east), for reports in a given zone and for tests. */
export function offsetDayOf(offsetMinutes: number | ((ms: number) => number)): DayOf {
  return (ms) => {
    const offset = typeof offsetMinutes === 'function' ? offsetMinutes(ms) : offsetMinutes;
    return new Date(ms + offset * 60_000).toISOString().slice(0, 10);
  };
}

/** The `count` dates ending with `last`, oldest first (calendar arithmetic: no time zone involved). */
export function datesEndingOn(last: string, count: number): string[] {
  const [y, m, d] = last.split('-').map(Number) as [number, number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i -= 1) out.push(new Date(Date.UTC(y, m - 1, d - i)).toISOString().slice(0, 10));
  return out;
}

/** A window as the history lists it: a completed one from usage-history.json, or the current one from the transcripts. */
export interface HistoryWindowInput {
  start: number;
  end: number;
  tokens: TokenBreakdown;
  serverPercent: number | null;
  limitHit: boolean | null;
  current: boolean;
}

export function completedWindowInput(window: CompletedWindow): HistoryWindowInput {
  return { start: window.start, end: window.end, tokens: window.tokens, serverPercent: window.serverPercent, limitHit: window.limitHit, current: false };
}

export interface HistoryRules {
  now: number;
  days: number;
  kinds: readonly TokenKind[];
  /** The plan's tokens per window: a window's `percent` is its counted tokens over this. */
  limit: number;
  dayOf: DayOf;
}

export interface HistoryTable {
  /** The first and last dates covered. */
  from: string;
  to: string;
  windows: HistoryWindow[];
  days: HistoryDay[];
}

/**
 * The windows that started on one of the last `days` local dates (today included) and not after
 * `now`, oldest first, and one row per date, days without use included (a chart needs the gaps).
 */
export function historyTable(input: readonly HistoryWindowInput[], rules: HistoryRules): HistoryTable {
  const dates = datesEndingOn(rules.dayOf(rules.now), rules.days);
  const from = dates[0] as string;
  const to = dates[dates.length - 1] as string;
  const byDate = new Map<string, HistoryDay>(dates.map((date) => [date, { date, tokens: zeroTokens(), counted: 0, windows: 0, limitHits: 0 }]));
  const windows: HistoryWindow[] = [];
  // Two days' slack: no zone is more than 14 hours from UTC.
  const earliest = Date.parse(`${from}T00:00:00Z`) - 2 * DAY_MS;
  const sorted = [...input].filter((w) => w.start >= earliest && w.start <= rules.now).sort((a, b) => a.start - b.start);
  for (const w of sorted) {
    const day = byDate.get(rules.dayOf(w.start));
    if (!day) continue;
    const counted = countedTokens(w.tokens, rules.kinds);
    windows.push({
      start: new Date(w.start).toISOString(),
      end: new Date(w.end).toISOString(),
      tokens: { ...w.tokens },
      counted,
      percent: rules.limit > 0 ? Math.round((counted / rules.limit) * 1000) / 10 : 0,
      serverPercent: w.serverPercent,
      limitHit: w.limitHit,
      current: w.current,
    });
    addTokens(day.tokens, w.tokens);
    day.counted += counted;
    day.windows += 1;
    if (w.limitHit) day.limitHits += 1;
  }
  return { from, to, windows, days: dates.map((date) => byDate.get(date) as HistoryDay) };
}

/** The Snapshot's part (the popover's week chart): the last 7 days' totals and the auto plan's P90. */
export function historySnapshot(input: readonly HistoryWindowInput[], learned: LearnedLimit, rules: Omit<HistoryRules, 'days'>): HistorySnapshot {
  const table = historyTable(input, { ...rules, days: SNAPSHOT_HISTORY_DAYS });
  return { days: table.days, p90: { limit: learned.limit, windows: learned.windows } };
}
