/**
 * `cco-auto-start.json`: the record behind "exactly once" and the daily cap of the auto-start at
 * the reset. Read strictly (a hand-edited file that breaks a rule is moved aside and reported),
 * changed only by locked read-modify-writes, so the app and `cco status --watch` deciding at the
 * same moment cannot both claim a slot. Entries older than RECORD_KEEP_MS go.
 */
import { statePaths } from '../paths.js';
import { isRecord, readJsonStateSync, updateJsonStateSync } from '../store.js';
import { emptyRecord, type AutoStartEntry, type AutoStartOutcome, type AutoStartRecord } from './auto-start.js';

const OUTCOMES: readonly AutoStartOutcome[] = ['started', 'failed', 'missed', 'spent', 'capped', 'waiting', 'one-at-a-time', 'paused'];
/** Long past any catch-up and the cap's 24 hours; bounds the file. */
export const RECORD_KEEP_MS = 30 * 24 * 60 * 60_000;
const MAX_ENTRIES = 500;

function text(raw: Record<string, unknown>, key: string, where: string): string {
  const value = raw[key];
  if (typeof value !== 'string' || value.length > 400) throw new Error(`${where}.${key} must be a short string`);
  return value;
}

function time(raw: Record<string, unknown>, key: string, where: string): string {
  const value = text(raw, key, where);
  if (!Number.isFinite(Date.parse(value))) throw new Error(`${where}.${key} is not a date`);
  return value;
}

function parseEntry(raw: unknown, where: string): AutoStartEntry {
  if (!isRecord(raw)) throw new Error(`${where} must be an object`);
  const outcome = raw.outcome;
  if (typeof outcome !== 'string' || !(OUTCOMES as readonly string[]).includes(outcome)) throw new Error(`${where}.outcome must be one of ${OUTCOMES.join(', ')}`);
  const reason = raw.reason ?? null;
  if (reason !== null && typeof reason !== 'string') throw new Error(`${where}.reason must be a string or null`);
  return {
    key: text(raw, 'key', where),
    id: text(raw, 'id', where),
    name: text(raw, 'name', where),
    at: time(raw, 'at', where),
    outcome: outcome as AutoStartOutcome,
    decidedAt: time(raw, 'decidedAt', where),
    reason,
  };
}

export function parseAutoStartRecord(raw: unknown): AutoStartRecord {
  if (!isRecord(raw) || raw.version !== 1) throw new Error('expected {"version": 1, "entries": [...]}');
  if (!Array.isArray(raw.entries)) throw new Error('entries must be a list');
  const pausedUntil = raw.pausedUntil ?? null;
  if (pausedUntil !== null && (typeof pausedUntil !== 'string' || !Number.isFinite(Date.parse(pausedUntil)))) throw new Error('pausedUntil must be a date or null');
  return { version: 1, entries: raw.entries.map((entry, index) => parseEntry(entry, `entries[${index}]`)), pausedUntil };
}

export function readAutoStartRecord(root: string): { record: AutoStartRecord; warning: string | null } {
  const { value, warning } = readJsonStateSync(statePaths(root).autoStartRecord, parseAutoStartRecord);
  return { record: value ?? emptyRecord(), warning };
}

/** Locked read-modify-write; `edit` changes a copy and returns what it wants back. Old entries go. */
export function updateAutoStartRecord<T>(root: string, now: number, edit: (record: AutoStartRecord) => T): { result: T; warning: string | null } {
  let result: T | undefined;
  const { warning } = updateJsonStateSync(statePaths(root).autoStartRecord, parseAutoStartRecord, (current) => {
    const record = structuredClone(current ?? emptyRecord());
    result = edit(record);
    record.entries = record.entries.filter((entry) => now - Date.parse(entry.decidedAt) < RECORD_KEEP_MS).slice(-MAX_ENTRIES);
    return record;
  });
  return { result: result as T, warning };
}
