/**
 * Schedules that follow the reset, through the real CLI with no app running: a session scheduled at
 * the reset and exported to the calendar; then `cco statusline` relays a server reset an hour
 * earlier. `cco queue` shows (and keeps) the moved time, `cco calendar` rewrites the event under the
 * same UID with a higher SEQUENCE, and the session a person scheduled stays where it was. The real
 * clock: the status line checks its reset against it (and --now is a what-if that writes nothing).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueuedSession } from '../../shared/queue-snapshot.js';
import { addSession, readQueue, scheduleSession, updateQueue } from '../../main/core/planner/queue.js';
import { parseIcs } from '../fixtures/planner/ics.js';
import { runCco, tempRoot, type CliResult } from '../helpers/cli.js';

const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function ok(result: CliResult): string {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('cco queue and cco calendar follow a reset the server moved', () => {
  it('move the session scheduled at the reset, keep its calendar UID, and leave a chosen time alone', () => {
    const start = Date.now();
    // Resets sit on the hour: the one the session was scheduled at, and the one the server reports later.
    const reset = Math.ceil((start + 3 * HOUR) / HOUR) * HOUR;
    const moved = reset - HOUR;
    const root = tempRoot('cco-follow-cli-');
    cleanup.push(root);
    const project = fs.mkdtempSync(path.join(root, 'project-'));
    const base = ['--config-dir', root];
    updateQueue(root, start, (queue) => {
      scheduleSession(addSession(queue, { name: 'At the reset', project, estimatedTokens: 50_000, estimatedHours: 2 }, start), reset, 'quota-reset', start, iso(reset));
      scheduleSession(addSession(queue, { name: 'My own time', project, estimatedTokens: 5_000, estimatedHours: 1 }, start), reset, 'user', start);
    });
    ok(runCco(['calendar', ...base]));
    const before = parseIcs(fs.readFileSync(path.join(root, 'calendar', 'sessions.ics'), 'utf8')).events;
    expect(before.map((event) => event.start)).toEqual([iso(reset), iso(reset)]);

    const payload = { session_id: 'sess-follow', rate_limits: { five_hour: { used_percentage: 97, resets_at: moved / 1000 } } };
    expect(runCco(['statusline', ...base], { input: JSON.stringify(payload) }).code).toBe(0);

    const text = ok(runCco(['queue', 'list', ...base]));
    expect(text).toContain('s1 "At the reset" follows the reset, which moved');
    const listed = JSON.parse(ok(runCco(['queue', 'list', '--json', ...base]))) as { sessions: QueuedSession[] };
    expect(listed.sessions.map((s) => [s.id, s.scheduledTime])).toEqual([
      ['s1', iso(moved)],
      ['s2', iso(reset)],
    ]);

    ok(runCco(['calendar', ...base]));
    const after = parseIcs(fs.readFileSync(path.join(root, 'calendar', 'sessions.ics'), 'utf8')).events;
    const [atReset, own] = [before[0], before[1]].map((event) => after.find((candidate) => candidate.uid === event?.uid));
    expect(after).toHaveLength(2);
    expect(atReset).toMatchObject({ start: iso(moved), end: iso(moved + 2 * HOUR), status: 'CONFIRMED' });
    expect(atReset?.sequence).toBeGreaterThan(before[0]?.sequence ?? Number.POSITIVE_INFINITY);
    expect(own).toEqual(before[1]);
    // The file of the moved session alone says the same: a calendar app updates the event in place.
    const single = parseIcs(fs.readFileSync(path.join(root, 'calendar', 'session-1.ics'), 'utf8')).events;
    expect(single).toEqual([atReset]);

    // The server moves it again: a what-if (--now) shows the new time and writes nothing; cco next keeps it.
    const again = moved + 30 * 60_000;
    const relayed = { session_id: 'sess-follow', rate_limits: { five_hour: { used_percentage: 98, resets_at: again / 1000 } } };
    expect(runCco(['statusline', ...base], { input: JSON.stringify(relayed) }).code).toBe(0);
    const queueText = fs.readFileSync(path.join(root, 'session-queue.json'), 'utf8');
    const whatIf = JSON.parse(ok(runCco(['queue', 'list', '--json', '--now', iso(Date.now()), ...base]))) as { sessions: QueuedSession[] };
    expect(whatIf.sessions[0]?.scheduledTime).toBe(iso(again));
    expect(fs.readFileSync(path.join(root, 'session-queue.json'), 'utf8')).toBe(queueText);
    expect(runCco(['next', '--json', ...base]).code).toBe(0);
    expect(readQueue(root).queue.sessions.map((s) => s.scheduledTime)).toEqual([iso(again), iso(reset)]);
  });
});
