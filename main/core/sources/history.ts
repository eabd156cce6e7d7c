/**
 * Usage history: the completed 5-hour windows, kept by the optimizer so that the `auto` plan (the
 * 90th percentile of the user's completed windows) never re-reads the whole history, and so the
 * record survives Claude Code deleting transcripts after `cleanupPeriodDays` (claude-code-facts §1).
 *
 * Incremental by construction: `horizon` is the end of the last completed window. The next event
 * at or after a window's end starts a new window, so windows computed from the events at or after
 * the horizon are exact, and only files modified since the horizon are opened (from their tail).
 */
import fs from 'node:fs';
import type { LimitEvent, TokenBreakdown, UsageEvent } from '../../../shared/events.js';
import type { TokenKind } from '../../../shared/plans.js';
import type { WindowAlignment } from '../../../shared/snapshot.js';
import { statePaths, type TranscriptFile } from '../paths.js';
import { computeWindows, countedTokens } from '../quota.js';
import type { LearnedLimit } from '../snapshot.js';
import { readStatusLineState, type FiveHourSeen } from './statusline-store.js';
import { isRecord, readJsonStateSync, updateJsonStateSync } from '../store.js';
import type { TranscriptLedger } from '../transcripts/ledger.js';
import { plausibleTotals } from '../transcripts/plausible.js';

export interface CompletedWindow {
  start: number;
  end: number;
  tokens: TokenBreakdown;
  messages: number;
  /** The server's last 5-hour percentage seen in the window (the status line); null when none was seen. */
  serverPercent: number | null;
  /** Whether a usage-limit signal fell in the window; null for windows recorded by version 1, which kept no signals. */
  limitHit: boolean | null;
}

export interface UsageHistory {
  version: 2;
  alignment: WindowAlignment;
  /** End of the last completed window; null before the first build. */
  horizon: number | null;
  windows: CompletedWindow[];
}

/** About a year of heavy use; older windows say little about today's limit. */
const MAX_WINDOWS = 2000;
const LEARN_FROM_DAYS = 60;
const MIN_WINDOWS_TO_LEARN = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

export function emptyHistory(alignment: WindowAlignment): UsageHistory {
  return { version: 2, alignment, horizon: null, windows: [] };
}

function isTokens(value: unknown): value is TokenBreakdown {
  return isRecord(value) && ['input', 'output', 'cacheCreation', 'cacheRead'].every((k) => typeof value[k] === 'number');
}

/**
 * Reads version 2 and the older version 1 (windows without `serverPercent` and `limitHit`, read as
 * unknown: null), so a history kept for months survives the upgrade; it is saved as version 2.
 */
export function parseHistory(raw: unknown): UsageHistory {
  if (!isRecord(raw) || (raw.version !== 1 && raw.version !== 2) || !Array.isArray(raw.windows)) throw new Error('not a usage history (version 1 or 2)');
  const alignment = raw.alignment === 'hour' ? 'hour' : 'first-token';
  const horizon = typeof raw.horizon === 'number' ? raw.horizon : null;
  const windows: CompletedWindow[] = [];
  for (const w of raw.windows) {
    if (!isRecord(w) || typeof w.start !== 'number' || typeof w.end !== 'number' || typeof w.messages !== 'number' || !isTokens(w.tokens)) {
      throw new Error('a window entry is malformed');
    }
    // A window counted before implausible usage was rejected (1e308 tokens...) would poison the learned limit: left out.
    if (!plausibleTotals(w.tokens, w.messages)) continue;
    const serverPercent = typeof w.serverPercent === 'number' && w.serverPercent >= 0 && w.serverPercent <= 100 ? w.serverPercent : null;
    const limitHit = typeof w.limitHit === 'boolean' ? w.limitHit : null;
    windows.push({ start: w.start, end: w.end, tokens: w.tokens, messages: w.messages, serverPercent, limitHit });
  }
  return { version: 2, alignment, horizon, windows };
}

/** What a completed window learns besides its tokens: the limit signals and the server's figures seen meanwhile. */
export interface WindowSignals {
  limits: readonly LimitEvent[];
  /** Read only when a window completes (the status-line state file), so most updates cost nothing. */
  serverSeen: () => readonly FiveHourSeen[];
}

const NO_SIGNALS: WindowSignals = { limits: [], serverSeen: () => [] };

