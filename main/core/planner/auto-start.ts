/**
 * The guarded auto-start at the reset (setting `autoStartAtReset`, off by default): which queued
 * session, if any, starts by itself now, and what is passed over and why. Pure: the queue, the
 * Snapshot's quota, the record of earlier auto-starts, the clock and the last check are
 * parameters; auto-start-follow.ts carries the answer out.
 *
 * The guard rails, in the order they apply:
 * - only sessions scheduled at a reset (status `scheduled`, scheduledReason other than `user`);
 * - each (session, scheduled time) once: started, failed or missed in the record ends it; held
 *   (spent window, cap, pause, a dependency) is said once and starts later if the hold lifts in time;
 * - never into a spent window: the server's fresh 5-hour figure at 100 %, the weekly limit, or a
 *   usage-limit line still in force;
 * - at most `maxPerDay` starts in any 24 hours (rolling, so no time zone or DST moves it);
 * - one start per check: what else came due is said, not started;
 * - after a gap (sleep, a closed lid, the app not running), one catch-up while the slot is under
 *   CATCH_UP_MS late; older ones are reported missed (due-check.ts sorts on time from missed).
 */
import { formatLocalTime, formatPercent } from '../../../shared/format.js';
import { sessionIndex, unmetDependencies, type QueuedSession, type SessionQueue } from '../../../shared/queue-snapshot.js';
import { visibleLine } from '../../../shared/sanitize.js';
import type { QuotaSnapshot } from '../../../shared/snapshot.js';
import { checkDue, DUE_GRACE_MS } from '../due-check.js';

/** Outcomes that hold a slot without ending it: said once, and the slot may start later within CATCH_UP_MS. */
const HELD: readonly AutoStartOutcome[] = ['spent', 'capped', 'paused', 'waiting'];

/** A slot found this late (after sleep or with no cco running) is still caught up; later is missed. */
export const CATCH_UP_MS = 60 * 60_000;
/** The cap counts starts in this rolling span. */
export const AUTO_START_DAY_MS = 24 * 60 * 60_000;

/** What became of a due slot: final for its key, except the HELD ones. */
export type AutoStartOutcome = 'started' | 'failed' | 'missed' | 'spent' | 'capped' | 'waiting' | 'one-at-a-time' | 'paused';

export interface AutoStartEntry {
  /** `<session uid>@<scheduled time>`: a session rescheduled to another reset is a new slot. */
  key: string;
  id: string;
  name: string;
  /** The slot's scheduled time (ISO). */
  at: string;
  outcome: AutoStartOutcome;
  /** When the outcome was decided (ISO). */
  decidedAt: string;
  /** One line: why it was not started, or how the start failed. */
  reason: string | null;
}

/** `cco-auto-start.json`: what was auto-started or passed over, and a pause the person asked for. */
export interface AutoStartRecord {
  version: 1;
  entries: AutoStartEntry[];
  /** "Stop" on a notification or in the tray: no auto-start before this instant (ISO). */
  pausedUntil: string | null;
}

export function emptyRecord(): AutoStartRecord {
  return { version: 1, entries: [], pausedUntil: null };
}

/** The quota parts the guard reads (from the Snapshot). */
export type AutoStartQuota = Pick<QuotaSnapshot, 'server' | 'weeklyLimitReached' | 'limitReached'>;

export interface AutoStartInput {
  queue: Pick<SessionQueue, 'sessions'>;
  quota: AutoStartQuota;
  record: AutoStartRecord;
  now: number;
  /** When the previous check ran; null on the first one of a process. */
  lastCheck: number | null;
  maxPerDay: number;
}

export interface AutoStartSlot {
  session: QueuedSession;
  key: string;
  /** The scheduled time, epoch ms. */
  at: number;
}

export interface PassedSlot extends AutoStartSlot {
  outcome: Exclude<AutoStartOutcome, 'started' | 'failed'>;
  reason: string;
}

export interface AutoStartDecision {
  /** The one session to start now; null when none. */
  start: (AutoStartSlot & { late: boolean }) | null;
  /** The other due slots, not started, each with why (recorded so each is said once). */
  passed: PassedSlot[];
}

export function slotKey(session: Pick<QueuedSession, 'uid'>, scheduledTime: string): string {
  return `${session.uid}@${scheduledTime}`;
}

/** Scheduled at a reset: by the planner or the CRITICAL auto-schedule, not a time the person chose. */
export function scheduledAtReset(session: QueuedSession): boolean {
  return session.status === 'scheduled' && session.scheduledTime !== null && session.scheduledReason !== null && session.scheduledReason !== 'user';
}

/** Why the window is spent now (one line), or null when nothing says so. */
export function spentWindowReason(quota: AutoStartQuota, now: number): string | null {
  const fiveHour = quota.server?.fiveHour ?? null;
  const current = (iso: string | null | undefined): boolean => iso === null || iso === undefined || Date.parse(iso) > now;
  if (fiveHour && fiveHour.usedPercent >= 100 && current(fiveHour.resetsAt)) {
    return `the server says the new 5-hour window is already spent (${formatPercent(fiveHour.usedPercent)})`;
  }
  if (quota.weeklyLimitReached) return 'the weekly limit is reached';
  if (quota.limitReached && current(quota.limitReached.resetsAt)) return 'Claude Code reported the usage limit still in force';
  return null;
}

/** Starts counted against the cap: those decided in the last 24 hours. */
export function startsInLastDay(record: AutoStartRecord, now: number): number {
  return record.entries.filter((entry) => entry.outcome === 'started' && now - Date.parse(entry.decidedAt) < AUTO_START_DAY_MS).length;
}

