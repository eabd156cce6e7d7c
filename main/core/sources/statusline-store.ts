/**
 * What Claude Code's status line tells us (its payload: statusline-payload.ts), kept in
 * `<root>/statusline-state.json`: the server's own 5-hour and weekly utilisation (`rate_limits`,
 * the only exact quota source that needs no network and no credentials), the logs of its figures
 * the history, forecast and reconciliation read, and each session's context window.
 * `cco statusline` writes it after every assistant message; the engine reads it. The old window's
 * figure relayed just after a reset is rejected here (it takes the state to know), named in
 * `rejected` like the payload's own rejects, and counted in the state file.
 */
import type { StatusLineContext } from '../context/context.js';
import { WEEK_MS, WINDOW_MS } from '../../../shared/plans.js';
import { statePaths } from '../paths.js';
import { isRecord, readJsonFileSync, readJsonStateSync, updateJsonStateSync, type LockOptions, type StateRead } from '../store.js';
import { MAX_CONTEXT_TOKENS } from '../transcripts/plausible.js';
import { addFiveHourObservation, MAX_FIVE_HOUR_LOG } from './five-hour-log.js';
import { withoutOldWindow } from './statusline-old-window.js';
import { CLOCK_TOLERANCE_MS, isPercentage, type ContextWindowInfo, type ModelInfo, type ServerRateLimits, type ServerWindow, type StatusLinePayload } from './statusline-payload.js';

/** Sessions not seen for this long are dropped from the state file. */
export const SESSION_RETENTION_MS = 24 * 60 * 60 * 1000;
/** At most this many sessions are kept (most recently seen first), whatever their age. */
export const MAX_SESSIONS = 200;

export interface StatusLineSession {
  observedAt: string;
  transcriptPath: string | null;
  cwd: string | null;
  model: ModelInfo | null;
  contextWindow: ContextWindowInfo | null;
  exceeds200k: boolean | null;
}

export interface StatusLineLatest {
  observedAt: string;
  sessionId: string | null;
  rateLimits: ServerRateLimits;
}

/** Implausible payload figures rejected so far (the status line exits at once: the count lives here). */
export interface StatusLineRejections {
  count: number;
  /** The latest one: field and value. */
  last: string;
  lastAt: string;
}

/** The last 5-hour figure the server reported in one of its windows (one entry per `resetsAt`). */
export interface FiveHourSeen {
  observedAt: string;
  usedPercent: number;
  resetsAt: string | null;
}

/** About two weeks of windows: the usage history copies each into its window once that window completes. */
export const MAX_FIVE_HOUR_SEEN = 64;

/**
 * The server's weekly figures over time, for the weekly pace (main/core/forecast.ts): about one an
 * hour, a week's worth. The same shape as {@link FiveHourSeen}.
 */
export type SevenDaySeen = FiveHourSeen;

/** A new weekly entry once the last one is this old (sooner when the window changed). */
export const SEVEN_DAY_SEEN_SPACING_MS = 60 * 60 * 1000;
/** A week of hourly entries, and a few for resets in between. */
export const MAX_SEVEN_DAY_SEEN = 7 * 24 + 8;

export interface StatusLineState {
  version: 1;
  /** The last payload that carried `rate_limits`; payloads without them leave it alone. */
  latest: StatusLineLatest | null;
  sessions: Record<string, StatusLineSession>;
  /** Absent until a payload had a figure rejected. */
  rejected?: StatusLineRejections;
  /** The last 5-hour figure per server window, oldest first (absent in files written before it was kept). */
  fiveHourSeen?: FiveHourSeen[];
  /** Several 5-hour figures per window, thinned, oldest first (five-hour-log.ts; absent in older files). */
  fiveHourLog?: FiveHourSeen[];
  /** Weekly figures, oldest first, at most a week old (absent in files written before it was kept). */
  sevenDaySeen?: SevenDaySeen[];
}

export function statusLineStatePath(root: string): string {
  return statePaths(root).statusLineState;
}

// ---- the state file ----

function isoOrNull(value: unknown): string | null {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : null;
}

