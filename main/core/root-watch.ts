/**
 * How the Engine learns that files under the config roots changed, and what it does when the OS
 * stops telling it. Normally one chokidar watcher over the roots, plus a cheap check (one stat per
 * root) every RELIST_MS that notices a config folder removed and recreated: chokidar stops
 * watching a root once it is deleted and never sees it come back.
 *
 * When the watcher hits a system limit (Linux inotify watches, ENOSPC; open files, EMFILE) it is
 * closed for good and the Engine is told once; from then on only the active files are followed, by
 * a stat every POLL_MS, and everything is listed again every RELIST_MS. Both are slow timers, so a
 * process that lost its watcher never spins.
 */
import fs from 'node:fs';
import path from 'node:path';
import { watch, type ChokidarOptions } from 'chokidar';
import { errorCode } from './paths.js';

/** The part of a chokidar watcher the Engine uses; a parameter so tests can inject failures. */
export interface WatcherLike {
  on(event: 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir', listener: (file: string) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  close(): Promise<void>;
}

export type WatcherFactory = (roots: readonly string[], options: ChokidarOptions) => WatcherLike;

/** Run `fn` every `ms` until the returned function is called (a parameter so tests drive time). */
export type Every = (ms: number, fn: () => void) => () => void;

/**
 * Default Every: a plain interval. Like the watcher (`persistent`), it keeps the process alive:
 * after a watch limit it is all that does, and `cco status --watch` must not exit then.
 */
export const realEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  return () => clearInterval(timer);
};

const defaultFactory: WatcherFactory = (roots, options) => watch([...roots], options);

/** Check the roots (normal) or list everything again (after a watch limit) this often. */
export const RELIST_MS = 30_000;
/** After a watch limit, stat the active files this often. */
export const POLL_MS = 2_000;
/** Error codes that mean the OS will not give us more watches or descriptors. */
const LIMIT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

/** The one line the Snapshot carries once a watch limit was hit: what happened and how to fix it. */
export function watchLimitWarning(code: string): string {
  const fallback = `following only the active transcripts (re-listing every ${RELIST_MS / 1000} s)`;
  if (code === 'ENOSPC') {
    return (
      `file watching hit the inotify limit (ENOSPC, fs.inotify.max_user_watches); ${fallback}. ` +
      'Raise it with: sudo sysctl fs.inotify.max_user_watches=524288, and keep it by adding ' +
      'fs.inotify.max_user_watches=524288 to /etc/sysctl.d/90-inotify.conf; then restart cco'
    );
  }
  return `file watching ran out of open files (${code}); ${fallback}. Raise the limit (ulimit -n, or LimitNOFILE for a service), then restart cco`;
}

export interface RootWatchOptions {
  roots: readonly string[];
  /** Which paths the watcher skips (chokidar's `ignored`). */
  ignored: (candidate: string, stats?: fs.Stats) => boolean;
  createWatcher?: WatcherFactory | undefined;
  every?: Every | undefined;
  /** A file was added, changed or removed. */
  onChange: (file: string) => void;
  /** A folder went (deleted or moved away): everything known under it is gone. */
  onGone: (dir: string) => void;
  /** List everything again: a root came back, or (after a limit) the periodic re-list. */
  onRelist: () => void;
  /** The watcher hit a system limit: called once, with the line to show. */
  onLimit: (warning: string) => void;
  /** Any other watcher error (reported, not fatal). */
  onError: (error: Error) => void;
  /** The files to follow after a limit: live and recent transcripts, the state files. */
  activeFiles: () => string[];
}

function rootIdentity(root: string): number | null {
  try {
    const stat = fs.statSync(root);
    return stat.isDirectory() ? stat.ino : null;
  } catch {
    return null;
  }
}

function signature(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  } catch (error) {
    return errorCode(error);
  }
}

