/** `cco config`: read and change the settings file the CLI and the app share. */
import { loadSettings, saveSetting, settingsPath, unsetSetting } from '../core/settings.js';
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA, SETTING_KEYS, formatSettingValue, parseSettingKey, parseSettingValue } from '../core/settings-schema.js';
import type { SettingKey, Settings } from '../core/settings-schema.js';

export interface ConfigIo {
  /** The config root whose `cco-settings.json` is used. */
  root: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const CONFIG_USAGE = [
  'usage: cco config [list]            all settings (defaults marked)',
  '       cco config get KEY',
  '       cco config set KEY VALUE',
  '       cco config unset KEY         back to the default',
  '       cco config path              where the settings file is',
  'keys (from the settings table, main/core/settings-schema.ts):',
  // The descriptions are the README's settings table; backticks are markdown, not for a terminal.
  ...SETTING_KEYS.map((key) => `  ${key}: ${SETTINGS_SCHEMA[key].description.replaceAll('`', '')}`),
].join('\n');

/** A mistake in the command line itself: exit 2. Anything else (I/O, lock timeout): exit 1. */
class UsageError extends Error {}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function isDefault(key: SettingKey, settings: Settings): boolean {
  return formatSettingValue(settings[key]) === formatSettingValue(DEFAULT_SETTINGS[key]);
}

/** What an unset launch setting does, in the README's words (the value itself is null). */
const UNSET_MEANS: Partial<Record<SettingKey, string>> = {
  terminal: 'detect',
  claudePath: 'claude on PATH',
};

/** The value as a person reads it: what an unset setting does rather than "none". */
function shown(key: SettingKey, settings: Settings): string {
  const value = settings[key];
  return value === null ? (UNSET_MEANS[key] ?? formatSettingValue(value)) : formatSettingValue(value);
}

function line(key: SettingKey, settings: Settings): string {
  return `${key} = ${shown(key, settings)}${isDefault(key, settings) ? ' (default)' : ''}\n`;
}

function expectArgs(rest: string[], count: number, form: string): void {
  if (rest.length !== count) throw new UsageError(`"cco config ${form}" expects ${count === 1 ? 'a KEY' : 'KEY VALUE'}, got ${rest.length} argument(s)`);
}

function run(args: string[], io: ConfigIo): void {
  const [command = 'list', ...rest] = args;
  const warn = (warning: string | null): void => {
    if (warning !== null) io.stderr(`cco config: warning: ${warning}\n`);
  };
  switch (command) {
    case 'list': {
      if (rest.length > 0) throw new UsageError(`"cco config list" takes no arguments, got "${rest.join(' ')}"`);
      const { settings, warning } = loadSettings(io.root);
      warn(warning);
      for (const key of SETTING_KEYS) io.stdout(line(key, settings));
      return;
    }
    case 'get': {
      expectArgs(rest, 1, 'get KEY');
      const key = usage(() => parseSettingKey(rest[0] ?? ''));
      const { settings, warning } = loadSettings(io.root);
      warn(warning);
      io.stdout(`${shown(key, settings)}\n`);
      return;
    }
    case 'set': {
      if (rest.length < 2) expectArgs(rest, 2, 'set KEY VALUE');
      const key = usage(() => parseSettingKey(rest[0] ?? ''));
      // Extra words are joined, so `set countedKinds input output` works unquoted.
      const value = usage(() => parseSettingValue(key, rest.slice(1).join(' ')));
      const { settings, warning } = saveSetting(io.root, key, value);
      warn(warning);
      io.stdout(line(key, settings));
      if (settings.plan === 'custom' && settings.customLimit === null) {
        io.stderr('cco config: note: plan "custom" needs a limit: run "cco config set customLimit N"\n');
      }
      return;
    }
    case 'unset': {
      expectArgs(rest, 1, 'unset KEY');
      const key = usage(() => parseSettingKey(rest[0] ?? ''));
      const { settings, warning } = unsetSetting(io.root, key);
      warn(warning);
      io.stdout(line(key, settings));
      return;
    }
    case 'path':
      io.stdout(`${settingsPath(io.root)}\n`);
      return;
    case 'help':
    case '--help':
    case '-h':
      io.stdout(`${CONFIG_USAGE}\n`);
      return;
    default:
      throw new UsageError(`unknown config command "${command}": expected list, get, set, unset or path`);
  }
}

/** Run `cco config ARGS`; returns the exit code (2 for a bad command line, 1 for I/O trouble). */
export function runConfig(args: string[], io: ConfigIo): number {
  try {
    run(args, io);
    return 0;
  } catch (error) {
    io.stderr(`cco config: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}
