/** `cco status`: the spec's `/session-status` panel, or the Snapshot as JSON. */
import { parseCliArgs } from './args.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { collectStatus } from '../core/status.js';
import { COMMON_OPTIONS, UsageError, resolveContext, type CommandContext } from './command-context.js';
import { renderStatusPanel } from './render/status-panel.js';
import { isPanelFormat, PANEL_FORMATS, renderPanelLine } from './render/panel-formats.js';
import { shouldUseColor } from './render/terminal.js';
import type { Io } from './io.js';

export const STATUS_USAGE = `usage: cco status [--json] [--format waybar|plain] [--watch] [--plan NAME] [--limit N] [--now ISO] [--config-dir DIR]
  --json         print the Snapshot as JSON
  --format F     one line for a desktop panel: waybar (JSON for Waybar/i3status-rust) or plain (Polybar, tmux)
  --watch        redraw the panel whenever a transcript changes (Ctrl-C to stop); with --format, print a new line per change
  --plan NAME    free, pro, team, max5, max20, custom, auto (default: the settings file)
  --limit N      tokens per 5-hour window (implies --plan custom)
  --now ISO      evaluate as of that instant (reproducible reports)
  --config-dir   Claude Code config root(s), comma-separated (default: $CLAUDE_CONFIG_DIR or ~/.claude)`;

/** One Snapshot for the CLI; a what-if run (`--now`, a one-off `--plan` or `--limit`) writes no state. */
export function snapshotForCli(ctx: CommandContext): Snapshot {
  return collectStatus({ roots: ctx.roots, settings: ctx.settings, now: ctx.now, persist: ctx.writesState, warnings: ctx.warnings });
}

export async function runStatus(args: string[], io: Io): Promise<number> {
  const { values } = parseCliArgs({
    args,
    options: { ...COMMON_OPTIONS, json: { type: 'boolean' }, format: { type: 'string' }, watch: { type: 'boolean' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(`${STATUS_USAGE}\n`);
    return 0;
  }
  const format = values.format;
  if (format !== undefined && !isPanelFormat(format)) throw new UsageError(`--format must be one of ${PANEL_FORMATS.join(', ')}, got "${format}"`);
  if (format !== undefined && values.json) throw new UsageError('--json and --format are alternatives: use one');
  const ctx = resolveContext(values, io.env);
  if (format !== undefined) {
    // A panel shows one line: warnings stay on stderr (Waybar logs it), never in the bar.
    if (!values.watch) {
      const snapshot = snapshotForCli(ctx);
      for (const warning of snapshot.diagnostics.warnings) io.stderr(`cco: warning: ${warning}\n`);
      io.stdout(`${renderPanelLine(snapshot, format)}\n`);
      return 0;
    }
    const { watchPanel } = await import('./watch.js');
    return watchPanel(ctx, io, format);
  }
  // Asked only for the panel: whether stdout is a terminal costs loading Node's tty module.
  const color = !values.json && !values['no-color'] && shouldUseColor(io.stdoutStream, io.env);
  const render = (snapshot: Snapshot) =>
    values.json ? `${JSON.stringify(snapshot, null, 2)}\n` : `${renderStatusPanel(snapshot, { color })}\n`;
  if (!values.watch) {
    const snapshot = snapshotForCli(ctx);
    if (values.json) {
      io.stdout(render(snapshot));
      return 0;
    }
    // Warnings (a corrupt settings file moved aside, ...) first and on stderr, where they are
    // seen: not below a 60-line panel.
    for (const warning of snapshot.diagnostics.warnings) io.stderr(`cco: warning: ${warning}\n`);
    io.stdout(`${renderStatusPanel(snapshot, { color, warnings: false })}\n`);
    return 0;
  }
  const { watchStatus } = await import('./watch.js');
  return watchStatus(ctx, io, render);
}
