/** `cco history`: the past 5-hour windows and per-day totals, kept past Claude Code's 30-day cleanup. */
import { HISTORY_DAYS } from '../core/sources/history-days.js';
import { collectHistory } from '../core/sources/history-report.js';
import { parseCliArgs } from './args.js';
import { COMMON_OPTIONS, resolveContext, UsageError } from './command-context.js';
import type { Io } from './io.js';
import { renderHistoryPanel } from './render/history-panel.js';
import { shouldUseColor } from './render/terminal.js';

export const HISTORY_USAGE = `usage: cco history [--days N] [--json] [--plan NAME] [--limit N] [--now ISO] [--config-dir DIR]
  --days N       the last N local days, today included (${HISTORY_DAYS.min} to ${HISTORY_DAYS.max}, default ${HISTORY_DAYS.default})
  --json         the windows and per-day totals as JSON
  --plan NAME    the plan whose limit each window's percent is of (default: the settings file)
  --limit N      tokens per 5-hour window (implies --plan custom)
  --now ISO      evaluate as of that instant (reproducible reports)
  --config-dir   Claude Code config root(s), comma-separated (default: $CLAUDE_CONFIG_DIR or ~/.claude)`;

/** `--days`: a whole number of days in range, or one line saying what is accepted. */
export function parseDaysOption(text: string | undefined): number {
  if (text === undefined) return HISTORY_DAYS.default;
  const trimmed = text.trim();
  const days = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(days) || days < HISTORY_DAYS.min || days > HISTORY_DAYS.max) {
    throw new UsageError(`--days must be a whole number of days from ${HISTORY_DAYS.min} to ${HISTORY_DAYS.max}; got ${trimmed === '' ? '""' : trimmed}`);
  }
  return days;
}

export async function runHistory(args: string[], io: Io): Promise<number> {
  const { values } = parseCliArgs({
    args,
    options: { ...COMMON_OPTIONS, days: { type: 'string' }, json: { type: 'boolean' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(`${HISTORY_USAGE}\n`);
    return 0;
  }
  const days = parseDaysOption(values.days);
  const ctx = resolveContext(values, io.env);
  const report = collectHistory({ roots: ctx.roots, settings: ctx.settings, now: ctx.now, days, persist: ctx.writesState });
  const warnings = [...ctx.warnings, ...report.warnings];
  if (values.json) {
    io.stdout(`${JSON.stringify({ ...report, warnings }, null, 2)}\n`);
    return 0;
  }
  for (const warning of warnings) io.stderr(`cco: warning: ${warning}\n`);
  const color = !values['no-color'] && shouldUseColor(io.stdoutStream, io.env);
  io.stdout(`${renderHistoryPanel(report, { color })}\n`);
  return 0;
}
