import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyQueue, type QueuedSession, type SessionQueue } from '../../shared/queue-snapshot.js';
import { calendarEntries, eventDescription, foldContentLines, openCommand, renderCalendar, writeCalendar } from '../../main/core/planner/calendar.js';
import { addSession, removeSession, scheduleSession, setStatus } from '../../main/core/planner/queue.js';
import { parseIcs } from '../fixtures/planner/ics.js';

const NOW = Date.parse('2026-03-07T12:00:00.000Z');
const NASTY = 'Handle "quotes", commas, semicolons; back\\slashes, $(rm -rf ~) `id` | & > <\nand a second line';

function plannedQueue(): SessionQueue {
  const queue = emptyQueue();
  addSession(queue, { name: 'Implementation - Part 1/3', project: '/home/dana/code/invoice-api', agent: '.claude/agents/impl.md', estimatedTokens: 65_000, estimatedHours: 3, objectives: ['Build API integration layer', NASTY] }, NOW);
  addSession(queue, { name: 'Testing; "edge" cases, all', project: '/home/dana/code/a;b,c', estimatedTokens: 22_000, estimatedHours: 1.5 }, NOW);
  addSession(queue, { name: 'Not scheduled', project: '/p', estimatedTokens: 1_000, estimatedHours: 1 }, NOW);
  // US DST starts 2026-03-08 07:00Z and EU DST 2026-03-29 01:00Z: both events span a change.
  scheduleSession(queue.sessions[0] as QueuedSession, Date.parse('2026-03-08T06:30:00.000Z'), 'quota-reset', NOW);
  scheduleSession(queue.sessions[1] as QueuedSession, Date.parse('2026-03-29T00:30:00.000Z'), 'user', NOW);
  return queue;
}

describe('renderCalendar, read back with ical.js', () => {
  const queue = plannedQueue();
  const parsed = parseIcs(renderCalendar(calendarEntries(queue)));

  it('has one event per scheduled session with the spec fields', () => {
    expect(parsed.method).toBe('PUBLISH');
    expect(parsed.name).toBe('Claude Sessions');
    expect(parsed.events).toHaveLength(2);
    const [first, second] = parsed.events;
    expect(first).toMatchObject({
      uid: `${queue.sessions[0]?.uid}@claude-code-optimizer`,
      summary: 'Claude Session: Implementation - Part 1/3',
      location: '/home/dana/code/invoice-api',
      status: 'CONFIRMED',
      start: '2026-03-08T06:30:00.000Z',
      end: '2026-03-08T09:30:00.000Z',
      durationSeconds: 3 * 3600,
      startIsUtc: true,
    });
    expect(second).toMatchObject({ summary: 'Claude Session: Testing; "edge" cases, all', location: '/home/dana/code/a;b,c', start: '2026-03-29T00:30:00.000Z', durationSeconds: 5400 });
  });

  it('keeps objectives with quotes, newlines, commas, semicolons and shell characters intact', () => {
    const description = parsed.events[0]?.description ?? '';
    expect(description).toBe(eventDescription(queue.sessions[0] as QueuedSession));
    expect(description).toContain(`• ${NASTY}`);
    expect(description).toContain('Token budget: 65,000 tokens');
    expect(description).toContain('Agent: .claude/agents/impl.md');
  });

  it('sets display alarms 30 and 5 minutes before', () => {
    for (const event of parsed.events) {
      expect(event.alarms).toEqual([
        { action: 'DISPLAY', triggerSeconds: -1800 },
        { action: 'DISPLAY', triggerSeconds: -300 },
      ]);
    }
  });

  it('writes UTC only: the same bytes whatever the zone of the machine', () => {
    const text = renderCalendar(calendarEntries(queue));
    expect(text).not.toMatch(/TZID|VTIMEZONE/);
    expect(text).toMatch(/DTSTART:20260308T063000Z/);
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });
});

