/**
 * `session-queue.json`: the planned sessions. Parsed strictly at the edge (a hand-edited file
 * that breaks a rule is moved aside with the rule it broke), changed only by locked
 * read-modify-writes, so the CLI and the app editing at the same moment lose nothing.
 */
import fs from 'node:fs';
import { randomUuid, sha256Hex } from '../crypto.js';
import {
  SCHEDULE_REASONS,
  SESSION_STATUSES,
  emptyQueue,
  type QueuedSession,
  type RemovedSession,
  type ScheduleReason,
  type SessionQueue,
  type SessionStatus,
} from '../../../shared/queue-snapshot.js';
import { statePaths } from '../paths.js';
import { StateFileRefusedError, isRecord, readJsonStateSync, updateJsonStateSync, type LockOptions } from '../store.js';
import { checkDependencies, describeCycle, findCycle } from './dependencies.js';
import { QueueError, checkHours, checkName, checkObjectives, checkTokens, show } from './fields.js';

export type { QueuedSession, RemovedSession, ScheduleReason, SessionQueue, SessionStatus } from '../../../shared/queue-snapshot.js';
export { emptyQueue } from '../../../shared/queue-snapshot.js';
export * from './dependencies.js';
export * from './fields.js';

/** Tombstones of removed sessions are kept this long, for the calendar export to cancel them. */
export const REMOVED_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Parsing the file

function field(raw: Record<string, unknown>, key: string, where: string): unknown {
  if (!(key in raw)) throw new Error(`${where}.${key} is missing`);
  return raw[key];
}

function optionalString(raw: Record<string, unknown>, key: string, where: string): string | null {
  const value = raw[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Error(`${where}.${key} must be a string or null`);
  return value;
}

function optionalTime(raw: Record<string, unknown>, key: string, where: string): string | null {
  const value = optionalString(raw, key, where);
  if (value === null) return null;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`${where}.${key} is not a date: "${value}"`);
  return new Date(ms).toISOString();
}

