/**
 * `session-queue.json`: the planned sessions. Parsed strictly at the edge (a hand-edited file
 * that breaks a rule is moved aside with the rule it broke), changed only by locked
 * read-modify-writes, so the CLI and the app editing at the same moment lose nothing.
 */
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
import { isRecord, readJsonStateSync, updateJsonStateSync, type LockOptions } from '../store.js';
import { checkDependencies } from './dependencies.js';
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
    claudeSessionId: optionalString(raw, 'claudeSessionId', at),
    createdAt,
    updatedAt: optionalTime(raw, 'updatedAt', at) ?? createdAt,
    startedAt: optionalTime(raw, 'startedAt', at),
    finishedAt: optionalTime(raw, 'finishedAt', at),
    revision,
    calendarExported: raw.calendarExported === true,
  };
}

/**
 * Validate the file's JSON. Throws a one-line Error naming the entry and the rule it breaks
 * (store.ts then moves the file aside). Lenient only where nothing can go wrong: optional fields
 * default, a stale `nextNumber` is raised.
 */
export function parseQueue(raw: unknown): SessionQueue {
  if (!isRecord(raw)) throw new Error('expected a JSON object with a "sessions" list');
  if (raw.version !== undefined && raw.version !== 1) throw new Error(`unsupported queue version ${show(raw.version)} (this cco reads version 1)`);
  if (!Array.isArray(raw.sessions)) throw new Error('"sessions" must be a list');
  const sessions: QueuedSession[] = [];
  let maxNumber = 0;
  for (const [index, entry] of raw.sessions.entries()) {
    const session = parseSession(entry, `sessions[${index}]`, maxNumber + 1);
    maxNumber = Math.max(maxNumber, session.number);
    sessions.push(session);
  }
  const seenIds = new Set<string>();
  const seenNumbers = new Set<number>();
  for (const session of sessions) {
    if (seenIds.has(session.id)) throw new Error(`two sessions have the id "${session.id}"`);
    if (seenNumbers.has(session.number)) throw new Error(`two sessions have the number ${session.number}`);
    seenIds.add(session.id);
    seenNumbers.add(session.number);
  }
  const removedRaw = raw.removed ?? [];
  if (!Array.isArray(removedRaw)) throw new Error('"removed" must be a list');
  const removed: RemovedSession[] = [];
  for (const [index, entry] of removedRaw.entries()) {
    if (!isRecord(entry)) throw new Error(`removed[${index}] must be an object`);
    const session = parseSession(entry.session, `removed[${index}].session`, 0);
    const removedAt = optionalTime(entry, 'removedAt', `removed[${index}]`) ?? new Date(0).toISOString();
    maxNumber = Math.max(maxNumber, session.number);
    removed.push({ session, removedAt });
  }
  try {
    checkDependencies(sessions);
  } catch (error) {
    throw new Error(error instanceof Error ? error.message : String(error));
  }
  const nextNumber = typeof raw.nextNumber === 'number' && Number.isSafeInteger(raw.nextNumber) ? raw.nextNumber : 1;
  return { version: 1, nextNumber: Math.max(nextNumber, maxNumber + 1), sessions, removed };
}

// ---------------------------------------------------------------------------------------------
// Reading and changing the file

export function queueFile(root: string): string {
  return statePaths(root).sessionQueue;
}

export interface QueueRead {
  queue: SessionQueue;
  /** One line when the file was corrupt and moved aside. */
  warning: string | null;
}

/** The queue (empty when there is none). A corrupt file is moved aside and reported. */
export function readQueue(root: string): QueueRead {
  const { value, warning } = readJsonStateSync(queueFile(root), parseQueue);
  return { queue: value ?? emptyQueue(), warning };
}

/**
 * Locked read-modify-write of the queue. `change` edits a copy in place and may throw a
 * QueueError, which leaves the file untouched. Dependencies are checked before writing.
 * A corrupt file is moved aside first (reported in `warning`) even when `change` throws.
 */
export function updateQueue<T>(
  root: string,
  now: number,
  change: (queue: SessionQueue) => T,
  opts?: LockOptions,
): { queue: SessionQueue; result: T; warning: string | null } {
  const file = queueFile(root);
  // Surface a corrupt file even if the change then fails: store.ts moves it aside on read.
  const { warning } = readJsonStateSync(file, parseQueue);
  let result: T | undefined;
  const written = updateJsonStateSync(
    file,
    parseQueue,
    (current) => {
      const queue = structuredClone(current ?? emptyQueue());
      result = change(queue);
      checkDependencies(queue.sessions);
      queue.removed = queue.removed.filter((entry) => now - Date.parse(entry.removedAt) < REMOVED_RETENTION_MS);
      return queue;
    },
    opts,
  );
  return { queue: written.value, result: result as T, warning: warning ?? written.warning };
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
  }
  session.status = status;
  touch(session, now);
}

export function scheduleSession(session: QueuedSession, at: number, reason: ScheduleReason, now: number): void {
  if (session.status === 'done' || session.status === 'in-progress') {
    throw new QueueError(`${session.id} ("${session.name}") is ${session.status}; only ready or skipped sessions can be scheduled`);
  }
  session.status = 'scheduled';
  session.scheduledTime = new Date(at).toISOString();
  session.scheduledReason = reason;
  touch(session, now);
}
