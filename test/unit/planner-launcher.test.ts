import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emptyQueue, type QueuedSession } from '../../shared/queue-snapshot.js';
import {
  ITERM_SCRIPT,
  LaunchError,
  TERMINAL_APP_SCRIPT,
  buildClaudeLaunch,
  checkLaunchable,
  cmdEscapeArgument,
  detectTerminal,
  firstPrompt,
  manualCommand,
  runLaunchCommand,
  terminalCommand,
  type DetectInput,
  type TerminalChoice,
  type TerminalId,
} from '../../main/core/planner/launcher.js';
import { addSession } from '../../main/core/planner/queue.js';

const NASTY = `Fix "quoted" and 'single' text; rm -rf ~ && echo $(whoami) \`id\` | tee x > y < z & %PATH% ^caret !bang, commas\nsecond line\ttab \\backslash\\`;
const SESSION_ID = '0b6b2f8e-4b8e-4c3e-9a51-6a2f0d3c9e11';

function session(overrides: Partial<QueuedSession> = {}): QueuedSession {
  const queue = emptyQueue();
  const created = addSession(queue, { name: 'Implementation - Part 2/3', project: '/home/dana/code/invoice api', estimatedTokens: 45_000, estimatedHours: 3, objectives: ['Build API integration layer', NASTY] }, 0);
  return { ...created, ...overrides };
}

const none = (): null => null;
const onPath =
  (...names: string[]) =>
  (command: string): string | null =>
    names.includes(command) ? `/usr/bin/${command}` : null;

function detect(input: Partial<DetectInput>): TerminalChoice {
  return detectTerminal({ platform: 'linux', env: {}, settings: { terminal: null, claudePath: null }, which: none, ...input });
}

describe('detectTerminal', () => {
  it.each<[string, Partial<DetectInput>, TerminalChoice]>([
    ['macOS Terminal', { platform: 'darwin' }, { kind: 'known', id: 'terminal', source: 'detected' }],
    ['macOS iTerm', { platform: 'darwin', env: { TERM_PROGRAM: 'iTerm.app' } }, { kind: 'known', id: 'iterm', source: 'environment' }],
    ['Windows Terminal session', { platform: 'win32', env: { WT_SESSION: 'x' } }, { kind: 'known', id: 'wt', source: 'environment' }],
    ['Windows Terminal installed', { platform: 'win32', which: onPath('wt') }, { kind: 'known', id: 'wt', source: 'detected' }],
    ['Windows cmd', { platform: 'win32' }, { kind: 'known', id: 'cmd', source: 'detected' }],
    ['Linux x-terminal-emulator first', { which: onPath('xterm', 'kitty', 'x-terminal-emulator') }, { kind: 'known', id: 'x-terminal-emulator', source: 'detected' }],
    ['Linux gnome-terminal', { which: onPath('xterm', 'gnome-terminal') }, { kind: 'known', id: 'gnome-terminal', source: 'detected' }],
    ['Linux konsole', { which: onPath('konsole', 'xterm') }, { kind: 'known', id: 'konsole', source: 'detected' }],
    ['Linux kitty', { which: onPath('kitty', 'xterm') }, { kind: 'known', id: 'kitty', source: 'detected' }],
    ['Linux alacritty', { which: onPath('alacritty', 'xterm') }, { kind: 'known', id: 'alacritty', source: 'detected' }],
    ['Linux xterm', { which: onPath('xterm') }, { kind: 'known', id: 'xterm', source: 'detected' }],
    ['Linux $TERMINAL', { env: { TERMINAL: '/usr/bin/kitty' }, which: onPath('kitty', 'gnome-terminal') }, { kind: 'known', id: 'kitty', source: 'environment' }],
    ['$TERMINAL not installed', { env: { TERMINAL: 'kitty' }, which: onPath('xterm') }, { kind: 'known', id: 'xterm', source: 'detected' }],
    ['setting wins', { platform: 'darwin', settings: { terminal: 'Kitty', claudePath: null } }, { kind: 'known', id: 'kitty', source: 'setting' }],
    ['setting current', { settings: { terminal: 'current', claudePath: null } }, { kind: 'known', id: 'current', source: 'setting' }],
    ['custom command', { settings: { terminal: ['myterm', '-e', '{command}'], claudePath: null } }, { kind: 'custom', argv: ['myterm', '-e', '{command}'], source: 'setting' }],
  ])('%s', (_label, input, expected) => {
    expect(detect(input)).toEqual(expected);
  });

  it('says what to do when there is no terminal or the setting is wrong', () => {
    expect(() => detect({})).toThrow(LaunchError);
    expect(() => detect({})).toThrow(/no terminal emulator found .*set "terminal" in cco-settings.json/);
    expect(() => detect({ settings: { terminal: 'hyperterm', claudePath: null } })).toThrow(/unknown terminal "hyperterm"/);
    expect(() => detect({ settings: { terminal: ['myterm'], claudePath: null } })).toThrow(/needs a "\{command\}" element/);
  });
});

