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
import { UsageError } from './command-context.js';
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

/** A start that failed, in one line: why, with the command to run by hand when the launch was known. */
export function startProblem(problem: string, manual: string | null): UsageError {
  return new UsageError(manual ? `${problem}; to start it by hand, run: ${manual}` : problem);
}

function usageOf(error: unknown): unknown {
  if (error instanceof LaunchError) return startProblem(error.message, error.manual);
  if (error instanceof QueueError) return new UsageError(error.message);
  return error;
}

/** QueueError and LaunchError are the user's to fix: one line, exit 2. */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw usageOf(error);
  }
}

export async function asUsageAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw usageOf(error);
  }
}

/** A warning on stderr, one line; warnings quote names, paths and file contents, so they are made safe here. */
export function warn(io: Io, warning: string | null | undefined): void {
  // One line each: a queue read can report several left-out entries.
  if (warning) for (const line of warning.split('\n')) io.stderr(`cco: warning: ${visibleLine(line)}\n`);
}

/** The launch as JSON: claude's argv and the terminal process that carries it (null when there is none). */
export function launchJson(result: Pick<StartResult, 'launch' | 'command' | 'terminalProblem' | 'started'>): Record<string, unknown> {
  return {
    started: result.started,
    sessionId: result.launch.sessionId,
    cwd: result.launch.cwd,
    claude: result.launch.argv,
    terminal: result.command?.terminal ?? null,
    command: result.command?.command ?? null,
    args: result.command?.args ?? null,
    terminalProblem: result.terminalProblem,
    manual: manualCommand(result.launch),
  };
}

export function renderLaunch(result: Pick<StartResult, 'launch' | 'command' | 'terminalProblem' | 'started' | 'session'>): string {
  const { launch, command, session } = result;
  const lines: string[] = [];
  // The name, the project and the prompt in the commands come from the queue (objectives, imported
  // plans): shown with every control visible. A command keeps its newlines (they are inside quotes).
  if (result.started) {
    lines.push(`🚀 Started ${session.id} "${visibleLine(session.name)}" in ${visibleLine(launch.cwd)}`);
    lines.push(`   claude session id: ${launch.sessionId}`);
    lines.push(`   Mark it done with: cco queue done ${session.id}`);
  } else if (command) {
    lines.push(`Would run (in ${visibleLine(launch.cwd)}, terminal: ${visibleLine(command.terminal)}):`);
    lines.push(`   ${visible([command.command, ...command.args].map(shellQuote).join(' '))}`);
    lines.push('claude command (to run it by hand):');
    lines.push(`   ${visible(manualCommand(launch))}`);
  } else {
    lines.push(`No terminal window to open it in: ${visibleLine(result.terminalProblem ?? 'no terminal found')}.`);
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
