/**
 * The Engine: watches the Claude Code config roots and emits a new Snapshot when a transcript or
 * the settings change. What the tray app and `cco status --watch` run. It does not poll: file
 * events (chokidar over the OS's watcher) wake it, debounced, and a clock tick wakes it when the
 * figures change by themselves (a reset, a warning mark, a scheduled session coming due). The tick
 * only reads the wall clock; it recomputes at an instant or after a jump (core/due-check.ts).
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Snapshot } from '../../shared/snapshot.js';
import { clockJumped, nextTickDelay } from './due-check.js';
import { errorCode, isDirectory, listTranscriptFiles, type RootList, type TranscriptFile } from './paths.js';
import { isInside, RootWatch, type Every, type WatcherFactory } from './root-watch.js';
import { collectStatus } from './status.js';
import { SETTINGS_FILE } from './settings.js';
import { type Settings } from './settings-schema.js';
import { SessionLogFollower } from './sources/sessions.js';
import { SessionContextTracker } from './context/tracker.js';
import { TranscriptLedger } from './transcripts/ledger.js';

/** `S`: the CLI's Settings (`loadSettings`), or every key, the app's too (`loadAllSettings`). */
export interface EngineOptions<S extends Settings = Settings> {
  roots: RootList;
  /**
   * Read on start and whenever the settings file changes: the Engine is the one place a running
   * process reloads the settings; its faces take them from `engine.settings` and the `settings` event.
   */
  loadSettings: () => { settings: S; warning: string | null };
  /** Wait this long after the last file event before recomputing (default 25 ms). */
  debounceMs?: number;
  /** The clock; a parameter so tests can move time. */
  clock?: () => number;
  /** Write the optimizer's records (quota-tracker.json, usage history); default true. */
  persist?: boolean;
  /** The longest the clock goes unread between instants (default 30 s); tests shorten it. */
  tickMs?: number;
  /** Makes the file watcher (default chokidar); tests inject one that fails. */
  createWatcher?: WatcherFactory;
  /** The slow periodic timers (root check, re-list, fallback poll); tests drive them. */
  every?: Every;
  /** Lists the transcripts (default listTranscriptFiles); tests count the calls. */
  listFiles?: typeof listTranscriptFiles;
}

export interface EngineEvents<S extends Settings = Settings> {
  snapshot: [Snapshot];
  error: [Error];
  /** The settings were reloaded (the file changed); `warning` is null when all is well. */
  settings: [S, string | null];
}

const RESET_TIMER_SLACK_MS = 50;
/**
 * A timer is paused while the machine sleeps and does not follow the wall clock, so the clock is
 * read at least this often: a sleep or a clock change is noticed within one tick.
 */
const TICK_MS = 30_000;
/** A tick this far off what it waited for means the clock jumped (or the machine slept). */
const JUMP_TOLERANCE_MS = 5_000;
/** After a burst of file events, check its files once more this much later (chokidar's throttle is 50 ms). */
const SETTLE_CHECK_MS = 120;
/**
 * ...and once more this much later if that found nothing: a write at the end of a burst that the
 * watcher does not report is then read within a second, not at the next write (issue 15.1).
 */
const LATE_CHECK_MS = 1_000;
/** Files outside projects/ whose changes mean a new Snapshot (relative to a root). */
const WATCHED_FILES = new Set([SETTINGS_FILE, 'statusline-state.json', 'session-queue.json', path.join('logs', 'sessions.jsonl')]);
/** Files untouched for this long leave the Engine's memory (history keeps their windows). */
const LEDGER_MEMORY_MS = 24 * 60 * 60 * 1000;
/** Without a watcher (a watch limit), transcripts written this recently are followed. */
const ACTIVE_MS = 60 * 60 * 1000;
/** ...at most this many of them, the newest. */
const MAX_ACTIVE_FILES = 64;

function sameFigures(a: Snapshot | null, b: Snapshot): boolean {
  if (!a) return false;
  const strip = (s: Snapshot) => JSON.stringify({ ...s, generatedAt: '', diagnostics: { ...s.diagnostics, bytesRead: 0, filesRead: 0, linesRead: 0 } });
  return strip(a) === strip(b);
}

export class Engine<S extends Settings = Settings> extends EventEmitter<EngineEvents<S>> {
  private readonly ledger = new TranscriptLedger();
  private readonly sessionLog: SessionLogFollower;
  private readonly contextTrackers = new Map<string, SessionContextTracker>();
  private readonly files = new Map<string, TranscriptFile>();
  private readonly unreadable = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private watch: RootWatch | null = null;
  private watchWarning: string | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  /** Files changed in the last burst, checked once more after it (see markDirty). */
  private readonly recent = new Set<string>();
  private tickTimer: NodeJS.Timeout | null = null;
  /** The instants (epoch ms) at which the current figures change with no file event. */
  private instants: number[] = [];
  private lastTick = 0;
  private tickWait = 0;
  private readonly tickMs: number;
  private current: Snapshot | null = null;
  private stopped = false;
  private currentSettings: S;
  private settingsWarning: string | null;
  private readonly clock: () => number;
  private readonly debounceMs: number;