describe('foldContentLines', () => {
  it('keeps every line within 75 octets without splitting a character, and unfolds to the original', () => {
    const line = `DESCRIPTION:${'ascii '.repeat(20)}é中文🎯${'ü🚀'.repeat(40)}`;
    const folded = foldContentLines(`BEGIN:VEVENT\r\n${line}\r\nEND:VEVENT`);
    const lines = folded.split('\r\n');
    expect(lines.every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(lines.slice(2, -1).every((l) => l.startsWith(' '))).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(`BEGIN:VEVENT\r\n${line}\r\nEND:VEVENT`);
    expect(folded).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('leaves non-ASCII objectives intact through ical.js', () => {
    const queue = plannedQueue();
    (queue.sessions[0] as QueuedSession).objectives = [`Überprüfe die Eingaben 🎯 ${'日本語のテキスト'.repeat(12)}`];
    const [event] = parseIcs(renderCalendar(calendarEntries(queue))).events;
    expect(event?.description).toContain(`• Überprüfe die Eingaben 🎯 ${'日本語のテキスト'.repeat(12)}`);
  });
});

describe('calendarEntries', () => {
  it('updates instead of duplicating, and cancels what is no longer planned', () => {
    const queue = plannedQueue();
    const before = renderCalendar(calendarEntries(queue));
    expect(renderCalendar(calendarEntries(queue))).toBe(before);
    for (const session of queue.sessions) session.calendarExported = session.status === 'scheduled';

    // Rescheduled: same UID, higher SEQUENCE.
    const first = queue.sessions[0] as QueuedSession;
    const uid = `${first.uid}@claude-code-optimizer`;
    const oldSequence = parseIcs(before).events.find((event) => event.uid === uid)?.sequence ?? 0;
    scheduleSession(first, Date.parse('2026-03-09T10:00:00.000Z'), 'user', NOW + 1000);
    const moved = parseIcs(renderCalendar(calendarEntries(queue))).events.filter((event) => event.uid === uid);
    expect(moved).toHaveLength(1);
    expect(moved[0]?.start).toBe('2026-03-09T10:00:00.000Z');
    expect(moved[0]?.sequence).toBeGreaterThan(oldSequence);

    // Skipped and removed sessions: exported as CANCELLED, without alarms.
    setStatus(first, 'skipped', NOW + 2000);
    removeSession(queue, 's2', NOW + 2000, false);
    const events = parseIcs(renderCalendar(calendarEntries(queue))).events;
    expect(events.map((event) => [event.summary, event.status, event.alarms.length])).toEqual([
      ['Claude Session: Implementation - Part 1/3', 'CANCELLED', 0],
      ['Claude Session: Testing; "edge" cases, all', 'CANCELLED', 0],
    ]);
  });

  it('shows a started session at its real start', () => {
    const queue = plannedQueue();
    const first = queue.sessions[0] as QueuedSession;
    first.calendarExported = true;
    setStatus(first, 'in-progress', Date.parse('2026-03-08T05:00:00.000Z'));
    const entry = calendarEntries(queue).find((candidate) => candidate.session.id === 's1');
    expect(entry).toMatchObject({ state: 'confirmed', start: '2026-03-08T05:00:00.000Z', end: '2026-03-08T08:00:00.000Z' });
  });
});

describe('writeCalendar', () => {
  it('writes session-N.ics per event and sessions.ics with all', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-cal-'));
    try {
      const result = writeCalendar(plannedQueue(), path.join(dir, 'calendar'));
      expect(fs.readdirSync(result.dir).sort()).toEqual(['session-1.ics', 'session-2.ics', 'sessions.ics']);
      expect(parseIcs(fs.readFileSync(path.join(result.dir, 'session-2.ics'), 'utf8')).events.map((e) => e.summary)).toEqual(['Claude Session: Testing; "edge" cases, all']);
      expect(parseIcs(fs.readFileSync(result.allFile, 'utf8')).events).toHaveLength(2);
      expect(result.exportedIds).toEqual(['s1', 's2']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens the file with the system calendar app', () => {
    expect(openCommand('darwin', '/x/sessions.ics')).toEqual({ command: 'open', args: ['/x/sessions.ics'] });
    expect(openCommand('linux', '/x/sessions.ics')).toEqual({ command: 'xdg-open', args: ['/x/sessions.ics'] });
    expect(openCommand('win32', 'C:\\x\\sessions.ics')).toEqual({ command: 'explorer.exe', args: ['C:\\x\\sessions.ics'] });
  });
});
