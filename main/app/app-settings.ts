/**
 * What the app may write in the settings file the CLI uses, `<first config root>/cco-settings.json`.
 * Every key's rules (default, readers, check, who may set it) are in the one table,
 * main/core/settings.ts; the app's own keys (notification toggles, launch at login) are its `app`
 * section. The app reads settings only from its Engine (which reloads the file when it changes);
 * this module is the write side.
 *
 * Why not electron-store: it would write its defaults into the shared file on start, throws on
 * (or with `clearInvalidConfig`, silently empties) a file with one bad value, and writes without
 * the lock `cco config set` takes, so either side could lose the other's change. Writes go through
 * main/core/store.ts instead: locked, atomic, a corrupt file moved aside and reported, unknown
 * keys kept. The app's own state, which the CLI never reads (popover place, sent notifications,
 * snooze, first run, last version), is an electron-store of its own: app-store.ts.
 */
import { editSettingsFile } from '../core/settings.js';
import { ALL_SETTING_KEYS, SETTINGS_SCHEMA, isAnySettingKey, type AllSettings, type AnySettingKey } from '../core/settings-schema.js';

/**
 * The keys the app writes (its menu and the popover's `setSetting`): every key except those that
 * decide what cco executes (access `launch`), which the renderer must never reach.
 */
export const APP_WRITABLE_SETTING_KEYS: readonly AnySettingKey[] = ALL_SETTING_KEYS.filter((key) => SETTINGS_SCHEMA[key].access !== 'launch');

/** Why the app refuses to write `key`, in one line, or null when it may. */
export function appSettingRefusal(key: string): string | null {
  if (isAnySettingKey(key) && SETTINGS_SCHEMA[key].access === 'launch') {
    return `${key} decides which program cco runs, so the app cannot change it: set it in a terminal with "cco config set ${key} ..." or edit the settings file`;
  }
  if (!(APP_WRITABLE_SETTING_KEYS as readonly string[]).includes(key)) return `unknown setting "${key}": expected one of ${APP_WRITABLE_SETTING_KEYS.join(', ')}`;
  return null;
}

/**
 * Sets one key from text (as typed or sent over IPC), parsed by the table; every other key in the
 * file stays, unknown ones included. Throws a one-line Error naming what was expected, and refuses
 * the keys that decide what cco executes (appSettingRefusal). Returns every key as written.
 */
export function writeSetting(root: string, key: string, text: string): { settings: AllSettings; warning: string | null } {
  const refusal = appSettingRefusal(key);
  if (refusal !== null || !isAnySettingKey(key)) throw new Error(refusal ?? `unknown setting "${key}"`);
  const value = SETTINGS_SCHEMA[key].parseText(text);
  return editSettingsFile(root, ALL_SETTING_KEYS, (raw) => {
    // The CLI refuses every command while plan is custom with no limit: never write that state.
    // Checked under the lock, against the file as it is now.
    if (key === 'plan' && value === 'custom' && customLimitOf(raw) === null) throw new Error('plan "custom" needs a limit: set customLimit first');
    raw[key] = value;
  });
}

function customLimitOf(raw: Record<string, unknown>): number | null {
  try {
    return SETTINGS_SCHEMA.customLimit.parse(raw.customLimit ?? null);
  } catch {
    return null;
  }
}
