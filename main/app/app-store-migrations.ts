/**
 * The app store's migrations, keyed by the app version that introduced each (electron-store runs
 * those above the version recorded in the file, up to the running one, once).
 *
 * 0.1.0: before the store, the app kept the notifications it had shown in
 * `<first config root>/cco-app-notifications.json` (`{"version":1,"sent":{key: ISO},"lastCheck"?}`).
 * They are imported, so an update does not repeat a notification, and the old file is then
 * renamed to `cco-app-notifications.json.imported` beside it: moved aside rather than deleted
 * (the person can see what became of it), and never read again. A corrupt old file is moved aside
 * as corrupt (core/store.ts) and nothing is imported. A migration never throws: electron-store
 * would restore the store and throw at the app, which would then set the store aside too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Options } from 'electron-store';
import { errorMessage, isRecord, readJsonStateSync } from '../core/store.js';
import type { AppState } from './app-store.js';

export const LEGACY_SENT_FILE = 'cco-app-notifications.json';
export const IMPORTED_SUFFIX = '.imported';

interface LegacySent {
  sent: Record<string, string>;
  lastCheck: string | null;
}

const isIso = (value: unknown): value is string => typeof value === 'string' && Number.isFinite(Date.parse(value));

function parseLegacySent(raw: unknown): LegacySent {
  if (!isRecord(raw) || raw.version !== 1 || !isRecord(raw.sent)) throw new Error('expected {"version":1,"sent":{...}}');
  const sent: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw.sent)) if (isIso(value)) sent[key] = value;
  return { sent, lastCheck: isIso(raw.lastCheck) ? raw.lastCheck : null };
}

export interface MigrationContext {
  legacyRoot: string | null;
  now: () => number;
  warn: (message: string) => void;
}

/** The store as a migration sees it (electron-store passes itself). */
interface MigratingStore {
  get<K extends keyof AppState>(key: K): AppState[K];
  set<K extends keyof AppState>(key: K, value: AppState[K]): void;
}

/** Imports the old notifications file into `store`, then renames the old file. */
export function importLegacySent(store: MigratingStore, context: MigrationContext): void {
  if (context.legacyRoot === null) return;
  const file = path.join(context.legacyRoot, LEGACY_SENT_FILE);
  try {
    const { value, warning } = readJsonStateSync(file, parseLegacySent);
    if (warning !== null) context.warn(warning);
    if (value === null) return;
    const current = store.get('notifications');
    store.set('notifications', { ...current, sent: { ...value.sent, ...current.sent }, lastCheck: current.lastCheck ?? value.lastCheck });
    // The old file says the app ran here before: this is no first run.
    const instants = [...Object.values(value.sent), ...(value.lastCheck === null ? [] : [value.lastCheck])].map(Date.parse);
    if (store.get('firstRunAt') === null) store.set('firstRunAt', new Date(Math.min(context.now(), ...instants)).toISOString());
    fs.renameSync(file, `${file}${IMPORTED_SUFFIX}`);
  } catch (error) {
    context.warn(`could not import ${file} into the app's state: ${errorMessage(error)}`);
  }
}

export function appStoreMigrations(context: MigrationContext): NonNullable<Options<AppState>['migrations']> {
  return {
    '0.1.0': (store) => importLegacySent(store, context),
  };
}
