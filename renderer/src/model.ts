/**
 * What the popover reads from the Snapshot. The Snapshot comes over IPC from our own main
 * process, which builds every part (main/core/snapshot.ts), so its type is trusted: parts are
 * read as typed, never probed for presence.
 */
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import { quotaLevelRow, quotaLevelTone, type Tone } from '../../shared/levels.js';
import type { QueueEntry, QueueSnapshot } from '../../shared/queue-snapshot.js';
import type { BurnRate, Snapshot } from '../../shared/snapshot.js';

/** One point of the per-interval burn-rate series. */
export type BurnPoint = BurnRate['series'][number];

export type { Tone } from '../../shared/levels.js';

/** The quota ring's tone: red once a limit is reached, otherwise the level's tone. */
export function quotaRingTone(quota: Snapshot['quota']): Tone {
  return quota.limitReached || quota.weeklyLimitReached ? 'red' : quotaLevelTone(quota.level);
}

/** The weekly bar's tone: the tone of the level its percentage would have in the table in use. */
export function weeklyTone(quota: Snapshot['quota'], usedPercent: number): Tone {
  return quota.weeklyLimitReached ? 'red' : quotaLevelRow(usedPercent, quota.hyperaware).tone;
}

/** The context the Snapshot carries for `sessionId` (it carries the current session's). */
export function contextOf(snapshot: Snapshot, sessionId: string): ContextSnapshot | null {
  return snapshot.context?.sessionId === sessionId ? snapshot.context : null;
}

/** Every queued session with its state, active ones first (done and skipped last), each in queue order. */
export function entriesOf(queue: QueueSnapshot): QueueEntry[] {
  const settled = (entry: QueueEntry) => entry.state === 'done' || entry.state === 'skipped';
  return [...queue.entries.filter((entry) => !settled(entry)), ...queue.entries.filter(settled)];
}

/** The per-interval burn series, when it has the two points a line needs; else null. */
export function burnSeriesOf(snapshot: Snapshot): BurnPoint[] | null {
  const series = snapshot.quota.burnRate.series;
  return series.length >= 2 ? series : null;
}

/** A short name for a live session: its project folder, else its id. */
export function sessionName(cwd: string | null, sessionId: string): string {
  if (cwd) {
    const parts = cwd.split(/[\\/]/).filter((part) => part.length > 0);
    const last = parts[parts.length - 1];
    if (last) return last;
  }
  return sessionId.length <= 8 ? sessionId : sessionId.slice(0, 8);
}
