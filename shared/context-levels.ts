/**
 * Context window levels from the spec ("Context Window Tracker", "Context Levels"). The spec gives
 * its bands in tokens of a 180,000-token usable context (FRESH 0-50k, HEALTHY 50-90k, MODERATE
 * 90-120k, WARNING 120-144k, DANGER 144-180k, CRITICAL 180k+); here each band starts at a share of
 * the session's usable limit, so a 1M-token session gets the same bands five times wider.
 * Browser-safe: no Node, no Electron.
 */
import type { QuotaLevel } from './levels.js';

export const CONTEXT_LEVELS = ['fresh', 'healthy', 'moderate', 'warning', 'danger', 'critical'] as const;
export type ContextLevel = (typeof CONTEXT_LEVELS)[number];

/** The usable context the spec's token bands are written for. */
export const SPEC_USABLE_TOKENS = 180_000;

export interface ContextLevelRow {
  level: ContextLevel;
  /** Where the band starts, in tokens of the spec's 180,000 usable (scaled by {@link contextLevelThreshold}). */
  fromSpecTokens: number;
  emoji: string;
  label: string;
  /** The few words the spec's panel shows after the label ("🟢 HEALTHY - Normal operation"). */
  short: string;
  /** The spec's advice for the band. */
  advice: string;
  /** What to do, one sentence (the /session-status "Status & Recommendation" line). */
  action: string;
}

export const CONTEXT_LEVEL_ROWS: readonly ContextLevelRow[] = [
  {
    level: 'fresh',
    fromSpecTokens: 0,
    emoji: '🎯',
    label: 'FRESH',
    short: 'Plenty of space',
    advice: 'Plenty of space. Read files freely.',
    action: 'Read files freely; the context has plenty of room.',
  },
  {
    level: 'healthy',
    fromSpecTokens: 50_000,
    emoji: '🟢',
    label: 'HEALTHY',
    short: 'Normal operation',
    advice: 'Good space. Normal operation.',
    action: 'Continue coding normally. Use Edit over Read+Write when possible.',
  },
  {
    level: 'moderate',
    fromSpecTokens: 90_000,
    emoji: '⚡',
    label: 'MODERATE',
    short: 'Monitor usage',
    advice: 'Monitor usage. Prefer edits over re-reads.',
    action: 'Prefer edits over re-reading whole files; avoid large tool outputs.',
  },
  {
    level: 'warning',
    fromSpecTokens: 120_000,
    emoji: '⚠️',
    label: 'CONTEXT WARNING',
    short: 'Plan compaction',
    advice: 'Plan compaction strategy.',
    action: 'Plan compaction: finish the current step, then compact with the brief from /compact-context.',
  },
  {
    level: 'danger',
    fromSpecTokens: 144_000,
    emoji: '🔴',
    label: 'CONTEXT DANGER',
    short: 'Compact now',
    advice: 'COMPACT NOW to continue.',
    action: 'Compact now with the brief from /compact-context, or save and restart (/save-and-restart).',
  },
  {
    level: 'critical',
    fromSpecTokens: 180_000,
    emoji: '🚨',
    label: 'CONTEXT CRITICAL',
    short: 'Auto-compact imminent',
    advice: 'Emergency auto-compact triggered.',
    action: 'Claude Code is about to compact by itself: save a handoff now (/save-and-restart) or compact with the brief.',
  },
];

export function contextLevelInfo(level: ContextLevel): ContextLevelRow {
  return (CONTEXT_LEVEL_ROWS.find((row) => row.level === level) ?? CONTEXT_LEVEL_ROWS[0]) as ContextLevelRow;
}

/** Tokens at which `row`'s band starts for a session whose usable context is `usableLimit`. */
export function contextLevelThreshold(row: ContextLevelRow, usableLimit: number): number {
  return Math.round((row.fromSpecTokens * usableLimit) / SPEC_USABLE_TOKENS);
}

/** The band holding `tokens` (bands are [from, next.from)). */
export function contextLevelFor(tokens: number, usableLimit: number): ContextLevel {
  let level: ContextLevel = 'fresh';
  for (const row of CONTEXT_LEVEL_ROWS) if (tokens >= contextLevelThreshold(row, usableLimit)) level = row.level;
  return level;
}

/** Colour of a context level wherever it is shown. */
export function contextLevelTone(level: ContextLevel | null): 'green' | 'yellow' | 'red' {
  switch (level) {
    case null:
    case 'fresh':
    case 'healthy':
      return 'green';
    case 'moderate':
    case 'warning':
      return 'yellow';
    case 'danger':
    case 'critical':
      return 'red';
  }
}

export type HealthLabel = 'GOOD' | 'CAUTION' | 'DANGER' | 'CRITICAL' | 'LIMIT REACHED';

export interface CombinedHealth {
  label: HealthLabel;
  tone: 'green' | 'yellow' | 'red';
  advice: string;
}

const QUOTA_SEVERITY: Readonly<Record<QuotaLevel, number>> = { fresh: 0, excellent: 0, good: 0, moderate: 0, high: 1, danger: 2, critical: 3 };
const CONTEXT_SEVERITY: Readonly<Record<ContextLevel, number>> = { fresh: 0, healthy: 0, moderate: 0, warning: 1, danger: 2, critical: 3 };
const SEVERITY_LABEL: readonly HealthLabel[] = ['GOOD', 'CAUTION', 'DANGER', 'CRITICAL'];

/**
 * The spec's COMBINED HEALTH: the worse of quota and context ("Can have quota but no context, or
 * vice versa!"), with advice naming which of the two is the problem. `context` null: no session.
 */
export function combinedHealth(quota: { level: QuotaLevel; limitReached: boolean }, context: ContextLevel | null): CombinedHealth {
  if (quota.limitReached) return { label: 'LIMIT REACHED', tone: 'red', advice: 'Usage limit reached. New work waits for the reset.' };
  const q = QUOTA_SEVERITY[quota.level];
  const c = context === null ? 0 : CONTEXT_SEVERITY[context];
  const worst = Math.max(q, c);
  const label = SEVERITY_LABEL[worst] as HealthLabel;
  const tone = worst === 0 ? 'green' : worst === 1 ? 'yellow' : 'red';
  if (worst === 0) {
    // MODERATE counts as good, but it is not "healthy": say which one to watch.
    const quotaModerate = quota.level === 'moderate';
    const contextModerate = context === 'moderate';
    if (!quotaModerate && !contextModerate) {
      return { label, tone, advice: context === null ? 'Quota is healthy. Continue current work.' : 'Both quota and context are healthy. Continue current work.' };
    }
    const watch: string[] = [];
    if (quotaModerate) watch.push('Quota is at MODERATE: medium tasks OK, monitor the burn rate.');
    if (contextModerate) watch.push('Context is at MODERATE: prefer edits over re-reads.');
    const healthy = context === null ? '' : !quotaModerate ? 'Quota is healthy. ' : !contextModerate ? 'Context is healthy. ' : '';
    return { label, tone, advice: `${healthy}${watch.join(' ')}` };
  }
  const quotaWorse = q >= c;
  const contextWorse = c >= q;
  const parts: string[] = [];
  if (quotaWorse) parts.push(['', 'Quota is running low: stick to small tasks.', 'Quota is nearly spent: wrap up the current task.', 'Save work now: the usage limit is imminent.'][q] as string);
  if (contextWorse) parts.push(['', 'Context is filling up: plan a compaction.', 'Context is nearly full: compact now or save and restart.', 'Context is full: Claude Code is about to auto-compact.'][c] as string);
  return { label, tone, advice: parts.join(' ') };
}
