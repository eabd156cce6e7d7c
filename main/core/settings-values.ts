/**
 * How each kind of setting value is read: from what a person types (`cco config set`, the app's
 * `setSetting`) and from the settings file's JSON. The table in settings-schema.ts wires one of these to
 * every key; the messages here are the one-line errors a user sees, each naming the key and what
 * it accepts.
 */
import { PLAN_NAMES, TOKEN_KINDS, isPlanName, isTokenKind } from '../../shared/plans.js';
import type { PlanName, TokenKind } from '../../shared/plans.js';
import type { WindowAlignment } from '../../shared/snapshot.js';
import { isRecord } from './store.js';

export const WINDOW_ALIGNMENTS: readonly WindowAlignment[] = ['first-token', 'hour'];
/** The one boolean-words rule, for every boolean key (the CLI's and the app's). */
export const TRUE_WORDS: readonly string[] = ['true', 'on', 'yes'];
export const FALSE_WORDS: readonly string[] = ['false', 'off', 'no'];
/** Words that mean "not set" for the keys whose default is null (or an empty map). */
const NONE_WORDS = ['none', 'null'];

export function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

export function isNoneText(text: string, alsoEmpty = false): boolean {
  const value = text.trim().toLowerCase();
  return NONE_WORDS.includes(value) || (alsoEmpty && value === '');
}

export function planFromText(text: string): PlanName {
  const value = text.trim().toLowerCase();
  if (!isPlanName(value)) throw new Error(`unknown plan "${text}": expected one of ${PLAN_NAMES.join(', ')}`);
  return value;
}

export function checkPlan(value: unknown): PlanName {
  if (typeof value === 'string' && isPlanName(value)) return value;
  throw new Error(`plan must be one of ${PLAN_NAMES.join(', ')}, got ${shownValue(value)}`);
}

function isPositiveWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** A small count (autoStartMaxPerDay): a whole number from 1 to `max`. */
export function checkCount(key: string, value: unknown, max: number): number {
  if (isPositiveWhole(value) && value <= max) return value;
  throw new Error(`${key} must be a whole number from 1 to ${max}, got ${shownValue(value)}`);
}

export function countFromText(key: string, text: string, max: number): number {
  const trimmed = text.trim();
  return checkCount(key, /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed, max);
}

/** Token limits (customLimit, --limit, the context limits): whole tokens in this range. */
export const TOKEN_LIMIT_RANGE = { min: 1, max: 100_000_000 } as const;

function tokenRangeError(name: string, shown: string): Error {
  const range = `${TOKEN_LIMIT_RANGE.min.toLocaleString('en-US')} to ${TOKEN_LIMIT_RANGE.max.toLocaleString('en-US')}`;
  return new Error(`${name} must be a whole number of tokens from ${range}; got ${shown}`);
}

/**
 * Tokens as people type them (200000, 200_000, 200,000), checked against TOKEN_LIMIT_RANGE. `name`
 * is what the message names: a setting key, or an option like `--limit`.
 */
export function tokensFromText(name: string, text: string): number {
  const digits = text.trim().replace(/[_,]/g, '');
  const value = Number(digits);
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(value) || value < TOKEN_LIMIT_RANGE.min || value > TOKEN_LIMIT_RANGE.max) {
    throw tokenRangeError(name, text.trim() === '' ? '""' : text.trim());
  }
  return value;
}

export function checkTokens(key: string, value: unknown): number {
  if (isPositiveWhole(value) && value <= TOKEN_LIMIT_RANGE.max) return value;
  throw tokenRangeError(key, shownValue(value));
}

export function booleanFromText(key: string, text: string): boolean {
  const value = text.trim().toLowerCase();
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new Error(`${key} must be true or false (or on/off, yes/no), got "${text}"`);
}

export function checkBoolean(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw new Error(`${key} must be true or false, got ${shownValue(value)}`);
}

export function alignmentFromText(text: string): WindowAlignment {
  const value = WINDOW_ALIGNMENTS.find((candidate) => candidate === text.trim().toLowerCase());
  if (value === undefined) throw new Error(`unknown windowAlignment "${text}": expected one of ${WINDOW_ALIGNMENTS.join(', ')}`);
  return value;
}

