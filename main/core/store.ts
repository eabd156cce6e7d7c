/**
 * State files shared by the CLI, Claude Code hooks and the app: written atomically (temp file +
 * rename) under a lock file, and moved aside rather than overwritten when they turn out corrupt.
 *
 * Everything here is synchronous on purpose: hooks and `cco` run for milliseconds, and a
 * synchronous read-modify-write under a lock is the simplest thing that cannot interleave.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileTooLargeError, NotRegularFileError, readRegularFileSync } from './regular-file.js';
import { isProcessAlive } from './process-alive.js';
import { pruneFiles } from './retention.js';

let uniqueCount = 0;

/**
 * A name part no other writer uses at the same time: the pid, a per-process count and a random
 * part (for worker threads, which share the pid). Files made with it are opened exclusively (`wx`),
 * so a clash fails loudly rather than mixing two writers' bytes. Not node:crypto: loading it costs
 * every hook and status line about 2 ms.
 */
export function uniqueSuffix(): string {
  uniqueCount += 1;
  return `${process.pid}-${uniqueCount.toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}

export interface LockOptions {
  /** Give up waiting for another holder after this long (default 5 s). */
  timeoutMs?: number;
  /** A lock older than this is treated as abandoned even if its pid is alive (default 10 s). */
  staleMs?: number;
}

export interface StateRead<T> {
  value: T | null;
  /** One line for the user when the file was corrupt and moved aside; null otherwise. */
  warning: string | null;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_STALE_MS = 10_000;

/** Narrow untrusted JSON to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message of anything thrown, squeezed onto one line. */
export function errorMessage(error: unknown, max = 160): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function errorCode(error: unknown): string | undefined {
  return isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Block the thread without spinning: the value never changes, so the wait always times out. */
export function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(sleepCell, 0, 0, ms);
}

interface LockInfo {
  pid: number | null;
  createdAt: number | null;
  raw: string;
}

function readLock(lockFile: string): LockInfo | null {
  let raw: string;
  try {
    raw = fs.readFileSync(lockFile, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
  let pid: number | null = null;
  let createdAt: number | null = null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (isRecord(parsed)) {
      if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0) pid = parsed.pid;
      if (typeof parsed.createdAt === 'string') {
        const time = Date.parse(parsed.createdAt);
        if (!Number.isNaN(time)) createdAt = time;
      }
    }
  } catch {
    // Empty or half-written: the holder may be between open and write. Judged by mtime below.
  }
  return { pid, createdAt, raw };
}

function isStale(lockFile: string, info: LockInfo, staleMs: number): boolean {
  if (info.pid !== null && !isProcessAlive(info.pid)) return true;
  let created = info.createdAt;
  if (created === null) {
    try {
      created = fs.statSync(lockFile).mtimeMs;
    } catch {
      return false; // gone already; the next attempt will simply take it
    }
  }
  return Date.now() - created > staleMs;
}

/**
 * Remove a stale lock without deleting a fresh one that replaced it in the meantime: rename is
 * atomic, so only one waiter wins the stale file, and it checks it took what it judged.
 */
function breakStaleLock(lockFile: string, judged: LockInfo): void {
  const grabbed = `${lockFile}.stale-${uniqueSuffix()}`;
  try {
    fs.renameSync(lockFile, grabbed);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  let taken: string | null = null;
  try {
    taken = fs.readFileSync(grabbed, 'utf8');
  } catch {
    // fall through: treat as what we judged
  }
  if (taken !== null && taken !== judged.raw) {
    // We grabbed a lock someone just created: put it back unless yet another holder exists.
    try {
      fs.linkSync(grabbed, lockFile);
    } catch {
      // EEXIST: a third process holds the lock now; the one we grabbed is lost either way.
    }
  }
  fs.rmSync(grabbed, { force: true });
}

function tryCreateLock(lockFile: string, content: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockFile, 'wx');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code === 'ENOENT') {
      fs.mkdirSync(path.dirname(lockFile), { recursive: true });
      return tryCreateLock(lockFile, content);
    }
    throw error;
  }
  try {
    fs.writeSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/**
 * Run `fn` while holding `${file}.lock`. Waits (a few ms at a time) for another holder; takes
 * over a lock whose pid is dead or that is older than `staleMs`; throws a one-line Error after
 * `timeoutMs`. Not re-entrant: a nested call on the same file waits for itself and times out.
 */
export function withLockSync<T>(file: string, fn: () => T, opts: LockOptions = {}): T {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  const lockFile = `${file}.lock`;
  const deadline = Date.now() + timeoutMs;
  // Stamped per attempt, so a lock we waited long for is not born half-stale. The nonce tells our
  // lock from one a worker thread of this same pid created in the same millisecond.
  const stamp = (): string =>
    JSON.stringify({ pid: process.pid, createdAt: new Date().toISOString(), nonce: uniqueSuffix() });
  let content = stamp();

  while (!tryCreateLock(lockFile, content)) {
    const holder = readLock(lockFile);
    if (holder !== null && isStale(lockFile, holder, staleMs)) {
      breakStaleLock(lockFile, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder?.pid != null ? `pid ${holder.pid}` : 'another process';
      throw new Error(`${file} is locked by ${who}; try again, or delete ${lockFile} if no cco is running`);
    }
    sleepSync(2 + Math.floor(Math.random() * 8));
    content = stamp();
  }

  try {
    return fn();
  } finally {
    // Only remove our own lock: if we overran staleMs another process may have taken it over.
    const current = readLock(lockFile);
    if (current !== null && current.raw === content) fs.rmSync(lockFile, { force: true });
  }
}

/** A lock held for as long as a process runs something only one process may run. */
export interface HeldLock {
  /** Still ours (not taken over by another process after we were judged gone). */
  held(): boolean;
  /** Remove the lock file if it is still ours. */
  release(): void;
}

/**
 * Take `lockFile` for the life of this process, or return null when a live process holds it (this
 * process counts: a second holder in it gets null too). A lock whose pid is gone is taken over,
 * whatever its age; one with no pid (being written) is left to its writer unless it is old. Unlike withLockSync
 * it never waits: the caller asks again at its next occasion.
 */
export function tryHoldLockSync(lockFile: string): HeldLock | null {
  const content = JSON.stringify({ pid: process.pid, createdAt: new Date().toISOString(), nonce: uniqueSuffix() });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreateLock(lockFile, content)) {
      const ours = (): boolean => readLock(lockFile)?.raw === content;
      return {
        held: ours,
        release: () => {
          if (ours()) fs.rmSync(lockFile, { force: true });
        },
      };
    }
    const holder = readLock(lockFile);
    if (holder === null) continue;
    // No pid yet: a writer between open and write, unless the file is older than a write takes.
    if (holder.pid !== null ? isProcessAlive(holder.pid) : !isStale(lockFile, holder, DEFAULT_STALE_MS)) return null;
    breakStaleLock(lockFile, holder);
  }
  return null;
}

const RENAME_RETRY_CODES = new Set(['EPERM', 'EACCES', 'EBUSY']);

/**
 * Windows: antivirus and the search indexer briefly hold freshly written files open, making
 * rename fail with EPERM/EACCES (npm/npm#12059, isaacs/node-graceful-fs#97). Retry for a while.
 */
function renameSyncWithRetry(from: string, to: string): void {
  const deadline = Date.now() + 2_000;
  for (let backoff = 10; ; backoff = Math.min(backoff + 10, 100)) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (error) {
      const code = errorCode(error);
      if (process.platform !== 'win32' || code === undefined || !RENAME_RETRY_CODES.has(code) || Date.now() >= deadline) throw error;
      sleepSync(backoff);
    }
  }
}

/** How long a temp file of ours may sit before it counts as left by an interrupted write. */
export const STALE_TEMP_MS = 10 * 60_000;

/** Our temp names: `<file>.tmp-<pid>-<count>-<random>` (uniqueSuffix), or the older `<file>.tmp-<pid>-<hex>`. */
export const TEMP_SUFFIX = /\.tmp-\d+-[0-9a-z]+(?:-[0-9a-z]+)?$/;

const TEMP_NAME = /^.+\.tmp-(\d+)-[0-9a-z]+(?:-[0-9a-z]+)?$/;

/**
 * Remove the temp files interrupted writes of ours (a kill -9 between open and rename) left in
 * `dir`: only our naming (`<file>.tmp-<pid>-...`), only older than STALE_TEMP_MS and only when
 * that pid is gone, so a writer still at work is never robbed. Best effort; returns how many went.
 */
export function removeStaleTempFiles(dir: string, now = Date.now()): number {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match || isProcessAlive(Number(match[1]))) continue;
    const full = path.join(dir, name);
    try {
      const stat = fs.lstatSync(full);
      if (!stat.isFile() || now - stat.mtimeMs < STALE_TEMP_MS) continue;
      fs.rmSync(full);
      removed += 1;
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}

const lastSweep = new Map<string, number>();

/**
 * Sweep a folder we write to at most once per STALE_TEMP_MS per process: a calendar export writes
 * a thousand files into one folder, and a listing per write would cost more than the writes.
 */
function sweepAfterWrite(dir: string): void {
  const now = Date.now();
  const last = lastSweep.get(dir);
  if (last !== undefined && now - last < STALE_TEMP_MS) return;
  lastSweep.set(dir, now);
  removeStaleTempFiles(dir, now);
}

/**
 * The file a write to `file` must replace: `file` itself, or, when it is a symbolic link (a
 * dotfile manager's settings.json), the end of its chain of links, so the write goes through the
 * link and the link stays. A dangling link gives the path it points to.
 */
export function resolveLinkTarget(file: string): string {
  let current = file;
  for (let hops = 0; hops < 40; hops++) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return current;
      throw error;
    }
    if (!stat.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), fs.readlinkSync(current));
  }
  throw Object.assign(new Error(`cannot write ${file}: too many levels of symbolic links`), { code: 'ELOOP' });
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

export interface AtomicWriteOptions {
  /** fsync before the rename (default true). Off for derived files rewritten in bulk (calendar). */
  durable?: boolean;
}

/**
 * Replace `file` with `data` so that readers see the old or the new content, never a mix: a temp
 * file beside the real target, then rename. A symbolic link is written through, never replaced
 * (see resolveLinkTarget). Stale temp files of earlier interrupted writes in that folder go.
 */
export function writeFileAtomicSync(file: string, data: string, opts: AtomicWriteOptions = {}): void {
  const target = resolveLinkTarget(file);
  const dir = path.dirname(target);
  if (target === file) fs.mkdirSync(dir, { recursive: true });
  else if (!isDirectory(dir)) {
    // Creating folders where someone else's link points is not ours to do.
    throw Object.assign(new Error(`cannot write ${file}: it links to ${target}, whose folder does not exist`), { code: 'ENOENT', path: file });
  }
  const temp = `${target}.tmp-${uniqueSuffix()}`;
  let fd: number | null = null;
  try {
    fd = fs.openSync(temp, 'wx');
    fs.writeFileSync(fd, data, 'utf8');
    if (opts.durable !== false) fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    renameSyncWithRetry(temp, target);
  } catch (error) {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the original error is the one worth reporting
      }
    }
    fs.rmSync(temp, { force: true });
    throw error;
  }
  sweepAfterWrite(dir);
}

/** Pretty JSON (2 spaces) and a trailing newline, written atomically. */
export function writeJsonAtomicSync(file: string, value: unknown): void {
  writeFileAtomicSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A derived record (quota-tracker.json, session-tracker.json): written atomically, and only when
 * its content changed, so a status every few seconds does not rewrite the disk each time.
 * Returns whether it wrote.
 */
export function writeJsonIfChangedSync(file: string, value: unknown): boolean {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    if (readRegularFileSync(file, MAX_STATE_FILE_BYTES) === text) return false;
  } catch {
    // Missing or unreadable: write it.
  }
  writeFileAtomicSync(file, text);
  return true;
}

/** Copies of one state file moved aside as corrupt that stay, the newest (the README says so). */
export const KEEP_CORRUPT_COPIES = 5;

function corruptPathFor(file: string): string {
  // A file that keeps turning corrupt must not fill its folder: room for this copy among the kept.
  const prefix = `${path.basename(file)}.corrupt-`;
  pruneFiles(path.dirname(file), { ours: (name) => name.startsWith(prefix), keep: KEEP_CORRUPT_COPIES - 1 });
  const base = `${file}.corrupt-${new Date().toISOString().replace(/:/g, '-')}`;
  let candidate = base;
  for (let n = 1; fs.existsSync(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

/**
 * No state file of ours comes near this (the queue of 1,000 sessions is under 1 MB): a bigger one
 * is not read into memory, it is treated as corrupt.
 */
export const MAX_STATE_FILE_BYTES = 32 * 1024 * 1024;

/**
 * A JSON file read whole, for lenient readers that simply do without it on any error (the status
 * line, the launch settings): only a regular file, at most MAX_STATE_FILE_BYTES. Throws on
 * anything else; never moves anything.
 */
export function readJsonFileSync(file: string): unknown {
  return JSON.parse(readRegularFileSync(file, MAX_STATE_FILE_BYTES)) as unknown;
}

/**
 * Thrown by a `parse` function for a file that must be left exactly where it is (one written by a
 * newer cco): readJsonStateSync passes it on instead of moving the file aside.
 */
export class StateFileRefusedError extends Error {}

/**
 * Read and validate a JSON state file. Missing → `{value: null, warning: null}`. Not JSON, too
 * large, or `parse` throws → the file is renamed to `${file}.corrupt-<time>` (kept for the user,
 * never silently replaced) and `{value: null, warning}` is returned. A FIFO or device in its
 * place is refused (a one-line error), never opened for a blocking read.
 */
export function readJsonStateSync<T>(file: string, parse: (raw: unknown) => T): StateRead<T> {
  // A few attempts: an unlocked reader can race another process moving the same file aside.
  for (let attempt = 0; ; attempt++) {
    let text: string | null = null;
    let reason: string;
    try {
      text = readRegularFileSync(file, MAX_STATE_FILE_BYTES);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { value: null, warning: null };
      if (error instanceof NotRegularFileError) throw new Error(error.message);
      if (!(error instanceof FileTooLargeError)) throw new Error(`cannot read ${file}: ${errorMessage(error)}`);
    }
    if (text === null) {
      reason = `over ${MAX_STATE_FILE_BYTES} bytes`;
    } else {
      try {
        return { value: parse(JSON.parse(text) as unknown), warning: null };
      } catch (error) {
        if (error instanceof StateFileRefusedError) throw error;
        reason = errorMessage(error);
      }
    }
    try {
      return { value: null, warning: moveCorruptAside(file, reason) };
    } catch (error) {
      if (error instanceof CorruptFileGoneError && attempt < 2) continue;
      throw error;
    }
  }
}

class CorruptFileGoneError extends Error {}

/**
 * Moves a corrupt state file aside to `${file}.corrupt-<time>` (kept for the user, never silently
 * replaced; the newest KEEP_CORRUPT_COPIES stay) and returns the one line that tells the user.
 * Through a symlink the real file moves, so the link stays and the next write fills it. Throws a
 * one-line Error when it cannot be moved.
 */
export function moveCorruptAside(file: string, reason: string): string {
  const real = resolveLinkTarget(file);
  const aside = corruptPathFor(real);
  try {
    fs.renameSync(real, aside);
  } catch (error) {
    const message = `${file} is corrupt (${reason}) and could not be moved aside: ${errorMessage(error)}`;
    throw errorCode(error) === 'ENOENT' ? new CorruptFileGoneError(message) : new Error(message);
  }
  return `${file} was corrupt (${reason}); moved aside to ${aside}; starting fresh`;
}

/**
 * Locked read-modify-write: read (moving a corrupt file aside), apply `update`, write atomically.
 * Returns the written value and the corrupt-file warning, if any.
 */
export function updateJsonStateSync<T>(
  file: string,
  parse: (raw: unknown) => T,
  update: (current: T | null) => T,
  opts?: LockOptions,
  /** What of the value goes to the file, when the value carries more (the default: all of it). */
  serialize: (value: T) => unknown = (value) => value,
): { value: T; warning: string | null } {
  return withLockSync(
    file,
    () => {
      const { value, warning } = readJsonStateSync(file, parse);
      const next = update(value);
      writeJsonAtomicSync(file, serialize(next));
      return { value: next, warning };
    },
    opts,
  );
}
