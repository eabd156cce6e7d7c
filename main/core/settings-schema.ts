/**
 * The one table of `cco-settings.json`'s keys (SETTINGS_SCHEMA): each key's default, its readers
 * (text as a person types it, JSON from the file), its check, its description and who may set it.
 * The engine's Settings, the app's toggles, the launcher's and the context rule's picks and
 * `cco config` all derive from it. Reading and writing the file is settings.ts's; the readers of
 * each kind of value are settings-values.ts's.
 */
import { DEFAULT_COUNTED_KINDS } from '../../shared/plans.js';
import type { PlanName, TokenKind } from '../../shared/plans.js';
import type { WindowAlignment } from '../../shared/snapshot.js';
import {
  alignmentFromText,
  booleanFromText,
  countFromText,
  checkAlignment,
  checkBoolean,
  checkCount,
  checkKinds,
  checkPath,
  checkPlan,
  checkTerminal,
  checkTokens,
  checkWindowsByModel,
  isNoneText,
  kindsFromText,
  pathFromText,
  planFromText,
  terminalFromText,
  tokensFromText,
  windowsByModelFromText,
} from './settings-values.js';
import { isRecord } from './store.js';

export interface Settings {
  plan: PlanName;
  /** Tokens per 5-hour window, used when `plan` is `custom`. */
  customLimit: number | null;
  /** Hyperaware thresholds (10/25/50/75/90/95) instead of the standard 50/80/90/95. */
  hyperaware: boolean;
  /** `first-token`: the window starts at its first token (the spec's rule); `hour`: at that token's hour. */
  windowAlignment: WindowAlignment;
  /** Token kinds counted against the limit: non-empty, no duplicates. */
  countedKinds: TokenKind[];
  /**
   * Add the estimated output of responses recorded only with a streaming placeholder to the
   * counted tokens (claude-code-facts.md §2); off: the estimate is shown, not counted.
   */
  countPlaceholderEstimate: boolean;
  /** Usable context of a 200k window (the spec's 180k); scaled for a 1M window. */
  contextUsableLimit: number;
  /** Where Claude Code auto-compacts, for a 200k window (configurable in Claude Code too). */
  contextAutoCompactAt: number;
  /**
   * Context window per model-id pattern (`*` wildcards), used until a status line reports the
   * session's size; checked before the built-in table (main/core/context/model-window.ts).
   */
  contextWindowByModel: Record<string, number>;
  /** At the CRITICAL quota level, schedule the ready sessions for after the reset (spec). */
  autoScheduleAtCritical: boolean;
  /**
   * The terminal sessions start in: null detects one; a name (kitty, iterm, wt, "current"...); or a
   * command list with "{cwd}" and "{command}" placeholders (main/core/planner/launcher.ts).
   */
  terminal: string | string[] | null;
  /** The claude executable; null uses `claude` from PATH. */
  claudePath: string | null;
  /**
   * Start a session scheduled at the reset by itself when the reset passes (the tray app or
   * `cco status --watch`, whichever holds the auto-start lock); guarded by main/core/planner/auto-start.ts.
   */
  autoStartAtReset: boolean;
  /** At most this many automatic starts in any 24 hours. */
  autoStartMaxPerDay: number;
}

/** The app's own keys (the CLI leaves them untouched in the file). */
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

/** Every key in the file: the CLI's (which the engine uses too) and the app's. */
export type AllSettings = Settings & AppSettings;
export type SettingKey = keyof Settings;
export type AppSettingKey = keyof AppSettings;
export type AnySettingKey = keyof AllSettings;

/**
 * Who may set a key. `launch` keys decide *what cco executes* (the terminal command sessions start
 * in, the claude binary): only a person at a terminal sets them (`cco config set`, or editing the
 * file). Nothing that runs without a person may: not the app over IPC, not a slash command or the
 * model, not a hook or the status line. Everything else is `preference`.
 */
export type SettingAccess = 'preference' | 'launch';

export interface SettingSpec<T> {
  /** `cco`: listed by `cco config` and used by the engine; `app`: the tray app's own. */
  readonly section: 'cco' | 'app';
  readonly access: SettingAccess;
  readonly default: T;
  /** One line for `cco config help`, the README's settings table and a settings screen. */
  readonly description: string;
  /** A value as a person types it (`cco config set`, the app's setSetting). Throws one line. */
  parseText(text: string): T;
  /** A typed value (not text): throws one line naming the key and what it accepts. */
  check(value: unknown): T;
  /** A value from the file's JSON: text goes through parseText (a hand-edited "yes" works), the rest through check. */
  parse(value: unknown): T;
}

/** The highest `autoStartMaxPerDay` accepted: a 5-hour window fits about five a day. */
export const AUTO_START_MAX_PER_DAY = 5;

function setting<T>(spec: Omit<SettingSpec<T>, 'parse' | 'access' | 'section'> & Partial<Pick<SettingSpec<T>, 'access' | 'section'>>): SettingSpec<T> {
  return {
    section: spec.section ?? 'cco',
    access: spec.access ?? 'preference',
    default: spec.default,
    description: spec.description,
    parseText: spec.parseText,
    check: spec.check,
    parse: (value) => (typeof value === 'string' ? spec.parseText(value) : spec.check(value)),
  };
}

