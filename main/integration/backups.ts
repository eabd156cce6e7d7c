/**
 * The copies of settings.json that `cco install` / `uninstall` take before changing it
 * (`settings.json.cco-backup-<time>`): a new one only when the content differs from the newest,
 * and only the newest KEEP_SETTINGS_BACKUPS kept, plus the copy from before the first install,
 * which uninstall's note points to. Without this, every install/uninstall cycle added one forever.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readRegularFileSync } from '../core/regular-file.js';
import { MAX_STATE_FILE_BYTES } from '../core/store.js';
import type { Transaction } from './transaction.js';

/** How many backups of settings.json stay (the README says so). */
export const KEEP_SETTINGS_BACKUPS = 5;

const BACKUP_INFIX = '.cco-backup-';
/** `<time>` as backupPath writes it (ISO with `:` as `-`), with an optional `-n` for a clash. */
const BACKUP_TIME = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(?:\.\d+)?Z(?:-\d+)?$/;

function backupPath(settingsFile: string, now: Date): string {
  const base = `${settingsFile}${BACKUP_INFIX}${now.toISOString().replace(/:/g, '-')}`;
  let candidate = base;
  for (let n = 1; fs.existsSync(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

/** The backups of `settingsFile`, oldest first (their names sort by time). */
export function listSettingsBackups(settingsFile: string): string[] {
  const dir = path.dirname(settingsFile);
  const prefix = `${path.basename(settingsFile)}${BACKUP_INFIX}`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix) && BACKUP_TIME.test(name.slice(prefix.length)))
    .sort()
    .map((name) => path.join(dir, name));
}

function contentOf(file: string): string | null {
  try {
    return readRegularFileSync(file, MAX_STATE_FILE_BYTES);
  } catch {
    return null;
  }
}

/**
 * A backup holding `text`: the newest existing one when it holds exactly that, else a new one
 * written in `tx` (so a failed install takes it back).
 */
export function backupSettings(tx: Transaction, settingsFile: string, text: string, now: Date): string {
  const newest = listSettingsBackups(settingsFile).at(-1);
  if (newest !== undefined && contentOf(newest) === text) return newest;
  const file = backupPath(settingsFile, now);
  tx.write(file, text);
  return file;
}

/**
 * Delete all but the newest KEEP_SETTINGS_BACKUPS backups, never `keep` (the copy from before the
 * first install). Run after a successful change; best effort. Returns the files deleted.
 */
export function pruneSettingsBackups(settingsFile: string, keep: string | null): string[] {
  const all = listSettingsBackups(settingsFile);
  const old = all.slice(0, Math.max(0, all.length - KEEP_SETTINGS_BACKUPS)).filter((file) => file !== keep);
  const deleted: string[] = [];
  for (const file of old) {
    try {
      fs.rmSync(file);
      deleted.push(file);
    } catch {
      // Left for the next run.
    }
  }
  return deleted;
}
