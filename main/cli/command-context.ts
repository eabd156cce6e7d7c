/**
 * What every `cco` command needs before it runs: the config roots, the settings with the
 * command-line overrides applied, and the instant to evaluate at. Errors here are the user's
 * (bad option, missing directory): one line, exit code 2.
 */
import { isPlanName, type PlanName } from '../../shared/plans.js';
import { requireConfigRoots, type RootList } from '../core/paths.js';
import { loadSettings } from '../core/settings.js';
import { applyOverrides, parseTokenLimit, type Settings } from '../core/settings-schema.js';

export class UsageError extends Error {}

export interface CommonOptions {
  'config-dir'?: string;
  plan?: string;
  limit?: string;
  now?: string;
}

export interface CommandContext {
  roots: RootList;
  settings: Settings;
  now: number;
  /** True when `--now` fixed the clock (reports and tests). */
  fixedNow: boolean;
  /**
   * False for a what-if run: `--now` (another instant) or a one-off `--plan`/`--limit` (another
   * plan). Such a run computes and reports, and writes no state (trackers, history, the queue).
   */
  writesState: boolean;
  warnings: string[];
}

export const COMMON_OPTIONS = {
  'config-dir': { type: 'string' },
  plan: { type: 'string' },
  limit: { type: 'string' },
  now: { type: 'string' },
} as const;

export function parseNow(text: string | undefined): number | null {
  if (text === undefined) return null;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new UsageError(`--now must be an ISO-8601 time like 2026-01-06T14:30:00Z, got "${text}"`);
  }
  return ms;
}

export function parsePlanOption(text: string | undefined): PlanName | undefined {
  if (text === undefined) return undefined;
  if (!isPlanName(text)) throw new UsageError(`unknown plan "${text}": expected one of free, pro, team, max5, max20, custom, auto`);
  return text;
}

export function parseLimitOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseTokenLimit(text, '--limit');
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function resolveContext(options: CommonOptions, env: NodeJS.ProcessEnv = process.env): CommandContext {
  const fixed = parseNow(options.now);
  const plan = parsePlanOption(options.plan);
  const limit = parseLimitOption(options.limit);
  const explicit = options['config-dir']?.split(',').map((dir) => dir.trim()).filter(Boolean);
  const roots = requireConfigRoots({ env, ...(explicit ? { explicit } : {}) });
  const loaded = loadSettings(roots[0]);
  let settings: Settings;
  try {
    settings = applyOverrides(loaded.settings, { ...(plan ? { plan } : {}), ...(limit !== undefined ? { limit } : {}) });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    roots,
    settings,
    now: fixed ?? Date.now(),
    fixedNow: fixed !== null,
    writesState: fixed === null && plan === undefined && limit === undefined,
    warnings: loaded.warning ? [loaded.warning] : [],
  };
}