function parseStoredWindow(raw: unknown): ServerWindow | null {
  // A file written before figures were checked (or by hand) may hold what a payload may not.
  if (!isRecord(raw) || typeof raw.usedPercent !== 'number' || !isPercentage(raw.usedPercent)) return null;
  return { usedPercent: raw.usedPercent, resetsAt: isoOrNull(raw.resetsAt) };
}

function parseStoredContext(raw: unknown): ContextWindowInfo | null {
  if (!isRecord(raw)) return null;
  const usage = raw.currentUsage;
  const n = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  return {
    size: typeof raw.size === 'number' && Number.isSafeInteger(raw.size) && raw.size > 0 && raw.size <= MAX_CONTEXT_TOKENS ? raw.size : null,
    usedPercent: typeof raw.usedPercent === 'number' && isPercentage(raw.usedPercent) ? raw.usedPercent : null,
    currentUsage: isRecord(usage) ? { input: n(usage.input), output: n(usage.output), cacheCreation: n(usage.cacheCreation), cacheRead: n(usage.cacheRead) } : null,
  };
}

function parseStoredModel(raw: unknown): ModelInfo | null {
  if (!isRecord(raw)) return null;
  return { id: typeof raw.id === 'string' ? raw.id : null, displayName: typeof raw.displayName === 'string' ? raw.displayName : null };
}

/**
 * Validate the state file. Not an object or another version: throws (the store moves the file
 * aside). Entries that do not fit are dropped rather than failing the whole file.
 */
export function parseStatusLineState(raw: unknown): StatusLineState {
  if (!isRecord(raw) || raw.version !== 1) throw new Error('not a version 1 status-line state');
  let latest: StatusLineLatest | null = null;
  if (isRecord(raw.latest) && isoOrNull(raw.latest.observedAt) !== null && isRecord(raw.latest.rateLimits)) {
    const rateLimits = { fiveHour: parseStoredWindow(raw.latest.rateLimits.fiveHour), sevenDay: parseStoredWindow(raw.latest.rateLimits.sevenDay) };
    latest = { observedAt: raw.latest.observedAt as string, sessionId: typeof raw.latest.sessionId === 'string' ? raw.latest.sessionId : null, rateLimits };
  }
  const sessions: Record<string, StatusLineSession> = {};
  if (isRecord(raw.sessions)) {
    for (const [id, entry] of Object.entries(raw.sessions)) {
      if (!isRecord(entry)) continue;
      const observedAt = isoOrNull(entry.observedAt);
      if (observedAt === null) continue;
      sessions[id] = {
        observedAt,
        transcriptPath: typeof entry.transcriptPath === 'string' ? entry.transcriptPath : null,
        cwd: typeof entry.cwd === 'string' ? entry.cwd : null,
        model: parseStoredModel(entry.model),
        contextWindow: parseStoredContext(entry.contextWindow),
        exceeds200k: typeof entry.exceeds200k === 'boolean' ? entry.exceeds200k : null,
      };
    }
  }
  const rejected = parseStoredRejections(raw.rejected);
  const state: StatusLineState = rejected ? { version: 1, latest, sessions, rejected } : { version: 1, latest, sessions };
  const seen = parseSeenLog(raw.fiveHourSeen, MAX_FIVE_HOUR_SEEN);
  if (seen.length > 0) state.fiveHourSeen = seen;
  const log = parseSeenLog(raw.fiveHourLog, MAX_FIVE_HOUR_LOG);
  if (log.length > 0) state.fiveHourLog = log;
  const weekly = parseSeenLog(raw.sevenDaySeen, MAX_SEVEN_DAY_SEEN);
  if (weekly.length > 0) state.sevenDaySeen = weekly;
  return state;
}

function parseSeenLog(raw: unknown, max: number): FiveHourSeen[] {
  if (!Array.isArray(raw)) return [];
  const seen: FiveHourSeen[] = [];
  for (const entry of raw.slice(-max)) {
    const window = parseStoredWindow(entry);
    const observedAt = isRecord(entry) ? isoOrNull(entry.observedAt) : null;
    if (window && observedAt) seen.push({ observedAt, usedPercent: window.usedPercent, resetsAt: window.resetsAt });
  }
  return seen;
}