  constructor(private readonly options: EngineOptions<S>) {
    super();
    this.clock = options.clock ?? Date.now;
    this.debounceMs = options.debounceMs ?? 25;
    this.tickMs = options.tickMs ?? TICK_MS;
    this.sessionLog = new SessionLogFollower(options.roots[0]);
    const loaded = options.loadSettings();
    this.currentSettings = loaded.settings;
    this.settingsWarning = loaded.warning;
  }

  /** The latest Snapshot (null before start). */
  get snapshot(): Snapshot | null {
    return this.current;
  }

  /** The settings as last loaded. */
  get settings(): S {
    return this.currentSettings;
  }

  /** The last load's warning (corrupt file moved aside, keys that fell back), or null. */
  get settingsProblem(): string | null {
    return this.settingsWarning;
  }

  /** Reloads the settings now (after a write of ours, not waiting for the watcher) and recomputes. */
  reloadSettings(): Snapshot {
    this.loadSettingsNow();
    return this.refresh();
  }

  /** Lists the transcripts, computes the first Snapshot, then starts watching. */
  async start(): Promise<Snapshot> {
    this.stopped = false;
    this.relist();
    const first = this.recompute(true);
    this.watch = new RootWatch({
      roots: this.options.roots,
      ignored: (candidate, stats) => this.ignored(candidate, stats),
      createWatcher: this.options.createWatcher,
      every: this.options.every,
      onChange: (file) => this.markDirty(file),
      onGone: (dir) => this.forgetUnder(dir),
      onRelist: () => {
        this.relist();
        this.refresh();
      },
      onLimit: (warning) => {
        this.watchWarning = warning;
      },
      onError: (error) => this.emit('error', error),
      activeFiles: () => this.activeFiles(),
    });
    await this.watch.start();
    this.catchUp();
    return this.current ?? first;
  }

  /**
   * The watcher reports only what changes after it is ready, and the first Snapshot was computed
   * before that: a write (or a new transcript) in between would wait for the next event. So list
   * once more now and recompute if any file differs from what was read.
   */
  private catchUp(): void {
    if (this.stopped) return;
    const listing = (this.options.listFiles ?? listTranscriptFiles)(this.options.roots);
    const same =
      listing.files.length === this.files.size &&
      listing.files.every((file) => {
        const known = this.files.get(file.path);
        return known !== undefined && known.size === file.size && known.mtimeMs === file.mtimeMs && known.ino === file.ino;
      });
    if (same) return;
    this.files.clear();
    this.unreadable.clear();
    for (const file of listing.files) this.files.set(file.path, file);
    for (const entry of listing.unreadable) this.unreadable.set(entry.path, entry.error);
    this.refresh();
  }

  /**
   * Lists every transcript again and takes the listing as the truth: files that went are
   * forgotten, new folders (a recreated config folder, a project moved in) are picked up.
   */
  private relist(): void {
    const listing = (this.options.listFiles ?? listTranscriptFiles)(this.options.roots);
    this.files.clear();
    this.unreadable.clear();
    for (const file of listing.files) this.files.set(file.path, file);
    for (const entry of listing.unreadable) this.unreadable.set(entry.path, entry.error);
    // A recreated root may hold other settings.
    for (const root of this.options.roots) this.dirty.add(path.join(root, SETTINGS_FILE));
  }

  /** A folder went: what was known under it is checked again (and so forgotten). */
  private forgetUnder(dir: string): void {
    for (const file of [...this.files.keys(), ...this.unreadable.keys()]) if (isInside(file, dir)) this.markDirty(file);
    this.markDirty(dir);
  }

  /** What to follow without a watcher: the live sessions' and the recent transcripts, the state files. */
  private activeFiles(): string[] {
    const since = this.clock() - ACTIVE_MS;
    const recent = [...this.files.values()]
      .filter((file) => file.mtimeMs >= since)
      .sort((a, b) => b.mtimeMs - a.mtimeMs)
      .slice(0, MAX_ACTIVE_FILES)
      .map((file) => file.path);
    const live = (this.current?.sessions ?? []).flatMap((session) => (session.transcriptPath ? [session.transcriptPath] : []));
    const state = this.options.roots.flatMap((root) => [...WATCHED_FILES].map((name) => path.join(root, name)));
    return [...new Set([...live, ...recent, ...state])];
  }

