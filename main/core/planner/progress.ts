/**
 * Whether a session launched from the queue is still running. Claude Code says nothing when a
 * session ends, so the sign is its transcript (`<claude session id>.jsonl`, the id the launcher
 * gave it): quiet for {@link LAUNCHED_IDLE_MS}, the session has probably ended and the user is
 * offered done / continue. The one home of this rule: the Snapshot's queue part and `cco queue`
 * both ask here.
 */
import path from 'node:path';
import type { QueuedSession, SessionQueue } from '../../../shared/queue-snapshot.js';
import type { TranscriptFile } from '../paths.js';

/** A launched session whose transcript has been quiet this long is taken as ended. */
export const LAUNCHED_IDLE_MS = 30 * 60 * 1000;

/** Last write of each launched session's transcript, by Claude session id, from one listing. */
export function transcriptLastWrites(files: readonly Pick<TranscriptFile, 'path' | 'mtimeMs'>[], queue: Pick<SessionQueue, 'sessions'>): Map<string, number> {
  const wanted = new Set(queue.sessions.filter((s) => s.status === 'in-progress' && s.claudeSessionId !== null).map((s) => `${s.claudeSessionId}.jsonl`));
  const found = new Map<string, number>();
  if (wanted.size === 0) return found;
  for (const file of files) {
    const name = path.basename(file.path);
    if (!wanted.has(name)) continue;
    const id = name.slice(0, -'.jsonl'.length);
    found.set(id, Math.max(found.get(id) ?? 0, file.mtimeMs));
  }
  return found;
}

/**
 * The last sign of life of a launched session that looks ended (its transcript's last write, else
 * its start: a session that never wrote one is as quiet as can be), or null while it may still run.
 */
export function launchedEndedAt(session: QueuedSession, lastWrites: ReadonlyMap<string, number>, now: number): number | null {
  if (session.status !== 'in-progress' || session.claudeSessionId === null) return null;
  const started = session.startedAt ? Date.parse(session.startedAt) : now;
  const last = lastWrites.get(session.claudeSessionId) ?? started;
  return now - last < LAUNCHED_IDLE_MS ? null : last;
}

/** Every launched session that looks ended, by queue id, with its last activity (the Snapshot's queue part takes this). */
export function endedSessions(queue: Pick<SessionQueue, 'sessions'>, files: readonly Pick<TranscriptFile, 'path' | 'mtimeMs'>[], now: number): Map<string, number> {
  return endedFrom(queue, transcriptLastWrites(files, queue), now);
}

/** {@link endedSessions} from last writes already found (one walk shared with other questions). */
export function endedFrom(queue: Pick<SessionQueue, 'sessions'>, lastWrites: ReadonlyMap<string, number>, now: number): Map<string, number> {
  const ended = new Map<string, number>();
  for (const session of queue.sessions) {
    const at = launchedEndedAt(session, lastWrites, now);
    if (at !== null) ended.set(session.id, at);
  }
  return ended;
}
