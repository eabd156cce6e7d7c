/**
 * The app's own state, which the CLI never reads: where the popover last sat, the notifications
 * already shown and the snooze, when the app first ran and the last version seen. One
 * electron-store file, `<userData>/app-state.json`, with a JSON schema, defaults and migrations
 * keyed by app version (app-store-migrations.ts).
 *
 * The settings the CLI shares stay in `cco-settings.json` under our lock (app-settings.ts says why
 * that file is not an electron-store). This one has a single writer, the one app instance
 * (requestSingleInstanceLock), and electron-store writes it atomically.
 *
 * A store that cannot be read (not JSON, a value the schema refuses, a migration that failed) is
 * moved aside as every corrupt state file is (core/store.ts) and the app starts fresh with one
 * line saying so; electron-store's `clearInvalidConfig` would empty it silently instead. A store
 * that cannot be written at all (an unwritable folder) is kept in memory for this run, also said
 * in one line. Nothing here throws at the app.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ipcMain } from 'electron';
import ElectronStore, { type Options, type Schema } from 'electron-store';
import { errorMessage, moveCorruptAside } from '../core/store.js';
import { appStoreMigrations } from './app-store-migrations.js';
import type { Rect } from './position.js';

/** `<userData>/app-state.json` */
export const APP_STORE_NAME = 'app-state';

export interface AppState {
  popover: {
    /**
     * The tray icon's last usable bounds, where the popover goes when the OS does not say where
     * the icon is (Linux, a click from the menu): kept so that a restart does not send it to a
     * corner. The popover's size is fixed (POPOVER_SIZE, not resizable), so it is not stored.
     */
    trayBounds: Rect | null;
  };
  notifications: {
    /** Once-key (notification-policy.ts) → when it was shown or passed over (ISO). */
    sent: Record<string, string>;
    /** When the notifier last checked (ISO): a restart reports what came due meanwhile as missed. */
    lastCheck: string | null;
    /** Only critical notifications show until then (ISO). */
    snoozedUntil: string | null;
  };
  /** When the app first ran here (ISO); null until it has. */
  firstRunAt: string | null;
  /** The app version that last ran (app.getVersion()). */
  lastSeenVersion: string | null;
}

export type AppStateKey = keyof AppState;

export const APP_STATE_DEFAULTS: AppState = {
  popover: { trayBounds: null },
  notifications: { sent: {}, lastCheck: null, snoozedUntil: null },
  firstRunAt: null,
  lastSeenVersion: null,
};

const ISO_OR_NULL = { type: ['string', 'null'] } as const;
const RECT = {
  type: 'object',
  properties: { x: { type: 'number' }, y: { type: 'number' }, width: { type: 'number', exclusiveMinimum: 0 }, height: { type: 'number', exclusiveMinimum: 0 } },
  required: ['x', 'y', 'width', 'height'],
  additionalProperties: false,
} as const;

export const APP_STORE_SCHEMA: Schema<AppState> = {
  popover: { type: 'object', properties: { trayBounds: { anyOf: [RECT, { type: 'null' }] } }, required: ['trayBounds'] },
  notifications: {
    type: 'object',
    properties: { sent: { type: 'object', additionalProperties: { type: 'string' } }, lastCheck: ISO_OR_NULL, snoozedUntil: ISO_OR_NULL },
    required: ['sent', 'lastCheck', 'snoozedUntil'],
  },
  firstRunAt: ISO_OR_NULL,
  lastSeenVersion: ISO_OR_NULL,
};

/** The app's state, typed; reads and writes never throw (a failure is told through `warn`). */
export interface AppStore {
  /** The file, or null when the state is kept in memory only. */
  readonly path: string | null;
  get<K extends AppStateKey>(key: K): AppState[K];
  set<K extends AppStateKey>(key: K, value: AppState[K]): void;
}