  /** Stops watching and clears timers; the last Snapshot stays readable. */
  async stop(): Promise<void> {
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.debounceTimer = null;
    this.tickTimer = null;
    this.stopped = true;
    const watch = this.watch;
    this.watch = null;
    await watch?.stop();
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
   * a second write within ~50 ms of the first may never be reported; a check of the burst's
   * files after it has settled, and one a second later, catch such a write (a single timer per
   * burst, no polling: the looks stop once they find nothing new).
   */
  private markDirty(file: string): void {
    this.dirty.add(file);
    this.recent.add(file);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.refresh();
    }, this.debounceMs);
    this.armSettleCheck();
  }

  private armSettleCheck(late = false): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(
      () => {
        this.settleTimer = null;
        this.checkSettled(late);
      },
      late ? LATE_CHECK_MS : SETTLE_CHECK_MS,
    );
  }

  private checkSettled(late: boolean): void {
    const checked = [...this.recent];
    const changed = checked.filter((file) => {
      const known = this.files.get(file);
      try {
        const stat = fs.statSync(file);
        return !known || stat.size !== known.size || stat.mtimeMs !== known.mtimeMs;
      } catch {
        return known !== undefined;
      }
    });
    this.recent.clear();
    if (this.stopped) return;
    if (changed.length === 0) {
      // Nothing new: one late look, then none until the next event (no polling while idle).
      if (late) return;
      for (const file of checked) this.recent.add(file);
      this.armSettleCheck(true);
      return;
    }
    for (const file of changed) this.dirty.add(file);
    this.refresh();
    // The watcher did not report this write, so it may miss the next one as well (the soak saw
    // two in a row: chokidar also drops events by comparing the file's times with its last stat,
    // issue 15.1). Look again after this read, until looks find nothing new.
    if (this.stopped) return;
    for (const file of changed) this.recent.add(file);
    this.armSettleCheck();
  }

  private applyDirty(): void {
    for (const file of this.dirty) {
      if (path.basename(file) === SETTINGS_FILE) {
        this.loadSettingsNow();
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

  private loadSettingsNow(): void {
    const loaded = this.options.loadSettings();
    this.currentSettings = loaded.settings;
    this.settingsWarning = loaded.warning;
    this.emit('settings', loaded.settings, loaded.warning);
  }

  private recompute(force: boolean): Snapshot {
    let next: Snapshot;
    try {
      next = collectStatus({
        roots: this.options.roots,
        settings: this.currentSettings,
        now: this.clock(),
        // A config folder the user removed is not recreated just to hold our records.
        persist: (this.options.persist ?? true) && isDirectory(this.options.roots[0]),
        ledger: this.ledger,
        sessionLog: this.sessionLog,
        contextTrackers: this.contextTrackers,
        listing: {
          files: [...this.files.values()],
          unreadable: [...this.unreadable].map(([file, error]) => ({ path: file, error })),
        },
        warnings: [this.settingsWarning, this.watchWarning].filter((line): line is string => line !== null),
      });
    } catch (error) {
      // Keep the last good Snapshot; report, never crash the app.
      this.emit('error', error instanceof Error ? error : new Error(String(error)));
      if (this.current) return this.current;
      throw error;
    }
    this.ledger.forgetFilesBefore(this.clock() - LEDGER_MEMORY_MS);
    // Keep only the events the figures just needed: their queries reach no further next time.
    this.ledger.trimToQueries();
    this.scheduleTick(next);
    if (force || !sameFigures(this.current, next)) {
      this.current = next;
      this.emit('snapshot', next);
    }
    return this.current ?? next;
  }

  /** The instants at which the figures next change by themselves; the tick watches for them. */
  private scheduleTick(snapshot: Snapshot): void {
    this.instants = [
      snapshot.quota.currentWindow?.resetTime,
      snapshot.quota.limitReached?.resetsAt,
      snapshot.quota.server?.fiveHour?.resetsAt,
      ...snapshot.sessions.map((session) => session.nextWarning?.at),
      ...snapshot.sessions.map((session) => session.windowEnd),
      // A scheduled session coming due changes the queue's figures (and is notified).
      snapshot.queue?.nextScheduled?.scheduledTime,
    ]
      .map((iso) => (iso ? Date.parse(iso) : NaN))
      .filter((ms) => Number.isFinite(ms));
    this.armTick();
  }

  private armTick(): void {
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tickTimer = null;
    if (this.stopped) return;
    const now = this.clock();
    this.lastTick = now;
    this.tickWait = nextTickDelay(now, this.instants, this.tickMs, RESET_TIMER_SLACK_MS);
    // Not unref'd: Node keeps one timer list per distinct delay and, on clearTimeout, deletes an
    // emptied list only for ref'd timers. This delay differs on every recompute, so an unref'd
    // timer left a list behind per transcript write until it fired (issue 15.1). stop() clears it.
    this.tickTimer = setTimeout(() => this.tick(), this.tickWait);
  }

  /** Recompute when an instant has passed or the clock jumped; otherwise look again later. */
  private tick(): void {
    this.tickTimer = null;
    const now = this.clock();
    const due = this.instants.some((at) => at > this.lastTick && at <= now);
    if (due || clockJumped(this.lastTick, now, this.tickWait, JUMP_TOLERANCE_MS)) {
      try {
        this.recompute(false);
      } catch {
        // Reported through 'error' by recompute; keep ticking from the last good Snapshot.
      }
    }
    if (!this.tickTimer) this.armTick();
  }
}
