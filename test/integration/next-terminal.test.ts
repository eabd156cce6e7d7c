// `cco next` as a person runs it: in a real pseudo-terminal (tmux), typing the answers when asked,
// on a config root whose 5-hour window started 90 minutes ago by the real clock (so nothing needs
// --now, which is a what-if and never acts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionQueue } from '../../shared/queue-snapshot.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { CCO_BIN, runCco, tempRoot } from '../helpers/cli.js';
import { PtySession, tmuxAvailable } from '../helpers/pty.js';

const cleanup: string[] = [];
const terminals: PtySession[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
  for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const RECORDER = path.resolve('test/fixtures/planner/record-launch.mjs');

interface Root {
  root: string;
  project: string;
  launchLog: string;
  windowStart: number;
}

/** A root with `used` tokens counted in a window that started 90 minutes ago (pro: 200,000 per window). */
function root(used: number): Root {
  const dir = tempRoot('cco-next-tty-');
  const project = tempRoot('cco-next-project-');
  cleanup.push(dir, project);
  const windowStart = Math.floor(Date.now() / 1000) * 1000 - 90 * 60_000;
  if (used > 0) writeTranscript(dir, 'used', [assistantLine({ messageId: 'msg_used', timestamp: new Date(windowStart).toISOString(), input: used - 2_000, output: 2_000 })]);
  const launchLog = path.join(dir, 'launch.json');
  fs.writeFileSync(path.join(dir, 'cco-settings.json'), JSON.stringify({ plan: 'pro', terminal: [process.execPath, RECORDER, launchLog, '{cwd}', '{command}'] }));
  return { root: dir, project, launchLog, windowStart };
}

function add(r: Root, name: string, tokens: string, hours: string): void {
  const result = runCco(['queue', 'add', '--config-dir', r.root, '--project', r.project, '--name', name, '--tokens', tokens, '--hours', hours]);
  expect(result.stderr).toBe('');
}

function queue(r: Root): SessionQueue {
  return JSON.parse(fs.readFileSync(path.join(r.root, 'session-queue.json'), 'utf8')) as SessionQueue;
}

function terminal(r: Root, ...args: string[]): PtySession {
  const session = PtySession.start([process.execPath, CCO_BIN, 'next', '--config-dir', r.root, ...args], { env: { NO_COLOR: '1', CLAUDE_CONFIG_DIR: undefined } });
  terminals.push(session);
  return session;
}

describe.runIf(tmuxAvailable())('cco next in a terminal', () => {
  it('waits at "Schedule this session for later?" and schedules on y, then offers the calendar', async () => {
    const r = root(182_000);
    add(r, 'Implementation', '65k', '3');
    const tty = terminal(r);
    await tty.waitFor('How many hours can you work? [1-5]: ');
    tty.type('3');
    await tty.waitFor('Schedule this session for later? (y/n): ');
    // The question waits for an answer: nothing more is printed and the command has not ended.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(tty.screen()).not.toContain('Nothing scheduled.');
    expect(tty.screen()).not.toContain('[pty exited');
    tty.type('y');
    await tty.waitFor('Create calendar events? (y/n): ');
    tty.type('n');
    const { code, screen } = await tty.waitForExit();
    expect(code).toBe(0);
    expect(screen).toContain('✅ Session scheduled!');
    expect(screen).toContain('Later: cco calendar');
    expect(queue(r).sessions[0]).toMatchObject({ status: 'scheduled', scheduledTime: new Date(r.windowStart + 5 * 3_600_000).toISOString(), scheduledReason: 'quota-reset' });
  });

  it('after 0 at "Start which session?" it still asks whether to schedule, and n schedules nothing', async () => {
    const r = root(175_000);
    add(r, 'Implementation', '65k', '3');
    add(r, 'Polish', '18k', '2');
    const tty = terminal(r);
    await tty.waitFor('How many hours can you work? [1-5]: ');
    tty.type('3');
    await tty.waitFor('Start which session? (1-1, or 0 to cancel): ');
    tty.type('0');
    await tty.waitFor('Schedule this session for later? (y/n): ');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(tty.screen()).not.toContain('Nothing scheduled.');
    tty.type('n');
    const { code, screen } = await tty.waitForExit();
    expect(code).toBe(0);
    expect(screen).toContain('Nothing scheduled.');
    expect(queue(r).sessions.map((s) => s.status)).toEqual(['ready', 'ready']);
  });

  it('starts the session on y in a new terminal and ends', async () => {
    const r = root(0);
    add(r, 'Implementation', '65k', '3');
    const tty = terminal(r);
    await tty.waitFor('How many hours can you work? [1-5]: ');
    tty.type('4');
    await tty.waitFor('Start this session? (y/n): ');
    tty.type('y');
    const { code, screen } = await tty.waitForExit();
    expect(code).toBe(0);
    expect(screen).toContain('🚀 Started s1 "Implementation"');
    expect(queue(r).sessions[0]?.status).toBe('in-progress');
  });

  it('refuses hours outside the prompt range [1-5] with one line naming the range, then asks again', async () => {
    const r = root(0);
    add(r, 'Implementation', '65k', '3');
    const tty = terminal(r);
    await tty.waitFor('How many hours can you work? [1-5]: ');
    tty.type('7');
    await tty.waitFor('Please answer: the hours must be from 1 to 5 hours (like 3, 1.5 or 90m); got 7');
    await tty.waitFor('How many hours can you work? [1-5]: ', { count: 2 });
    tty.type('-1');
    await tty.waitFor('got -1');
    await tty.waitFor('How many hours can you work? [1-5]: ', { count: 3 });
    tty.type('4');
    await tty.waitFor('Start this session? (y/n): ');
    tty.type('n');
    const { code, screen } = await tty.waitForExit();
    expect(code).toBe(0);
    expect(screen).toContain('Not started.');
    expect(queue(r).sessions[0]?.status).toBe('ready');
  });
});

describe('cco next with piped stdin, answered as each question appears', () => {
  it('waits for each answer, the schedule question included', async () => {
    const r = root(182_000);
    add(r, 'Implementation', '65k', '3');
    const child = spawn(process.execPath, [CCO_BIN, 'next', '--interactive', '--config-dir', r.root], { env: { ...process.env, NO_COLOR: '1', HOME: os.tmpdir() }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    const answer = async (question: string, text: string): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while (!out.includes(question)) {
        if (Date.now() > deadline) throw new Error(`no "${question}" in:\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(out).not.toContain('Nothing scheduled.');
      child.stdin.write(`${text}\n`);
    };
    try {
      await answer('How many hours can you work? [1-5]: ', '3');
      await answer('Schedule this session for later? (y/n): ', 'y');
      await answer('Create calendar events? (y/n): ', 'n');
      child.stdin.end();
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
    expect(out).toContain('✅ Session scheduled!');
    expect(queue(r).sessions[0]?.status).toBe('scheduled');
  });
});
