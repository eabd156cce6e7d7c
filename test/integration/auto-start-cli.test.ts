/**
 * `cco status --watch` runs the auto-start at the reset too, and two of them (two real processes,
 * standing for the app and a terminal's --watch) start a slot once: one holds the owner lock, the
 * record is claimed under its own lock. Real clock: the slot is a few seconds ahead; the terminal
 * is test/fixtures/planner/append-launch.mjs (one line per launch).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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

  it('follows a reset the server moved, as the app does: the session waits for the new one, and the watcher says so', async () => {
    const HOUR = 3_600_000;
    const root = tempRoot('cco-watch-follow-');
    const project = tempRoot('cco-watch-follow-project-');
    dirs.push(root, project);
    const now = Date.now();
    const reset = Math.ceil((now + 3 * HOUR) / HOUR) * HOUR;
    const moved = reset - HOUR;
    updateQueue(root, now, (queue) => {
      scheduleSession(addSession(queue, { name: 'At the reset', project, estimatedTokens: 20_000, estimatedHours: 1 }, now), reset, 'quota-reset', now, new Date(reset).toISOString());
    });
    // The server's own figure, relayed by the status line: the reset is an hour earlier.
    const payload = { session_id: 'sess-watch', rate_limits: { five_hour: { used_percentage: 97, resets_at: moved / 1000 } } };
    const relayed = spawnSync(process.execPath, [CCO_BIN, 'statusline', '--config-dir', root], { input: JSON.stringify(payload), encoding: 'utf8' });
    expect(relayed.status).toBe(0);
    const watch = watcher(root);
    await vi.waitFor(() => expect(readQueue(root).queue.sessions[0]?.scheduledTime).toBe(new Date(moved).toISOString()), { timeout: 15_000, interval: 100 });
    await vi.waitFor(() => expect(watch.stderr()).toContain('s1 "At the reset" follows the reset, which moved'), { timeout: 5_000, interval: 100 });
    watch.child.kill('SIGTERM');
    expect(await new Promise<number | null>((resolve) => watch.child.once('exit', resolve))).toBe(0);
  }, 30_000);
});