function within<T>(where: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A stable uid for a hand-written entry that has none: the same file always gives the same uid. */
function derivedUid(id: string, createdAt: string, name: string): string {
  const hex = sha256Hex(`${id}\n${createdAt}\n${name}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The reset an entry written before `scheduledReset` was kept waits for: a 'quota-reset' or
 * 'weekly-reset' time was the reset itself (the planner schedules the first session at it); the
 * later sessions an 'auto-critical' run packed behind it cannot tell, so they stay put.
 */
function resetOfOldEntry(reason: ScheduleReason, scheduledTime: string | null): string | null {
  return reason === 'quota-reset' || reason === 'weekly-reset' ? scheduledTime : null;
}

function parseSession(raw: unknown, where: string, fallbackNumber: number): QueuedSession {
  if (!isRecord(raw)) throw new Error(`${where} must be an object`);
  const id = field(raw, 'id', where);
  if (typeof id !== 'string' || !/^[A-Za-z0-9._-]{1,40}$/.test(id)) throw new Error(`${where}.id must be a short word like "s3", got ${show(id)}`);
  const at = `${where} (${id})`;
  const numberRaw = raw.number ?? (/^s(\d+)$/.exec(id) ? Number(id.slice(1)) : fallbackNumber);
  if (typeof numberRaw !== 'number' || !Number.isSafeInteger(numberRaw) || numberRaw <= 0) throw new Error(`${at}.number must be a positive whole number`);
  const name = within(at, () => checkName(field(raw, 'name', at)));
  const project = field(raw, 'project', at);
  if (typeof project !== 'string' || project.trim() === '') throw new Error(`${at}.project must be the project's directory`);
  const status = field(raw, 'status', at);
  if (typeof status !== 'string' || !(SESSION_STATUSES as readonly string[]).includes(status)) {
    throw new Error(`${at}.status must be one of ${SESSION_STATUSES.join(', ')}, got ${show(status)}`);
  }
  const scheduledTime = optionalTime(raw, 'scheduledTime', at);
  if (status === 'scheduled' && scheduledTime === null) throw new Error(`${at} is scheduled but has no scheduledTime`);
  const reason = raw.scheduledReason ?? null;
  if (reason !== null && !(typeof reason === 'string' && (SCHEDULE_REASONS as readonly string[]).includes(reason))) {
    throw new Error(`${at}.scheduledReason must be one of ${SCHEDULE_REASONS.join(', ')} or null`);
  }
  let scheduledReset: string | null = null;
  if (reason !== null && reason !== 'user') scheduledReset = 'scheduledReset' in raw ? optionalTime(raw, 'scheduledReset', at) : resetOfOldEntry(reason as ScheduleReason, scheduledTime);
  const dependencies = raw.dependencies ?? [];
  if (!Array.isArray(dependencies) || !dependencies.every((dep): dep is string => typeof dep === 'string')) {
    throw new Error(`${at}.dependencies must be a list of session ids`);
  }
  const createdAt = optionalTime(raw, 'createdAt', at) ?? new Date(0).toISOString();
  const revision = raw.revision ?? 1;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) throw new Error(`${at}.revision must be a whole number`);
  const uid = optionalString(raw, 'uid', at) ?? derivedUid(id, createdAt, name);
  if (!/^[A-Za-z0-9._-]{1,80}$/.test(uid)) throw new Error(`${at}.uid must be letters, digits, dots, dashes`);
  return {
    id,
    number: numberRaw,
    uid,
    name,
    project: project.trim(),
    agent: optionalString(raw, 'agent', at),
    objectives: within(at, () => checkObjectives(raw.objectives ?? [])),
    estimatedTokens: within(at, () => checkTokens(field(raw, 'estimatedTokens', at))),
    estimatedHours: within(at, () => checkHours(field(raw, 'estimatedHours', at))),
    dependencies: [...new Set(dependencies)],
    status: status as SessionStatus,
    scheduledTime,
    scheduledReason: reason as ScheduleReason | null,
    scheduledReset,
    claudeSessionId: optionalString(raw, 'claudeSessionId', at),
    createdAt,
    updatedAt: optionalTime(raw, 'updatedAt', at) ?? createdAt,
    startedAt: optionalTime(raw, 'startedAt', at),
    finishedAt: optionalTime(raw, 'finishedAt', at),
    revision,
    calendarExported: raw.calendarExported === true,
  };
}

/** The queue file format this cco reads and writes. */
export const QUEUE_VERSION = 1;

/** A queue read from its file, with one line per entry that had to be left out. */
export interface ParsedQueue {
  queue: SessionQueue;
  /** `sessions[2] (s3): ...; left out`: one line per bad entry, for stderr and diagnostics. */
  problems: string[];
}

/**
 * Sessions whose dependencies cannot be met (an id that is not in the queue, itself, a cycle):
 * left out with the reason, so a queue with one bad entry never starts a session out of order.
 */
function dropUnmetDependencies(sessions: QueuedSession[], problems: string[]): QueuedSession[] {
  let kept = sessions;
  for (;;) {
    const ids = new Set(kept.map((session) => session.id));
    const bad = kept.find((session) => session.dependencies.some((dep) => dep === session.id || !ids.has(dep)));
    if (bad) {
      const dep = bad.dependencies.find((d) => d === bad.id || !ids.has(d)) as string;
      problems.push(`${bad.id} ("${bad.name}") ${dep === bad.id ? 'depends on itself' : `depends on "${dep}", which is not in the queue`}; left out`);
      kept = kept.filter((session) => session !== bad);
      continue;
    }
    const cycle = findCycle(kept);
    if (!cycle) return kept;
    problems.push(`dependency cycle: ${describeCycle(cycle, kept)}; those sessions are left out`);
    const inCycle = new Set(cycle);
    kept = kept.filter((session) => !inCycle.has(session.id));
  }
}

/**
 * Validate the file's JSON. A file from a newer cco (another `version`) is refused whole and left
 * as it is (StateFileRefusedError): writing it in this version's format would lose what the newer
 * one added. One bad entry (a broken field, a duplicate id) is left out and reported, and the
 * valid ones are kept; only JSON that is not a queue at all throws (store.ts moves it aside).
 * Optional fields default, a stale `nextNumber` is raised.
 */
export function parseQueueFile(raw: unknown): ParsedQueue {
  if (!isRecord(raw)) throw new Error('expected a JSON object with a "sessions" list');
  if (raw.version !== undefined && raw.version !== QUEUE_VERSION) {
    throw new StateFileRefusedError(
      `session-queue.json is version ${show(raw.version)}, written by a newer cco; this cco reads version ${QUEUE_VERSION}: update cco (the file is left as it is)`,
    );
  }
  if (!Array.isArray(raw.sessions)) throw new Error('"sessions" must be a list');
  const problems: string[] = [];
  let sessions: QueuedSession[] = [];
  let maxNumber = 0;
  const seenIds = new Set<string>();
  const seenNumbers = new Set<number>();
  for (const [index, entry] of raw.sessions.entries()) {
    try {
      const session = parseSession(entry, `sessions[${index}]`, maxNumber + 1);
      if (seenIds.has(session.id)) throw new Error(`sessions[${index}]: a second session with the id "${session.id}"`);
      if (seenNumbers.has(session.number)) throw new Error(`sessions[${index}] (${session.id}): a second session with the number ${session.number}`);
      seenIds.add(session.id);
      seenNumbers.add(session.number);
      maxNumber = Math.max(maxNumber, session.number);
      sessions.push(session);
    } catch (error) {
      problems.push(`${error instanceof Error ? error.message : String(error)}; left out`);
    }
  }
  sessions = dropUnmetDependencies(sessions, problems);
  const removedRaw = Array.isArray(raw.removed) ? raw.removed : [];
  if (raw.removed !== undefined && !Array.isArray(raw.removed)) problems.push('"removed" is not a list; left out');
  const removed: RemovedSession[] = [];
  for (const [index, entry] of removedRaw.entries()) {
    try {
      if (!isRecord(entry)) throw new Error(`removed[${index}] must be an object`);
      const session = parseSession(entry.session, `removed[${index}].session`, 0);
      const removedAt = optionalTime(entry, 'removedAt', `removed[${index}]`) ?? new Date(0).toISOString();
      maxNumber = Math.max(maxNumber, session.number);
      removed.push({ session, removedAt });
    } catch (error) {
      problems.push(`${error instanceof Error ? error.message : String(error)}; left out`);
    }
  }
  const nextNumber = typeof raw.nextNumber === 'number' && Number.isSafeInteger(raw.nextNumber) ? raw.nextNumber : 1;
  return { queue: { version: 1, nextNumber: Math.max(nextNumber, maxNumber + 1), sessions, removed }, problems };
}

/** The queue of a file's JSON, leaving out bad entries (see parseQueueFile). */
export function parseQueue(raw: unknown): SessionQueue {
  return parseQueueFile(raw).queue;
}

// ---------------------------------------------------------------------------------------------
// Reading and changing the file

export function queueFile(root: string): string {
  return statePaths(root).sessionQueue;
}

export interface QueueRead {
  queue: SessionQueue;
  /**
   * One line per problem, joined by newlines: the file was corrupt and moved aside, or entries
   * were left out (each named). Null when there was none.
   */
  warning: string | null;
}

function joinLines(...lines: (string | null)[]): string | null {
  const present = lines.filter((line): line is string => line !== null && line !== '');
  return present.length > 0 ? present.join('\n') : null;
}

function problemLines(file: string, problems: readonly string[], keptAt: string | null = null): string | null {
  const lines = problems.map((problem) => `${file}: ${problem}`);
  if (keptAt !== null) lines.push(`${file}: the file as it was, with the entries left out, is kept at ${keptAt}`);
  return joinLines(...lines);
}

/**
 * The queue (empty when there is none). A file that is not JSON is moved aside and reported; bad
 * entries are left out and reported; a file of a newer version throws StateFileRefusedError.
 */
export function readQueue(root: string): QueueRead {
  const file = queueFile(root);
  const { value, warning } = readJsonStateSync(file, parseQueueFile);
  return { queue: value?.queue ?? emptyQueue(), warning: joinLines(warning, problemLines(file, value?.problems ?? [])) };
}

/** Keep a copy of a queue file whose bad entries the coming write leaves out, for the user to fix. */
function keepCopy(file: string): string | null {
  const copy = `${file}.invalid-${new Date().toISOString().replace(/:/g, '-')}`;
  try {
    fs.copyFileSync(file, copy, fs.constants.COPYFILE_EXCL);
    return copy;
  } catch {
    return null;
  }
}

/**
 * Locked read-modify-write of the queue. `change` edits a copy in place and may throw a
 * QueueError, which leaves the file untouched. Dependencies are checked before writing.
 * A file that is not JSON is moved aside first (reported in `warning`) even when `change` throws;
 * one of a newer version is never written over (StateFileRefusedError); when entries were left
 * out, a copy of the file as it was is kept beside it before the write.
 */
export function updateQueue<T>(
  root: string,
  now: number,
  change: (queue: SessionQueue) => T,
  opts?: LockOptions,
): { queue: SessionQueue; result: T; warning: string | null } {
  const file = queueFile(root);
  // Surface a corrupt file even if the change then fails: store.ts moves it aside on read.
  const { warning } = readJsonStateSync(file, parseQueueFile);
  let result: T | undefined;
  let problems: string | null = null;
  const written = updateJsonStateSync(
    file,
    parseQueueFile,
    (current) => {
      const queue = structuredClone(current?.queue ?? emptyQueue());
      result = change(queue);
      checkDependencies(queue.sessions);
      queue.removed = queue.removed.filter((entry) => now - Date.parse(entry.removedAt) < REMOVED_RETENTION_MS);
      if (current !== null && current.problems.length > 0) problems = problemLines(file, current.problems, keepCopy(file));
      return { queue, problems: [] };
    },
    opts,
    (value) => value.queue,
  );
  return { queue: written.value.queue, result: result as T, warning: joinLines(warning ?? written.warning, problems) };
}

/** Record a change to a session: bump its revision (the calendar SEQUENCE) and updatedAt. */
export function touch(session: QueuedSession, now: number): void {
  session.revision += 1;
  session.updatedAt = new Date(now).toISOString();
}

export interface SessionDraft {
  name: string;
  project: string;
  agent?: string | null;
  objectives?: string[];
  estimatedTokens: number;
  estimatedHours: number;
  /** Ids of sessions already in the queue. */
  dependencies?: string[];
}

/** Add a session at the end of the queue; returns it. Validates every field. */
export function addSession(queue: SessionQueue, draft: SessionDraft, now: number): QueuedSession {
  const id = `s${queue.nextNumber}`;
  const stamp = new Date(now).toISOString();
  const dependencies = [...new Set(draft.dependencies ?? [])];
  for (const dependency of dependencies) {
    if (!queue.sessions.some((session) => session.id === dependency)) throw new QueueError(`unknown session "${dependency}" in --after (see cco queue list)`);
  }
  const session: QueuedSession = {
    id,
    number: queue.nextNumber,
    uid: randomUuid(),
    name: checkName(draft.name),
    project: draft.project,
    agent: draft.agent ?? null,
    objectives: checkObjectives(draft.objectives ?? []),
    estimatedTokens: checkTokens(draft.estimatedTokens),
    estimatedHours: checkHours(draft.estimatedHours),
    dependencies,
    status: 'ready',
    scheduledTime: null,
    scheduledReason: null,
    scheduledReset: null,
    claudeSessionId: null,
    createdAt: stamp,
    updatedAt: stamp,
    startedAt: null,
    finishedAt: null,
    revision: 1,
    calendarExported: false,
  };
  queue.nextNumber += 1;
  queue.sessions.push(session);
  return session;
}

/** Remove a session. Dependents keep it unless `force` drops their links; exported ones leave a tombstone. */
export function removeSession(queue: SessionQueue, id: string, now: number, force: boolean): QueuedSession {
  const session = queue.sessions.find((candidate) => candidate.id === id);
  if (!session) throw new QueueError(`no session "${id}" in the queue`);
  const dependents = queue.sessions.filter((candidate) => candidate.dependencies.includes(id));
  if (dependents.length > 0 && !force) {
    throw new QueueError(`${dependents.map((d) => `${d.id} ("${d.name}")`).join(', ')} depend${dependents.length === 1 ? 's' : ''} on ${id}; use --force to remove it and drop those links, or skip it instead (cco queue skip ${id})`);
  }
  for (const dependent of dependents) {
    dependent.dependencies = dependent.dependencies.filter((dep) => dep !== id);
    touch(dependent, now);
  }
  queue.sessions = queue.sessions.filter((candidate) => candidate.id !== id);
  if (session.calendarExported) {
    touch(session, now);
    queue.removed.push({ session, removedAt: new Date(now).toISOString() });
  }
  return session;
}

/** Set a status with the bookkeeping that goes with it. */
export function setStatus(session: QueuedSession, status: SessionStatus, now: number): void {
  const stamp = new Date(now).toISOString();
  if (status === 'done' || status === 'skipped') session.finishedAt = stamp;
  if (status === 'in-progress') {
    session.startedAt = stamp;
    session.finishedAt = null;
  }
  if (status === 'ready') {
    session.scheduledTime = null;
    session.scheduledReason = null;
    session.scheduledReset = null;
  }
  session.status = status;
  touch(session, now);
}

/**
 * Give `session` a scheduled time. `reset`: the reset the time was taken from, for a session
 * scheduled at the reset (its time then follows that reset: reset-follow.ts); a person's own time
 * ('user') follows nothing.
 */
export function scheduleSession(session: QueuedSession, at: number, reason: ScheduleReason, now: number, reset: string | null = null): void {
  if (session.status === 'done' || session.status === 'in-progress') {
    throw new QueueError(`${session.id} ("${session.name}") is ${session.status}; only ready or skipped sessions can be scheduled`);
  }
  session.status = 'scheduled';
  session.scheduledTime = new Date(at).toISOString();
  session.scheduledReason = reason;
  const resetMs = reason === 'user' || reset === null ? Number.NaN : Date.parse(reset);
  session.scheduledReset = Number.isFinite(resetMs) ? new Date(resetMs).toISOString() : null;
  touch(session, now);
}
