/**
 * Writes that can be taken back, and the one-line errors a user sees when the config root will not
 * take them: a failed install or uninstall leaves every file as it was.
 */
import fs from 'node:fs';
import { readRegularFileSync } from '../core/regular-file.js';
import { MAX_STATE_FILE_BYTES, TEMP_SUFFIX, errorMessage, isRecord, resolveLinkTarget, withLockSync, writeFileAtomicSync } from '../core/store.js';

/** A problem the user must fix (invalid settings.json, read-only root): one line, exit code 1. */
export class IntegrationError extends Error {}

export function fsCode(error: unknown): string | undefined {
  return isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
}

export function readText(file: string): string | null {
  try {
    // A FIFO at settings.json must not hang `cco install`.
    return readRegularFileSync(file, MAX_STATE_FILE_BYTES);
  } catch (error) {
    if (fsCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/** One line for an fs error met while writing, saying what to do. */
export function writeFailure(error: unknown, root: string): IntegrationError {
  const code = fsCode(error);
  // Name the file being replaced, not writeFileAtomicSync's temp file beside it.
  const where = isRecord(error) && typeof error.path === 'string' ? error.path.replace(TEMP_SUFFIX, '') : root;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new IntegrationError(`cannot write ${where}: permission denied (${code}); is ${root} read-only? Nothing was changed`);
  }
  if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR') {
    return new IntegrationError(`cannot write ${where}: a file or folder is in the way (${code}); nothing was changed`);
  }
  if (code === 'ENOSPC') return new IntegrationError(`cannot write ${where}: the disk is full; nothing was changed`);
  return new IntegrationError(`${errorMessage(error)}; nothing was changed`);
}

/** Writes that can be taken back: if a later step fails, every earlier one is undone. */
export class Transaction {
  private readonly undo: (() => void)[] = [];

  write(file: string, content: string): void {
    const before = readText(file);
    writeFileAtomicSync(file, content);
    // A file that was not there goes again; through a link that means its target, never the link.
    this.undo.push(() => (before === null ? fs.rmSync(resolveLinkTarget(file), { force: true }) : writeFileAtomicSync(file, before)));
  }

  remove(file: string): void {
    const before = readText(file);
    if (before === null) return;
    fs.rmSync(file);
    this.undo.push(() => writeFileAtomicSync(file, before));
  }

  mkdir(dir: string): boolean {
    if (fs.existsSync(dir)) return false;
    fs.mkdirSync(dir);
    this.undo.push(() => fs.rmdirSync(dir));
    return true;
  }

  rollback(): void {
    for (const step of this.undo.reverse()) {
      try {
        step();
      } catch {
        // Best effort: the original error is the one to report.
      }
    }
    this.undo.length = 0;
  }
}

export function runTransaction<T>(root: string, body: (tx: Transaction) => T): T {
  const tx = new Transaction();
  try {
    return body(tx);
  } catch (error) {
    tx.rollback();
    if (error instanceof IntegrationError) throw error;
    throw writeFailure(error, root);
  }
}

/** Hold the settings.json lock (another `cco install` waits); lock trouble is reported like a write failure. */
export function locked<T>(lockedFile: string, root: string, dryRun: boolean, fn: () => T): T {
  if (dryRun) return fn();
  try {
    return withLockSync(lockedFile, fn);
  } catch (error) {
    if (error instanceof IntegrationError) throw error;
    if (fsCode(error) !== undefined) throw writeFailure(error, root);
    throw new IntegrationError(errorMessage(error, 300));
  }
}
