/**
 * The settings file the CLI and the app share: `<config root>/cco-settings.json`.
 * One typed schema with defaults; a bad value in the file falls back to its default with a
 * warning (the rest of the file still applies), and unknown keys are left in the file untouched.
 */
import * as path from 'node:path';
import { DEFAULT_COUNTED_KINDS, PLAN_NAMES, TOKEN_KINDS, isPlanName, isTokenKind } from '../../shared/plans.js';
import type { PlanName, TokenKind } from '../../shared/plans.js';
import type { WindowAlignment } from '../../shared/snapshot.js';
import { isRecord, readJsonStateSync, updateJsonStateSync } from './store.js';
import type { LockOptions } from './store.js';

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
}

export type SettingKey = keyof Settings;

/**
 * Every key, and who may set it. `launch` keys decide *what cco executes* (the terminal command
 * sessions start in, the claude binary): only a person at a terminal sets them (`cco config set`,
 * or editing the file). Nothing that runs without a person may: not the app over IPC, not a slash
 * command or the model, not a hook or the status line. Everything else is `preference`.
 */
export const SETTING_ACCESS: { readonly [K in SettingKey]: 'preference' | 'launch' } = {
  plan: 'preference',
  customLimit: 'preference',
  hyperaware: 'preference',
  windowAlignment: 'preference',
  countedKinds: 'preference',
  contextUsableLimit: 'preference',
  contextAutoCompactAt: 'preference',
  contextWindowByModel: 'preference',
  autoScheduleAtCritical: 'preference',
  terminal: 'launch',
  claudePath: 'launch',
};

export const SETTING_KEYS = Object.keys(SETTING_ACCESS) as readonly SettingKey[];

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  plan: 'pro',
  customLimit: null,
  hyperaware: false,
  windowAlignment: 'first-token',
  countedKinds: [...DEFAULT_COUNTED_KINDS],
  contextUsableLimit: 180_000,
  contextAutoCompactAt: 180_000,
  contextWindowByModel: {},
  autoScheduleAtCritical: true,
  terminal: null,
  claudePath: null,
});

const WINDOW_ALIGNMENTS: readonly WindowAlignment[] = ['first-token', 'hour'];
const TRUE_WORDS = ['true', 'on', 'yes'];
const FALSE_WORDS = ['false', 'off', 'no'];

export const SETTINGS_FILE = 'cco-settings.json';

export function settingsPath(root: string): string {
  return path.join(root, SETTINGS_FILE);
}

/** A fresh copy of the defaults (callers may mutate it). */
export function defaultSettings(): Settings {
  return { ...DEFAULT_SETTINGS, countedKinds: [...DEFAULT_SETTINGS.countedKinds], contextWindowByModel: { ...DEFAULT_SETTINGS.contextWindowByModel } };
}

export function isSettingKey(value: string): value is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(value);
}

/** Resolve a key typed by a user (case-insensitive), or throw a one-line Error listing the keys. */
export function parseSettingKey(text: string): SettingKey {
  const key = SETTING_KEYS.find((candidate) => candidate.toLowerCase() === text.trim().toLowerCase());
  if (key === undefined) throw new Error(`unknown setting "${text}": expected one of ${SETTING_KEYS.join(', ')}`);
  return key;
}

function parsePlan(text: string): PlanName {
  const value = text.trim().toLowerCase();
  if (!isPlanName(value)) throw new Error(`unknown plan "${text}": expected one of ${PLAN_NAMES.join(', ')}`);
  return value;
}

/** Token limits (customLimit, --limit, the context limits): whole tokens in this range. */
export const TOKEN_LIMIT_RANGE = { min: 1, max: 100_000_000 } as const;

/**
 * A token limit typed by a person, checked against TOKEN_LIMIT_RANGE. `name` is what the message
 * names (a setting key, or an option like `--limit`). Accepts the separators people type: 200000,
 * 200_000, 200,000.
 */
export function parseTokenLimit(text: string, name: string): number {
  const digits = text.trim().replace(/[_,]/g, '');
  const value = Number(digits);
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(value) || value < TOKEN_LIMIT_RANGE.min || value > TOKEN_LIMIT_RANGE.max) {
    const range = `${TOKEN_LIMIT_RANGE.min.toLocaleString('en-US')} to ${TOKEN_LIMIT_RANGE.max.toLocaleString('en-US')}`;
    throw new Error(`${name} must be a whole number of tokens from ${range}; got ${text.trim() === '' ? '""' : text.trim()}`);
  }
  return value;
}

function parseLimit(text: string, key: SettingKey = 'customLimit'): number {
  return parseTokenLimit(text, key);
}

function parseBoolean(key: SettingKey, text: string): boolean {
  const value = text.trim().toLowerCase();
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new Error(`${key} must be true or false (or on/off, yes/no), got "${text}"`);
}

