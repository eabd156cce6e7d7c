/**
 * Starting a queued session: the user's terminal opens in the session's project directory running
 * `claude --session-id <uuid> -n <name> [--append-system-prompt-file <agent>] "<first prompt>"`
 * (claude-code-facts.md §8). The pre-assigned session id lets the optimizer follow the transcript.
 *
 * Commands are argument arrays handed to spawn without a shell, so objectives full of quotes,
 * `$(...)`, `;` or newlines reach claude as they were typed. Terminals that can only run a
 * command line get one built by an escaping rule (AppleScript's `quoted form of`, cmd's carets),
 * never by pasting user text into a shell string. Detection is a pure function of
 * {platform, env, settings, which}, so every platform's branch is tested on any machine.
 */
import { childProcess } from '../lazy-builtin.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatTokens, hoursText } from '../../../shared/format.js';
import type { QueuedSession } from '../../../shared/queue-snapshot.js';
import { expandHome } from './queue.js';

export const TERMINAL_IDS = [
  'terminal',
  'iterm',
  'x-terminal-emulator',
  'gnome-terminal',
  'konsole',
  'kitty',
  'alacritty',
  'wezterm',
  'foot',
  'xterm',
  'wt',
  'cmd',
  'current',
] as const;
export type TerminalId = (typeof TERMINAL_IDS)[number];

/** Linux terminals in the order they are looked for on PATH. */
export const LINUX_TERMINALS: readonly TerminalId[] = ['x-terminal-emulator', 'gnome-terminal', 'konsole', 'kitty', 'alacritty', 'wezterm', 'foot', 'xterm'];

export interface LaunchSettings {
  /**
   * null: detect. A terminal id (see TERMINAL_IDS; `current` runs claude in this terminal), or a
   * custom argv whose `{cwd}` element is replaced by the project directory and whose `{command}`
   * element is replaced by claude's argv (several elements).
   */
  terminal: string | readonly string[] | null;
  /** The claude executable; default `claude` (found on PATH). */
  claudePath: string | null;
}

export type Which = (command: string) => string | null;

export interface DetectInput {
  platform: NodeJS.Platform | string;
  env: Readonly<Record<string, string | undefined>>;
  settings: LaunchSettings;
  which: Which;
  /**
   * The caller has no terminal of its own (the app): the session needs a window the user sees.
   * The `current` setting (claude attached to this process) is then ignored and a terminal
   * emulator is detected instead.
   */
  needsWindow?: boolean;
}

export type TerminalChoice =
  | { kind: 'known'; id: TerminalId; source: 'setting' | 'environment' | 'detected' }
  | { kind: 'custom'; argv: readonly string[]; source: 'setting' };

export class LaunchError extends Error {
  /** The command a person can run by hand instead, when the launch itself was known. */
  readonly manual: string | null;

  constructor(message: string, manual: string | null = null) {
    super(message);
    this.manual = manual;
  }
}

function isTerminalId(value: string): value is TerminalId {
  return (TERMINAL_IDS as readonly string[]).includes(value);
}

/** Which terminal to open. Pure. Throws a LaunchError when there is none to use. */
export function detectTerminal(input: DetectInput): TerminalChoice {
  const { platform, env, settings, which } = input;
  const setting = settings.terminal;
  if (Array.isArray(setting)) {
    if (setting.length === 0 || !setting.includes('{command}')) {
      throw new LaunchError('the "terminal" setting, when a list, needs a "{command}" element where claude\'s arguments go, e.g. ["myterm", "--cwd", "{cwd}", "-e", "{command}"]');
    }
    return { kind: 'custom', argv: setting, source: 'setting' };
  }
  if (typeof setting === 'string' && setting.trim() !== '') {
    const id = setting.trim().toLowerCase();
    if (!isTerminalId(id)) throw new LaunchError(`unknown terminal "${setting}" in settings: expected one of ${TERMINAL_IDS.join(', ')}, or a command list with "{command}"`);
    // `current` from the app would run claude inside the app's own process, where no one sees it.
    if (!(id === 'current' && input.needsWindow === true)) return { kind: 'known', id, source: 'setting' };
  }
  if (platform === 'darwin') {
    return { kind: 'known', id: env.TERM_PROGRAM === 'iTerm.app' ? 'iterm' : 'terminal', source: env.TERM_PROGRAM === 'iTerm.app' ? 'environment' : 'detected' };
  }
  if (platform === 'win32') {
    if (env.WT_SESSION || which('wt') !== null) return { kind: 'known', id: 'wt', source: env.WT_SESSION ? 'environment' : 'detected' };
    return { kind: 'known', id: 'cmd', source: 'detected' };
  }
  // Linux and the BSDs: $TERMINAL when it names a terminal we know and it is installed.
  const fromEnv = path.basename(env.TERMINAL ?? '').toLowerCase();
  if (isTerminalId(fromEnv) && LINUX_TERMINALS.includes(fromEnv) && which(fromEnv) !== null) return { kind: 'known', id: fromEnv, source: 'environment' };
  for (const id of LINUX_TERMINALS) if (which(id) !== null) return { kind: 'known', id, source: 'detected' };
  throw new LaunchError(
    `no terminal emulator found (looked for ${LINUX_TERMINALS.join(', ')} on PATH); set "terminal" in cco-settings.json (a terminal name, "current", or a command list)`,
  );
}

