/**
 * The app's settings: one typed schema over the settings file the CLI uses,
 * `<first config root>/cco-settings.json`. The CLI's keys (plan, customLimit, hyperaware,
 * terminal, ...: SETTING_KEYS) keep their rules in main/core/settings.ts; the keys below are the
 * app's alone (notification toggles, launch at login), which the CLI leaves untouched in the file.
 *
 * Why not electron-store: it would write its defaults into the shared file on start, throws on
 * (or with `clearInvalidConfig`, silently empties) a file with one bad value, and writes without
 * the lock `cco config set` takes, so either side could lose the other's change. This module reads
 * and writes through main/core/store.ts instead: locked, atomic, a corrupt file moved aside and
 * reported, a bad value falling back to its default with a warning, unknown keys kept.
 */
import {
  loadSettings,
  parseSettingValue,
  saveSetting,
  settingsPath,
  SETTING_ACCESS,
  SETTING_KEYS,
  isSettingKey,
  type Settings,
} from '../core/settings.js';
import { isRecord, readJsonStateSync, updateJsonStateSync } from '../core/store.js';

export interface AppSettings {
  /** Notify at the quota thresholds (standard or hyperaware). */
  notifyQuota: boolean;
  /** Notify when a session's context reaches WARNING, DANGER, CRITICAL. */
  notifyContext: boolean;
  /** Notify 1 h, 30 min and 5 min before a session window ends. */
  notifySessions: boolean;
  /** Notify when the 5-hour window resets. */
  notifyReset: boolean;
  /** Notify when a scheduled session comes due. */
  notifyQueue: boolean;
  /** Start the app at login (macOS and Windows; Linux desktops have no API Electron can call). */
  launchAtLogin: boolean;
}

export type AppSettingKey = keyof AppSettings;

interface SettingSpec<T> {
  default: T;
  /** One line for a settings screen. */
  description: string;
  /** A value typed by the user (the IPC's `setSetting` sends text). Throws a one-line Error. */
  parse(text: string): T;
  /** A value read from the file. Throws a one-line Error. */
  check(value: unknown): T;
}

const TRUE_WORDS = ['true', 'on', 'yes', '1'];
const FALSE_WORDS = ['false', 'off', 'no', '0'];

function booleanSpec(description: string, fallback: boolean): SettingSpec<boolean> {
  return {
    default: fallback,
    description,
    parse(text) {
      const word = text.trim().toLowerCase();
      if (TRUE_WORDS.includes(word)) return true;
      if (FALSE_WORDS.includes(word)) return false;
      throw new Error(`expected true or false, got "${text}"`);
    },
    check(value) {
      if (typeof value === 'boolean') return value;
      throw new Error(`expected true or false, got ${JSON.stringify(value)}`);
    },
  };
}

/** The typed schema: default, description and validation of every app key. */
export const APP_SETTINGS_SCHEMA: { readonly [K in AppSettingKey]: SettingSpec<AppSettings[K]> } = {
  notifyQuota: booleanSpec('Notify at the quota thresholds.', true),
  notifyContext: booleanSpec('Notify when a session context reaches WARNING, DANGER or CRITICAL.', true),
  notifySessions: booleanSpec('Notify 1 hour, 30 minutes and 5 minutes before a session window ends.', true),
  notifyReset: booleanSpec('Notify when the 5-hour window resets.', true),
  notifyQueue: booleanSpec('Notify when a scheduled session comes due.', true),
  launchAtLogin: booleanSpec('Start Claude Code Optimizer at login.', false),
};

export const APP_SETTING_KEYS = Object.keys(APP_SETTINGS_SCHEMA) as AppSettingKey[];

export function isAppSettingKey(key: string): key is AppSettingKey {
  return (APP_SETTING_KEYS as string[]).includes(key);
}

export function defaultAppSettings(): AppSettings {
  const schema = APP_SETTINGS_SCHEMA;
  return {
    notifyQuota: schema.notifyQuota.default,
    notifyContext: schema.notifyContext.default,
    notifySessions: schema.notifySessions.default,
    notifyReset: schema.notifyReset.default,
    notifyQueue: schema.notifyQueue.default,
    launchAtLogin: schema.launchAtLogin.default,
  };
}