function booleanSetting(key: string, fallback: boolean, description: string, section: 'cco' | 'app' = 'cco'): SettingSpec<boolean> {
  return setting({ section, default: fallback, description, parseText: (text) => booleanFromText(key, text), check: (value) => checkBoolean(key, value) });
}

function tokensSetting(key: string, fallback: number, description: string): SettingSpec<number> {
  return setting({ default: fallback, description, parseText: (text) => tokensFromText(key, text), check: (value) => checkTokens(key, value) });
}

/**
 * The one settings table: every key of `cco-settings.json` with its default, its readers (text
 * and JSON), its check, its description and who may set it. Everything else (the engine's
 * Settings, the app's toggles, the launcher's and the context rule's picks, `cco config`) derives
 * from it.
 */
export const SETTINGS_SCHEMA: { readonly [K in AnySettingKey]: SettingSpec<AllSettings[K]> } = {
  plan: setting({
    default: 'pro',
    description: '`free` 50k, `pro` 200k, `team` 500k (the spec\'s figures), `max5` 1M, `max20` 4M, `custom`, `auto`',
    parseText: planFromText,
    check: checkPlan,
  }),
  customLimit: setting<number | null>({
    default: null,
    description: 'tokens per 5 hours for `custom`',
    parseText: (text) => (isNoneText(text) ? null : tokensFromText('customLimit', text)),
    check: (value) => (value === null ? null : checkTokens('customLimit', value)),
  }),
  hyperaware: booleanSetting('hyperaware', false, "warn at 10/25/50/75/90/95 % instead of 50/80/90/95 %, with the spec's seven levels"),
  windowAlignment: setting({
    default: 'first-token',
    description: "a window starts at your first token (the spec); `hour` starts it on the hour, as Anthropic's servers are observed to",
    parseText: alignmentFromText,
    check: checkAlignment,
  }),
  countedKinds: setting({
    default: [...DEFAULT_COUNTED_KINDS],
    description: 'which token kinds count against the limit; the full breakdown is always shown',
    parseText: kindsFromText,
    check: checkKinds,
  }),
  countPlaceholderEstimate: booleanSetting(
    'countPlaceholderEstimate',
    false,
    'count the estimated output of responses whose transcript kept only a streaming placeholder (~4 characters a token); off: shown as an estimate, not counted',
  ),
  contextUsableLimit: tokensSetting('contextUsableLimit', 180_000, 'usable context of a 200k window (scaled for 1M sessions)'),
  contextAutoCompactAt: tokensSetting('contextAutoCompactAt', 180_000, 'where Claude Code auto-compacts (yours may differ: `/autocompact`)'),
  contextWindowByModel: setting({
    default: {},
    description:
      'window per model pattern until a status line reports it, e.g. `claude-opus-4-6*=1000000`; without it `claude-opus-5-5` and `[1m]` models are taken as 1M, others as 200k, and the size is shown as assumed',
    parseText: windowsByModelFromText,
    check: checkWindowsByModel,
  }),
  autoScheduleAtCritical: booleanSetting('autoScheduleAtCritical', true, 'at CRITICAL, schedule ready sessions for after the reset'),
  terminal: setting({
    access: 'launch',
    default: null,
    description: 'where sessions start: a name (`kitty`, `iterm`, `wt`, `current`) or a JSON argv list with `{cwd}` and `{command}`; set only in a terminal (`cco config set`) or in the file',
    parseText: terminalFromText,
    check: checkTerminal,
  }),
  claudePath: setting({
    access: 'launch',
    default: null,
    description: 'the Claude Code executable; set only in a terminal (`cco config set`) or in the file',
    parseText: pathFromText,
    check: (value) => checkPath('claudePath', value),
  }),
  // Launch keys: with them cco runs a program while nobody is at the machine, so only a person at
  // a terminal (`cco config set`) or the file turns them on or loosens the cap (not the app's IPC,
  // its tray, a slash command or a hook).
  autoStartAtReset: setting({
    access: 'launch',
    default: false,
    description:
      'start a session scheduled at the reset by itself once the reset passes (never when the new window is already spent, one at a time); set only in a terminal (`cco config set`) or in the file',
    parseText: (text) => booleanFromText('autoStartAtReset', text),
    check: (value) => checkBoolean('autoStartAtReset', value),
  }),
  autoStartMaxPerDay: setting({
    access: 'launch',
    default: 2,
    description: `at most this many automatic starts in any 24 hours (1 to ${AUTO_START_MAX_PER_DAY}); set only in a terminal (\`cco config set\`) or in the file`,
    parseText: (text) => countFromText('autoStartMaxPerDay', text, AUTO_START_MAX_PER_DAY),
    check: (value) => checkCount('autoStartMaxPerDay', value, AUTO_START_MAX_PER_DAY),
  }),
  notifyQuota: booleanSetting('notifyQuota', true, 'the app notifies at the quota thresholds', 'app'),
  notifyContext: booleanSetting('notifyContext', true, "the app notifies when a session's context reaches WARNING, DANGER or CRITICAL", 'app'),
  notifySessions: booleanSetting('notifySessions', true, 'the app notifies 1 hour, 30 minutes and 5 minutes before a session window ends', 'app'),
  notifyReset: booleanSetting('notifyReset', true, 'the app notifies when the 5-hour window resets', 'app'),
  notifyQueue: booleanSetting('notifyQueue', true, 'the app notifies when a scheduled session comes due', 'app'),
  launchAtLogin: booleanSetting('launchAtLogin', false, 'start the app at login (macOS and Windows)', 'app'),
};

