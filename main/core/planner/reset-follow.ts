/**
 * Schedules that follow the reset (issue 13): a session scheduled "at the reset" (`cco next`, the
 * popover, the auto-schedule at CRITICAL) waits for that reset, not for a fixed instant. When the
 * server moves the reset it waits for, its `scheduledTime` moves by as much, and the revision bump
 * gives the calendar event a higher SEQUENCE under the same UID (calendar apps update it in place).
 * A time a person chose ('user') never moves.
 *
 * The instants followed are the server's own (`rate_limits.*.resets_at`, while fresh): the Engine
 * (from its Snapshot) and the commands that read the queue (`cco queue`, `cco calendar`, `cco
 * next`, from the status-line state) see the same figure, so they never move a session back and forth.
 */
import type { QueuedSession, ScheduleReason, SessionQueue } from '../../../shared/queue-snapshot.js';
import { WINDOW_MS } from '../../../shared/plans.js';
import type { ServerQuota, Snapshot } from '../../../shared/snapshot.js';
import { freshServerQuota, readStatusLineState } from '../sources/statusline-store.js';
import { WEEK_MS } from '../../../shared/plans.js';
import { afterEachSnapshot, type SnapshotFeed } from './auto-schedule.js';
import { readQueue, touch, updateQueue } from './queue.js';

/** The resets a schedule can follow, ISO-8601; null when the server has not said (or its word is stale). */
export interface ResetInstants {
  fiveHour: string | null;
  weekly: string | null;
}

export const NO_RESETS: ResetInstants = { fiveHour: null, weekly: null };

export interface FollowedSession {
  id: string;
  name: string;
  from: string;
  to: string;
}

/** The server's resets from its fresh figures (the Snapshot's `quota.server`, or freshServerQuota). */
export function serverResets(server: Pick<ServerQuota, 'fiveHour' | 'sevenDay'> | null): ResetInstants {
  return { fiveHour: server?.fiveHour?.resetsAt ?? null, weekly: server?.sevenDay?.resetsAt ?? null };
}

/** Which reset a reason waits for, and how long that window lasts; null for a person's own time. */
function followed(reason: ScheduleReason | null): { kind: keyof ResetInstants; windowMs: number } | null {
  if (reason === 'quota-reset' || reason === 'auto-critical') return { kind: 'fiveHour', windowMs: WINDOW_MS };
  if (reason === 'weekly-reset') return { kind: 'weekly', windowMs: WEEK_MS };
  return null;
}

/**
 * Where `session` goes now that its reset is `reset`, or null when it stays. It moves only while
 * the reset it waits for is still ahead and it is not due: once that reset has passed a new window
 * has begun, and a due or past schedule is the due-check's (and the auto-start's) to act on. The
 * new reset must be ahead too and within one window of the old (the same window, seen better).
 */
function moveOf(session: QueuedSession, resets: ResetInstants, now: number): { to: number; reset: number } | null {
  const rule = followed(session.scheduledReason);
  if (rule === null || session.status !== 'scheduled' || session.scheduledTime === null || session.scheduledReset === null) return null;
  const text = resets[rule.kind];
  if (text === null) return null;
  const tied = Date.parse(session.scheduledReset);
  const reset = Date.parse(text);
  const at = Date.parse(session.scheduledTime);
  if (![tied, reset, at].every(Number.isFinite) || tied <= now || at <= now || reset <= now || reset === tied) return null;
  if (Math.abs(reset - tied) >= rule.windowMs) return null;
  const to = at + (reset - tied);
  // Sessions packed behind the reset keep their place after it; none is moved into the past.
  return to > now ? { to, reset } : null;
}

/**
 * Move the scheduled times of `queue`'s sessions that wait for a reset which moved (in place, as
 * the other queue edits do), each with a revision bump. Returns what moved. Pure apart from the
 * queue it is given; a second call with the same resets moves nothing.
 */
export function followReset(queue: SessionQueue, resets: ResetInstants, now: number): FollowedSession[] {
  const moved: FollowedSession[] = [];
  for (const session of queue.sessions) {
    const move = moveOf(session, resets, now);
    if (move === null || session.scheduledTime === null) continue;
    const from = session.scheduledTime;
    session.scheduledTime = new Date(move.to).toISOString();
    session.scheduledReset = new Date(move.reset).toISOString();
    touch(session, now);
    moved.push({ id: session.id, name: session.name, from, to: session.scheduledTime });
  }
  return moved;
}

export interface FollowedQueue {
  queue: SessionQueue;
  moved: FollowedSession[];
  warning: string | null;
}

/**
 * The queue in `root` with its reset-tied schedules following `resets`. With `write` the moves are
 * written (a locked read-modify-write, only when something moves); without (a what-if run) only
 * the copy returned has them.
 */
export function followResetInFile(root: string, resets: ResetInstants, now: number, write: boolean): FollowedQueue {
  const read = readQueue(root);
  const copy = structuredClone(read.queue);
  const moved = followReset(copy, resets, now);
  if (moved.length === 0) return { queue: read.queue, moved, warning: read.warning };
  if (!write) return { queue: copy, moved, warning: read.warning };
  const written = updateQueue(root, now, (queue) => followReset(queue, resets, now));
  return { queue: written.queue, moved: written.result, warning: read.warning ?? written.warning };
}

/**
 * followResetInFile with the server's resets as the status-line state in `root` has them at `now`:
 * for the commands that read the queue without a Snapshot (`cco queue`, `cco calendar`).
 */
export function followServerReset(root: string, now: number, write: boolean): FollowedQueue {
  const state = readStatusLineState(root);
  const followedQueue = followResetInFile(root, serverResets(freshServerQuota(state.value, now)), now, write);
  const warnings = [state.warning, followedQueue.warning].filter((line): line is string => line !== null);
  return { ...followedQueue, warning: warnings.length > 0 ? warnings.join('\n') : null };
}

export interface ResetFollowOptions {
  root: string;
  now: () => number;
  onMoved: (moved: FollowedSession[]) => void;
  onError: (error: unknown) => void;
}

/** What the follow depends on in a Snapshot: the server's resets and the scheduled sessions' times. */
function followKey(snapshot: Snapshot): string | null {
  const scheduled = snapshot.queue.entries.filter((entry) => entry.state === 'scheduled');
  if (scheduled.length === 0) return null;
  const resets = serverResets(snapshot.quota.server);
  return `${resets.fiveHour}|${resets.weekly}|${scheduled.map((entry) => `${entry.id}@${entry.scheduledTime}`).join(',')}`;
}

/**
 * The Engine side: after each Snapshot whose server resets or scheduled times differ from the last
 * one looked at, move what follows a moved reset (written under the queue's lock) and refresh the
 * Engine, whose next Snapshot then shows the new times. Returns the function that stops following.
 */
export function followResets(engine: SnapshotFeed, options: ResetFollowOptions): () => void {
  let lastKey: string | null = null;
  return afterEachSnapshot(engine, (snapshot) => {
    const key = followKey(snapshot);
    if (key === null || key === lastKey) return;
    lastKey = key;
    try {
      const { moved } = followResetInFile(options.root, serverResets(snapshot.quota.server), options.now(), true);
      if (moved.length === 0) return;
      engine.refresh();
      options.onMoved(moved);
    } catch (error) {
      options.onError(error);
    }
  });
}
