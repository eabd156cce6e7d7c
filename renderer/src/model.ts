/**
 * What the popover reads from the Snapshot, including the optional parts other features add
 * (`context`, `queue`, a burn-rate series). Each is read only when present (`'context' in
 * snapshot`), so the popover works with the Snapshot as it is today and shows each part the
 * moment it lands.
 */
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import { quotaLevelRow, quotaLevelTone, type Tone } from '../../shared/levels.js';
import type { QueueEntry, QueueItem, QueueSnapshot } from '../../shared/queue-snapshot.js';
import type { Snapshot } from '../../shared/snapshot.js';

/** One point of a per-interval burn-rate series, if the Snapshot carries one. */
export interface BurnPoint {
  /** Start of the interval, ISO-8601. */
  at: string;
  tokensPerMinute: number;
}

export type { Tone } from '../../shared/levels.js';

/** The quota ring's tone: red once a limit is reached, otherwise the level's tone. */
export function quotaRingTone(quota: Snapshot['quota']): Tone {
  return quota.limitReached || quota.weeklyLimitReached ? 'red' : quotaLevelTone(quota.level);
}

/** The weekly bar's tone: the tone of the level its percentage would have in the table in use. */
export function weeklyTone(quota: Snapshot['quota'], usedPercent: number): Tone {
  return quota.weeklyLimitReached ? 'red' : quotaLevelRow(usedPercent, quota.hyperaware).tone;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isContext(value: unknown): value is ContextSnapshot {
  return isRecord(value) && typeof value.sessionId === 'string' && 'usableLimit' in value;
}

/** Context figures by Claude Code session id: `snapshot.context` may be one session's or a list. */
export function contextsOf(snapshot: Snapshot): Map<string, ContextSnapshot> {
  const byId = new Map<string, ContextSnapshot>();
  if (!('context' in snapshot)) return byId;
  const part: unknown = snapshot.context;
  const list: unknown[] = Array.isArray(part) ? part : [part];
  for (const entry of list) if (isContext(entry)) byId.set(entry.sessionId, entry);
  return byId;
}

export function queueOf(snapshot: Snapshot): QueueSnapshot | null {
  if (!('queue' in snapshot)) return null;
  const part: unknown = snapshot.queue;
  return isRecord(part) && isRecord(part.summary) ? (part as unknown as QueueSnapshot) : null;
}

/**
 * Every queued session with its state, active ones first (done and skipped last), each in queue
 * order; null for a Snapshot whose queue part predates `entries`.
 */
export function entriesOf(queue: QueueSnapshot): QueueEntry[] | null {
  const entries: unknown = 'entries' in queue ? (queue as { entries: unknown }).entries : undefined;
  if (!Array.isArray(entries)) return null;
  const valid = entries.filter((entry): entry is QueueEntry => isRecord(entry) && typeof entry.id === 'string' && typeof entry.state === 'string' && Array.isArray(entry.waitingOn));
  const settled = (entry: QueueEntry) => entry.state === 'done' || entry.state === 'skipped';
  return [...valid.filter((entry) => !settled(entry)), ...valid.filter(settled)];
}

/**
 * Sessions that can start now, in the planner's order: a full `ready` list when the Snapshot
 * has one, else what QueueSnapshot names (due scheduled sessions, then the next ready one).
 */
export function startable(queue: QueueSnapshot): QueueItem[] {
  const full: unknown = 'ready' in queue ? (queue as { ready: unknown }).ready : undefined;
  const items: QueueItem[] = Array.isArray(full) ? (full as QueueItem[]) : [...queue.due, ...(queue.nextReady ? [queue.nextReady] : [])];
  const seen = new Set<string>();
  return items.filter((item) => (seen.has(item.id) ? false : (seen.add(item.id), true)));
}

/** A per-interval burn series when the Snapshot carries one (`quota.burnRate.series`), else null. */
export function burnSeriesOf(snapshot: Snapshot): BurnPoint[] | null {
  const rate: unknown = snapshot.quota.burnRate;
  if (!isRecord(rate) || !Array.isArray(rate.series)) return null;
  const points = rate.series.filter((p): p is BurnPoint => isRecord(p) && typeof p.at === 'string' && typeof p.tokensPerMinute === 'number');
  return points.length >= 2 ? points : null;
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