/** The decision (pure): at most one start, and every other due slot passed over with its reason. */
export function decideAutoStart(input: AutoStartInput): AutoStartDecision {
  const { now } = input;
  // Final outcomes end a slot; a held one (spent, capped, paused, waiting) was said once and may
  // still start while it is under CATCH_UP_MS late, when what held it has gone.
  const sent = new Set<string>();
  const said = new Map<string, AutoStartOutcome>();
  for (const entry of input.record.entries) {
    if (HELD.includes(entry.outcome)) said.set(entry.key, entry.outcome);
    else sent.add(entry.key);
  }
  const slots: (AutoStartSlot & { key: string })[] = input.queue.sessions
    .filter(scheduledAtReset)
    .map((session) => ({ session, key: slotKey(session, session.scheduledTime as string), at: Date.parse(session.scheduledTime as string) }))
    .filter((slot) => !(said.has(slot.key) && now - slot.at > CATCH_UP_MS));
  const { fire, missed } = checkDue({ lastCheck: input.lastCheck, now, due: slots, sent });
  if (fire.length === 0 && missed.length === 0) return { start: null, passed: [] };

  const passed: PassedSlot[] = [];
  const pass = (slot: AutoStartSlot, outcome: PassedSlot['outcome'], reason: string): void => {
    // Held again for the same reason: already said.
    if (said.get(slot.key) !== outcome) passed.push({ ...slot, outcome, reason });
  };
  const due = [...fire, ...missed].sort((a, b) => a.at - b.at);

  const pausedUntil = input.record.pausedUntil === null ? NaN : Date.parse(input.record.pausedUntil);
  const spent = spentWindowReason(input.quota, now);
  const blanket =
    pausedUntil > now
      ? { outcome: 'paused' as const, reason: `auto-start is paused until ${formatLocalTime(pausedUntil)}` }
      : spent !== null
        ? { outcome: 'spent' as const, reason: spent }
        : startsInLastDay(input.record, now) >= input.maxPerDay
          ? { outcome: 'capped' as const, reason: `${input.maxPerDay} automatic start${input.maxPerDay === 1 ? '' : 's'} in the last 24 hours already (autoStartMaxPerDay)` }
          : null;
  if (blanket !== null) {
    for (const slot of due) pass(slot, blanket.outcome, blanket.reason);
    return { start: null, passed };
  }

  const byId = sessionIndex(input.queue);
  const eligible: AutoStartSlot[] = [];
  for (const slot of due) {
    const waiting = unmetDependencies(slot.session, byId);
    if (waiting.length > 0) pass(slot, 'waiting', `it waits for ${waiting.join(', ')}`);
    else if (now - slot.at > CATCH_UP_MS) pass(slot, 'missed', `its time passed ${missedWhen(slot.at, missed.includes(slot))}, over ${CATCH_UP_MS / 60_000} minutes ago`);
    else eligible.push(slot);
  }
  // One start: the slot on time, else (after a gap) the latest one, the closest to what was planned.
  const onTime = eligible.find((slot) => now - slot.at <= DUE_GRACE_MS);
  const chosen = onTime ?? eligible.at(-1) ?? null;
  for (const slot of eligible) {
    if (slot === chosen || chosen === null) continue;
    if (now - slot.at <= DUE_GRACE_MS) pass(slot, 'one-at-a-time', `${chosen.session.id} started at the same time; one session starts at a time`);
    else pass(slot, 'missed', `its time passed ${missedWhen(slot.at, missed.includes(slot))}; only ${chosen.session.id} was caught up`);
  }
  return { start: chosen === null ? null : { ...chosen, late: now - chosen.at > DUE_GRACE_MS }, passed };
}

function missedWhen(at: number, inGap: boolean): string {
  return `(${formatLocalTime(at)}) ${inGap ? 'while the computer slept or cco was not running' : 'before cco could start it'}`;
}

/** A queue name made safe for a notification, a banner or a terminal line. */
function named(session: Pick<QueuedSession, 'id' | 'name'>): string {
  return `${session.id} "${visibleLine(session.name)}"`;
}

export interface AutoStartText {
  title: string;
  body: string;
}

/** The notification (or the --watch line) for a start. */
export function startedText(slot: AutoStartSlot & { late: boolean }, where: string | null): AutoStartText {
  const late = slot.late ? ` (caught up: it was due at ${formatLocalTime(slot.at)})` : '';
  return { title: 'Session started automatically', body: `Started ${named(slot.session)} at the reset${late}${where ? ` in ${visibleLine(where)}` : ''}.` };
}

/** The notification (or the --watch line) for slots passed over: one, summarising several. */
export function passedText(passed: readonly Pick<PassedSlot, 'session' | 'reason' | 'outcome'>[]): AutoStartText | null {
  if (passed.length === 0) return null;
  const missed = passed.every((slot) => slot.outcome === 'missed');
  const title = missed ? 'Automatic start missed' : 'Session not started automatically';
  const lines = passed.slice(0, 3).map((slot) => `${named(slot.session)}: ${visibleLine(slot.reason)}`);
  if (passed.length > 3) lines.push(`and ${passed.length - 3} more`);
  return { title, body: `${lines.join('; ')}. Start it yourself when you are ready (Start next session).` };
}

/** The record's entries for a decision (started slots are claimed before the terminal opens). */
export function recordEntries(decision: AutoStartDecision, now: number): AutoStartEntry[] {
  const decidedAt = new Date(now).toISOString();
  const entry = (slot: AutoStartSlot, outcome: AutoStartOutcome, reason: string | null): AutoStartEntry => ({
    key: slot.key,
    id: slot.session.id,
    name: slot.session.name,
    at: new Date(slot.at).toISOString(),
    outcome,
    decidedAt,
    reason,
  });
  return [...(decision.start ? [entry(decision.start, 'started', null)] : []), ...decision.passed.map((slot) => entry(slot, slot.outcome, slot.reason))];
}
