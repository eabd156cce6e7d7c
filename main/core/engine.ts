/**
 * The Engine: watches the Claude Code config roots and emits a new Snapshot when a transcript or
 * the settings change. What the tray app and `cco status --watch` run. It does not poll: file
 * events (chokidar over the OS's watcher) wake it, debounced, and one timer wakes it when the
 * active window resets. Between those it does nothing.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Snapshot } from '../../shared/snapshot.js';
import { errorCode, listTranscriptFiles, type TranscriptFile } from './paths.js';
import type { QuotaSettings } from './snapshot.js';
import { collectStatus } from './status.js';
import { SETTINGS_FILE } from './settings.js';
import { SessionLogFollower } from './sessions.js';
import { SessionContextTracker } from './context/tracker.js';
import { TranscriptLedger } from './transcripts/ledger.js';

export interface EngineOptions {
  roots: string[];
  /** Read on start and whenever the settings file changes. */
  loadSettings: () => { settings: QuotaSettings; warning: string | null };
  /** Wait this long after the last file event before recomputing (default 25 ms). */
  debounceMs?: number;
  /** The clock; a parameter so tests can move time. */
  clock?: () => number;
  /** Write the optimizer's records (quota-tracker.json, usage history); default true. */
  persist?: boolean;
}

export interface EngineEvents {
  snapshot: [Snapshot];
  error: [Error];
}

const RESET_TIMER_SLACK_MS = 50;
/** After a burst of file events, check its files once more this much later (chokidar's throttle is 50 ms). */
const SETTLE_CHECK_MS = 120;
/** Files outside projects/ whose changes mean a new Snapshot (relative to a root). */
const WATCHED_FILES = new Set([SETTINGS_FILE, 'statusline-state.json', 'session-queue.json', path.join('logs', 'sessions.jsonl')]);
/** Files untouched for this long leave the Engine's memory (history keeps their windows). */
const LEDGER_MEMORY_MS = 24 * 60 * 60 * 1000;

function sameFigures(a: Snapshot | null, b: Snapshot): boolean {
  if (!a) return false;
  const strip = (s: Snapshot) => JSON.stringify({ ...s, generatedAt: '', diagnostics: { ...s.diagnostics, bytesRead: 0, filesRead: 0, linesRead: 0 } });
  return strip(a) === strip(b);
}

export class Engine extends EventEmitter<EngineEvents> {
  private readonly ledger = new TranscriptLedger();
  private readonly sessionLog: SessionLogFollower;
  private readonly contextTrackers = new Map<string, SessionContextTracker>();
  private readonly files = new Map<string, TranscriptFile>();
  private readonly unreadable = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private watcher: FSWatcher | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  /** Files changed in the last burst, checked once more after it (see markDirty). */
  private readonly recent = new Set<string>();
  private resetTimer: NodeJS.Timeout | null = null;
  private current: Snapshot | null = null;
  private settings: QuotaSettings;
  private settingsWarning: string | null;
  private readonly clock: () => number;
  private readonly debounceMs: number;

  constructor(private readonly options: EngineOptions) {
    super();
    this.clock = options.clock ?? Date.now;
    this.debounceMs = options.debounceMs ?? 25;
    this.sessionLog = new SessionLogFollower(options.roots[0] as string);
    const loaded = options.loadSettings();
    this.settings = loaded.settings;
    this.settingsWarning = loaded.warning;
  }

  /** The latest Snapshot (null before start). */
  get snapshot(): Snapshot | null {
    return this.current;
  }

  /** Lists the transcripts, computes the first Snapshot, then starts watching. */
  async start(): Promise<Snapshot> {
    const listing = listTranscriptFiles(this.options.roots);
    for (const file of listing.files) this.files.set(file.path, file);
    for (const entry of listing.unreadable) this.unreadable.set(entry.path, entry.error);
    const first = this.recompute(true);
    this.watcher = watch(this.options.roots, {
      ignoreInitial: true,
      persistent: true,
      ignored: (candidate, stats) => this.ignored(candidate, stats),
    });
    this.watcher.on('add', (file) => this.markDirty(file));
    this.watcher.on('change', (file) => this.markDirty(file));
    this.watcher.on('unlink', (file) => this.markDirty(file));
    this.watcher.on('error', (error) => this.emit('error', error instanceof Error ? error : new Error(String(error))));
    await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
    return first;
  }

  /** Stops watching and clears timers; the last Snapshot stays readable. */
  async stop(): Promise<void> {
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    if (this.resetTimer) clearTimeout(this.resetTimer);
    this.debounceTimer = null;
    this.resetTimer = null;
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.close();
  }

  /** Recomputes now (e.g. after an action changed state) and emits if anything changed. */
  refresh(): Snapshot {
    this.applyDirty();
    return this.recompute(false);
  }