/** The log with one more 5-hour figure: it replaces the last entry when both name the same reset (the same server window). */
export function addFiveHourSeen(log: readonly FiveHourSeen[], window: ServerWindow, observedAt: string): FiveHourSeen[] {
  const entry: FiveHourSeen = { observedAt, usedPercent: window.usedPercent, resetsAt: window.resetsAt };
  const last = log[log.length - 1];
  const kept = last && last.resetsAt === window.resetsAt ? log.slice(0, -1) : [...log];
  return [...kept, entry].slice(-MAX_FIVE_HOUR_SEEN);
}

/**
 * The weekly log with one more figure observed at `observedAt`: appended when the last entry is an
 * hour old, names another reset or shows a higher percent (the window reset); otherwise the log
 * stays as it is (the latest figure itself lives in `latest`). Entries over a week old are dropped.
 */
export function addSevenDaySeen(log: readonly SevenDaySeen[], window: ServerWindow, observedAt: string): SevenDaySeen[] {
  const now = Date.parse(observedAt);
  const kept = log.filter((entry) => now - Date.parse(entry.observedAt) <= WEEK_MS);
  const last = kept[kept.length - 1];
  const due = !last || now - Date.parse(last.observedAt) >= SEVEN_DAY_SEEN_SPACING_MS || last.resetsAt !== window.resetsAt || last.usedPercent > window.usedPercent;
  if (!due) return kept;
  return [...kept, { observedAt, usedPercent: window.usedPercent, resetsAt: window.resetsAt }].slice(-MAX_SEVEN_DAY_SEEN);
}

function parseStoredRejections(raw: unknown): StatusLineRejections | null {
  if (!isRecord(raw) || typeof raw.count !== 'number' || !Number.isSafeInteger(raw.count) || raw.count <= 0) return null;
  const lastAt = isoOrNull(raw.lastAt);
  if (lastAt === null || typeof raw.last !== 'string') return null;
  return { count: raw.count, last: raw.last.slice(0, 300), lastAt };
}

export function emptyStatusLineState(): StatusLineState {
  return { version: 1, latest: null, sessions: {} };
}

/**
 * The state after one payload observed at `now` (pure): the old window's figures left out
 * ({@link withoutOldWindow}); `latest` replaced only by a payload with rate limits; this session's
 * entry refreshed; sessions unseen for 24 h dropped.
 */
export function applyStatusLinePayload(current: StatusLineState | null, received: StatusLinePayload, now: number): StatusLineState {
  const payload = withoutOldWindow(current, received, now);
  const state = current ?? emptyStatusLineState();
  const observedAt = new Date(now).toISOString();
  const latest: StatusLineLatest | null = payload.rateLimits !== null ? { observedAt, sessionId: payload.sessionId, rateLimits: payload.rateLimits } : state.latest;
  const entries = Object.entries(state.sessions).filter(([id, session]) => {
    if (id === payload.sessionId) return false;
    const age = now - Date.parse(session.observedAt);
    return age <= SESSION_RETENTION_MS;
  });
  if (payload.sessionId !== null) {
    entries.push([
      payload.sessionId,
      {
        observedAt,
        transcriptPath: payload.transcriptPath,
        cwd: payload.cwd,
        model: payload.model,
        contextWindow: payload.contextWindow,
        exceeds200k: payload.exceeds200k,
      },
    ]);
  }
  entries.sort((a, b) => Date.parse(b[1].observedAt) - Date.parse(a[1].observedAt));
  const next: StatusLineState = { version: 1, latest, sessions: Object.fromEntries(entries.slice(0, MAX_SESSIONS)) };
  const fiveHour = payload.rateLimits?.fiveHour ?? null;
  const seen = fiveHour ? addFiveHourSeen(state.fiveHourSeen ?? [], fiveHour, observedAt) : state.fiveHourSeen;
  if (seen && seen.length > 0) next.fiveHourSeen = seen;
  const log = fiveHour ? addFiveHourObservation(state.fiveHourLog ?? [], fiveHour, observedAt) : state.fiveHourLog;
  if (log && log.length > 0) next.fiveHourLog = log;
  const sevenDay = payload.rateLimits?.sevenDay ?? null;
  const weekly = sevenDay ? addSevenDaySeen(state.sevenDaySeen ?? [], sevenDay, observedAt) : state.sevenDaySeen;
  if (weekly && weekly.length > 0) next.sevenDaySeen = weekly;
  const last = payload.rejected[payload.rejected.length - 1];
  if (last !== undefined) next.rejected = { count: Math.min(Number.MAX_SAFE_INTEGER, (state.rejected?.count ?? 0) + payload.rejected.length), last, lastAt: observedAt };
  else if (state.rejected) next.rejected = state.rejected;
  return next;
}