export interface OpenAppStoreOptions {
  /** The folder (app.getPath('userData')). */
  cwd: string;
  /** The running app's version (app.getVersion()): which migrations run. */
  version: string;
  /** The first config root, where the app kept its state before this store (the migration reads it). */
  legacyRoot: string | null;
  now?: () => number;
  /** Problems after opening (a write that failed, a migration that skipped the old file). */
  warn?: (message: string) => void;
}

/** The store, and the one line for the person when it had to start fresh or stay in memory. */
export interface OpenedAppStore {
  store: AppStore;
  warning: string | null;
}

export function openAppStore(options: OpenAppStoreOptions): OpenedAppStore {
  const warn = options.warn ?? (() => {});
  const file = path.join(options.cwd, `${APP_STORE_NAME}.json`);
  const open = (): AppStore => electronAppStore(options, warn);
  const before = bytesOf(file);
  try {
    return { store: open(), warning: null };
  } catch (error) {
    try {
      // electron-store writes the file merged with the defaults before it validates: what is set
      // aside is what the person had.
      if (before !== null) fs.writeFileSync(file, before);
      const warning = moveCorruptAside(file, errorMessage(error));
      return { store: open(), warning };
    } catch (again) {
      return {
        store: memoryAppStore(),
        warning: `could not open the app's state in ${file} (${errorMessage(again)}); popover place, sent notifications and snooze are kept in memory until the app quits`,
      };
    }
  }
}

function bytesOf(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

function electronAppStore(options: OpenAppStoreOptions, warn: (message: string) => void): AppStore {
  const storeOptions: Options<AppState> & { projectVersion: string } = {
    name: APP_STORE_NAME,
    cwd: options.cwd,
    // electron-store's type leaves this out, but it honours it before app.getVersion(): the
    // version the migrations compare is the one the caller states.
    projectVersion: options.version,
    schema: APP_STORE_SCHEMA,
    defaults: APP_STATE_DEFAULTS,
    migrations: appStoreMigrations({ legacyRoot: options.legacyRoot, now: options.now ?? Date.now, warn }),
    clearInvalidConfig: false,
    // Keys are whole sections; a once-key with dots in it stays one key.
    accessPropertiesByDotNotation: false,
  };
  const store = new ElectronStore<AppState>(storeOptions);
  // electron-store answers any renderer's synchronous 'electron-store-get-data' with the
  // userData path and the version, with no sender check: no renderer of ours needs it.
  ipcMain.removeAllListeners('electron-store-get-data');
  const told = new Set<string>();
  const tell = (message: string): void => {
    if (!told.has(message)) warn(message);
    told.add(message);
  };
  return {
    path: store.path,
    get(key) {
      try {
        return store.get(key, APP_STATE_DEFAULTS[key]);
      } catch (error) {
        tell(`could not read the app's state in ${store.path} (${errorMessage(error)}); using defaults`);
        return APP_STATE_DEFAULTS[key];
      }
    },
    set(key, value) {
      try {
        store.set(key, value);
      } catch (error) {
        tell(`could not save the app's state in ${store.path}: ${errorMessage(error)}`);
      }
    },
  };
}

/** State in memory only: tests, and a store that could not be opened. */
export function memoryAppStore(initial: Partial<AppState> = {}): AppStore {
  const state: AppState = structuredClone({ ...APP_STATE_DEFAULTS, ...initial });
  return {
    path: null,
    get: (key) => structuredClone(state[key]),
    set: (key, value) => {
      state[key] = structuredClone(value);
    },
  };
}

/** What a start tells about the app's history here. */
export interface StartRecord {
  firstRun: boolean;
  /** The version that ran before this one, when it differs; null otherwise (first run included). */
  updatedFrom: string | null;
}

/** Records this start: the first-run instant once, and the version now running. */
export function recordStart(store: AppStore, version: string, now: number): StartRecord {
  const firstRun = store.get('firstRunAt') === null;
  if (firstRun) store.set('firstRunAt', new Date(now).toISOString());
  const last = store.get('lastSeenVersion');
  if (last !== version) store.set('lastSeenVersion', version);
  return { firstRun, updatedFrom: last !== null && last !== version ? last : null };
}