export function checkAlignment(value: unknown): WindowAlignment {
  const found = WINDOW_ALIGNMENTS.find((candidate) => candidate === value);
  if (found !== undefined) return found;
  throw new Error(`windowAlignment must be one of ${WINDOW_ALIGNMENTS.join(', ')}, got ${shownValue(value)}`);
}

const KINDS_EXAMPLE = 'like input,output,cacheCreation';

function kindsFromWords(kinds: readonly string[]): TokenKind[] {
  if (kinds.length === 0) throw new Error(`countedKinds needs at least one of ${TOKEN_KINDS.join(', ')}, as a comma list ${KINDS_EXAMPLE}`);
  const result: TokenKind[] = [];
  for (const kind of kinds) {
    if (!isTokenKind(kind)) {
      throw new Error(`unknown token kind "${kind}" in countedKinds: expected a comma list of ${TOKEN_KINDS.join(', ')}, ${KINDS_EXAMPLE}`);
    }
    if (result.includes(kind)) throw new Error(`countedKinds lists "${kind}" twice: give each kind once, ${KINDS_EXAMPLE}`);
    result.push(kind);
  }
  return result;
}

export function kindsFromText(text: string): TokenKind[] {
  const byLowerCase = new Map<string, string>(TOKEN_KINDS.map((kind) => [kind.toLowerCase(), kind]));
  const words = text
    .split(/[\s,]+/)
    .filter((word) => word !== '')
    .map((word) => byLowerCase.get(word.toLowerCase()) ?? word);
  return kindsFromWords(words);
}

export function checkKinds(value: unknown): TokenKind[] {
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return kindsFromWords(value);
  throw new Error(`countedKinds must be a list of ${TOKEN_KINDS.join(', ')}, got ${shownValue(value)}`);
}

const WINDOWS_EXAMPLE = 'like "claude-opus-5-5*=1000000, claude-sonnet-*=200000" or a JSON object';

/** A pattern → window map: non-empty patterns of at most 100 characters, positive whole sizes. */
export function checkWindowsByModel(value: unknown): Record<string, number> {
  if (!isRecord(value)) throw new Error(`contextWindowByModel must be an object of model pattern → tokens, got ${shownValue(value)}`);
  const result: Record<string, number> = {};
  for (const [pattern, size] of Object.entries(value)) {
    const key = pattern.trim();
    if (key === '' || key.length > 100) throw new Error(`contextWindowByModel needs model patterns of 1 to 100 characters, ${WINDOWS_EXAMPLE}`);
    if (!isPositiveWhole(size)) {
      throw new Error(`contextWindowByModel: the window of "${key}" must be a positive whole number of tokens, got ${shownValue(size)}`);
    }
    result[key] = size;
  }
  return result;
}

/** `pattern=size, pattern=size`, a JSON object, or `none` (the built-in table only). */
export function windowsByModelFromText(text: string): Record<string, number> {
  const value = text.trim();
  if (isNoneText(value, true) || value === '{}') return {};
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
    map[pair.slice(0, at).trim()] = tokensFromText('contextWindowByModel', pair.slice(at + 1));
  }
  return checkWindowsByModel(map);
}

function isWordList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((word) => typeof word === 'string');
}

/** A terminal name, `detect` (or `none`), or a JSON list of argv words with {cwd} and {command}. */
export function terminalFromText(text: string): string | string[] | null {
  const value = text.trim();
  // `detect` is how `cco config` shows the default.
  if (isNoneText(value, true) || value.toLowerCase() === 'detect') return null;
  if (!value.startsWith('[')) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = null;
  }
  if (isWordList(parsed)) return parsed;
  throw new Error(`terminal must be a name like kitty, or a JSON list like ["kitty","--directory","{cwd}","sh","-c","{command}"], got ${value}`);
}

export function checkTerminal(value: unknown): string | string[] | null {
  if (value === null) return null;
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (isWordList(value)) return value;
  throw new Error(`terminal must be a terminal name or a list of strings, got ${shownValue(value)}`);
}

/** A path, or `none`; `claude on PATH` is how `cco config` shows claudePath's default. */
export function pathFromText(text: string): string | null {
  return isNoneText(text, true) || text.trim().toLowerCase() === 'claude on path' ? null : text.trim();
}

export function checkPath(key: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new Error(`${key} must be a path, got ${shownValue(value)}`);
}
