/**
 * The Snapshot's optional parts as the app reads them. The `context` part (shared/context-snapshot.ts)
 * and the `queue` part (shared/queue-snapshot.ts) are added to the Snapshot by other features and
 * may be absent (an older engine, a Snapshot from a fixture); every face shows them only when they
 * are there. Read as untrusted data and narrowed here, so nothing else needs to know how they
 * arrived. Pure.
 */
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import type { QueueSnapshot } from '../../shared/queue-snapshot.js';
import type { Snapshot } from '../../shared/snapshot.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeContext(value: unknown): value is ContextSnapshot {
  return (
    isRecord(value) &&
    typeof value.sessionId === 'string' &&
    (value.level === null || typeof value.level === 'string') &&
    (value.percent === null || typeof value.percent === 'number') &&
    isRecord(value.compaction)
  );
}

function looksLikeQueue(value: unknown): value is QueueSnapshot {
  return isRecord(value) && isRecord(value.summary) && Array.isArray(value.due) && Array.isArray(value.inProgress);
}

/**
 * Every session context the Snapshot carries: its `context` part may be one session's context
 * (the current session) or a list; null, absent or malformed gives none.
 */
export function snapshotContexts(snapshot: Snapshot): ContextSnapshot[] {
  if (!('context' in snapshot)) return [];
  const value: unknown = snapshot.context;
  if (Array.isArray(value)) return value.filter(looksLikeContext);
  return looksLikeContext(value) ? [value] : [];
}

/** The context of `sessionId`, else of the current session, else the first one carried. */
export function snapshotContext(snapshot: Snapshot, sessionId?: string): ContextSnapshot | null {
  const contexts = snapshotContexts(snapshot);
  const wanted = sessionId ?? snapshot.session?.sessionId;
  if (wanted !== undefined) {
    const match = contexts.find((context) => context.sessionId === wanted);
    if (match || sessionId !== undefined) return match ?? null;
  }
  return contexts[0] ?? null;
}

/** The `queue` part, when the Snapshot carries one. */
export function snapshotQueue(snapshot: Snapshot): QueueSnapshot | null {
  if (!('queue' in snapshot)) return null;
  const value: unknown = snapshot.queue;
  return looksLikeQueue(value) ? value : null;
}

// The reset rule is shared with the terminal's panel formats.
export { resetInstant } from '../../shared/snapshot.js';

/**
 * Whether "Schedule next session" has anything to schedule: a ready queued session, or no queue
 * part to tell (an older engine). The tray item and the notifications' button follow this one rule,
 * so a button never offers what the menu shows disabled.
 */
export function canScheduleNext(snapshot: Snapshot): boolean {
  const queue = snapshotQueue(snapshot);
  return queue === null || queue.summary.ready > 0;
}