function parseAlignment(text: string): WindowAlignment {
  const value = WINDOW_ALIGNMENTS.find((candidate) => candidate === text.trim().toLowerCase());
  if (value === undefined) throw new Error(`unknown windowAlignment "${text}": expected one of ${WINDOW_ALIGNMENTS.join(', ')}`);
  return value;
}

function checkKinds(kinds: readonly string[]): TokenKind[] {
  const example = 'like input,output,cacheCreation';
  if (kinds.length === 0) throw new Error(`countedKinds needs at least one of ${TOKEN_KINDS.join(', ')}, as a comma list ${example}`);
  const result: TokenKind[] = [];
  for (const kind of kinds) {
    if (!isTokenKind(kind)) {
      throw new Error(`unknown token kind "${kind}" in countedKinds: expected a comma list of ${TOKEN_KINDS.join(', ')}, ${example}`);
    }
    if (result.includes(kind)) throw new Error(`countedKinds lists "${kind}" twice: give each kind once, ${example}`);
    result.push(kind);
  }
  return result;
}

function parseKinds(text: string): TokenKind[] {
  const byLowerCase = new Map<string, string>(TOKEN_KINDS.map((kind) => [kind.toLowerCase(), kind]));
  const words = text
    .split(/[\s,]+/)
    .filter((word) => word !== '')
    .map((word) => byLowerCase.get(word.toLowerCase()) ?? word);
  return checkKinds(words);
}

/**
 * Validate a value typed on the command line for `key`. Throws a one-line Error that says what
 * was expected. `customLimit` also accepts `none` (no limit set), which is how `get` shows null.
 */
export function parseSettingValue<K extends SettingKey>(key: K, text: string): Settings[K];
export function parseSettingValue(key: SettingKey, text: string): Settings[SettingKey] {
  switch (key) {
    case 'plan':
      return parsePlan(text);
    case 'customLimit':
      return ['none', 'null'].includes(text.trim().toLowerCase()) ? null : parseLimit(text);
    case 'hyperaware':
      return parseBoolean(key, text);
    case 'windowAlignment':
      return parseAlignment(text);
    case 'countedKinds':
      return parseKinds(text);
    case 'contextUsableLimit':
    case 'contextAutoCompactAt':
      return parseLimit(text, key);
    case 'contextWindowByModel':
      return parseWindowsByModel(text);
    case 'autoScheduleAtCritical':
      return parseBoolean(key, text);
    case 'terminal':
      return parseTerminal(text);
    case 'claudePath':
      // `claude on PATH` is how `cco config` shows the default.
      return ['none', 'null', '', 'claude on path'].includes(text.trim().toLowerCase()) ? null : text.trim();
  }
}

const WINDOWS_EXAMPLE = 'like "claude-opus-5-5*=1000000, claude-sonnet-*=200000" or a JSON object';

/** Checks a pattern → window map: non-empty patterns of at most 100 characters, positive whole sizes. */
function checkWindowsByModel(map: Record<string, unknown>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [pattern, size] of Object.entries(map)) {
    const key = pattern.trim();
    if (key === '' || key.length > 100) throw new Error(`contextWindowByModel needs model patterns of 1 to 100 characters, ${WINDOWS_EXAMPLE}`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0) {
      throw new Error(`contextWindowByModel: the window of "${key}" must be a positive whole number of tokens, got ${shownValue(size)}`);
    }
    result[key] = size;
  }
  return result;
}

/** `pattern=size, pattern=size`, a JSON object, or `none` (the built-in table only). */
function parseWindowsByModel(text: string): Record<string, number> {
  const value = text.trim();
  if (['none', 'null', '', '{}'].includes(value.toLowerCase())) return {};
  if (value.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error(`contextWindowByModel is not valid JSON: ${shownValue(value)}, ${WINDOWS_EXAMPLE}`);
    }
    if (!isRecord(parsed)) throw new Error(`contextWindowByModel must be an object, ${WINDOWS_EXAMPLE}`);
    return checkWindowsByModel(parsed);
  }
  const map: Record<string, unknown> = {};
  // A comma before a digit belongs to a size ("1,000,000"), any other one separates pairs.
  for (const pair of value.split(/,(?=\s*[^\s\d])/)) {
    const at = pair.lastIndexOf('=');
    if (at < 0) throw new Error(`contextWindowByModel: "${pair.trim()}" has no "=size", ${WINDOWS_EXAMPLE}`);
    map[pair.slice(0, at).trim()] = parseLimit(pair.slice(at + 1), 'contextWindowByModel');
  }
  return checkWindowsByModel(map);
}