export interface ClaudeLaunch {
  /** The project directory claude runs in. */
  cwd: string;
  /** claude's argv, the executable first. */
  argv: string[];
  sessionId: string;
  /** The first prompt (also the last element of argv). */
  prompt: string;
  /** The agent file as resolved, or null. */
  agentFile: string | null;
}


/**
 * The first prompt, built from the objectives. It always starts with a letter, so claude can
 * never mistake it for an option.
 */
export function firstPrompt(session: QueuedSession): string {
  const lines = [`Planned session ${session.id}: "${session.name}" (budget about ${formatTokens(session.estimatedTokens)} tokens, ${hoursText(session.estimatedHours)}).`];
  if (session.objectives.length === 0) {
    lines.push('No objectives were written down: ask me what to work on first.');
  } else {
    lines.push('Objectives:');
    for (const objective of session.objectives) lines.push(`- ${objective}`);
    lines.push('Work through these objectives in order, and tell me when each is done.');
  }
  return lines.join('\n');
}

/** The agent file as claude should get it: absolute, relative paths taken from the project. */
export function resolveAgentFile(session: Pick<QueuedSession, 'agent' | 'project'>): string | null {
  if (session.agent === null || session.agent.trim() === '') return null;
  return path.resolve(session.project, expandHome(session.agent.trim()));
}

export function buildClaudeLaunch(session: QueuedSession, sessionId: string, claudePath: string | null = null): ClaudeLaunch {
  const agentFile = resolveAgentFile(session);
  const prompt = firstPrompt(session);
  // The name leads with the id: it names the session in `claude -r` and cannot start with "-".
  const argv = [claudePath ?? 'claude', '--session-id', sessionId, '-n', `${session.id} ${session.name}`];
  if (agentFile !== null) argv.push('--append-system-prompt-file', agentFile);
  argv.push(prompt);
  return { cwd: session.project, argv, sessionId, prompt, agentFile };
}

export interface LaunchCommand {
  terminal: TerminalId | 'custom';
  command: string;
  args: string[];
  cwd: string;
  /** cmd.exe parses its own command line: Node must pass it as built. */
  windowsVerbatimArguments: boolean;
  /** `current`: claude runs attached to this terminal and cco waits for it. */
  attached: boolean;
}

/**
 * AppleScript run with the project directory and claude's argv as its arguments: each is quoted
 * with `quoted form of` (POSIX single quotes) inside AppleScript, never by us.
 */
export const TERMINAL_APP_SCRIPT = [
  'on run argv',
  'set cmd to "cd " & quoted form of (item 1 of argv) & " &&"',
  'repeat with i from 2 to count of argv',
  'set cmd to cmd & " " & quoted form of (item i of argv)',
  'end repeat',
  'tell application "Terminal"',
  'activate',
  'do script cmd',
  'end tell',
  'end run',
];

export const ITERM_SCRIPT = [
  'on run argv',
  'set cmd to "cd " & quoted form of (item 1 of argv) & " &&"',
  'repeat with i from 2 to count of argv',
  'set cmd to cmd & " " & quoted form of (item i of argv)',
  'end repeat',
  'tell application "iTerm"',
  'activate',
  'set newWindow to (create window with default profile)',
  'tell current session of newWindow to write text cmd',
  'end tell',
  'end run',
];

function osascript(script: readonly string[], args: readonly string[]): string[] {
  return [...script.flatMap((line) => ['-e', line]), '--', ...args];
}

/** cmd.exe metacharacters, escaped with a caret outside and inside quotes (as cross-spawn does). */
const CMD_META = /([()\][%!^"`<>&|;, *?])/g;

/**
 * One argument for a cmd.exe command line: MSVCRT quoting (so the program sees the text), then
 * carets before every cmd metacharacter (so cmd passes it through). cmd cannot carry a line
 * break in an argument, so line breaks become spaces. See moxystudio/node-cross-spawn
 * lib/util/escape.js, and the "BatBadBut" advisory (CVE-2024-27980) for why this matters.
 */
export function cmdEscapeArgument(arg: string): string {
  let text = arg.replace(/\r?\n|\r/g, ' ');
  text = text.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\*)$/, '$1$1');
  return `"${text}"`.replace(CMD_META, '^$1');
}

/** Windows Terminal reads `;` as "new tab": escape it (microsoft/terminal#4570). */
function wtArgument(arg: string): string {
  return arg.replace(/;/g, '\\;');
}

