/**
 * What Claude Code's status line tells us (claude-code-facts.md §6), kept in
 * `<root>/statusline-state.json`: the server's own 5-hour and weekly utilisation (`rate_limits`,
 * the only exact quota source that needs no network and no credentials) and each session's
 * context window. `cco statusline` writes it after every assistant message; the engine reads it.
 *
 * Every payload field may be missing or null, so parsing is total: odd input gives nulls. Figures
 * no client can mean (a percentage outside 0-100, a reset in the past or beyond its window, a
 * window of 1e308 tokens, the old window's figure relayed just after a reset) are rejected, named
 * in `rejected`, and counted in the state file.
 */
import type { StatusLineContext } from '../context/context.js';
import { WINDOW_MS } from '../../../shared/plans.js';
import { statePaths } from '../paths.js';
import { isRecord, readJsonFileSync, readJsonStateSync, updateJsonStateSync, type LockOptions, type StateRead } from '../store.js';
import { MAX_CONTEXT_TOKENS, contextSize } from '../transcripts/plausible.js';
import { responseTokens } from '../transcripts/usage.js';
import { addFiveHourObservation, MAX_FIVE_HOUR_LOG } from './five-hour-log.js';

export const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
/** Sessions not seen for this long are dropped from the state file. */
export const SESSION_RETENTION_MS = 24 * 60 * 60 * 1000;
/** At most this many sessions are kept (most recently seen first), whatever their age. */
export const MAX_SESSIONS = 200;

/** One server window figure: percent of the window used and when it resets (ISO-8601). */
export interface ServerWindow {
  usedPercent: number;
  /** Null when the payload gave a percentage without a reset time. */
  resetsAt: string | null;
}

export interface ServerRateLimits {
  fiveHour: ServerWindow | null;
  sevenDay: ServerWindow | null;
}

export interface ContextUsage {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

export interface ContextWindowInfo {
  size: number | null;
  usedPercent: number | null;
  currentUsage: ContextUsage | null;
}

export interface ModelInfo {
  id: string | null;
  displayName: string | null;
}

/** The status-line payload, typed; every field null when absent or malformed. */
export interface StatusLinePayload {
  sessionId: string | null;
  transcriptPath: string | null;
  cwd: string | null;
  model: ModelInfo | null;
  version: string | null;
  contextWindow: ContextWindowInfo | null;
  exceeds200k: boolean | null;
  /** Null unless at least one of the two windows came with a usable percentage. */
  rateLimits: ServerRateLimits | null;
  /** One line per implausible figure left out (field and value; never raw payload text). */
  rejected: string[];
}

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

// ---- parsing helpers (total: never throw) ----

function str(value: unknown, max = 2048): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null;
}

function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/**
 * A reset time as ISO-8601. The payload sends Unix epoch seconds; milliseconds (a value past
 * year 33658 in seconds) and ISO strings are accepted too, in case a build changes its mind.
 */
