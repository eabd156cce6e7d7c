/**
 * The settings file the CLI and the app share: `<config root>/cco-settings.json`, read and written
 * under the store's lock. Its keys are one typed table (settings-schema.ts). A bad value in the
 * file falls back to its default with a warning (the rest of the file still applies), a corrupt
 * file is moved aside and reported, and unknown keys are left in the file untouched.
 */
import * as path from 'node:path';
import { isRecord, readJsonStateSync, updateJsonStateSync } from './store.js';
import type { LockOptions } from './store.js';
import { shownValue } from './settings-values.js';
import {
  ALL_SETTING_KEYS,
  SETTING_KEYS,
  SETTINGS_SCHEMA,
  defaultsOf,
  validateSettingValue,
  type AllSettings,
  type AnySettingKey,
  type Settings,
  type SettingKey,
} from './settings-schema.js';

export const SETTINGS_FILE = 'cco-settings.json';

export function settingsPath(root: string): string {
  return path.join(root, SETTINGS_FILE);
}

function parseSettingsObject(raw: unknown): Record<string, unknown> {
  if (!isRecord(raw)) throw new Error('expected a JSON object of settings');
  return raw;
}

/** A key that fell back to its default, and why (one line). */
export interface SettingProblem {
  key: AnySettingKey;
  text: string;
}

/**
 * The one parse of the file's object: `keys` typed, each invalid one at its default with a
 * problem. Unknown keys are ignored (and left in the file by every writer).
 */
export function settingsFromObject<K extends AnySettingKey>(raw: unknown, keys: readonly K[]): { settings: Pick<AllSettings, K>; problems: SettingProblem[] } {
  const settings = defaultsOf(keys);
  const problems: SettingProblem[] = [];
  if (!isRecord(raw)) return { settings, problems };
  const assign = <Key extends K>(key: Key): void => {
    if (!(key in raw) || raw[key] === undefined) return;
    try {
      settings[key] = SETTINGS_SCHEMA[key].parse(raw[key]) as Pick<AllSettings, K>[Key];
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push({ key, text: `${key} (${reason}), using the default ${shownValue(SETTINGS_SCHEMA[key].default)}` });
    }
  };
  for (const key of keys) assign(key);
  return { settings, problems };
}

/** One line naming each key of `file` that fell back; null when none did. */
export function settingsProblemLine(file: string, problems: readonly SettingProblem[]): string | null {
  return problems.length > 0 ? `${file}: ignoring invalid ${problems.map((problem) => problem.text).join('; invalid ')}` : null;
}

function resolve<K extends AnySettingKey>(file: string, raw: Record<string, unknown> | null, keys: readonly K[]) {
  const { settings, problems } = settingsFromObject(raw, keys);
  return { settings, problems, problem: settingsProblemLine(file, problems) };
}

function joinWarnings(...warnings: (string | null)[]): string | null {
  const present = warnings.filter((w): w is string => w !== null && w !== '');
  return present.length > 0 ? present.join('; ') : null;
}

export interface SettingsRead<S> {
  settings: S;
  /** One line: the corrupt file moved aside and/or the keys that fell back; null when all is well. */
  warning: string | null;
  problems: SettingProblem[];
}

/**
 * `keys` from `<root>/cco-settings.json`: defaults when missing; an invalid key falls back to its
 * default; a file that is not a JSON object is moved aside and the defaults are used.
 */
export function readSettingsFile<K extends AnySettingKey>(root: string, keys: readonly K[]): SettingsRead<Pick<AllSettings, K>> {
  const file = settingsPath(root);
  const { value, warning } = readJsonStateSync(file, parseSettingsObject);
  const { settings, problems, problem } = resolve(file, value, keys);
  return { settings, problems, warning: joinWarnings(warning, problem) };
}

/** The CLI's settings (what every `cco` command and `cco status --watch`'s Engine use). */
export function loadSettings(root: string): { settings: Settings; warning: string | null } {
  const { settings, warning } = readSettingsFile(root, SETTING_KEYS);
  return { settings, warning };
}

/** Every key, the app's too (what the tray app's Engine loads). */
export function loadAllSettings(root: string): { settings: AllSettings; warning: string | null } {
  const { settings, warning } = readSettingsFile(root, ALL_SETTING_KEYS);
  return { settings, warning };
}

/**
 * Locked read-modify-write of the file: `edit` changes the raw object (unknown keys stay) and may
 * throw to write nothing; returns `keys` as written.
 */
export function editSettingsFile<K extends AnySettingKey>(
  root: string,
  keys: readonly K[],
  edit: (raw: Record<string, unknown>) => void,
  opts?: LockOptions,
): { settings: Pick<AllSettings, K>; warning: string | null } {
  const file = settingsPath(root);
  const { value, warning } = updateJsonStateSync(
    file,
    parseSettingsObject,
    (current) => {
      const next = { ...(current ?? {}) };
      edit(next);
      return next;
    },
    opts,
  );
  const { settings, problem } = resolve(file, value, keys);
  return { settings, warning: joinWarnings(warning, problem) };
}

/** Set one key (validated), keeping every other key in the file, including unknown ones. */
export function saveSetting<K extends SettingKey>(
  root: string,
  key: K,
  value: Settings[K],
  opts?: LockOptions,
): { settings: Settings; warning: string | null } {
  const checked = validateSettingValue(key, value);
  return editSettingsFile(root, SETTING_KEYS, (raw) => {
    raw[key] = checked;
  }, opts);
}

/** Remove one key from the file, so it goes back to its default. */
export function unsetSetting(root: string, key: SettingKey, opts?: LockOptions): { settings: Settings; warning: string | null } {
  return editSettingsFile(root, SETTING_KEYS, (raw) => {
    delete raw[key];
  }, opts);
}
