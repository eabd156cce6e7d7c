/** `cco`: the engine in a terminal. Subcommands are dispatched from here; each lives in its own file. */
import { requireConfigRoots } from '../core/paths.js';
import { visibleLine } from '../../shared/sanitize.js';
import { processIo, type Io } from './io.js';
import { runCommand } from './run-command.js';

export const USAGE = `cco: Claude Code Optimizer, your quota and context at a glance

usage: cco <command> [options]

commands:
  status     the quota panel (the spec's /session-status); --json for the Snapshot, --watch to follow
  history    past 5-hour windows and a chart per day (--days N, --json), with the auto plan's P90
  config     read and change settings (plan, customLimit, hyperaware, windowAlignment, countedKinds)
  install    add hooks, status line and slash commands to Claude Code (--dry-run to preview)
  uninstall  remove them and put your previous status line back
  hook       (run by Claude Code's hooks) record a hook event in logs/sessions.jsonl
  statusline (run by Claude Code's status line) print quota and context, relay the server figures
  help       this text

  context    the context window of this project's session (the spec's /context-status); --json
  compact    the compaction brief and a ready /compact command that says what to keep
  handoff    write a handoff file to save and restart the session, with the resume commands

  queue      plan sessions: add, list, show, edit, done, skip, rm, start, import a markdown plan
  next       the spec's /start-next-session: what fits the quota now, or when (--hours N --yes --json --preview)
  calendar   export scheduled sessions as .ics files (calendar/), --open to import them

Run "cco <command> --help" for a command's options.`;


export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [command = 'status', ...rest] = argv;
  return runCommand(command, io, async () => {
    switch (command) {
      // Each command's module is loaded only when that command runs: `cco hook` and
      // `cco statusline` run after every event and message, so they must not pay for the rest.
      case 'status': {
        const { runStatus } = await import('./status.js');
        return await runStatus(rest, io);
      }
      case 'history': {
        const { runHistory } = await import('./history.js');
        return await runHistory(rest, io);
      }
      case 'config': {
        const configDir = rest.indexOf('--config-dir');
        const explicit = configDir >= 0 ? rest[configDir + 1]?.split(',') : undefined;
        const args = configDir >= 0 ? rest.filter((_, i) => i !== configDir && i !== configDir + 1) : rest;
        const roots = requireConfigRoots({ env: io.env, ...(explicit ? { explicit } : {}) });
        const { runConfig } = await import('./config.js');
        return runConfig(args, { root: roots[0], stdout: io.stdout, stderr: io.stderr });
      }
      // Claude Code runs these two after every event and message: loaded only when asked for,
      // and they never fail (exit 0 whatever happens).
      case 'hook': {
        const { runHook } = await import('./hook.js');
        return await runHook(rest, io, process.stdin);
      }
      case 'statusline': {
        const { runStatusLine } = await import('./statusline.js');
        return await runStatusLine(rest, io, process.stdin);
      }
      case 'install': {
        const { runInstall } = await import('./install.js');
        return runInstall(rest, io);
      }
      case 'uninstall': {
        const { runUninstall } = await import('./install.js');
        return runUninstall(rest, io);
      }
      case 'context': {
        const { runContext } = await import('./context-status.js');
        return await runContext(rest, io);
      }
      case 'compact': {
        const { runCompact } = await import('./context-status.js');
        return await runCompact(rest, io);
      }
      case 'handoff': {
        const { runHandoff } = await import('./context-status.js');
        return await runHandoff(rest, io);
      }
      case 'queue': {
        const { runQueue } = await import('./queue.js');
        return await runQueue(rest, io);
      }
      case 'next': {
        const { runNext } = await import('./next.js');
        return await runNext(rest, io, process.stdin);
      }
      case 'calendar': {
        const { runCalendar } = await import('./calendar.js');
        return await runCalendar(rest, io);
      }
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return 0;
      case '--version':
      case 'version':
        io.stdout('cco 0.1.0\n');
        return 0;
      default:
        io.stderr(`cco: unknown command "${visibleLine(command)}" (see cco help)\n`);
        return 2;
    }
  });
}