export function resetTimeToIso(value: unknown): string | null {
  const n = num(value);
  let ms: number;
  if (n !== null) ms = n > 1e12 ? n : n * 1000;
  else if (typeof value === 'string') ms = Date.parse(value);
  else return null;
  if (!Number.isFinite(ms) || ms <= 0) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * How far the clocks may disagree: a reset up to this far in the past is the present one seen a
 * little late, and one this much beyond its window is still within it. Also bounds observations
 * stamped in the future (a clock that jumped, or a `--now` report in the past).
 */
const CLOCK_TOLERANCE_MS = 60_000;

/** A payload value in a rejection line: numbers as numbers, anything else by its kind only. */
function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `a string of ${value.length} chars`;
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function isPercentage(value: number): boolean {
  return value >= 0 && value <= 100;
}

/**
 * One `rate_limits` window, or null. Out, and named in `rejected`: a percentage outside 0-100 (a
 * client bug puts the reset epoch there after /clear), a reset already past (the old window's
 * figure, sent for a moment after a reset) or further ahead than the window lasts.
 */
function parseServerWindow(raw: unknown, name: string, windowMs: number, now: number, rejected: string[]): ServerWindow | null {
  if (!isRecord(raw)) return null;
  const usedPercent = num(raw.used_percentage);
  if (usedPercent === null) {
    if (raw.used_percentage !== undefined && raw.used_percentage !== null) rejected.push(`${name}.used_percentage is ${shown(raw.used_percentage)}, not a number`);
    return null;
  }
  if (!isPercentage(usedPercent)) {
    rejected.push(`${name}.used_percentage ${usedPercent} is outside 0-100`);
    return null;
  }
  const resetsAt = resetTimeToIso(raw.resets_at);
  if (resetsAt !== null) {
    const resets = Date.parse(resetsAt);
    if (resets < now - CLOCK_TOLERANCE_MS) {
      rejected.push(`${name}.resets_at ${resetsAt} is in the past`);
      return null;
    }
    if (resets > now + windowMs + CLOCK_TOLERANCE_MS) {
      rejected.push(`${name}.resets_at ${resetsAt} is further ahead than the window lasts`);
      return null;
    }
  }
  return { usedPercent, resetsAt };
}

function parseRateLimits(raw: unknown, now: number, rejected: string[]): ServerRateLimits | null {
  if (!isRecord(raw)) return null;
  const limits = {
    fiveHour: parseServerWindow(raw.five_hour, 'rate_limits.five_hour', WINDOW_MS, now, rejected),
    sevenDay: parseServerWindow(raw.seven_day, 'rate_limits.seven_day', WEEK_MS, now, rejected),
  };
  return limits.fiveHour === null && limits.sevenDay === null ? null : limits;
}

/**
 * The `context_window` object, or null. One implausible figure (a size that is not a whole number
 * of tokens up to the largest window, a percentage outside 0-100, current usage no response can
 * have: transcripts/plausible.ts) leaves the whole object out: its other figures are suspect too.
 */
function parseContextWindow(raw: unknown, rejected: string[]): ContextWindowInfo | null {
  if (!isRecord(raw)) return null;
  // 0 is "not known yet", not a claim: read as absent.
  const reported = num(raw.context_window_size);
  const size = reported === 0 ? null : reported;
  if (size !== null && !(Number.isSafeInteger(size) && size > 0 && size <= MAX_CONTEXT_TOKENS)) {
    rejected.push(`context_window.context_window_size ${size} is not a window size`);
    return null;
  }
  const usedPercent = num(raw.used_percentage);
  if (usedPercent !== null && !isPercentage(usedPercent)) {
    rejected.push(`context_window.used_percentage ${usedPercent} is outside 0-100`);
    return null;
  }
  const usage = raw.current_usage;
  let currentUsage: ContextUsage | null = null;
  if (isRecord(usage)) {
    const tokens = responseTokens(usage);
    if (tokens === null) {
      rejected.push('context_window.current_usage holds figures no response can have');
      return null;
    }
    currentUsage = tokens;
  }
  const info: ContextWindowInfo = { size, usedPercent, currentUsage };
  return info.size === null && info.usedPercent === null && info.currentUsage === null ? null : info;
}

function parseModel(raw: unknown): ModelInfo | null {
  if (typeof raw === 'string') return { id: str(raw, 200), displayName: null };
  if (!isRecord(raw)) return null;
  const model = { id: str(raw.id, 200), displayName: str(raw.display_name, 200) };
  return model.id === null && model.displayName === null ? null : model;
}

/** The payload on the status line's stdin (already JSON-parsed) received at `now`, typed. Never throws. */
export function parseStatusLinePayload(raw: unknown, now: number): StatusLinePayload {
  const p = isRecord(raw) ? raw : {};
  const rejected: string[] = [];
  return {
    sessionId: str(p.session_id, 200),
    transcriptPath: str(p.transcript_path),
    cwd: str(p.cwd) ?? (isRecord(p.workspace) ? str(p.workspace.current_dir) : null),
    model: parseModel(p.model),
    version: str(p.version, 50),
    contextWindow: parseContextWindow(p.context_window, rejected),
    exceeds200k: bool(p.exceeds_200k_tokens),
    rateLimits: parseRateLimits(p.rate_limits, now, rejected),
    rejected,
  };
}

/**
 * Context used, in percent: the payload's own figure, else input + cache tokens of the last
 * response over the window size (claude-code-facts.md §3: output is not context).
 */
export function contextUsedPercent(info: ContextWindowInfo | null): number | null {
  if (info === null) return null;
  if (info.usedPercent !== null) return info.usedPercent;
  if (info.currentUsage === null || info.size === null || info.size <= 0) return null;
  const used = contextSize(info.currentUsage);
  return (used / info.size) * 100;
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