/** Every key, in the table's order. */
export const ALL_SETTING_KEYS = Object.keys(SETTINGS_SCHEMA) as readonly AnySettingKey[];
/** The CLI's keys (what `cco config` lists). */
export const SETTING_KEYS = ALL_SETTING_KEYS.filter((key): key is SettingKey => SETTINGS_SCHEMA[key].section === 'cco');
/** The app's own keys. */
export const APP_SETTING_KEYS = ALL_SETTING_KEYS.filter((key): key is AppSettingKey => SETTINGS_SCHEMA[key].section === 'app');

/** Who may set each key (from the table). */
export const SETTING_ACCESS = Object.fromEntries(ALL_SETTING_KEYS.map((key) => [key, SETTINGS_SCHEMA[key].access])) as {
  readonly [K in AnySettingKey]: SettingAccess;
};

export function defaultsOf<K extends AnySettingKey>(keys: readonly K[]): Pick<AllSettings, K> {
  // structuredClone: a caller mutating its copy must not change the table's defaults.
  return Object.fromEntries(keys.map((key) => [key, structuredClone(SETTINGS_SCHEMA[key].default)])) as Pick<AllSettings, K>;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(defaultsOf(SETTING_KEYS));

/** A fresh copy of the defaults (callers may mutate it). */
export function defaultSettings(): Settings {
  return defaultsOf(SETTING_KEYS);
}

export function defaultAllSettings(): AllSettings {
  return defaultsOf(ALL_SETTING_KEYS);
}

export function isSettingKey(value: string): value is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(value);
}

export function isAnySettingKey(value: string): value is AnySettingKey {
  return (ALL_SETTING_KEYS as readonly string[]).includes(value);
}

/** Resolve a key typed by a user (case-insensitive), or throw a one-line Error listing the keys. */
export function parseSettingKey(text: string): SettingKey {
  const key = SETTING_KEYS.find((candidate) => candidate.toLowerCase() === text.trim().toLowerCase());
  if (key === undefined) throw new Error(`unknown setting "${text}": expected one of ${SETTING_KEYS.join(', ')}`);
  return key;
}

/**
 * Validate a value typed on the command line for `key`. Throws a one-line Error that says what
 * was expected. The null-default keys also accept `none` (how `cco config get` shows null).
 */
export function parseSettingValue<K extends AnySettingKey>(key: K, text: string): AllSettings[K] {
  return SETTINGS_SCHEMA[key].parseText(text);
}

/** Check a value read from the file (or handed over by a caller): the table's `parse`. */
export function validateSettingValue<K extends AnySettingKey>(key: K, value: unknown): AllSettings[K] {
  return SETTINGS_SCHEMA[key].parse(value);
}

export interface SettingOverrides {
  plan?: PlanName;
  limit?: number;
}

/**
 * Apply `--plan` / `--limit` for one command. `--limit N` means plan custom with that limit,
 * unless `--plan` names another plan. A custom plan with no limit anywhere is an error.
 */
export function applyOverrides(settings: Settings, overrides: SettingOverrides): Settings {
  const next: Settings = { ...settings, countedKinds: [...settings.countedKinds], contextWindowByModel: { ...settings.contextWindowByModel } };
  if (overrides.limit !== undefined) {
    next.customLimit = validateSettingValue('customLimit', overrides.limit);
    next.plan = overrides.plan ?? 'custom';
  } else if (overrides.plan !== undefined) {
    next.plan = overrides.plan;
  }
  if (next.plan === 'custom' && next.customLimit === null) {
    throw new Error('plan "custom" needs a limit: pass --limit N, or run "cco config set customLimit N"');
  }
  return next;
}

/** How a value is shown by `cco config` (and read back by `parseSettingValue`). */
export function formatSettingValue(value: Settings[SettingKey]): string {
  if (value === null) return 'none';
  // contextWindowByModel reads back from `pattern=size, ...` (patterns hold no "," or "=" in practice).
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return 'none';
    return entries.every(([pattern]) => !/[,=]/.test(pattern)) ? entries.map(([pattern, size]) => `${pattern}=${size}`).join(', ') : JSON.stringify(value);
  }
  // countedKinds reads back from a comma list; a terminal command list only from JSON.
  if (Array.isArray(value)) return value.every((word) => /^[A-Za-z]+$/.test(word)) && value.length < 5 ? value.join(',') : JSON.stringify(value);
  return String(value);
}

/** A token limit typed for an option (`--limit`): the settings' token rule, naming the option. */
export function parseTokenLimit(text: string, option: string): number {
  return tokensFromText(option, text);
}
