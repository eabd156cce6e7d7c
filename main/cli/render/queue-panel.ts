/**
 * How `cco queue list` and `cco queue show` draw the queue: the summary line, the table and one
 * session's detail. Names, projects, agents and objectives are whatever was queued (by hand, by a
 * slash command, from an imported plan): each is made safe where it is shown (shared/sanitize.ts).
 * Whether a launched session has ended is core's rule (core/planner/progress.ts).
 */
import * as fs from 'node:fs';
import { formatCountdown, formatLocalDateTime, formatTokens, hoursText } from '../../../shared/format.js';
import { queueEntry, queueSnapshot, sessionIndex, type QueueSummary } from '../../../shared/queue-snapshot.js';
import { visible, visibleLine } from '../../../shared/sanitize.js';
import { listTranscriptFiles } from '../../core/paths.js';
import { launchedEndedAt, transcriptLastWrites } from '../../core/planner/progress.js';
import type { QueuedSession, SessionQueue } from '../../core/planner/queue.js';
import type { FollowedSession } from '../../core/planner/reset-follow.js';

/** "Session Queue: 2/5 complete · Ready: 1 · Scheduled: 2" */
/** One line per session whose time followed a moved reset (names are the queue's: made safe). */
export function followedLines(moved: readonly FollowedSession[]): string {
  return moved.map((m) => `⏱️  ${m.id} "${visibleLine(m.name)}" follows the reset, which moved: ${formatLocalDateTime(m.from)} → ${formatLocalDateTime(m.to)}\n`).join('');
}

export function summaryLine(summary: QueueSummary): string {
  const parts = [`Session Queue: ${summary.done}/${summary.total} complete`, `Ready: ${summary.ready}`, `Scheduled: ${summary.scheduled}`];
  if (summary.inProgress > 0) parts.push(`In progress: ${summary.inProgress}`);
  if (summary.blocked > 0) parts.push(`Waiting: ${summary.blocked}`);
  return parts.join(' · ');
}

/** What the list shows in the status column: `blocked` and `due` are derived, not stored. */
function shownStatus(session: QueuedSession, queue: SessionQueue, now: number): string {
  const { state } = queueEntry(session, now, sessionIndex(queue));
  return state === 'running' ? 'in-progress' : state;
}

/** Last write of each launched session's transcript (`<session id>.jsonl`), found in one walk. */
export function lastWritesIn(roots: readonly string[], queue: SessionQueue): Map<string, number> {
  if (roots.length === 0 || !queue.sessions.some((s) => s.status === 'in-progress' && s.claudeSessionId !== null)) return new Map();
  return transcriptLastWrites(listTranscriptFiles(roots).files, queue);
}

/** For a launched session gone quiet (core's rule, launchedEndedAt): it shows it ended and offers done / continue. */
export function progressNote(session: QueuedSession, lastWrites: ReadonlyMap<string, number>, now: number): string | null {
  const last = launchedEndedAt(session, lastWrites, now);
  if (last === null) return null;
  return `idle for ${formatCountdown(now, last)}: ended? cco queue done ${session.id}, or continue with: claude -r ${visibleLine(session.claudeSessionId ?? '')}`;
}

/** One session, as `cco queue show` prints it. */
export function renderSessionDetail(session: QueuedSession, queue: SessionQueue, now: number, roots: readonly string[] = []): string {
  const lines = [`${session.id}  ${visibleLine(session.name)}`, `   Status:    ${shownStatus(session, queue, now)}`];
  lines.push(`   Estimate:  ${formatTokens(session.estimatedTokens)} tokens, ${hoursText(session.estimatedHours)}`);
  lines.push(`   Project:   ${visibleLine(session.project)}${fs.existsSync(session.project) ? '' : '  (missing!)'}`);
  if (session.agent) lines.push(`   Agent:     ${visibleLine(session.agent)}`);
  if (session.dependencies.length > 0) {
    const byId = sessionIndex(queue);
    lines.push(`   After:     ${session.dependencies.map((id) => `${visibleLine(id)} "${visibleLine(byId.get(id)?.name ?? '?')}" (${byId.get(id)?.status ?? '?'})`).join(', ')}`);
  }
  if (session.scheduledTime) {
    const when = formatLocalDateTime(session.scheduledTime);
    const countdown = Date.parse(session.scheduledTime) > now ? ` (in ${formatCountdown(session.scheduledTime, now)})` : '';
    lines.push(`   Scheduled: ${when}${countdown}${session.scheduledReason ? ` [${session.scheduledReason}]` : ''}`);
  }
  if (session.startedAt) lines.push(`   Started:   ${formatLocalDateTime(session.startedAt)}`);
  if (session.finishedAt) lines.push(`   Finished:  ${formatLocalDateTime(session.finishedAt)}`);
  if (session.claudeSessionId) lines.push(`   Claude:    ${visibleLine(session.claudeSessionId)}`);
  const note = progressNote(session, lastWritesIn(roots, queue), now);
  if (note) lines.push(`   ⏸  ${note}`);
  if (session.objectives.length > 0) {
    lines.push('   🎯 Objectives:');
    for (const objective of session.objectives) lines.push(`      • ${visible(objective).replace(/\n/g, '\n        ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderQueueList(queue: SessionQueue, now: number, roots: readonly string[] = []): string {
  const snapshot = queueSnapshot(queue, now);
  const lines = [`📋 ${summaryLine(snapshot.summary)}`];
  if (queue.sessions.length === 0) {
    lines.push('', 'The queue is empty. Add a session with cco queue add --name ... --tokens ... --hours ..., or a whole plan with cco queue import PLAN.md.');
    return `${lines.join('\n')}\n`;
  }
  const lastWrites = lastWritesIn(roots, queue);
  const rows = queue.sessions.map((session) => {
    const extra: string[] = [];
    if (session.dependencies.length > 0) extra.push(`after ${session.dependencies.map(visibleLine).join(', ')}`);
    if (session.status === 'scheduled' && session.scheduledTime) extra.push(`at ${formatLocalDateTime(session.scheduledTime)}`);
    const note = progressNote(session, lastWrites, now);
    if (note) extra.push(note);
    // Cells are made safe before the widths are measured.
    return [visibleLine(session.id), shownStatus(session, queue, now), formatTokens(session.estimatedTokens), hoursText(session.estimatedHours), visibleLine(session.name) + (extra.length > 0 ? `  (${extra.join('; ')})` : '')];
  });
  const header = ['ID', 'STATUS', 'TOKENS', 'HOURS', 'NAME'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (row: string[]): string =>
    row.map((cell, column) => (column === 2 || column === 3 ? cell.padStart(widths[column] ?? 0) : column === 4 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  lines.push('', format(header), ...rows.map(format));
  return `${lines.join('\n')}\n`;
}