function assign<K extends AppSettingKey>(settings: AppSettings, key: K, value: unknown): void {
  settings[key] = APP_SETTINGS_SCHEMA[key].check(value);
}

/** App settings from the file's object; a bad value falls back to its default with a warning. Pure. */
export function appSettingsFrom(raw: unknown): { settings: AppSettings; warnings: string[] } {
  const settings = defaultAppSettings();
  const warnings: string[] = [];
  if (!isRecord(raw)) return { settings, warnings };
  for (const key of APP_SETTING_KEYS) {
    if (!(key in raw) || raw[key] === undefined) continue;
    try {
      assign(settings, key, raw[key]);
    } catch (error) {
      warnings.push(`${key}: ${error instanceof Error ? error.message : String(error)}; using the default`);
    }
  }
  return { settings, warnings };
}

function parseObject(raw: unknown): Record<string, unknown> {
  if (!isRecord(raw)) throw new Error('expected a JSON object of settings');
  return raw;
}

/** Every setting the app shows: the CLI's and the app's. */
export type AllSettings = Settings & AppSettings;

export interface SettingsRead {
  settings: AllSettings;
  warnings: string[];
}

/** Reads `<root>/cco-settings.json` (missing: defaults; corrupt: moved aside, reported). */
export function readAllSettings(root: string): SettingsRead {
  const core = loadSettings(root);
  const file = settingsPath(root);
  const { value, warning } = readJsonStateSync(file, parseObject);
  const app = appSettingsFrom(value);
  const warnings = [core.warning, warning, ...app.warnings.map((text) => `${file}: ${text}`)].filter((w): w is string => typeof w === 'string' && w !== '');
  return { settings: { ...core.settings, ...app.settings }, warnings };
}

/** Every key in the settings file: the CLI's and the app's. */
export const ALL_SETTING_KEYS: readonly string[] = [...SETTING_KEYS, ...APP_SETTING_KEYS];

/**
 * The keys the app writes (its menu and the popover's `setSetting`): every key except those that
 * decide what cco executes (SETTING_ACCESS `launch`), which the renderer must never reach.
 */
export const APP_WRITABLE_SETTING_KEYS: readonly string[] = ALL_SETTING_KEYS.filter((key) => !isSettingKey(key) || SETTING_ACCESS[key] !== 'launch');

/** Why the app refuses to write `key`, in one line, or null when it may. */
export function appSettingRefusal(key: string): string | null {
  if (isSettingKey(key) && SETTING_ACCESS[key] === 'launch') {
    return `${key} decides which program cco runs, so the app cannot change it: set it in a terminal with "cco config set ${key} ..." or edit the settings file`;
  }
  if (!APP_WRITABLE_SETTING_KEYS.includes(key)) return `unknown setting "${key}": expected one of ${APP_WRITABLE_SETTING_KEYS.join(', ')}`;
  return null;
}

/**
 * Sets one key from text (as typed or sent over IPC), validated by its schema; every other key in
 * the file stays, unknown ones included. Throws a one-line Error naming what was expected, and
 * refuses the keys that decide what cco executes (appSettingRefusal).
 */
export function writeSetting(root: string, key: string, text: string): SettingsRead {
  const refusal = appSettingRefusal(key);
  if (refusal !== null) throw new Error(refusal);
  if (isSettingKey(key)) {
    const value = parseSettingValue(key, text);
    // The CLI refuses every command while plan is custom with no limit: never write that state.
    if (key === 'plan' && value === 'custom' && loadSettings(root).settings.customLimit === null) {
      throw new Error('plan "custom" needs a limit: set customLimit first');
    }
    saveSetting(root, key, value);
    return readAllSettings(root);
  }
  if (!isAppSettingKey(key)) throw new Error(`unknown setting "${key}": expected one of ${APP_WRITABLE_SETTING_KEYS.join(', ')}`);
  let value: unknown;
  try {
    value = APP_SETTINGS_SCHEMA[key].parse(text);
  } catch (error) {
    throw new Error(`${key}: ${error instanceof Error ? error.message : String(error)}`);
  }
  updateJsonStateSync(settingsPath(root), parseObject, (current) => ({ ...(current ?? {}), [key]: value }));
  return readAllSettings(root);
}
