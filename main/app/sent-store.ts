/**
 * The notifications already shown, by once-key (notification-policy.ts), kept across restarts in
 * `<first config root>/cco-app-notifications.json` so that restarting the app mid-window does not
 * repeat them. Written atomically under the lock like every state file; a corrupt file is moved
 * aside (the worst outcome is one repeated notification). Keys older than a week are dropped.
 * It also keeps when the notifier last checked, so that what came due while the app was closed is
 * reported as missed after a restart, not shown as news (core/due-check.ts).
 */
import path from 'node:path';
import { isRecord, readJsonStateSync, updateJsonStateSync } from '../core/store.js';

export const SENT_FILE = 'cco-app-notifications.json';
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
}

interface SentFile {
  version: 1;
  /** key → when it was recorded (ISO). */
  sent: Record<string, string>;
  /** When the notifier last checked (ISO); absent in files from before it was kept. */
  lastCheck?: string;
}

function parseSent(raw: unknown): SentFile {
  if (!isRecord(raw) || raw.version !== 1 || !isRecord(raw.sent)) throw new Error('expected {"version":1,"sent":{...}}');
  const sent: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw.sent)) if (typeof value === 'string') sent[key] = value;
  const lastCheck = typeof raw.lastCheck === 'string' && Number.isFinite(Date.parse(raw.lastCheck)) ? raw.lastCheck : undefined;
  return lastCheck === undefined ? { version: 1, sent } : { version: 1, sent, lastCheck };
}

/** Keys in memory only (tests, or no writable root). */
export function memorySentKeys(initial: readonly string[] = []): SentKeys & { keys(): string[] } {
  const keys = new Set(initial);
  let last: number | null = null;
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
  };
}

/** Keys kept in `<root>/cco-app-notifications.json`; `warn` hears about a corrupt or unwritable file. */
export function fileSentKeys(root: string, now: () => number = Date.now, warn: (message: string) => void = () => {}): SentKeys {
  const file = path.join(root, SENT_FILE);
  const memory = memorySentKeys();
  try {
    const { value, warning } = readJsonStateSync(file, parseSent);
    if (warning) warn(warning);
    const cutoff = now() - KEEP_MS;
    memory.add(Object.entries(value?.sent ?? {}).filter(([, at]) => Date.parse(at) >= cutoff).map(([key]) => key));
    if (value?.lastCheck !== undefined) memory.checked(Date.parse(value.lastCheck));
  } catch (error) {
    warn(error instanceof Error ? error.message : String(error));
  }
  let written: number | null = null;
  const write = (fresh: readonly string[]): void => {
    const check = memory.lastCheck();
    try {
      updateJsonStateSync(file, parseSent, (current): SentFile => {
        const at = new Date(now()).toISOString();
        const cutoff = now() - KEEP_MS;
        const sent: Record<string, string> = {};
        for (const [key, when] of Object.entries(current?.sent ?? {})) if (Date.parse(when) >= cutoff) sent[key] = when;
        for (const key of fresh) sent[key] = at;
        const lastCheck = check === null ? current?.lastCheck : new Date(check).toISOString();
        return lastCheck === undefined ? { version: 1, sent } : { version: 1, sent, lastCheck };
      });
      written = check;
    } catch (error) {
      // Memory still holds the keys: this run will not repeat them.
      warn(`could not record sent notifications in ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return {
    has: memory.has,
    lastCheck: memory.lastCheck,
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
  };
}
