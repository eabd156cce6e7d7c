/**
 * Where Claude Code will compact by itself, honouring its own knobs where we can see them
 * (claude-code-facts.md §3: the threshold has changed often and is configurable). Claude Code
 * reads `CLAUDE_CODE_AUTO_COMPACT_WINDOW` (tokens: the window its auto-compaction reckons with,
 * capped at the real window) and `CLAUDE_AUTOCOMPACT_PCT_OVERRIDE` (percent of that window). We
 * see them only when cco runs with Claude Code's environment (hooks, the status line, or a
 * terminal that exports them); otherwise our own setting `contextAutoCompactAt` (written for a
 * 200k window, scaled) stands. A bad value is ignored, as a typo must not move the figure.
 */
import type { AutoCompactSource } from '../../../shared/context-snapshot.js';
import { DEFAULT_SETTINGS } from '../settings-schema.js';
import { scaleToWindow } from './context.js';

export const AUTO_COMPACT_WINDOW_ENV = 'CLAUDE_CODE_AUTO_COMPACT_WINDOW';
export const AUTO_COMPACT_PERCENT_ENV = 'CLAUDE_AUTOCOMPACT_PCT_OVERRIDE';

/** The environment variables read here (process.env by default; tests pass their own). */
export type AutoCompactEnv = Readonly<Record<string, string | undefined>>;

const MAX_WINDOW = 100_000_000;

/** A whole number of tokens from 1 to 100M, else null. */
export function parseWindowEnv(text: string | undefined): number | null {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return null;
  const value = Number(text);
  return value >= 1 && value <= MAX_WINDOW ? value : null;
}

/** A percent above 0 and at most 100 (decimals allowed), else null. */
export function parsePercentEnv(text: string | undefined): number | null {
  if (text === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(text)) return null;
  const value = Number(text);
  return value > 0 && value <= 100 ? value : null;
}

export function resolveAutoCompactAt(windowSize: number, settingAt: number, env: AutoCompactEnv = process.env): { at: number; source: AutoCompactSource } {
  const envWindow = parseWindowEnv(env[AUTO_COMPACT_WINDOW_ENV]);
  const percent = parsePercentEnv(env[AUTO_COMPACT_PERCENT_ENV]);
  const reckoned = envWindow === null ? windowSize : Math.min(envWindow, windowSize);
  if (percent !== null) return { at: Math.round((percent / 100) * reckoned), source: 'env-percent' };
  if (envWindow !== null) return { at: scaleToWindow(settingAt, reckoned), source: 'env-window' };
  // The settings file does not say whether a value was written or defaulted: a value other than
  // the default was the user's.
  const source = settingAt === DEFAULT_SETTINGS.contextAutoCompactAt ? 'default' : 'setting';
  return { at: scaleToWindow(settingAt, windowSize), source };
}
