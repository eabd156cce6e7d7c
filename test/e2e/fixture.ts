/**
 * The popover's fixture: a config root whose figures are known exactly, written through the
 * same builders and stores the other tests use, with times relative to `now` so the real
 * handlers (which read the clock) see a live session, an open window and a queue.
 *
 * - the current Claude Code session (`invoice-api`, the context tests' known session: reads, an
 *   edit, a write, open todos), so the compaction brief has something to say;
 * - a second live session (`billing-service`) whose responses, from 100 minutes ago on, open the
 *   window and bring the counted tokens to exactly 84,000 of the Pro plan's 200,000: 42%;
 * - both started through the SessionStart hook's log line, as `cco hook` writes it;
 * - the status line's weekly figure (34%, no five-hour figure, so the ring stays on the transcripts);
 * - a queue: s1 ready, s2 scheduled six hours from now, s3 ready, s4 waiting on s1. s1 and s3 need
 *   150,000 tokens each, more than is left, so the planner schedules the first ready one for the
 *   reset instead of starting it (whether or not s1 was started from the queue first). s4 needs
 *   30,000 tokens and 2 hours: once s1 is done it is the smaller session that fits, so with 2 hours
 *   or more the planner starts it now, and with 1 hour it schedules s3 for the reset.
 * - a usage history (usage-history.json) of four completed windows on earlier days, one with a
 *   limit hit, so the Engine keeps the history and the week chart has bars to draw.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addSession, scheduleSession, updateQueue } from '../../main/core/planner/queue.js';
import { appendSessionLog, sessionLogEventFromHook } from '../../main/core/sources/session-log.js';
import { settingsPath } from '../../main/core/settings.js';
import { recordStatusLinePayload } from '../../main/core/sources/statusline-store.js';
import { parseStatusLinePayload } from '../../main/core/sources/statusline-payload.js';
import { knownSession } from '../fixtures/context/session.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';

export const FIXTURE_LIMIT = 200_000;
export const FIXTURE_COUNTED = 84_000;
/** What the ring must read: 84,000 / 200,000. */
export const FIXTURE_PERCENT_TEXT = '42%';
export const FIXTURE_WEEKLY_TEXT = '34%';
export const SESSION_ID = '5f0c2a9e-7d41-4b8e-a3c6-0e2d9b7f1a44';
export const OTHER_SESSION_ID = '0b7d13c2-94aa-4f5e-8e21-6c3f0a9d8b17';
/** When each of the other session's responses came (minutes before now) and its share of the filler. */
const OTHER_RESPONSES: readonly [number, number][] = [
  [100, 0.1],
  [88, 0.16],
  [72, 0.22],
  [55, 0.17],
  [38, 0.2],
  [14, 0.15],
];
export const READY_NAME = 'Implementation - Part 2/3';
export const SCHEDULED_NAME = 'Tests and docs';
export const LATER_NAME = 'Invoice export - Part 3/3';
export const WAITING_NAME = 'Release notes';
/** Completed windows in the fixture's usage history: [days before now, counted input tokens, limit hit]. */
export const HISTORY_WINDOWS: readonly [number, number, boolean][] = [
  [1, 120_000, false],
  [2, 195_000, true],
  [4, 60_000, false],
  [6, 90_000, false],
];

const MINUTE = 60_000;

export interface PopoverFixture {
  /** The config root (CLAUDE_CONFIG_DIR). */
  root: string;
  /** The project the live session works in and the queued sessions run in. */
  project: string;
  now: number;
  cleanup(): void;
}

/** Counted tokens (input + output) of transcript lines, one per API response (message id + request id), as the ledger deduplicates. */
function countedTokens(lines: readonly string[]): number {
  const seen = new Set<string>();
  let total = 0;
  for (const line of lines) {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) continue;
    const record = parsed as { type?: unknown; requestId?: unknown; message?: { id?: unknown; usage?: { input_tokens?: unknown; output_tokens?: unknown } } };
    if (record.type !== 'assistant' || typeof record.message?.id !== 'string') continue;
    const key = `${record.message.id}:${String(record.requestId)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    total += Number(record.message.usage?.input_tokens ?? 0) + Number(record.message.usage?.output_tokens ?? 0);
  }
  return total;
}

export function writePopoverFixture(now: number): PopoverFixture {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-e2e-'));
  const root = path.join(base, 'claude');
  const project = path.join(base, 'invoice-api');
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(project, { recursive: true });
  fs.writeFileSync(settingsPath(root), `${JSON.stringify({ plan: 'pro' }, null, 2)}\n`);

  // The live session: 35 lines a minute apart, the last one 10 minutes ago.
  const session = knownSession({ sessionId: SESSION_ID, cwd: project, start: now - 45 * MINUTE, stepMs: MINUTE });
  writeTranscript(root, SESSION_ID, session.lines, { cwd: project });

  const other = path.join(base, 'billing-service');
  const filler = FIXTURE_COUNTED - countedTokens(session.lines);
  if (filler <= 0) throw new Error('fixture: the known session alone exceeds the counted tokens');
  let given = 0;
  const otherLines = OTHER_RESPONSES.map(([minutesAgo, share], index) => {
    const input = index === OTHER_RESPONSES.length - 1 ? filler - given : Math.round(filler * share);
    given += input;
    return assistantLine({ sessionId: OTHER_SESSION_ID, cwd: other, messageId: `msg_e2e_other_${index}`, timestamp: new Date(now - minutesAgo * MINUTE).toISOString(), input, output: 0 });
  });
  writeTranscript(root, OTHER_SESSION_ID, otherLines, { cwd: other });

  for (const [id, cwd, startedAgo] of [[OTHER_SESSION_ID, other, 101], [SESSION_ID, project, 46]] as const) {
    appendSessionLog(root, sessionLogEventFromHook({ hook_event_name: 'SessionStart', session_id: id, cwd, source: 'startup' }, now - startedAgo * MINUTE));
  }

  recordStatusLinePayload(
    root,
    parseStatusLinePayload({ session_id: SESSION_ID, rate_limits: { seven_day: { used_percentage: 34, resets_at: Math.floor((now + (3 * 24 * 60 + 250) * MINUTE) / 1000) } } }, now),
    now,
  );

  const windows = HISTORY_WINDOWS.map(([daysAgo, input, limitHit]) => {
    const start = now - daysAgo * 24 * 60 * MINUTE;
    return { start, end: start + 5 * 60 * MINUTE, tokens: { input, output: 0, cacheCreation: 0, cacheRead: 0 }, messages: 10, serverPercent: null, limitHit };
  });
  fs.writeFileSync(path.join(root, 'usage-history.json'), `${JSON.stringify({ version: 2, alignment: 'first-token', horizon: windows[0]?.end ?? null, windows: windows.reverse() })}\n`);

  updateQueue(root, now, (queue) => {
    addSession(queue, { name: READY_NAME, project, objectives: ['Wire totals into the API'], estimatedTokens: 150_000, estimatedHours: 2 }, now);
    const later = addSession(queue, { name: SCHEDULED_NAME, project, objectives: ['Tests for totals'], estimatedTokens: 40_000, estimatedHours: 1.5 }, now);
    scheduleSession(later, now + 6 * 60 * MINUTE, 'user', now);
    addSession(queue, { name: LATER_NAME, project, objectives: ['Export invoices as CSV'], estimatedTokens: 150_000, estimatedHours: 2.5 }, now);
    addSession(queue, { name: WAITING_NAME, project, objectives: ['Write the release notes'], estimatedTokens: 30_000, estimatedHours: 2, dependencies: ['s1'] }, now);
  });

  return { root, project, now, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}
