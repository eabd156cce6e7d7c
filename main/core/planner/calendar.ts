/**
 * The spec's `/create-calendar-events` and "iCal Format": one `calendar/session-N.ics` per
 * scheduled session and `calendar/sessions.ics` with all of them (a file a calendar app can
 * subscribe to). Summary "Claude Session: <name>", description objectives + token budget +
 * agent, location the project path, duration the estimated hours, alarms 30 and 5 minutes before.
 *
 * Times are written in UTC (`...Z`), so they mean the same instant in every zone and across DST
 * changes; the calendar app shows them in the user's zone. UIDs come from the session's stable
 * uid and SEQUENCE from its revision, so a new export updates events instead of adding them.
 * A session that was exported and is no longer planned (skipped, unscheduled, removed) is
 * exported once more as CANCELLED. Text escaping (`;`, `,`, `\`, newlines) is ical-generator's;
 * RFC 5545 §3.3.11 allows no other control character in a TEXT value and defines no escape for
 * one, so names, objectives, agents and projects (whatever was queued) are made safe first
 * (shared/sanitize.ts): SUMMARY and LOCATION on one line, DESCRIPTION keeping its newlines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
// The class, not the default export: the CLI's CommonJS bundle loads this ES module through
// require(), where esbuild's interop would hand back the namespace as `default`.
import { ICalAlarmType, ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { formatTokens } from '../../../shared/format.js';
import type { QueuedSession, SessionQueue } from '../../../shared/queue-snapshot.js';
import { visible, visibleLine } from '../../../shared/sanitize.js';
import { readRegularFileSync } from '../regular-file.js';
import { writeFileAtomicSync } from '../store.js';

export const CALENDAR_NAME = 'Claude Sessions';
export const ALL_SESSIONS_FILE = 'sessions.ics';
export const ALARM_MINUTES = [30, 5] as const;
const UID_DOMAIN = 'claude-code-optimizer';
const PROD_ID = { company: 'Claude Code Optimizer', product: 'cco', language: 'EN' };

export type EventState = 'confirmed' | 'cancelled';

export interface CalendarEntry {
  session: QueuedSession;
  state: EventState;
  start: string;
  end: string;
}

export function eventUid(session: Pick<QueuedSession, 'uid'>): string {
  return `${session.uid}@${UID_DOMAIN}`;
}

export function sessionFileName(session: Pick<QueuedSession, 'number'>): string {
  return `session-${session.number}.ics`;
}

function plus(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + Math.round(hours * 3_600_000)).toISOString();
}

/**
 * What the calendar should show, in time order. Scheduled sessions are confirmed events. A session
 * that was exported before stays: at its real start once it started (so the calendar shows what
 * happened), or cancelled once it is no longer planned.
 */
export function calendarEntries(queue: SessionQueue): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  for (const session of queue.sessions) {
    if (session.status === 'scheduled' && session.scheduledTime !== null) {
      entries.push({ session, state: 'confirmed', start: session.scheduledTime, end: plus(session.scheduledTime, session.estimatedHours) });
      continue;
    }
    if (!session.calendarExported) continue;
    const started = session.startedAt !== null && (session.status === 'in-progress' || session.status === 'done');
    if (started && session.startedAt !== null) {
      const end = session.finishedAt !== null && Date.parse(session.finishedAt) > Date.parse(session.startedAt) ? session.finishedAt : plus(session.startedAt, session.estimatedHours);
      entries.push({ session, state: 'confirmed', start: session.startedAt, end });
    } else if (session.scheduledTime !== null) {
      entries.push({ session, state: 'cancelled', start: session.scheduledTime, end: plus(session.scheduledTime, session.estimatedHours) });
    }
  }
  for (const { session } of queue.removed) {
    if (!session.calendarExported || session.scheduledTime === null) continue;
    entries.push({ session, state: 'cancelled', start: session.scheduledTime, end: plus(session.scheduledTime, session.estimatedHours) });
  }
  return entries.sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.session.number - b.session.number);
}

