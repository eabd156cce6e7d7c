/**
 * The payload Claude Code pipes to its status line after every assistant message
 * (claude-code-facts.md §6), typed: the server's own 5-hour and weekly utilisation (`rate_limits`),
 * the session's context window and model. Every field may be missing or null, so parsing is total:
 * odd input gives nulls. Figures no client can mean (a percentage outside 0-100, a reset in the
 * past or beyond its window, a window of 1e308 tokens) are left out and named in `rejected`.
 * What is kept of it, and for how long, is statusline-store.ts's.
 */
import { WEEK_MS, WINDOW_MS } from '../../../shared/plans.js';
import { isRecord } from '../store.js';
import { MAX_CONTEXT_TOKENS, contextSize } from '../transcripts/plausible.js';
import { responseTokens } from '../transcripts/usage.js';

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
export const CLOCK_TOLERANCE_MS = 60_000;

/** A payload value in a rejection line: numbers as numbers, anything else by its kind only. */
function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `a string of ${value.length} chars`;
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

export function isPercentage(value: number): boolean {
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
