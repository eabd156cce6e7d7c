/**
 * Starting a queued session from the CLI (`cco queue start`, `cco next --yes`): the launch
 * environment of this process, and how a launch is shown (`--print` shows it without running).
 */
import { startSession, type LaunchEnvironment, type StartResult } from '../core/planner/actions.js';
import { LaunchError, manualCommand, shellQuote, whichOnPath, type LaunchSettings } from '../core/planner/launcher.js';
import { launchSettings } from '../core/planner/planner-settings.js';
import { readSettingsFile } from '../core/settings.js';
import { QueueError } from '../core/planner/queue.js';
import { visible, visibleLine } from '../../shared/sanitize.js';
import { UsageError } from './context.js';
import type { Io } from './io.js';

export function launchEnvironment(io: Io, settings: LaunchSettings): LaunchEnvironment {
  return { platform: process.platform, env: io.env, settings, which: whichOnPath(io.env, process.platform) };
}

/**
 * The launch keys, through the one settings parse; only their own problems are warned about here
 * (the command's context already reported the rest of the file).
 */
export function launchSettingsFor(root: string, io: Io): LaunchSettings {
  const { settings, warning } = readSettingsFile(root, ['terminal', 'claudePath']);
  warn(io, warning);
  return launchSettings(settings);
}

/** QueueError and LaunchError are the user's to fix: one line, exit 2. */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof QueueError || error instanceof LaunchError) throw new UsageError(error.message);
    throw error;
  }
}

export async function asUsageAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof QueueError || error instanceof LaunchError) throw new UsageError(error.message);
    throw error;
  }
}

/** A warning on stderr, one line; warnings quote names, paths and file contents, so they are made safe here. */
export function warn(io: Io, warning: string | null | undefined): void {
  if (warning) io.stderr(`cco: warning: ${visibleLine(warning)}\n`);
}

/** The launch as JSON: claude's argv and the terminal process that carries it. */
export function launchJson(result: Pick<StartResult, 'launch' | 'command' | 'started'>): Record<string, unknown> {
  return {
    started: result.started,
    sessionId: result.launch.sessionId,
    cwd: result.launch.cwd,
    claude: result.launch.argv,
    terminal: result.command.terminal,
    command: result.command.command,
    args: result.command.args,
    manual: manualCommand(result.launch),
  };
}

export function renderLaunch(result: Pick<StartResult, 'launch' | 'command' | 'started' | 'session'>): string {
  const { launch, command, session } = result;
  const lines: string[] = [];
  // The name, the project and the prompt in the commands come from the queue (objectives, imported
  // plans): shown with every control visible. A command keeps its newlines (they are inside quotes).
  if (result.started) {
    lines.push(`🚀 Started ${session.id} "${visibleLine(session.name)}" in ${visibleLine(launch.cwd)}`);
    lines.push(`   claude session id: ${launch.sessionId}`);
    lines.push(`   Mark it done with: cco queue done ${session.id}`);
  } else {
    lines.push(`Would run (in ${visibleLine(launch.cwd)}, terminal: ${visibleLine(command.terminal)}):`);
    lines.push(`   ${visible([command.command, ...command.args].map(shellQuote).join(' '))}`);
    lines.push('claude command (to run it by hand):');
    lines.push(`   ${visible(manualCommand(launch))}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function startFromCli(root: string, idText: string, now: number, io: Io, print: boolean): Promise<StartResult> {
  const settings = launchSettingsFor(root, io);
  const result = await asUsageAsync(() => startSession(root, idText, now, launchEnvironment(io, settings), print));
  warn(io, result.warning);
  return result;
}
