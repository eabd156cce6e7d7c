/**
 * Plan limits for the rolling 5-hour window. Anthropic publishes no token limits
 * (claude-code-facts.md §7): every figure here is an estimate and is labelled so wherever shown.
 * The spec's free/pro/team figures; max5 and max20 are 5x and 20x the spec's Pro figure.
 */
export const PLAN_NAMES = ['free', 'pro', 'team', 'max5', 'max20', 'custom', 'auto'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

export const PLAN_LIMITS: Readonly<Record<Exclude<PlanName, 'custom' | 'auto'>, number>> = {
  free: 50_000,
  pro: 200_000,
  team: 500_000,
  max5: 1_000_000,
  max20: 4_000_000,
};

export function isPlanName(value: string): value is PlanName {
  return (PLAN_NAMES as readonly string[]).includes(value);
}

/** Token kinds a user may choose to count against the limit (default: input + output). */
export const TOKEN_KINDS = ['input', 'output', 'cacheCreation', 'cacheRead'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
export const DEFAULT_COUNTED_KINDS: readonly TokenKind[] = ['input', 'output'];

export function isTokenKind(value: string): value is TokenKind {
  return (TOKEN_KINDS as readonly string[]).includes(value);
}

/** Length of the rolling quota window. */
export const WINDOW_MS = 5 * 60 * 60 * 1000;
/** The server's weekly window. */
export const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