describe('the claude command', () => {
  it('pre-assigns the session id, names the session, appends the agent file, and prompts with the objectives', () => {
    const launch = buildClaudeLaunch(session({ agent: '.claude/agents/impl.md' }), SESSION_ID);
    expect(launch.argv).toEqual([
      'claude',
      '--session-id',
      SESSION_ID,
      '-n',
      's1 Implementation - Part 2/3',
      '--append-system-prompt-file',
      '/home/dana/code/invoice api/.claude/agents/impl.md',
      launch.prompt,
    ]);
    expect(launch.cwd).toBe('/home/dana/code/invoice api');
    expect(launch.prompt).toBe(
      `Planned session s1: "Implementation - Part 2/3" (budget about 45,000 tokens, 3h).\nObjectives:\n- Build API integration layer\n- ${NASTY}\nWork through these objectives in order, and tell me when each is done.`,
    );
  });

  it('never lets the prompt or the name pass for an option', () => {
    const launch = buildClaudeLaunch(session({ name: '--dangerously-skip-permissions', objectives: ['--help'] }), SESSION_ID, '/opt/claude');
    expect(launch.argv[0]).toBe('/opt/claude');
    expect(launch.argv[4]).toBe('s1 --dangerously-skip-permissions');
    expect(launch.prompt.startsWith('Planned session')).toBe(true);
    expect(launch.argv).not.toContain('--append-system-prompt-file');
    expect(firstPrompt(session({ objectives: [] }))).toContain('No objectives were written down');
  });

  it('shows a command a person can paste, quoted for a POSIX shell', () => {
    const text = manualCommand(buildClaudeLaunch(session({ objectives: ["it's"] }), SESSION_ID));
    expect(text).toMatch(/^cd '\/home\/dana\/code\/invoice api' && claude --session-id 0b6b2f8e-4b8e-4c3e-9a51-6a2f0d3c9e11 -n 's1 Implementation - Part 2\/3' 'Planned/);
    expect(text).toContain(`- it'\\''s`);
  });
});

describe('terminalCommand', () => {
  const launch = buildClaudeLaunch(session(), SESSION_ID);
  const claude = launch.argv;
  const known = (id: TerminalId) => terminalCommand({ kind: 'known', id, source: 'detected' }, launch);

  it.each<[string, string, string[]]>([
    ['x-terminal-emulator', 'x-terminal-emulator', ['-e', ...claude]],
    ['gnome-terminal', 'gnome-terminal', [`--working-directory=${launch.cwd}`, '--', ...claude]],
    ['konsole', 'konsole', ['--workdir', launch.cwd, '-e', ...claude]],
    ['kitty', 'kitty', ['--directory', launch.cwd, ...claude]],
    ['alacritty', 'alacritty', ['--working-directory', launch.cwd, '-e', ...claude]],
    ['wezterm', 'wezterm', ['start', '--cwd', launch.cwd, '--', ...claude]],
    ['foot', 'foot', [`--working-directory=${launch.cwd}`, ...claude]],
    ['xterm', 'xterm', ['-e', ...claude]],
  ])('%s gets claude as separate arguments, untouched', (id, command, args) => {
    const result = known(id as TerminalId);
    expect(result).toEqual({ terminal: id, command, args, cwd: launch.cwd, windowsVerbatimArguments: false, attached: false });
    expect(result.args).toContain(launch.prompt);
  });

  it('macOS: a constant AppleScript quotes each argument itself', () => {
    for (const [id, script] of [
      ['terminal', TERMINAL_APP_SCRIPT],
      ['iterm', ITERM_SCRIPT],
    ] as const) {
      const result = known(id);
      expect(result.command).toBe('osascript');
      const separator = result.args.indexOf('--');
      expect(result.args.slice(0, separator).filter((arg) => arg !== '-e')).toEqual(script);
      expect(result.args.slice(separator + 1)).toEqual([launch.cwd, ...claude]);
      // The user's text is only ever an argument, never part of the script.
      expect(result.args.slice(0, separator).join('\n')).not.toContain('rm -rf');
      expect(script.join('\n')).toContain('quoted form of (item i of argv)');
    }
  });

  it('Windows Terminal: separate arguments with ";" escaped', () => {
    const result = known('wt');
    expect(result.command).toBe('wt.exe');
    expect(result.args.slice(0, 2)).toEqual(['-d', launch.cwd]);
    expect(result.args.at(-1)).toBe(launch.prompt.replace(/;/g, '\\;'));
  });

  it('Windows cmd: every metacharacter is caret-escaped, line breaks become spaces', () => {
    const result = known('cmd');
    expect(result.command).toBe('cmd.exe');
    expect(result.windowsVerbatimArguments).toBe(true);
    expect(result.args.slice(0, 3)).toEqual(['/d', '/s', '/c']);
    const line = result.args[3] as string;
    expect(line.startsWith('"start "" /D ')).toBe(true);
    const unescaped = line.slice(1, -1).replace('start "" ', '').replace(/\^./g, '');
    // Once carets and what they escape are removed, no metacharacter is left for cmd to act on.
    expect(unescaped).not.toMatch(/[&|<>()%!^"]/);
    expect(cmdEscapeArgument('a "b" & c\nd')).toBe('^"a^ \\^"b\\^"^ ^&^ c^ d^"');
    expect(cmdEscapeArgument('C:\\dir\\')).toBe('^"C:\\dir\\\\^"');
  });

  it('custom argv and the current terminal', () => {
    const custom = terminalCommand({ kind: 'custom', argv: ['myterm', '--cwd', '{cwd}', '-e', '{command}'], source: 'setting' }, launch);
    expect(custom).toMatchObject({ terminal: 'custom', command: 'myterm', args: ['--cwd', launch.cwd, '-e', ...claude] });
    expect(known('current')).toMatchObject({ command: 'claude', args: claude.slice(1), attached: true });
  });
});

describe('launching for real (a recording stand-in, no shell)', () => {
  const recorder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/planner/record-launch.mjs');

  it('delivers every argument byte for byte and starts in the project directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-launch-'));
    try {
      const project = path.join(dir, 'my project; $(x)');
      fs.mkdirSync(project);
      const out = path.join(dir, 'launch.json');
      const launch = buildClaudeLaunch(session({ project }), SESSION_ID);
      const command = terminalCommand({ kind: 'custom', argv: [process.execPath, recorder, out, '{cwd}', '{command}'], source: 'setting' }, launch);
      const attached = { ...command, attached: true };
      expect(await runLaunchCommand(attached)).toBe(0);
      const recorded = JSON.parse(fs.readFileSync(out, 'utf8')) as { argv: string[]; cwd: string };
      expect(recorded.cwd).toBe(project);
      expect(recorded.argv).toEqual([project, ...launch.argv]);
      expect(recorded.argv.at(-1)).toContain(NASTY);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects when the terminal cannot be started', async () => {
    const launch = buildClaudeLaunch(session({ project: os.tmpdir() }), SESSION_ID);
    const command = terminalCommand({ kind: 'custom', argv: ['/nonexistent/terminal-xyz', '{command}'], source: 'setting' }, launch);
    await expect(runLaunchCommand(command)).rejects.toThrow(/could not start \/nonexistent\/terminal-xyz/);
  });

  it('refuses a project directory or agent file that no longer exists', () => {
    expect(() => checkLaunchable(session({ project: '/nonexistent/project' }))).toThrow(/project directory \/nonexistent\/project of s1 no longer exists; fix it with cco queue edit s1 --project DIR/);
    expect(() => checkLaunchable(session({ project: os.tmpdir(), agent: 'no-such-agent.md' }))).toThrow(/agent file .*no-such-agent.md of s1 does not exist/);
  });
});
