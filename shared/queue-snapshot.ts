/**
 * The session queue (`session-queue.json`) as plain data, the readiness rules every face shares,
 * and the Snapshot's `queue` part (the spec's "Session Queue: 2/5 complete · Ready: 1 ·
 * Scheduled: 2"). Browser-safe: no Node, no Electron; the clock is a parameter.
 */

export const SESSION_STATUSES = ['ready', 'scheduled', 'in-progress', 'done', 'skipped'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Why a session carries a scheduled time. */
export const SCHEDULE_REASONS = ['user', 'quota-reset', 'weekly-reset', 'auto-critical'] as const;
export type ScheduleReason = (typeof SCHEDULE_REASONS)[number];

export interface QueuedSession {
  /** Short, stable id (`s3`); never reused within one queue file. */
  id: string;
  /** The N of `calendar/session-N.ics`. */
  number: number;
  /** Random, stable: the calendar event's UID, so a new export updates the event instead of adding one. */
  uid: string;
  /** The phase, e.g. "Implementation - Part 2/3". One line. */
  name: string;
  /** Absolute path of the project directory the session runs in. */
  project: string;
  /** Agent file appended to the system prompt (absolute, or relative to `project`). */
  agent: string | null;
  objectives: string[];
  estimatedTokens: number;
  estimatedHours: number;
  /** Ids of sessions that must be done (or skipped) first. */
  dependencies: string[];
  status: SessionStatus;
  /** ISO-8601 UTC; set while `scheduled` (and kept afterwards as history). */
  scheduledTime: string | null;
  scheduledReason: ScheduleReason | null;
  /**
   * The reset (ISO-8601 UTC) a session scheduled at the reset waits for: while that reset is still
   * ahead and the server moves it, `scheduledTime` moves with it (main/core/planner/reset-follow.ts).
   * Null for a time a person chose.
   */
  scheduledReset: string | null;
  /** The `--session-id` given to `claude` when the session was launched. */
  claudeSessionId: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Bumped on every change: the calendar event's SEQUENCE. */
  revision: number;
  /** Written to the calendar at least once (so a later cancel must be exported too). */
  calendarExported: boolean;
}

/** A removed session kept so that its calendar event can be exported as cancelled. */
export interface RemovedSession {
  session: QueuedSession;
  removedAt: string;
}

export interface SessionQueue {
  version: 1;
  /** The number the next added session gets. */
  nextNumber: number;
  /** In plan order: the planner takes the first ready one. */
  sessions: QueuedSession[];
  removed: RemovedSession[];
}

export function emptyQueue(): SessionQueue {
  return { version: 1, nextNumber: 1, sessions: [], removed: [] };
}

/** A dependency no longer holds a session back once it is done or deliberately skipped. */
export function isSettled(session: Pick<QueuedSession, 'status'>): boolean {
  return session.status === 'done' || session.status === 'skipped';
}

export function sessionIndex(queue: Pick<SessionQueue, 'sessions'>): Map<string, QueuedSession> {
  return new Map(queue.sessions.map((session) => [session.id, session]));
}

/** Ids among `session.dependencies` that still hold it back (unknown ids count as unmet). */
export function unmetDependencies(session: QueuedSession, byId: ReadonlyMap<string, QueuedSession>): string[] {
  return session.dependencies.filter((id) => {
    const dependency = byId.get(id);
    return dependency === undefined || !isSettled(dependency);
  });
}

/** A scheduled session whose time has come. */
export function isDue(session: QueuedSession, now: number): boolean {
  if (session.status !== 'scheduled' || session.scheduledTime === null) return false;
  const at = Date.parse(session.scheduledTime);
  return Number.isFinite(at) && at <= now;
}

/**
 * Sessions that can start now, in the order the planner considers them: due scheduled sessions
 * first (earliest first: they were promised a slot), then ready ones in queue order.
 */
export function readySessions(queue: Pick<SessionQueue, 'sessions'>, now: number, byId = sessionIndex(queue)): QueuedSession[] {
  const due: QueuedSession[] = [];
  const ready: QueuedSession[] = [];
  for (const session of queue.sessions) {
    if (session.status === 'ready') {
      if (unmetDependencies(session, byId).length === 0) ready.push(session);
    } else if (isDue(session, now) && unmetDependencies(session, byId).length === 0) {
      due.push(session);
    }
  }
  due.sort((a, b) => Date.parse(a.scheduledTime ?? '') - Date.parse(b.scheduledTime ?? ''));
  return [...due, ...ready];
}

/** What a face needs to show a session in one line. */
export interface QueueItem {
  id: string;
  name: string;
  status: SessionStatus;
  estimatedTokens: number;
  estimatedHours: number;
  project: string;
  scheduledTime: string | null;
}

export interface QueueSummary {
  total: number;
  done: number;
  /** Can start now: ready with dependencies met, plus scheduled sessions that are due. */
  ready: number;
  /** Scheduled for later (not yet due). */
  scheduled: number;
  inProgress: number;
  skipped: number;
  /** Ready but waiting for a dependency. */
  blocked: number;
}

/**
 * A session's state as a person reads it: `waiting` (a dependency is not done yet), `due` (its
 * scheduled time has come), `running` (launched), `ended` (launched, but its transcript has been
 * quiet long enough that it has probably ended: the rule is main/core/planner/progress.ts).
 */
export const QUEUE_STATES = ['ready', 'waiting', 'scheduled', 'due', 'running', 'ended', 'done', 'skipped'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** One queued session with its state, for the faces that list the whole queue. */
export interface QueueEntry extends QueueItem {
  state: QueueState;
  /** The dependencies still holding it back (for `waiting`, and for a `scheduled` one whose turn has not come). */
  waitingOn: { id: string; name: string }[];
  /** For `ended`: the last sign of the launched session (its transcript's last write, else its start). */
  lastActivity: string | null;
}

/** The Snapshot's `queue` part. */
export interface QueueSnapshot {
  summary: QueueSummary;
  /** The session `cco next` would consider first. */
  nextReady: QueueItem | null;
  /** Every session that can start now (dependencies met), in the planner's order. */
  ready: QueueItem[];
  /** Scheduled sessions whose time has come (the app notifies once per id). */
  due: QueueItem[];
  /** The earliest scheduled session still in the future. */
  nextScheduled: QueueItem | null;
  inProgress: QueueItem[];
  /** Every session in queue order, with its state. */
  entries: QueueEntry[];
}

export function queueItem(session: QueuedSession): QueueItem {
  return {
    id: session.id,
    name: session.name,
    status: session.status,
    estimatedTokens: session.estimatedTokens,
    estimatedHours: session.estimatedHours,
    project: session.project,
    scheduledTime: session.scheduledTime,
  };
}

export function queueSummary(queue: Pick<SessionQueue, 'sessions'>, now: number, byId = sessionIndex(queue)): QueueSummary {
  const summary: QueueSummary = { total: queue.sessions.length, done: 0, ready: 0, scheduled: 0, inProgress: 0, skipped: 0, blocked: 0 };
  for (const session of queue.sessions) {
    switch (session.status) {
      case 'done':
        summary.done += 1;
        break;
      case 'skipped':
        summary.skipped += 1;
        break;
      case 'in-progress':
        summary.inProgress += 1;
        break;
      case 'scheduled':
        if (!isDue(session, now)) summary.scheduled += 1;
        else if (unmetDependencies(session, byId).length === 0) summary.ready += 1;
        else summary.blocked += 1;
        break;
      case 'ready':
        if (unmetDependencies(session, byId).length === 0) summary.ready += 1;
        else summary.blocked += 1;
        break;
    }
  }
  return summary;
}

/**
 * A session's state at `now`. `ended` holds, by queue id, the last activity of launched sessions
 * that look ended (main/core/planner/progress.ts decides; without it a launched one is `running`).
 */
export function queueEntry(session: QueuedSession, now: number, byId: ReadonlyMap<string, QueuedSession>, ended?: ReadonlyMap<string, number>): QueueEntry {
  const waitingOn = session.status === 'ready' || session.status === 'scheduled' ? unmetDependencies(session, byId).map((id) => ({ id, name: byId.get(id)?.name ?? id })) : [];
  let state: QueueState;
  switch (session.status) {
    case 'ready':
      state = waitingOn.length > 0 ? 'waiting' : 'ready';
      break;
    case 'scheduled':
      state = !isDue(session, now) ? 'scheduled' : waitingOn.length > 0 ? 'waiting' : 'due';
      break;
    case 'in-progress':
      state = ended?.has(session.id) ? 'ended' : 'running';
      break;
    default:
      state = session.status;
  }
  const last = state === 'ended' ? ended?.get(session.id) : undefined;
  return { ...queueItem(session), state, waitingOn, lastActivity: last === undefined ? null : new Date(last).toISOString() };
}

/** The Snapshot's `queue` part at `now`. Pure; `ended` as for {@link queueEntry}. */
export function queueSnapshot(queue: Pick<SessionQueue, 'sessions'>, now: number, ended?: ReadonlyMap<string, number>): QueueSnapshot {
  const byId = sessionIndex(queue);
  const ready = readySessions(queue, now, byId);
  const due = queue.sessions.filter((session) => isDue(session, now)).map(queueItem);
  let nextScheduled: QueuedSession | null = null;
  for (const session of queue.sessions) {
    if (session.status !== 'scheduled' || isDue(session, now) || session.scheduledTime === null) continue;
    if (nextScheduled === null || Date.parse(session.scheduledTime) < Date.parse(nextScheduled.scheduledTime ?? '')) nextScheduled = session;
  }
  return {
    summary: queueSummary(queue, now, byId),
    nextReady: ready[0] ? queueItem(ready[0]) : null,
    ready: ready.map(queueItem),
    due,
    nextScheduled: nextScheduled ? queueItem(nextScheduled) : null,
    inProgress: queue.sessions.filter((session) => session.status === 'in-progress').map(queueItem),
    entries: queue.sessions.map((session) => queueEntry(session, now, byId, ended)),
  };
}
