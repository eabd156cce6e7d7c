/**
 * What the notifier remembers across restarts, in the app's store (app-store.ts): the
 * notifications already shown, by once-key (notification-policy.ts), so that restarting the app
 * mid-window does not repeat them (keys older than a week are dropped); when it last checked, so
 * that what came due while the app was closed is reported as missed after a restart, not shown as
 * news (core/due-check.ts); and a snooze, which a restart keeps.
 */
import type { AppStore } from './app-store.js';

const KEEP_MS = 8 * 24 * 60 * 60 * 1000;
/**
 * The last check is written at most this often (it rides along with new keys otherwise): an older
 * value only widens the span a restart looks back over, and keys already sent stay filtered.
 */
const CHECK_WRITE_MS = 60_000;

export interface SentKeys {
  has(key: string): boolean;
  add(keys: readonly string[]): void;
  /** When the notifier last checked (epoch ms), as recorded; null if never. */
  lastCheck(): number | null;
  /** Records a check at `at` (epoch ms). */
  checked(at: number): void;
  /** Until when (epoch ms) only critical notifications show; null if not snoozed. */
  snoozedUntil(): number | null;
  snooze(until: number | null): void;
}

/** Kept in memory only (tests, and the memory behind storedSentKeys). */
export function memorySentKeys(initial: readonly string[] = []): SentKeys & { keys(): string[] } {
  const keys = new Set(initial);
  let last: number | null = null;
  let snoozed: number | null = null;
  return {
    has: (key) => keys.has(key),
    add: (added) => {
      for (const key of added) keys.add(key);
    },
    keys: () => [...keys],
    lastCheck: () => last,
    checked: (at) => {
      last = at;
    },
    snoozedUntil: () => snoozed,
    snooze: (until) => {
      snoozed = until;
    },
  };
}

const epoch = (iso: string | null): number | null => {
  const at = iso === null ? Number.NaN : Date.parse(iso);
  return Number.isFinite(at) ? at : null;
};

/** Kept in the app's store, which tells of a write that failed (memory still holds the keys: this run will not repeat them). */
export function storedSentKeys(store: AppStore, now: () => number = Date.now): SentKeys {
  const memory = memorySentKeys();
  const saved = store.get('notifications');
  const cutoff = now() - KEEP_MS;
  memory.add(Object.entries(saved.sent).filter(([, at]) => (epoch(at) ?? 0) >= cutoff).map(([key]) => key));
  const lastCheck = epoch(saved.lastCheck);
  if (lastCheck !== null) memory.checked(lastCheck);
  memory.snooze(epoch(saved.snoozedUntil));

  let written: number | null = null;
  const write = (fresh: readonly string[]): void => {
    const current = store.get('notifications');
    const at = new Date(now()).toISOString();
    const keepFrom = now() - KEEP_MS;
    const sent: Record<string, string> = {};
    for (const [key, when] of Object.entries(current.sent)) if ((epoch(when) ?? 0) >= keepFrom) sent[key] = when;
    for (const key of fresh) sent[key] = at;
    const check = memory.lastCheck();
    const snoozed = memory.snoozedUntil();
    store.set('notifications', {
      sent,
      lastCheck: check === null ? current.lastCheck : new Date(check).toISOString(),
      snoozedUntil: snoozed === null ? null : new Date(snoozed).toISOString(),
    });
    written = check;
  };
  return {
    has: memory.has,
    lastCheck: memory.lastCheck,
    snoozedUntil: memory.snoozedUntil,
    add(keys) {
      const fresh = keys.filter((key) => !memory.has(key));
      if (fresh.length === 0) return;
      memory.add(fresh);
      write(fresh);
    },
    checked(at) {
      memory.checked(at);
      // A clock that went back is written at once: the next start must not look back from the future.
      if (written === null || at < written || at - written >= CHECK_WRITE_MS) write([]);
    },
    snooze(until) {
      memory.snooze(until);
      write([]);
    },
  };
}