/** A terminal name, `detect` (or `none`), or a JSON list of argv words with {cwd} and {command}. */
function parseTerminal(text: string): string | string[] | null {
  const value = text.trim();
  if (['detect', 'none', 'null', ''].includes(value.toLowerCase())) return null;
  if (!value.startsWith('[')) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((word): word is string => typeof word === 'string')) return parsed;
  throw new Error(`terminal must be a name like kitty, or a JSON list like ["kitty","--directory","{cwd}","sh","-c","{command}"], got ${value}`);
}

function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * Check a value read from the file (or handed over by the app). Strings go through the CLI
 * parser, so a hand-edited `"hyperaware": "yes"` works too.
 */
export function validateSettingValue<K extends SettingKey>(key: K, value: unknown): Settings[K];
export function validateSettingValue(key: SettingKey, value: unknown): Settings[SettingKey] {
  if (typeof value === 'string') return parseSettingValue(key, value);
  switch (key) {
    case 'customLimit':
      if (value === null) return null;
      if (typeof value === 'number' && Number.isSafeInteger(value)) return parseTokenLimit(String(value), key);
      throw new Error(`customLimit must be a whole number of tokens from 1 to 100,000,000; got ${shownValue(value)}`);
    case 'hyperaware':
    case 'autoScheduleAtCritical':
      if (typeof value === 'boolean') return value;
      throw new Error(`${key} must be true or false, got ${shownValue(value)}`);
    case 'terminal':
      if (value === null) return null;
      if (Array.isArray(value) && value.length > 0 && value.every((word): word is string => typeof word === 'string')) return value;
      throw new Error(`terminal must be a terminal name or a list of strings, got ${shownValue(value)}`);
    case 'claudePath':
      if (value === null) return null;
      throw new Error(`claudePath must be a path, got ${shownValue(value)}`);
    case 'contextUsableLimit':
    case 'contextAutoCompactAt':
      if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
      throw new Error(`${key} must be a positive whole number of tokens, got ${shownValue(value)}`);
    case 'contextWindowByModel':
      if (isRecord(value)) return checkWindowsByModel(value);
      throw new Error(`contextWindowByModel must be an object of model pattern → tokens, got ${shownValue(value)}`);
    case 'countedKinds':
      if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) {
        return checkKinds(value);
      }
      throw new Error(`countedKinds must be a list of ${TOKEN_KINDS.join(', ')}, got ${shownValue(value)}`);
    case 'plan':
      throw new Error(`plan must be one of ${PLAN_NAMES.join(', ')}, got ${shownValue(value)}`);
    case 'windowAlignment':
      throw new Error(`windowAlignment must be one of ${WINDOW_ALIGNMENTS.join(', ')}, got ${shownValue(value)}`);
  }
}

function parseSettingsObject(raw: unknown): Record<string, unknown> {
  if (!isRecord(raw)) throw new Error('expected a JSON object of settings');
  return raw;
}

/** Typed settings from the file's object; `problem` is one line naming each key that fell back. */
function resolve(file: string, raw: Record<string, unknown> | null): { settings: Settings; problem: string | null } {
  const settings = defaultSettings();
  const problems: string[] = [];
  if (raw === null) return { settings, problem: null };
  const assign = <K extends SettingKey>(key: K): void => {
    if (!(key in raw) || raw[key] === undefined) return;
    try {
      settings[key] = validateSettingValue(key, raw[key]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(`${key} (${reason}), using the default ${shownValue(DEFAULT_SETTINGS[key])}`);
    }
  };
  for (const key of SETTING_KEYS) assign(key);
  return { settings, problem: problems.length > 0 ? `${file}: ignoring invalid ${problems.join('; invalid ')}` : null };
}

function joinWarnings(...warnings: (string | null)[]): string | null {
  const present = warnings.filter((w): w is string => w !== null && w !== '');
  return present.length > 0 ? present.join('; ') : null;
}

/**
 * Settings from `<root>/cco-settings.json`: defaults when missing; an invalid key falls back to
 * its default; a file that is not a JSON object is moved aside and the defaults are used.
 */
export function loadSettings(root: string): { settings: Settings; warning: string | null } {
  const file = settingsPath(root);
  const { value, warning } = readJsonStateSync(file, parseSettingsObject);
  const { settings, problem } = resolve(file, value);
  return { settings, warning: joinWarnings(warning, problem) };
}

function editSettings(
  root: string,
  edit: (raw: Record<string, unknown>) => void,
  opts?: LockOptions,
): { settings: Settings; warning: string | null } {
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
  const { settings, problem } = resolve(file, value);
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
  return editSettings(root, (raw) => {
    raw[key] = checked;
  }, opts);
}

/** Remove one key from the file, so it goes back to its default. */
export function unsetSetting(root: string, key: SettingKey, opts?: LockOptions): { settings: Settings; warning: string | null } {
  return editSettings(root, (raw) => {
    delete raw[key];
  }, opts);
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