  /**
   * Watch only what feeds the Snapshot: projects/**\/*.jsonl, the hooks' session log, Claude
   * Code's live-session files, the status line's relay of the server figures, and the settings.
   */
  private ignored(candidate: string, stats?: fs.Stats): boolean {
    for (const root of this.options.roots) {
      if (candidate === root) return false;
      const relative = path.relative(root, candidate);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      if (WATCHED_FILES.has(relative)) return false;
      const [top] = relative.split(path.sep);
      // The folders pass; of their files, only sessions.jsonl (above) and the pid files.
      if (top === 'logs') return stats?.isFile() === true;
      if (top === 'sessions') return stats?.isFile() === true && !candidate.endsWith('.json');
      if (top !== 'projects') return true;
      if (stats?.isFile()) return !candidate.endsWith('.jsonl');
      return false;
    }
    return true;
  }

  private isTranscript(file: string): boolean {
    return this.options.roots.some((root) => {
      const relative = path.relative(root, file);
      return relative.split(path.sep)[0] === 'projects' && file.endsWith('.jsonl');
    });
  }

  /**
   * A file event: recompute after the debounce. chokidar throttles `change` events per file, so
   * a second write within ~50 ms of the first may never be reported; one check of the burst's
   * files after it has settled catches such a write (a single timer per burst, no polling).
   */
  private markDirty(file: string): void {
    this.dirty.add(file);
    this.recent.add(file);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.refresh();
    }, this.debounceMs);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      this.checkSettled();
    }, SETTLE_CHECK_MS);
  }

  private checkSettled(): void {
    const changed = [...this.recent].filter((file) => {
      const known = this.files.get(file);
      try {
        const stat = fs.statSync(file);
        return !known || stat.size !== known.size || stat.mtimeMs !== known.mtimeMs;
      } catch {
        return known !== undefined;
      }
    });
    this.recent.clear();
    if (changed.length === 0) return;
    for (const file of changed) this.dirty.add(file);
    this.refresh();
  }

  private applyDirty(): void {
    for (const file of this.dirty) {
      if (path.basename(file) === SETTINGS_FILE) {
        const loaded = this.options.loadSettings();
        this.settings = loaded.settings;
        this.settingsWarning = loaded.warning;
        continue;
      }
      // The session log, live-session files and status-line state are read on each recompute.
      if (!this.isTranscript(file)) continue;
      try {
        const stat = fs.statSync(file);
        this.files.set(file, { path: file, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino });
        this.unreadable.delete(file);
      } catch (error) {
        this.files.delete(file);
        if (errorCode(error) !== 'ENOENT') this.unreadable.set(file, errorCode(error));
        else this.unreadable.delete(file);
      }
    }
    this.dirty.clear();
  }

  private recompute(force: boolean): Snapshot {
    let next: Snapshot;
    try {
      next = collectStatus({
        roots: this.options.roots,
        settings: this.settings,
        now: this.clock(),
        persist: this.options.persist ?? true,
        ledger: this.ledger,
        sessionLog: this.sessionLog,
        contextTrackers: this.contextTrackers,
        listing: {
          files: [...this.files.values()],
          unreadable: [...this.unreadable].map(([file, error]) => ({ path: file, error })),
        },
        warnings: this.settingsWarning ? [this.settingsWarning] : [],
      });
    } catch (error) {
      // Keep the last good Snapshot; report, never crash the app.
      this.emit('error', error instanceof Error ? error : new Error(String(error)));
      if (this.current) return this.current;
      throw error;
    }
    this.ledger.forgetFilesBefore(this.clock() - LEDGER_MEMORY_MS);
    this.scheduleResetTimer(next);
    if (force || !sameFigures(this.current, next)) {
      this.current = next;
      this.emit('snapshot', next);
    }
    return this.current ?? next;
  }

  /**
   * One timer for the next instant the figures change with no file event: the window's reset, a
   * session window's next warning mark, or the moment the latest session goes idle.
   */
  private scheduleResetTimer(snapshot: Snapshot): void {
    if (this.resetTimer) clearTimeout(this.resetTimer);
    this.resetTimer = null;
    const instants = [
      snapshot.quota.currentWindow?.resetTime,
      snapshot.quota.limitReached?.resetsAt,
      snapshot.quota.server?.fiveHour?.resetsAt,
      ...snapshot.sessions.map((session) => session.nextWarning?.at),
      ...snapshot.sessions.map((session) => session.windowEnd),
    ]
      .map((iso) => (iso ? Date.parse(iso) : NaN))
      .filter((ms) => Number.isFinite(ms) && ms > this.clock());
    if (instants.length === 0) return;
    const delay = Math.min(...instants) - this.clock() + RESET_TIMER_SLACK_MS;
    if (delay <= 0 || delay > 2 ** 31 - 1) return;
    // Not unref'd: Node keeps one timer list per distinct delay and, on clearTimeout, deletes an
    // emptied list only for ref'd timers. This delay differs on every recompute, so an unref'd
    // timer left a list behind per transcript write until its instant came (hours): ~200 bytes a
    // write, unbounded while Claude Code writes (issue 15.1). stop() clears it.
    this.resetTimer = setTimeout(() => {
      this.resetTimer = null;
      this.recompute(false);
    }, delay);
  }
}
