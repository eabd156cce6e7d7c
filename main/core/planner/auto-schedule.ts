/**
 * The auto-schedule at CRITICAL, run once per Snapshot on the Engine side: every Snapshot the
 * Engine emits is checked after its fan-out, and when the quota is CRITICAL the ready sessions are
 * scheduled for after the reset (carry-out.ts autoScheduleAtCritical). The Engine is refreshed
 * after scheduling, so its next Snapshot shows the queue as it now is; that Snapshot finds nothing
 * ready and schedules nothing more.
 */
import type { Snapshot } from '../../../shared/snapshot.js';
import { autoScheduleAtCritical, type CarryOutResult } from './carry-out.js';
import { quotaFromSnapshot, type PlanDecision } from './planner.js';

/** The part of the Engine this follows (the Engine satisfies it). */
export interface SnapshotFeed {
  on(event: 'snapshot', listener: (snapshot: Snapshot) => void): unknown;
  off(event: 'snapshot', listener: (snapshot: Snapshot) => void): unknown;
  refresh(): Snapshot;
}

export interface AutoScheduleOptions {
  /** The config root holding the queue. */
  root: string;
  now: () => number;
  /** The setting `autoScheduleAtCritical`, read when a Snapshot arrives. */
  enabled: () => boolean;
  /** Something was scheduled: the face tells the person (the decision's reason says what). */
  onScheduled: (decision: PlanDecision, result: CarryOutResult) => void;
  onError: (error: unknown) => void;
}

/**
 * Run `check` on each of `engine`'s Snapshots after that Snapshot's fan-out (a check that changes
 * the queue refreshes the Engine, which emits again); returns the function that stops following.
 */
export function afterEachSnapshot(engine: SnapshotFeed, check: (snapshot: Snapshot) => void): () => void {
  let stopped = false;
  const listener = (snapshot: Snapshot): void =>
    void setImmediate(() => {
      if (!stopped) check(snapshot);
    });
  engine.on('snapshot', listener);
  return () => {
    stopped = true;
    engine.off('snapshot', listener);
  };
}

/** Follows `engine`'s Snapshots; returns the function that stops following. */
export function followCritical(engine: SnapshotFeed, options: AutoScheduleOptions): () => void {
  return afterEachSnapshot(engine, (snapshot) => {
    try {
      const scheduled = autoScheduleAtCritical(quotaFromSnapshot(snapshot), options.enabled(), { root: options.root, now: options.now() });
      if (!scheduled) return;
      engine.refresh();
      options.onScheduled(scheduled.decision, scheduled.result);
    } catch (error) {
      options.onError(error);
    }
  });
}
