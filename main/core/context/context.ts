/**
 * The context-size rule (claude-code-facts.md §3), pure. Context used = input + cache writes +
 * cache reads of the last main-chain response (sub-agents excluded); a `compact_boundary` written
 * after that response resets it to the boundary's `postTokens` (unknown when the boundary does not
 * say). The status line's `context_window` wins when it was observed after the transcript's last
 * word and disagrees with it. Window: the status line's size; else a measured context above the
 * assumed window proves 1M; else the size assumed from the model (model-window.ts, overridable per
 * model in settings), labelled as assumed. The usable limit and the auto-compact point are
 * settings written for a 200k window and scaled to the session's window.
 */
import { CONTEXT_LEVEL_ROWS, contextLevelFor, contextLevelThreshold, type ContextLevel } from '../../../shared/context-levels.js';
import type { ContextNextAlert, ContextSource, WindowSource } from '../../../shared/context-snapshot.js';
import { DEFAULT_SETTINGS, type Settings } from '../settings-schema.js';
import { assumedWindowForModel } from './model-window.js';

export const BASE_WINDOW = 200_000;
export const EXTENDED_WINDOW = 1_000_000;

/** The context keys of Settings (values for a 200k window; larger windows scale them). */
export interface ContextSettings {
  /** Usable context of a 200,000-token window (the spec's 180,000). */
  contextUsableLimit: number;
  /** Context at which Claude Code compacts by itself, for a 200,000-token window. */
  contextAutoCompactAt: number;
  /** The user's window per model pattern (`*` wildcards), before the built-in table; absent when none. */
  contextWindowByModel?: Readonly<Record<string, number>>;
}

/** The context keys of Settings (main/core/settings-schema.ts holds their defaults and rules). */
export function contextSettings(settings: Pick<Settings, 'contextUsableLimit' | 'contextAutoCompactAt' | 'contextWindowByModel'>): ContextSettings {
  const picked: ContextSettings = { contextUsableLimit: settings.contextUsableLimit, contextAutoCompactAt: settings.contextAutoCompactAt };
  if (Object.keys(settings.contextWindowByModel).length > 0) picked.contextWindowByModel = settings.contextWindowByModel;
  return picked;
}

export const DEFAULT_CONTEXT_SETTINGS: Readonly<ContextSettings> = Object.freeze(contextSettings(DEFAULT_SETTINGS));

/** What the status line reported for the session (claude-code-facts.md §6); any field may be missing. */
export interface StatusLineContext {
  /** `context_window.context_window_size`. */
  size: number | null;
  /** `context_window.used_percentage`, of the whole window. */
  usedPercent: number | null;
  /** When the payload was received: ISO-8601 or epoch ms. */
  observedAt: string | number;
}

export interface ContextMeasure {
  lastResponse: { timestamp: number; context: number } | null;
  /** The last compaction when it came after the last response. */
  compactAfter: { timestamp: number; postTokens: number | null } | null;
  /** The largest context the transcript shows (responses and boundaries' preTokens). */
  maxContext: number;
  /** Model id of the last main-chain response: what the window is assumed from. */
  model?: string | null;
}

export interface ContextFigures {
  tokens: number | null;
  source: ContextSource;
  windowSize: number;
  windowSource: WindowSource;
  usableLimit: number;
  autoCompactAt: number;
  percent: number | null;
  level: ContextLevel | null;
  nextAlert: ContextNextAlert | null;
}

function epochMs(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

/** Scale a 200k-window setting to `windowSize`, never past the window. */
export function scaleToWindow(tokens: number, windowSize: number): number {
  return Math.min(windowSize, Math.round((tokens * windowSize) / BASE_WINDOW));
}

export function windowFor(
  measure: ContextMeasure,
  statusLine: StatusLineContext | null,
  byModel: Readonly<Record<string, number>> = {},
): { size: number; source: WindowSource } {
  const said = statusLine?.size;
  if (typeof said === 'number' && Number.isFinite(said) && said > 0) {
    return { size: Math.max(Math.round(said), measure.maxContext > said ? EXTENDED_WINDOW : 0), source: 'status-line' };
  }
  const assumed = assumedWindowForModel(measure.model ?? null, byModel);
  if (measure.maxContext > assumed.size) return { size: Math.max(EXTENDED_WINDOW, measure.maxContext), source: 'measured' };
  return assumed;
}

/** The transcript's own figure: the last response, or the boundary written after it. */
function transcriptTokens(measure: ContextMeasure): { tokens: number | null; source: ContextSource; at: number | null } {
  if (measure.compactAfter) {
    const post = measure.compactAfter.postTokens;
    return post === null ? { tokens: null, source: 'unknown', at: measure.compactAfter.timestamp } : { tokens: Math.round(post), source: 'compact-boundary', at: measure.compactAfter.timestamp };
  }
  if (measure.lastResponse) return { tokens: measure.lastResponse.context, source: 'transcript', at: measure.lastResponse.timestamp };
  return { tokens: null, source: 'unknown', at: null };
}

export function nextAlertFor(tokens: number, usableLimit: number): ContextNextAlert | null {
  for (const row of CONTEXT_LEVEL_ROWS) {
    const threshold = contextLevelThreshold(row, usableLimit);
    if (threshold > tokens) {
      return { level: row.level, percent: Math.round((threshold / usableLimit) * 100), tokens: threshold, tokensUntil: threshold - tokens };
    }
  }
  return null;
}

export function computeContextFigures(measure: ContextMeasure, settings: ContextSettings, statusLine: StatusLineContext | null = null): ContextFigures {
  const window = windowFor(measure, statusLine, settings.contextWindowByModel);
  const usableLimit = scaleToWindow(settings.contextUsableLimit, window.size);
  const autoCompactAt = scaleToWindow(settings.contextAutoCompactAt, window.size);
  let { tokens, source } = transcriptTokens(measure);
  const at = transcriptTokens(measure).at;

  const observed = statusLine ? epochMs(statusLine.observedAt) : Number.NaN;
  const used = statusLine?.usedPercent;
  const fresh = Number.isFinite(observed) && (at === null || observed >= at);
  if (fresh && typeof used === 'number' && Number.isFinite(used) && used >= 0) {
    const fromStatusLine = Math.round((used / 100) * window.size);
    // The transcript's figure is exact; keep it unless the status line says something else
    // (beyond its percentage's rounding), e.g. after a compaction the transcript cannot size.
    const disagrees = tokens === null || Math.abs((tokens / window.size) * 100 - used) >= 1;
    if (disagrees) {
      tokens = fromStatusLine;
      source = 'status-line';
    }
  }

  if (tokens === null) {
    return { tokens: null, source, windowSize: window.size, windowSource: window.source, usableLimit, autoCompactAt, percent: null, level: null, nextAlert: null };
  }
  return {
    tokens,
    source,
    windowSize: window.size,
    windowSource: window.source,
    usableLimit,
    autoCompactAt,
    percent: Math.round((tokens / usableLimit) * 1000) / 10,
    level: contextLevelFor(tokens, usableLimit),
    nextAlert: nextAlertFor(tokens, usableLimit),
  };
}
