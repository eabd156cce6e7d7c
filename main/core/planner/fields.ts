/**
 * The fields of a queued session as a user types them: estimates (tokens, hours), names,
 * objectives, the project directory. Each check returns the clean value or throws a QueueError
 * that says what was expected.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A mistake in what the user asked for (bad estimate, unknown id, cycle): shown as one line. */
export class QueueError extends Error {}

/** More than this is not an estimate of one session (the largest preset plan allows 4M per window). */
export const MAX_TOKENS = 10_000_000;
/** One sitting: at least 5 minutes, at most a day. */
export const MIN_HOURS = 5 / 60;
export const MAX_HOURS = 24;
export const MAX_NAME_LENGTH = 200;
export const MAX_OBJECTIVES = 50;
export const MAX_OBJECTIVE_LENGTH = 2_000;

/** `65000`, `65,000`, `65_000`, `65k`, `1.5M` → whole tokens in 1..MAX_TOKENS. */
export function parseTokens(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(text.replace(/[_,]/g, ''));
  const scale = match?.[2]?.toLowerCase() === 'k' ? 1e3 : match?.[2]?.toLowerCase() === 'm' ? 1e6 : 1;
  const value = match ? Math.round(Number(match[1]) * scale * 1e6) / 1e6 : Number.NaN;
  return checkTokens(value, text);
}

export function checkTokens(value: unknown, shown: unknown = value): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value)) {
    throw new QueueError(`estimated tokens must be a whole number like 65000 or 65k, got ${show(shown)}`);
  }
  if (value <= 0) throw new QueueError(`estimated tokens must be more than 0, got ${show(shown)}`);
  if (value > MAX_TOKENS) {
    throw new QueueError(`estimated tokens ${show(shown)} is not a plausible session (at most ${MAX_TOKENS.toLocaleString('en-US')}); split the work into several sessions`);
  }
  return value;
}

/** `3`, `1.5`, `1.5h`, `90m`, `2h30m` → hours in MIN_HOURS..MAX_HOURS. */
export function parseHours(text: string): number {
  const trimmed = text.trim().toLowerCase();
  let value = Number.NaN;
  const plain = /^(\d+(?:\.\d+)?)\s*h?$/.exec(trimmed);
  const minutes = /^(\d+(?:\.\d+)?)\s*m(?:in)?$/.exec(trimmed);
  const both = /^(\d+)\s*h\s*(\d+)\s*m(?:in)?$/.exec(trimmed);
  if (plain) value = Number(plain[1]);
  else if (minutes) value = Number(minutes[1]) / 60;
  else if (both) value = Number(both[1]) + Number(both[2]) / 60;
  return checkHours(value, text);
}

export function checkHours(value: unknown, shown: unknown = value): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new QueueError(`estimated hours must be a number like 3, 1.5 or 90m, got ${show(shown)}`);
  }
  if (value <= 0) throw new QueueError(`estimated hours must be more than 0, got ${show(shown)}`);
  if (value < MIN_HOURS - 1e-9) throw new QueueError(`estimated hours ${show(shown)} is too short for a session (at least 5 minutes)`);
  if (value > MAX_HOURS) throw new QueueError(`estimated hours ${show(shown)} is more than a day; split the work into several sessions`);
  return Math.round(value * 1000) / 1000;
}

export function checkName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new QueueError('a session needs a name, e.g. --name "Implementation - Part 1/3"');
  const name = value.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new QueueError(`a session name must be one line without control characters, got ${show(value)}`);
  if (name.length > MAX_NAME_LENGTH) throw new QueueError(`a session name must be at most ${MAX_NAME_LENGTH} characters`);
  return name;
}

export function checkObjectives(value: unknown): string[] {
  if (!Array.isArray(value)) throw new QueueError('objectives must be a list of strings');
  if (value.length > MAX_OBJECTIVES) throw new QueueError(`at most ${MAX_OBJECTIVES} objectives per session; split the work`);
  return value.map((item) => {
    if (typeof item !== 'string' || item.trim() === '') throw new QueueError(`an objective must be non-empty text, got ${show(item)}`);
    // NUL cannot travel in a process argument; other control characters are the user's business.
    if (item.includes('\u0000')) throw new QueueError('an objective cannot contain a NUL character');
    if (item.length > MAX_OBJECTIVE_LENGTH) throw new QueueError(`an objective must be at most ${MAX_OBJECTIVE_LENGTH} characters`);
    return item.trim();
  });
}

/** An existing directory, made absolute (relative to `base`). */
export function checkProjectDir(dir: string, base: string = process.cwd()): string {
  const absolute = path.resolve(base, expandHome(dir));
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new QueueError(`project directory ${absolute} does not exist`);
  }
  if (!stat.isDirectory()) throw new QueueError(`project path ${absolute} is not a directory`);
  return absolute;
}

export function expandHome(file: string): string {
  const home = process.env.HOME ?? process.env.USERPROFILE;
  if (home && (file === '~' || file.startsWith('~/') || file.startsWith('~\\'))) return path.join(home, file.slice(1));
  return file;
}

/** A value quoted for an error message, cut short. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 59)}…"` : text;
}

