/**
 * `cco status --watch` runs the auto-start at the reset too, and two of them (two real processes,
 * standing for the app and a terminal's --watch) start a slot once: one holds the owner lock, the
 * record is claimed under its own lock. Real clock: the slot is a few seconds ahead; the terminal
 * is test/fixtures/planner/append-launch.mjs (one line per launch).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readAutoStartRecord } from '../../main/core/planner/auto-start-record.js';
import { addSession, readQueue, scheduleSession, updateQueue } from '../../main/core/planner/queue.js';
import { CCO_BIN, REPO, tempRoot } from '../helpers/cli.js';

const TERMINAL = path.resolve('test/fixtures/planner/append-launch.mjs');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function watcher(root: string): { child: ChildProcess; stderr: () => string } {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, NO_COLOR: '1', CLAUDE_CONFIG_DIR: undefined })) if (value !== undefined) env[key] = value;
  const child = spawn(process.execPath, [CCO_BIN, 'status', '--watch', '--format', 'plain', '--config-dir', root], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout?.resume();
  return { child, stderr: () => stderr };
}

describe('cco status --watch and the auto-start at the reset', () => {
  it('two watchers on one root: the slot starts once, and the one that started it says so on stderr', async () => {
    const root = tempRoot('cco-auto-start-cli-');
    const project = tempRoot('cco-auto-start-cli-project-');
    dirs.push(root, project);
    const launches = path.join(root, 'launches.jsonl');
    fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ autoStartAtReset: true, terminal: [process.execPath, TERMINAL, launches, '{cwd}', '{command}'] }));
    const slot = Date.now() + 4_000;
    updateQueue(root, Date.now(), (queue) => {
      const session = addSession(queue, { name: 'Night shift', project, estimatedTokens: 20_000, estimatedHours: 1 }, Date.now());
      scheduleSession(session, slot, 'quota-reset', Date.now());
    });
    const first = watcher(root);
    const second = watcher(root);
    await vi.waitFor(() => expect(fs.existsSync(launches)).toBe(true), { timeout: 15_000, interval: 100 });
    // Both have looked since the slot came due; still one launch.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(fs.readFileSync(launches, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(readQueue(root).queue.sessions[0]?.status).toBe('in-progress');
    expect(readAutoStartRecord(root).record.entries.map((entry) => entry.outcome)).toEqual(['started']);
    const said = [first.stderr(), second.stderr()].filter((text) => text.includes('Session started automatically: Started s1 "Night shift" at the reset'));
    expect(said).toHaveLength(1);
    for (const { child } of [first, second]) {
      child.kill('SIGTERM');
      expect(await new Promise<number | null>((resolve) => child.once('exit', resolve))).toBe(0);
    }
    // The owner gave its lock back on the way out.
    expect(fs.existsSync(path.join(root, 'cco-auto-start.owner.lock'))).toBe(false);
  }, 30_000);
});