/** The last server 5-hour figure observed in [start, end) that belongs to that window (not a reset at or before its start). */
export function serverPercentIn(seen: readonly FiveHourSeen[], start: number, end: number): number | null {
  let best: FiveHourSeen | null = null;
  for (const entry of seen) {
    const at = Date.parse(entry.observedAt);
    if (!(at >= start && at < end)) continue;
    if (entry.resetsAt !== null && Date.parse(entry.resetsAt) <= start) continue;
    if (best === null || at >= Date.parse(best.observedAt)) best = entry;
  }
  return best?.usedPercent ?? null;
}

export function limitHitIn(limits: readonly LimitEvent[], start: number, end: number): boolean {
  return limits.some((signal) => signal.timestamp >= start && signal.timestamp < end);
}

/**
 * Folds the events at or after the horizon into completed windows (pure). `events` must hold
 * every deduplicated event in [horizon, now], in time order; events before it are already counted.
 */
export function advanceHistory(history: UsageHistory, events: readonly UsageEvent[], now: number, signals: WindowSignals = NO_SIGNALS): UsageHistory {
  const from = history.horizon ?? Number.NEGATIVE_INFINITY;
  const fresh = events.filter((event) => event.timestamp >= from && event.timestamp <= now);
  const completed = computeWindows(fresh, history.alignment).filter((w) => w.end <= now);
  if (completed.length === 0) return history;
  const seen = signals.serverSeen();
  const windows = [
    ...history.windows,
    ...completed.map((w) => ({
      start: w.start,
      end: w.end,
      tokens: { ...w.tokens },
      messages: w.messages,
      serverPercent: serverPercentIn(seen, w.start, w.end),
      limitHit: limitHitIn(signals.limits, w.start, w.end),
    })),
  ].slice(-MAX_WINDOWS);
  return { ...history, horizon: (completed[completed.length - 1] as { end: number }).end, windows };
}

/** 90th percentile (nearest rank) of completed windows' counted tokens over the last 60 days. */
export function learnedLimit(history: UsageHistory, kinds: readonly TokenKind[], now: number): LearnedLimit {
  const recent = history.windows.filter((w) => w.end > now - LEARN_FROM_DAYS * DAY_MS && w.end <= now);
  if (recent.length < MIN_WINDOWS_TO_LEARN) return { limit: null, windows: recent.length };
  const sums = recent.map((w) => countedTokens(w.tokens, kinds)).sort((a, b) => a - b);
  const rank = Math.ceil(0.9 * sums.length) - 1;
  return { limit: Math.max(1, sums[rank] as number), windows: recent.length };
}

export interface HistoryUpdate {
  history: UsageHistory;
  warning: string | null;
}

/**
 * Reads what is new since the horizon through `ledger` (shared with the Snapshot, so the recent
 * files are read once), folds it in, and saves the file atomically under its lock when it moved.
 * A history built with another window alignment is rebuilt from the transcripts still on disk.
 */
export function updateHistory(
  root: string,
  ledger: TranscriptLedger,
  files: readonly TranscriptFile[],
  now: number,
  alignment: WindowAlignment,
  persist: boolean,
): HistoryUpdate {
  const file = statePaths(root).usageHistory;
  const read = readJsonStateSync(file, parseHistory);
  let history = read.value && read.value.alignment === alignment ? read.value : emptyHistory(alignment);
  const since = history.horizon ?? Number.NEGATIVE_INFINITY;
  ledger.refresh(files, since);
  const events = ledger.events(since, now);
  const next = advanceHistory(history, events.usage, now, {
    limits: events.limits,
    serverSeen: () => readStatusLineState(root).value?.fiveHourSeen ?? [],
  });
  if (persist && (next !== history || !read.value)) {
    const saved = updateJsonStateSync(file, parseHistory, (onDisk) =>
      // Another process may have moved further meanwhile: keep whichever saw more.
      onDisk && onDisk.alignment === alignment && (onDisk.horizon ?? -Infinity) > (next.horizon ?? -Infinity) ? onDisk : next,
    );
    history = saved.value;
  } else {
    history = next;
  }
  return { history, warning: read.warning };
}

export function historyExists(root: string): boolean {
  return fs.existsSync(statePaths(root).usageHistory);
}
