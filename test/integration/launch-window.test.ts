// Starting a queued session where no terminal can be opened, or from the app: `--print` always
// shows the exact command (no emulator needed); the app never runs claude attached to its own
// process (the `current` setting), it opens a terminal window or says it could not and hands over
// the command. Real processes: the CLI as a child, the app's core actions spawning real programs
// found on a real PATH (a recorder stands in for the terminal emulator and for claude).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoreActions } from '../../main/app/core-actions.js';
import { Engine } from '../../main/core/engine.js';
import { addSession, readQueue, updateQueue } from '../../main/core/planner/queue.js';
import { loadAllSettings } from '../../main/core/settings.js';
import { runCco, tempRoot } from '../helpers/cli.js';

const cleanup: string[] = [];
const engines: Engine[] = [];
const savedPath = process.env.PATH;
afterEach(async () => {
  process.env.PATH = savedPath;
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
  for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

interface Setup {
  root: string;
  project: string;
  /** A PATH directory with no terminal emulator in it. */
  bin: string;
}

function setup(settings: Record<string, unknown> = {}): Setup {
  const root = tempRoot('cco-launch-');
  const project = tempRoot('cco-launch-project-');
  const bin = tempRoot('cco-launch-bin-');
  cleanup.push(root, project, bin);
  fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ plan: 'pro', ...settings }));
  updateQueue(root, Date.now(), (queue) => addSession(queue, { name: 'Implementation', project, estimatedTokens: 10_000, estimatedHours: 1, objectives: ['Write the "parser"; then $(test) it'] }, Date.now()));
  return { root, project, bin };
}

/** An executable that writes its argv, one per line, to `log`, then exits. */
function recorder(file: string, log: string): void {
  fs.writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "$@" > ${JSON.stringify(log)}\n`, { mode: 0o755 });
}

async function waitForFile(file: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return fs.readFileSync(file, 'utf8');
}

describe('cco with no terminal emulator on PATH', () => {
  it('--print shows the exact claude command and changes nothing', () => {
    const { root, project, bin } = setup();
    const printed = runCco(['queue', 'start', 's1', '--print', '--config-dir', root], { env: { PATH: bin } });
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('No terminal window to open it in: no terminal emulator found');
    expect(printed.stdout).toContain(`   cd ${project} && claude --session-id `);
    expect(printed.stdout).toContain(`- Write the "parser"; then $(test) it`);
    const json = runCco(['next', '--hours', '2', '--json', '--yes', '--print', '--config-dir', root], { env: { PATH: bin } });
    expect(json.code).toBe(0);
    const launch = (JSON.parse(json.stdout) as { carriedOut: { action: string }; launch: { terminal: null; manual: string; terminalProblem: string } });
    expect(launch.carriedOut.action).toBe('printed');
    expect(launch.launch).toMatchObject({ terminal: null, terminalProblem: expect.stringContaining('no terminal emulator found') });
    expect(launch.launch.manual).toMatch(new RegExp(`^cd ${project} && claude --session-id `));
    expect(readQueue(root).queue.sessions[0]?.status).toBe('ready');
  });

  it('a start says it could not open a terminal, in one message with the command to run by hand', () => {
    const { root, project, bin } = setup();
    const result = runCco(['queue', 'start', 's1', '--config-dir', root], { env: { PATH: bin } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^cco: no terminal emulator found .*; to start it by hand, run: cd ${project} && claude --session-id `));
    expect(readQueue(root).queue.sessions[0]?.status).toBe('ready');
  });
});

describe('the app starting a queued session', () => {
  async function app(root: string, bin: string) {
    // The launcher looks on PATH and spawns by name, as on a user's machine.
    process.env.PATH = bin;
    const engine = new Engine({ roots: [root], loadSettings: () => loadAllSettings(root), persist: false, debounceMs: 20 });
    engines.push(engine);
    await engine.start();
    const clipboard: string[] = [];
    const actions = createCoreActions({ roots: [root], engine, clipboard: { writeText: (text) => clipboard.push(text) }, openPath: async () => '', launch: { platform: 'linux', env: process.env } });
    return { actions, clipboard };
  }

  it('with terminal "current" it opens a terminal window, never claude attached to the app', async () => {
    const claudeLog = path.join(tempRoot('cco-launch-log-'), 'claude.txt');
    cleanup.push(path.dirname(claudeLog));
    const { root, project, bin } = setup({ terminal: 'current' });
    const claude = path.join(bin, 'claude');
    recorder(claude, claudeLog);
    const terminalLog = path.join(path.dirname(claudeLog), 'terminal.txt');
    recorder(path.join(bin, 'xterm'), terminalLog);
    const { actions } = await app(root, bin);
    const result = await actions.startQueued({ id: 's1' });
    expect(result).toMatchObject({ started: true, message: expect.stringContaining(`in xterm (${project})`) });
    const argv = (await waitForFile(terminalLog)).split('\n');
    expect(argv.slice(0, 3)).toEqual(['-e', 'claude', '--session-id']);
    expect(fs.existsSync(claudeLog)).toBe(false);
    expect(readQueue(root).queue.sessions[0]?.status).toBe('in-progress');
  });

  it('with no terminal to open it says so, with the command on the clipboard, and runs nothing', async () => {
    const claudeLog = path.join(tempRoot('cco-launch-log-'), 'claude.txt');
    cleanup.push(path.dirname(claudeLog));
    const { root, project, bin } = setup({ terminal: 'current' });
    recorder(path.join(bin, 'claude'), claudeLog);
    const { actions, clipboard } = await app(root, bin);
    const result = await actions.startQueued({ id: 's1' });
    expect(result.started).toBe(false);
    expect(result.message).toMatch(/^Could not open a terminal window: no terminal emulator found .*The command to start it by hand is on the clipboard: cd /);
    expect(clipboard).toHaveLength(1);
    expect(clipboard[0]).toMatch(new RegExp(`^cd ${project} && claude --session-id `));
    expect(result.message.endsWith(clipboard[0] as string)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fs.existsSync(claudeLog)).toBe(false);
    expect(readQueue(root).queue.sessions[0]?.status).toBe('ready');
  });
});
