/**
 * The Snapshot's parts as the app's faces ask for them. The Snapshot comes from our own engine,
 * built whole by main/core/snapshot.ts, so its type is trusted here: no part is checked for
 * presence or shape. Pure.
 */
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import type { Snapshot } from '../../shared/snapshot.js';

/** The context the Snapshot carries (the current session's), or null when it is not `sessionId`'s. */
export function snapshotContext(snapshot: Snapshot, sessionId?: string): ContextSnapshot | null {
  const context = snapshot.context;
  if (!context) return null;
  return sessionId === undefined || context.sessionId === sessionId ? context : null;
}

/**
 * Whether "Schedule next session" has anything to schedule: a ready queued session. The tray item
 * and the notifications' button follow this one rule, so a button never offers what the menu shows
 * disabled.
 */
export function canScheduleNext(snapshot: Snapshot): boolean {
  return snapshot.queue.summary.ready > 0;
}
