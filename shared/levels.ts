/**
 * Quota status tables from the spec ("Status Levels (Hyperaware Mode)", "Notification Thresholds").
 * One row per level: the lower bound in percent used, the emoji and label shown, and the advice.
 */
export const QUOTA_LEVELS = ['fresh', 'excellent', 'good', 'moderate', 'high', 'danger', 'critical'] as const;
export type QuotaLevel = (typeof QUOTA_LEVELS)[number];

/**
 * The colour of a level wherever it is shown: the terminal panel and status line, the popover and
 * the tray icon each paint these four in their own palette (a terminal has no orange: yellow).
 */
export const TONES = ['green', 'yellow', 'orange', 'red'] as const;
export type Tone = (typeof TONES)[number];

export interface QuotaLevelRow {
  level: QuotaLevel;
  /** The level's colour; a level has the same tone in both tables. */
  tone: Tone;
  /** Lower bound, percent used (inclusive). */
  from: number;
  emoji: string;
  label: string;
  advice: string;
}

/** Hyperaware mode: the spec's seven levels. */
export const HYPERAWARE_LEVELS: readonly QuotaLevelRow[] = [
  { level: 'fresh', tone: 'green', from: 0, emoji: '🎯', label: 'FRESH', advice: 'Full quota. Strategic planning time.' },
  { level: 'excellent', tone: 'green', from: 10, emoji: '🟢', label: 'EXCELLENT', advice: 'Any task size OK. Early monitoring active.' },
  { level: 'good', tone: 'green', from: 25, emoji: '✅', label: 'GOOD', advice: 'Large tasks OK (60-80k tokens, 40-55 tool calls).' },
  { level: 'moderate', tone: 'yellow', from: 50, emoji: '💡', label: 'MODERATE', advice: 'Medium tasks OK (30-60k tokens, 20-40 tool calls). Monitor burn rate.' },
  { level: 'high', tone: 'orange', from: 75, emoji: '⚠️', label: 'HIGH USAGE', advice: 'Small tasks only (<30k tokens, ~20 tool calls). Schedule larger work.' },
  { level: 'danger', tone: 'red', from: 90, emoji: '🔴', label: 'DANGER', advice: 'Wrap up current task.' },
  { level: 'critical', tone: 'red', from: 95, emoji: '🚨', label: 'CRITICAL', advice: 'Save work immediately. Auto-schedule all future sessions.' },
];

/**
 * Standard mode: the same names on the standard thresholds (50/80/90/95), so a user who did not
 * ask for hyperaware warnings sees fewer level changes.
 */
export const STANDARD_LEVELS: readonly QuotaLevelRow[] = [
  { level: 'good', tone: 'green', from: 0, emoji: '✅', label: 'GOOD', advice: 'Any task size OK.' },
  { level: 'moderate', tone: 'yellow', from: 50, emoji: '💡', label: 'MODERATE', advice: 'Medium tasks OK (30-60k tokens, 20-40 tool calls). Monitor burn rate.' },
  { level: 'high', tone: 'orange', from: 80, emoji: '⚠️', label: 'HIGH USAGE', advice: 'Small tasks only (<30k tokens, ~20 tool calls). Plan your next session.' },
  { level: 'danger', tone: 'red', from: 90, emoji: '🔴', label: 'DANGER', advice: 'Save work, prepare to stop.' },
  { level: 'critical', tone: 'red', from: 95, emoji: '🚨', label: 'CRITICAL', advice: 'Rate limit imminent. Save work immediately.' },
];

export interface ThresholdRow {
  percent: number;
  title: string;
  message: string;
}

export const STANDARD_THRESHOLDS: readonly ThresholdRow[] = [
  { percent: 50, title: 'Halfway mark', message: 'Keep an eye on usage.' },
  { percent: 80, title: 'Plan next session', message: 'Quota is running low: plan your next session.' },
  { percent: 90, title: 'Danger zone', message: 'Save work, prepare to stop.' },
  { percent: 95, title: 'Critical', message: 'Rate limit imminent: save immediately.' },
];

export const HYPERAWARE_THRESHOLDS: readonly ThresholdRow[] = [
  { percent: 10, title: 'Early tracking started', message: 'Burn rate monitoring begins.' },
  { percent: 25, title: 'Quarter checkpoint', message: 'Pace awareness.' },
  { percent: 50, title: 'Halfway mark', message: 'Usage monitoring.' },
  { percent: 75, title: 'Caution zone', message: 'Consider scheduling larger work.' },
  { percent: 90, title: 'Danger zone', message: 'Complete the current task.' },
  { percent: 95, title: 'Critical', message: 'Save immediately.' },
];

export function levelTable(hyperaware: boolean): readonly QuotaLevelRow[] {
  return hyperaware ? HYPERAWARE_LEVELS : STANDARD_LEVELS;
}

export function thresholdTable(hyperaware: boolean): readonly ThresholdRow[] {
  return hyperaware ? HYPERAWARE_THRESHOLDS : STANDARD_THRESHOLDS;
}

/** The row whose band holds `percentUsed` (bands are [from, next.from)). */
export function quotaLevelRow(percentUsed: number, hyperaware: boolean): QuotaLevelRow {
  const table = levelTable(hyperaware);
  let row = table[0] as QuotaLevelRow;
  for (const candidate of table) if (percentUsed >= candidate.from) row = candidate;
  return row;
}

export function quotaLevelInfo(level: QuotaLevel): QuotaLevelRow {
  return (HYPERAWARE_LEVELS.find((row) => row.level === level) ?? HYPERAWARE_LEVELS[0]) as QuotaLevelRow;
}

/** The tone of a level (the same in both tables). */
export function quotaLevelTone(level: QuotaLevel): Tone {
  return quotaLevelInfo(level).tone;
}