export class RootWatch {
  private watcher: WatcherLike | null = null;
  private readonly cancels: (() => void)[] = [];
  private identities = new Map<string, number | null>();
  private limited = false;
  private stopped = false;
  /** A new watcher is being opened after a root came back: the next check waits for it. */
  private reopening = false;
  /** Last seen size/mtime/inode of each followed file (after a limit). */
  private readonly seen = new Map<string, string>();
  private readonly every: Every;

  constructor(private readonly options: RootWatchOptions) {
    this.every = options.every ?? realEvery;
  }

  /** Starts watching; resolves once the watcher is ready (or has given way to the fallback). */
  async start(): Promise<void> {
    const ready = this.openWatcher();
    this.cancels.push(this.every(RELIST_MS, () => this.guarded(() => this.periodic())));
    await ready;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.cancels.splice(0)) cancel();
    await this.closeWatcher();
  }

  private openWatcher(): Promise<void> {
    this.identities = new Map(this.options.roots.map((root) => [root, rootIdentity(root)]));
    const factory = this.options.createWatcher ?? defaultFactory;
    let watcher: WatcherLike;
    try {
      watcher = factory(this.options.roots, { ignoreInitial: true, persistent: true, ignored: this.options.ignored });
    } catch (error) {
      this.handleError(error);
      return Promise.resolve();
    }
    this.watcher = watcher;
    watcher.on('add', (file) => this.options.onChange(file));
    watcher.on('change', (file) => this.options.onChange(file));
    watcher.on('unlink', (file) => this.options.onChange(file));
    // A folder deleted or moved away: chokidar reports its files only when it still knew them.
    watcher.on('unlinkDir', (dir) => this.options.onGone(dir));
    return new Promise<void>((resolve) => {
      watcher.on('ready', () => resolve());
      watcher.on('error', (error) => {
        this.handleError(error);
        if (this.limited) resolve();
      });
    });
  }

  private async closeWatcher(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = null;
    try {
      await watcher?.close();
    } catch (error) {
      // A watcher that failed may fail to close too; it is dropped either way.
      if (!this.stopped) this.options.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** A timer's work: whatever it throws is reported, never left to crash the process. */
  private guarded(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    this.options.onError(error instanceof Error ? error : new Error(String(error)));
  }

  private handleError(error: unknown): void {
    const code = errorCode(error);
    if (!LIMIT_CODES.has(code)) {
      this.options.onError(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    // Several watches fail at once when the limit is hit: the first one switches, once.
    if (this.limited || this.stopped) return;
    this.limited = true;
    void this.closeWatcher();
    this.options.onLimit(watchLimitWarning(code));
    this.cancels.push(this.every(POLL_MS, () => this.guarded(() => this.poll())));
    this.guarded(() => this.options.onRelist());
  }

  private periodic(): void {
    if (this.stopped || this.reopening) return;
    if (this.limited) {
      this.options.onRelist();
      return;
    }
    let reopen = false;
    for (const root of this.options.roots) {
      const before = this.identities.get(root) ?? null;
      const now = rootIdentity(root);
      if (before === now) continue;
      if (now === null) this.options.onGone(root);
      else reopen = true;
    }
    if (!reopen) {
      this.identities = new Map(this.options.roots.map((root) => [root, rootIdentity(root)]));
      return;
    }
    // A root (re)appeared: a fresh watcher sees it, and a full listing catches what it holds.
    this.reopening = true;
    void this.closeWatcher()
      .then(async () => {
        if (this.stopped) return;
        await this.openWatcher();
        if (!this.stopped) this.options.onRelist();
      })
      .catch((error: unknown) => this.report(error))
      .finally(() => {
        this.reopening = false;
      });
  }

  private poll(): void {
    if (this.stopped) return;
    const active = new Set(this.options.activeFiles());
    for (const file of this.seen.keys()) if (!active.has(file)) this.seen.delete(file);
    for (const file of active) {
      const now = signature(file);
      const before = this.seen.get(file);
      this.seen.set(file, now);
      // A file newly followed is checked too: the Engine compares it with what it knows.
      if (before !== now) this.options.onChange(file);
    }
  }
}

/** Whether `file` lies inside `dir` (or is it). */
export function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
