/** `cco install` / `cco uninstall`: put the Claude Code side (hooks, status line, slash commands) in place, or take it away. */
import { parseCliArgs } from './args.js';
import { ConfigRootError, requireConfigRoots } from '../core/paths.js';
import { errorMessage } from '../core/store.js';
import { installIntegration, IntegrationError, uninstallIntegration, type IntegrationReport } from '../integration/installer.js';
import type { PlannedChange } from '../integration/settings-plan.js';
import { UnsafePathError } from '../integration/shell.js';
import type { Io } from './io.js';

const CONFIG_DIR_HELP = '  --config-dir DIR  Claude Code config root (default: the first of $CLAUDE_CONFIG_DIR, else ~/.claude)';

export const INSTALL_USAGE = `usage: cco install [--dry-run] [--config-dir DIR]
Adds to Claude Code: hooks that keep the optimizer up to date, a status line showing quota and
context (chained to yours, if you have one), and six slash commands (/session-status,
/context-status, /compact-context, /save-and-restart, /start-next-session, /create-calendar-events).
Your own settings, hooks and status line are kept; settings.json is backed up first.
  --dry-run         show what would change, write nothing
${CONFIG_DIR_HELP}`;

export const UNINSTALL_USAGE = `usage: cco uninstall [--dry-run] [--config-dir DIR]
Removes what cco install added and puts your previous status line back. Slash-command files you
edited since are left in place.
  --dry-run         show what would change, write nothing
${CONFIG_DIR_HELP}`;

type Mode = 'install' | 'uninstall';

const SYMBOL: Record<PlannedChange['action'], string> = { add: '+', update: '~', remove: '-', restore: '<', keep: '=' };

const COMMAND_LINE: Record<string, (name: string) => string> = {
  write: (name) => `  + /${name}`,
  keep: (name) => `  = /${name} (unchanged)`,
  'skip-foreign': (name) => `  ! /${name}: your own command of that name, left in place`,
  'skip-modified': (name) => `  ! /${name}: edited by you, left in place`,
  remove: (name) => `  - /${name}`,
  'keep-modified': (name) => `  ! /${name}: edited by you, left in place`,
};

function changeLine(change: PlannedChange): string {
  return `  ${SYMBOL[change.action]} ${change.target}${change.detail ? ` (${change.detail})` : ''}`;
}

function render(mode: Mode, report: IntegrationReport): string {
  const lines: string[] = [];
  for (const warning of report.warnings) lines.push(`cco ${mode}: warning: ${warning}`);
  if (report.unchanged) {
    lines.push(mode === 'install' ? `cco install: already installed in ${report.root}; nothing changed` : `cco uninstall: not installed in ${report.root}; nothing changed`);
    for (const note of report.notes) lines.push(`  note: ${note}`);
    return `${lines.join('\n')}\n`;
  }
  const verb = mode === 'install' ? 'installed in' : 'removed from';
  lines.push(report.dryRun ? `cco ${mode} --dry-run: would change ${report.root} (nothing written)` : `cco ${mode}: ${verb} ${report.root}`);
  if (report.settingsChanges.length > 0) {
    lines.push(`${report.settingsFile}${report.backup ? ` (backup: ${report.backup})` : ''}`);
    for (const change of report.settingsChanges) lines.push(changeLine(change));
  }
  const commands = report.commands.filter((c) => c.action in COMMAND_LINE);
  if (commands.length > 0) {
    lines.push('slash commands:');
    for (const c of commands) lines.push((COMMAND_LINE[c.action] as (name: string) => string)(c.file.replace(/\.md$/, '')));
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  if (report.dryRun && report.diff) lines.push('', report.diff.trimEnd());
  if (!report.dryRun && mode === 'install') lines.push('Start a new Claude Code session to use them (running sessions pick up hooks after /hooks or a restart).');
  return `${lines.join('\n')}\n`;
}

function runMode(mode: Mode, args: string[], io: Io): number {
  try {
    const { values } = parseCliArgs({
      args,
      options: { 'config-dir': { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.stdout(`${mode === 'install' ? INSTALL_USAGE : UNINSTALL_USAGE}\n`);
      return 0;
    }
    const explicit = values['config-dir']?.split(',').map((dir) => dir.trim()).filter(Boolean);
    const root = requireConfigRoots({ env: io.env, ...(explicit && explicit.length > 0 ? { explicit } : {}) })[0] as string;
    const options = { root, dryRun: values['dry-run'] ?? false };
    const report = mode === 'install' ? installIntegration(options) : uninstallIntegration(options);
    io.stdout(render(mode, report));
    return 0;
  } catch (error) {
    const usage = error instanceof ConfigRootError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    const known = usage || error instanceof IntegrationError || error instanceof UnsafePathError;
    const message = known && error instanceof Error ? error.message.split('\n')[0] : errorMessage(error, 300);
    io.stderr(`cco ${mode}: ${message}\n`);
    return usage ? 2 : 1;
  }
}

/** `cco install ARGS`: exit 0 when installed (or already), 1 when a file problem stopped it, 2 for a bad command line. */
export function runInstall(args: string[], io: Io): number {
  return runMode('install', args, io);
}

/** `cco uninstall ARGS`: exit codes as for runInstall. */
export function runUninstall(args: string[], io: Io): number {
  return runMode('uninstall', args, io);
}