/** The event's description: objectives, token budget, agent, and how to start it. */
export function eventDescription(session: QueuedSession): string {
  const lines: string[] = [];
  if (session.objectives.length > 0) {
    lines.push('Objectives:');
    for (const objective of session.objectives) lines.push(`• ${visible(objective)}`);
    lines.push('');
  }
  lines.push(`Token budget: ${formatTokens(session.estimatedTokens)} tokens`);
  lines.push(`Estimated duration: ${Math.round(session.estimatedHours * 100) / 100}h`);
  lines.push(`Agent: ${session.agent !== null ? visibleLine(session.agent) : 'none'}`);
  lines.push(`Queue id: ${session.id}`);
  lines.push('');
  lines.push('Start it with: cco next (or /start-next-session in Claude Code)');
  return lines.join('\n');
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * RFC 5545 §3.1 folding: content lines of at most 75 octets (UTF-8), continued on lines that
 * start with one space, never splitting a character. ical-generator folds the same way but
 * encodes every character with a new TextEncoder, which made 1,000 events take seconds; its
 * event text is unfolded, so this module folds it.
 */
export function foldContentLines(text: string): string {
  return text
    .split('\r\n')
    .map((line) => {
      // eslint-disable-next-line no-control-regex
      if (line.length <= 75 && /^[\u0000-\u007f]*$/.test(line)) return line;
      let out = '';
      let octets = 0;
      for (const char of line) {
        const size = utf8Length(char.codePointAt(0) ?? 0);
        if (octets + size > 75) {
          out += '\r\n ';
          octets = 1;
        }
        out += char;
        octets += size;
      }
      return out;
    })
    .join('\r\n');
}

function eventBlock(calendar: ICalCalendar, entry: CalendarEntry): string {
  const { session } = entry;
  const summary = `Claude Session: ${visibleLine(session.name)}`;
  const event = calendar.createEvent({
    id: eventUid(session),
    sequence: session.revision,
    // DTSTAMP: when this version of the event was made, so an unchanged session exports to the same bytes.
    stamp: new Date(session.updatedAt),
    start: new Date(entry.start),
    end: new Date(entry.end),
    summary,
    description: eventDescription(session),
    location: visibleLine(session.project),
    status: entry.state === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    alarms:
      entry.state === 'cancelled'
        ? []
        : ALARM_MINUTES.map((minutes) => ({
            type: ICalAlarmType.display,
            triggerBefore: minutes * 60,
            description: `${summary} starts in ${minutes} minutes`,
          })),
  });
  return foldContentLines(event.toString().replace(/(\r\n)+$/, ''));
}

/** A calendar wrapped around already folded VEVENT blocks. */
function wrap(blocks: readonly string[]): string {
  const empty = new ICalCalendar({ name: CALENDAR_NAME, prodId: PROD_ID, method: ICalCalendarMethod.PUBLISH }).toString();
  const end = empty.lastIndexOf('END:VCALENDAR');
  return `${empty.slice(0, end)}${blocks.map((block) => `${block}\r\n`).join('')}${empty.slice(end)}`;
}

/** Each entry's VEVENT, rendered by ical-generator (escaping, dates, alarms) and folded. */
export function renderEventBlocks(entries: readonly CalendarEntry[]): string[] {
  const calendar = new ICalCalendar({ name: CALENDAR_NAME, prodId: PROD_ID, method: ICalCalendarMethod.PUBLISH });
  return entries.map((entry) => eventBlock(calendar, entry));
}

/** One calendar holding `entries`, as iCalendar text. Pure. */
export function renderCalendar(entries: readonly CalendarEntry[]): string {
  return wrap(renderEventBlocks(entries));
}

export interface ExportedFile {
  id: string;
  name: string;
  state: EventState;
  start: string;
  file: string;
}

export interface CalendarExport {
  dir: string;
  /** The subscribable file with every event. */
  allFile: string;
  files: ExportedFile[];
  /** Ids that are now written to the calendar (to mark `calendarExported`). */
  exportedIds: string[];
}

/**
 * Replace `file` atomically (temp + rename, through a symlink) unless it already holds `text`. No
 * fsync: these files are derived from the queue and rewritten by the next export, and 1,000 fsyncs
 * took seconds.
 */
function writeIfChanged(file: string, text: string): void {
  try {
    // Regular files only, and no more than the new text: a bigger file differs anyway.
    if (readRegularFileSync(file, Buffer.byteLength(text)) === text) return;
  } catch {
    // missing, unreadable, larger, or not a regular file: write it (the rename replaces it)
  }
  writeFileAtomicSync(file, text, { durable: false });
}

/** Write `session-N.ics` per entry and `sessions.ics` with all of them, each atomically. */
export function writeCalendar(queue: SessionQueue, dir: string): CalendarExport {
  fs.mkdirSync(dir, { recursive: true });
  const entries = calendarEntries(queue);
  // Each event is rendered once and goes into its own file and into sessions.ics.
  const blocks = renderEventBlocks(entries);
  const files: ExportedFile[] = [];
  for (const [index, entry] of entries.entries()) {
    const file = path.join(dir, sessionFileName(entry.session));
    writeIfChanged(file, wrap([blocks[index] as string]));
    files.push({ id: entry.session.id, name: entry.session.name, state: entry.state, start: entry.start, file });
  }
  const allFile = path.join(dir, ALL_SESSIONS_FILE);
  writeIfChanged(allFile, wrap(blocks));
  return { dir, allFile, files, exportedIds: entries.map((entry) => entry.session.id) };
}

/** The command that hands `file` to the system's calendar app. Pure. */
export function openCommand(platform: string, file: string): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [file] };
  // explorer opens a file with its registered app and takes the path as one argument (no cmd parsing).
  if (platform === 'win32') return { command: 'explorer.exe', args: [file] };
  return { command: 'xdg-open', args: [file] };
}
