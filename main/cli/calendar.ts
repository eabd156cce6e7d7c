/**
 * `cco calendar`: the spec's `/create-calendar-events`. Writes `calendar/session-N.ics` per
 * scheduled session and `calendar/sessions.ics` with all of them; `--open` hands sessions.ics to
 * the system's calendar app.
 */
import { childProcess } from '../core/lazy-builtin.js';
import { parseCliArgs } from './args.js';
import { formatCountdown, formatLocalDateTime } from '../../shared/format.js';
import { queueSnapshot, type SessionQueue } from '../../shared/queue-snapshot.js';
import { visibleLine } from '../../shared/sanitize.js';
import { exportCalendar } from '../core/planner/actions.js';
import { followServerReset } from '../core/planner/reset-follow.js';
import { ALARM_MINUTES, openCommand, type CalendarExport } from '../core/planner/calendar.js';
import { COMMON_OPTIONS, UsageError, resolveContext } from './command-context.js';
import type { Io } from './io.js';
import { warn } from './launch.js';
import { followedLines } from './render/queue-panel.js';

export const CALENDAR_USAGE = `usage: cco calendar [--open] [--json] [--now ISO] [--config-dir DIR]
  Writes calendar/session-N.ics for each scheduled session and calendar/sessions.ics with all of
  them (import the files, or subscribe to sessions.ics). Exporting again updates the events;
  sessions no longer planned are exported as cancelled.
  --open   open sessions.ics with the system's calendar app
  --json   the files written, as JSON`;

const RULE = '━'.repeat(40);

export function renderCalendarReport(exported: CalendarExport, queue: SessionQueue, now: number): string {
  const confirmed = exported.files.filter((file) => file.state === 'confirmed');
  const cancelled = exported.files.filter((file) => file.state === 'cancelled');
  const lines = ['📅 Create Calendar Events', RULE, ''];
  if (exported.files.length === 0) {
    lines.push('No scheduled sessions to export.', '   Schedule one with cco next (it offers when quota is low) or cco queue edit ID --at TIME.', `   ${exported.allFile} is written empty, so a subscribed calendar stays in step.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`📅 Creating ${exported.files.length} calendar event${exported.files.length === 1 ? '' : 's'}...`, '');
  // Session names are whatever was queued: made safe where shown.
  for (const file of exported.files) lines.push(`   ${file.state === 'cancelled' ? '✗' : '✓'} ${visibleLine(file.name)}${file.state === 'cancelled' ? ' (cancelled)' : ''} → ${file.file}`);
  lines.push('', '✅ Calendar events created!', '   Import the .ics files to your calendar app', `   or subscribe to all of them: ${exported.allFile}`);
  if (cancelled.length > 0) lines.push(`   ${cancelled.length} event${cancelled.length === 1 ? ' is' : 's are'} marked cancelled: importing ${cancelled.length === 1 ? 'it' : 'them'} removes the old entry`);
  lines.push('', '📂 Calendar files created in:', `   ${exported.dir}`, '');
  lines.push('📱 To import:', '   • macOS Calendar: Double-click the .ics files', '   • Google Calendar: Import from Settings', '   • Outlook: File → Open & Export → Import/Export', '');
  lines.push('⏰ Reminders set for:', ...ALARM_MINUTES.map((minutes) => `   • ${minutes} minutes before session`));
  const next = queueSnapshot(queue, now).nextScheduled;
  if (next?.scheduledTime && confirmed.length > 0) {
    lines.push('', '🎯 Next Scheduled Session:', `   ${visibleLine(next.name)}`, `   ${formatLocalDateTime(next.scheduledTime)}`, `   In ${formatCountdown(next.scheduledTime, now)}`);
  }
  return `${lines.join('\n')}\n`;
}

function openFile(file: string): Promise<void> {
  const { command, args } = openCommand(process.platform, file);
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('error', (error) => reject(new Error(`could not open ${file} with ${command}: ${error.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

export async function runCalendar(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCliArgs({ args, options: { ...COMMON_OPTIONS, open: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help) {
    io.stdout(`${CALENDAR_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" for "cco calendar"`);
  const ctx = resolveContext(values, io.env);
  const root = ctx.roots[0];
  // A session waiting for a reset the server moved is exported at its new time (same UID, higher
  // SEQUENCE); a what-if run (--now) changes no queue, so it exports the queue as it is.
  const followedQueue = ctx.writesState ? followServerReset(root, ctx.now, true) : null;
  const { exported, queue, warning } = exportCalendar(root, ctx.now);
  // Both read the queue: a problem with it is said once.
  const lines = new Set([followedQueue?.warning, warning].flatMap((text) => (text ? text.split('\n') : [])));
  warn(io, [...lines].join('\n'));
  if (values.open) await openFile(exported.allFile);
  if (values.json) {
    const next = queueSnapshot(queue, ctx.now).nextScheduled;
    io.stdout(`${JSON.stringify({ dir: exported.dir, allFile: exported.allFile, events: exported.files, nextScheduled: next, opened: values.open === true }, null, 2)}\n`);
  } else {
    io.stdout(`${followedLines(followedQueue?.moved ?? [])}${renderCalendarReport(exported, queue, ctx.now)}`);
    if (values.open) io.stdout(`\nOpened ${exported.allFile}\n`);
  }
  return 0;
}
