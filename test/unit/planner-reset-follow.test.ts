import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyQueue, type QueuedSession, type ScheduleReason, type SessionQueue } from '../../shared/queue-snapshot.js';
import { calendarEntries, eventUid, renderCalendar } from '../../main/core/planner/calendar.js';
import { addSession, parseQueue, readQueue, scheduleSession, updateQueue } from '../../main/core/planner/queue.js';
import { followReset, followResetInFile, serverResets, type ResetInstants } from '../../main/core/planner/reset-follow.js';
import { parseIcs } from '../fixtures/planner/ics.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.parse('2026-05-04T12:10:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();
/** The 5-hour reset the sessions were scheduled at, and where the server then moved it. */
const RESET = NOW + 2 * HOUR;
const MOVED = RESET - 10 * MINUTE;
const WEEKLY = NOW + 3 * 24 * HOUR;

function session(queue: SessionQueue, name: string): QueuedSession {
  return addSession(queue, { name, project: '/p', estimatedTokens: 10_000, estimatedHours: 1 }, NOW - HOUR);
}

function scheduled(queue: SessionQueue, name: string, at: number, reason: ScheduleReason, reset: number | null): QueuedSession {
  const entry = session(queue, name);
  scheduleSession(entry, at, reason, NOW - HOUR, reset === null ? null : iso(reset));
  return entry;
}

const resets = (fiveHour: number | null, weekly: number | null = null): ResetInstants => ({ fiveHour: fiveHour === null ? null : iso(fiveHour), weekly: weekly === null ? null : iso(weekly) });

describe('followReset', () => {
  it("moves 'quota-reset' and 'auto-critical' sessions with the 5-hour reset; packed ones keep their distance", () => {
    const queue = emptyQueue();
    const atReset = scheduled(queue, 'at the reset', RESET, 'quota-reset', RESET);
    const first = scheduled(queue, 'critical 1', RESET, 'auto-critical', RESET);
    const second = scheduled(queue, 'critical 2', RESET + HOUR, 'auto-critical', RESET);
    const revisions = queue.sessions.map((s) => s.revision);

    const moved = followReset(queue, resets(MOVED), NOW);

    expect(moved.map((m) => [m.id, m.from, m.to])).toEqual([
      [atReset.id, iso(RESET), iso(MOVED)],
      [first.id, iso(RESET), iso(MOVED)],
      [second.id, iso(RESET + HOUR), iso(MOVED + HOUR)],
    ]);
    expect(queue.sessions.map((s) => s.scheduledReset)).toEqual([iso(MOVED), iso(MOVED), iso(MOVED)]);
    expect(queue.sessions.map((s) => s.revision)).toEqual(revisions.map((r) => r + 1));
    expect(queue.sessions.every((s) => s.updatedAt === iso(NOW))).toBe(true);
  });

  it("moves a 'weekly-reset' session with the weekly reset only", () => {
    const queue = emptyQueue();
    const weekly = scheduled(queue, 'after the week', WEEKLY, 'weekly-reset', WEEKLY);
    expect(followReset(queue, resets(MOVED), NOW)).toEqual([]);
    const moved = followReset(queue, resets(MOVED, WEEKLY + 2 * HOUR), NOW);
    expect(moved.map((m) => [m.id, m.to])).toEqual([[weekly.id, iso(WEEKLY + 2 * HOUR)]]);
  });

  it("leaves a person's own time ('user') where it is", () => {
    const queue = emptyQueue();
    const own = scheduled(queue, 'mine', RESET, 'user', RESET);
    expect(own.scheduledReset).toBeNull();
    expect(followReset(queue, resets(MOVED, WEEKLY), NOW)).toEqual([]);
    expect(own.scheduledTime).toBe(iso(RESET));
  });

  it('leaves due and past schedules, and those whose reset has passed (a new window began), alone', () => {
    const queue = emptyQueue();
    const due = scheduled(queue, 'due', NOW - MINUTE, 'quota-reset', NOW - MINUTE);
    // Its window reset at NOW - 1 min; the server now reports the next window's reset.
    const packed = scheduled(queue, 'packed behind a passed reset', NOW + HOUR, 'auto-critical', NOW - MINUTE);
    const before = structuredClone(queue);
    expect(followReset(queue, resets(NOW + 4 * HOUR), NOW)).toEqual([]);
    expect(queue).toEqual(before);
    expect([due.scheduledTime, packed.scheduledTime]).toEqual([iso(NOW - MINUTE), iso(NOW + HOUR)]);
  });

  it('moves nothing when the server says nothing, names a reset already past, or one a window away', () => {
    const queue = emptyQueue();
    scheduled(queue, 'at the reset', RESET, 'quota-reset', RESET);
    const before = structuredClone(queue);
    expect(followReset(queue, resets(null), NOW)).toEqual([]);
    expect(followReset(queue, resets(NOW - MINUTE), NOW)).toEqual([]);
    expect(followReset(queue, resets(RESET + 5 * HOUR), NOW)).toEqual([]);
    expect(followReset(queue, resets(RESET), NOW)).toEqual([]);
    expect(queue).toEqual(before);
  });

  it('is idempotent: the same resets a second time move nothing', () => {
    const queue = emptyQueue();
    scheduled(queue, 'at the reset', RESET, 'quota-reset', RESET);
    expect(followReset(queue, resets(MOVED), NOW)).toHaveLength(1);
    const once = structuredClone(queue);
    expect(followReset(queue, resets(MOVED), NOW + MINUTE)).toEqual([]);
    expect(queue).toEqual(once);
  });

  it('reads old queue files: a reset-reason time without scheduledReset was the reset itself', () => {
    const queue = emptyQueue();
    scheduled(queue, 'old quota-reset', RESET, 'quota-reset', RESET);
    scheduled(queue, 'old critical 2', RESET + HOUR, 'auto-critical', RESET);
    const raw = JSON.parse(JSON.stringify(queue)) as { sessions: Record<string, unknown>[] };
    for (const entry of raw.sessions) delete entry.scheduledReset;
    const old = parseQueue(raw);
    expect(old.sessions.map((s) => s.scheduledReset)).toEqual([iso(RESET), null]);
    expect(followReset(old, resets(MOVED), NOW).map((m) => m.id)).toEqual(['s1']);
  });

  it('takes the resets from the server figures', () => {
    expect(serverResets(null)).toEqual({ fiveHour: null, weekly: null });
    expect(serverResets({ fiveHour: { usedPercent: 40, resetsAt: iso(MOVED) }, sevenDay: null })).toEqual({ fiveHour: iso(MOVED), weekly: null });
  });
});