/** The process to spawn for `choice`. Pure. */
export function terminalCommand(choice: TerminalChoice, launch: ClaudeLaunch): LaunchCommand {
  const base = { cwd: launch.cwd, windowsVerbatimArguments: false, attached: false };
  const claude = launch.argv;
  if (choice.kind === 'custom') {
    const expanded = choice.argv.flatMap((item) => (item === '{command}' ? claude : [item === '{cwd}' ? launch.cwd : item]));
    return { ...base, terminal: 'custom', command: expanded[0] as string, args: expanded.slice(1) };
  }
  switch (choice.id) {
    case 'current':
      return { ...base, terminal: 'current', command: claude[0] as string, args: claude.slice(1), attached: true };
    case 'terminal':
      return { ...base, terminal: 'terminal', command: 'osascript', args: osascript(TERMINAL_APP_SCRIPT, [launch.cwd, ...claude]) };
    case 'iterm':
      return { ...base, terminal: 'iterm', command: 'osascript', args: osascript(ITERM_SCRIPT, [launch.cwd, ...claude]) };
    case 'x-terminal-emulator':
      return { ...base, terminal: choice.id, command: 'x-terminal-emulator', args: ['-e', ...claude] };
    case 'gnome-terminal':
      return { ...base, terminal: choice.id, command: 'gnome-terminal', args: [`--working-directory=${launch.cwd}`, '--', ...claude] };
    case 'konsole':
      return { ...base, terminal: choice.id, command: 'konsole', args: ['--workdir', launch.cwd, '-e', ...claude] };
    case 'kitty':
      return { ...base, terminal: choice.id, command: 'kitty', args: ['--directory', launch.cwd, ...claude] };
    case 'alacritty':
      return { ...base, terminal: choice.id, command: 'alacritty', args: ['--working-directory', launch.cwd, '-e', ...claude] };
    case 'wezterm':
      return { ...base, terminal: choice.id, command: 'wezterm', args: ['start', '--cwd', launch.cwd, '--', ...claude] };
    case 'foot':
      return { ...base, terminal: choice.id, command: 'foot', args: [`--working-directory=${launch.cwd}`, ...claude] };
    case 'xterm':
      return { ...base, terminal: choice.id, command: 'xterm', args: ['-e', ...claude] };
    case 'wt':
      return { ...base, terminal: 'wt', command: 'wt.exe', args: ['-d', launch.cwd, ...claude.map(wtArgument)] };
    case 'cmd': {
      // start "" /D dir prog args: the empty "" is the window title start would otherwise take.
      const line = ['start', '""', '/D', cmdEscapeArgument(launch.cwd), ...claude.map(cmdEscapeArgument)].join(' ');
      return { ...base, terminal: 'cmd', command: 'cmd.exe', args: ['/d', '/s', '/c', `"${line}"`], windowsVerbatimArguments: true };
    }
  }
}

/** POSIX single-quote quoting, for showing a command to a person (never for running it). */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `cd '/x' && claude --session-id … 'prompt'`: what a user could paste to start by hand. */
export function manualCommand(launch: ClaudeLaunch): string {
  return `cd ${shellQuote(launch.cwd)} && ${launch.argv.map(shellQuote).join(' ')}`;
}

/** A `which` over PATH (and PATHEXT on Windows). */
export function whichOnPath(env: Readonly<Record<string, string | undefined>> = process.env, platform: string = process.platform): Which {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';') : [''];
  return (command) => {
    for (const dir of dirs) {
      for (const ext of exts) {
        const candidate = path.join(dir, command + ext);
        try {
          const stat = fs.statSync(candidate);
          if (stat.isFile() && (platform === 'win32' || (stat.mode & 0o111) !== 0)) return candidate;
        } catch {
          // not here
        }
      }
    }
    return null;
  };
}

/** Checks that must pass before anything is marked or spawned: the project and agent file exist. */
export function checkLaunchable(session: QueuedSession): void {
  let isDir = false;
  try {
    isDir = fs.statSync(session.project).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new LaunchError(`project directory ${session.project} of ${session.id} no longer exists; fix it with cco queue edit ${session.id} --project DIR`);
  const agent = resolveAgentFile(session);
  if (agent !== null && !fs.existsSync(agent)) throw new LaunchError(`agent file ${agent} of ${session.id} does not exist; fix it with cco queue edit ${session.id} --agent FILE (or --agent none)`);
}

/**
 * Run the command. A terminal is spawned detached and left running (resolves once it started,
 * rejects if it could not); `current` runs claude attached and resolves with its exit code.
 */
export function runLaunchCommand(command: LaunchCommand): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(command.command, command.args, {
      cwd: command.cwd,
      detached: !command.attached,
      stdio: command.attached ? 'inherit' : 'ignore',
      windowsVerbatimArguments: command.windowsVerbatimArguments,
      windowsHide: false,
    });
    child.once('error', (error) => reject(new LaunchError(`could not start ${command.command}: ${error.message}`)));
    if (command.attached) {
      child.once('exit', (code) => resolve(code ?? 1));
    } else {
      child.once('spawn', () => {
        child.unref();
        resolve(0);
      });
    }
  });
}