/** Record one payload in `<root>/statusline-state.json` (locked read-modify-write, atomic). */
export function recordStatusLinePayload(
  root: string,
  payload: StatusLinePayload,
  now: number,
  lock?: LockOptions,
): { value: StatusLineState; warning: string | null } {
  return updateJsonStateSync(statusLineStatePath(root), parseStatusLineState, (current) => applyStatusLinePayload(current, payload, now), lock);
}

/** The stored state; `{value: null}` when there is none (a corrupt file is moved aside, with a warning). */
export function readStatusLineState(root: string): StateRead<StatusLineState> {
  return readJsonStateSync(statusLineStatePath(root), parseStatusLineState);
}

export interface FreshServerQuota {
  fiveHour: ServerWindow | null;
  sevenDay: ServerWindow | null;
  /** When the figures were observed (ISO-8601). */
  observedAt: string;
}

function freshWindow(window: ServerWindow | null, observedMs: number, now: number, maxAgeMs: number, windowMs: number): ServerWindow | null {
  if (window === null) return null;
  if (now - observedMs > maxAgeMs) return null;
  if (window.resetsAt !== null) {
    const resets = Date.parse(window.resetsAt);
    if (!Number.isFinite(resets) || resets <= now || resets > now + windowMs + CLOCK_TOLERANCE_MS) return null;
  }
  return window;
}

/**
 * The server's figures while they still describe the present (pure). A 5-hour figure is stale
 * once its `resetsAt` has passed or once it is older than the window itself (5 h) or than
 * `maxAgeMs`; the weekly figure likewise with its own reset and a week. Null when neither is fresh.
 */
export function freshServerQuota(state: StatusLineState | null, now: number, maxAgeMs = Number.POSITIVE_INFINITY): FreshServerQuota | null {
  const latest = state?.latest ?? null;
  if (latest === null) return null;
  const observed = Date.parse(latest.observedAt);
  if (!Number.isFinite(observed) || observed - now > CLOCK_TOLERANCE_MS) return null;
  const fiveHour = freshWindow(latest.rateLimits.fiveHour, observed, now, Math.min(maxAgeMs, WINDOW_MS), WINDOW_MS);
  const sevenDay = freshWindow(latest.rateLimits.sevenDay, observed, now, Math.min(maxAgeMs, WEEK_MS), WEEK_MS);
  if (fiveHour === null && sevenDay === null) return null;
  return { fiveHour, sevenDay, observedAt: latest.observedAt };
}

export interface PreviousStatusLine {
  type: 'command';
  command: string;
}

/**
 * The status line the user had before ours (`previousStatusLine` in `<root>/cco-integration.json`,
 * written by the installer). Read leniently and without side effects: missing, unreadable or odd
 * means none.
 */
export function readPreviousStatusLine(root: string): PreviousStatusLine | null {
  let raw: unknown;
  try {
    raw = readJsonFileSync(statePaths(root).integrationState);
  } catch {
    return null;
  }
  if (!isRecord(raw) || !isRecord(raw.previousStatusLine)) return null;
  const previous = raw.previousStatusLine;
  if (previous.type !== undefined && previous.type !== 'command') return null;
  if (typeof previous.command !== 'string' || previous.command.trim() === '') return null;
  return { type: 'command', command: previous.command };
}

/** The status line's latest `context_window` for a session, in the form the context tracker takes. */
export function statusLineContextOf(state: StatusLineState | null, sessionId: string): StatusLineContext | null {
  const seen = state?.sessions[sessionId];
  if (!seen?.contextWindow) return null;
  return { size: seen.contextWindow.size, usedPercent: seen.contextWindow.usedPercent, observedAt: seen.observedAt };
}