describe('a followed session in the calendar', () => {
  it('keeps its UID and carries a higher SEQUENCE, a new DTSTAMP and the new DTSTART', () => {
    const queue = emptyQueue();
    const entry = scheduled(queue, 'at the reset', RESET, 'quota-reset', RESET);
    entry.calendarExported = true;
    const [before] = parseIcs(renderCalendar(calendarEntries(queue))).events;
    followReset(queue, resets(MOVED), NOW);
    const events = parseIcs(renderCalendar(calendarEntries(queue))).events;
    expect(events).toHaveLength(1);
    const [after] = events;
    expect(after?.uid).toBe(eventUid(entry));
    expect(after?.uid).toBe(before?.uid);
    expect(after?.start).toBe(iso(MOVED));
    expect(after?.end).toBe(iso(MOVED + HOUR));
    expect(after?.sequence).toBeGreaterThan(before?.sequence ?? Number.POSITIVE_INFINITY);
    expect(after?.stamp).toBe(iso(NOW));
    expect(before?.stamp).toBe(iso(NOW - HOUR));
  });
});

describe('followResetInFile', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
  });

  it('writes the moves under the lock, and a what-if run only returns them', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-follow-'));
    roots.push(root);
    updateQueue(root, NOW - HOUR, (queue) => {
      scheduled(queue, 'at the reset', RESET, 'quota-reset', RESET);
      scheduled(queue, 'mine', RESET, 'user', null);
    });
    const onDisk = fs.readFileSync(path.join(root, 'session-queue.json'), 'utf8');

    const whatIf = followResetInFile(root, resets(MOVED), NOW, false);
    expect(whatIf.moved.map((m) => m.id)).toEqual(['s1']);
    expect(whatIf.queue.sessions[0]?.scheduledTime).toBe(iso(MOVED));
    expect(fs.readFileSync(path.join(root, 'session-queue.json'), 'utf8')).toBe(onDisk);

    const written = followResetInFile(root, resets(MOVED), NOW, true);
    expect(written.moved.map((m) => m.id)).toEqual(['s1']);
    expect(readQueue(root).queue.sessions.map((s) => s.scheduledTime)).toEqual([iso(MOVED), iso(RESET)]);
    expect(followResetInFile(root, resets(MOVED), NOW, true).moved).toEqual([]);
  });
});
