/**
 * A long-running Engine while files vanish and come back under it (transcripts deleted, project
 * folders removed or moved, the config folder removed and recreated), and when the OS runs out
 * of file watches (a simulated ENOSPC). Real files, a real Engine; the slow periodic timers are
 * driven by a fake clock so nothing depends on wall-clock time.
 */
import { execFileSync, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { Engine, type EngineOptions } from '../../main/core/engine.js';
import { listTranscriptFiles } from '../../main/core/paths.js';
import { POLL_MS, RELIST_MS, type WatcherFactory, type WatcherLike } from '../../main/core/root-watch.js';
import { loadSettings } from '../../main/core/settings.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';
import { nextSnapshot as waitForSnapshot } from '../helpers/engine-snapshots.js';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const NOW = T0 + 30 * 60_000;

/** The Engine's periodic timers on a clock the test moves. */
class FakeEvery {
  private now = 0;
  private readonly timers = new Set<{ ms: number; next: number; fn: () => void }>();
  readonly every = (ms: number, fn: () => void) => {
    const timer = { ms, next: this.now + ms, fn };
    this.timers.add(timer);
    return () => {
      this.timers.delete(timer);
    };
  };
  /** Moves the clock by `ms`, firing each due timer in time order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.now = due.next;
      due.next += due.ms;
      due.fn();
    }
    this.now = end;
  }
}

function startEngine(root: string, extra: Partial<EngineOptions> = {}): Engine {
  const engine = new Engine({ roots: [root], loadSettings: () => loadSettings(root), clock: () => NOW, debounceMs: 20, ...extra });
  engines.push(engine);
  return engine;
}

function nextSnapshot(engine: Engine, predicate: (s: Snapshot) => boolean, timeoutMs = 10_000): Promise<Snapshot> {
  return waitForSnapshot(engine, predicate, timeoutMs, true);
}

const tokens = (s: Snapshot) => s.quota.currentWindow?.tokensUsed ?? 0;
const line = (id: string, minute: number, input: number, sessionId = 'sess') => assistantLine({ messageId: id, timestamp: at(minute), input, output: 0, sessionId });

describe('Engine: files that vanish', () => {
  it('forgets a removed or moved-away project folder and picks up new ones, with no error', async () => {
    const root = tempRoot();
    writeTranscript(root, 'keep', [line('msg_k', 0, 1, 'k')], { cwd: '/srv/keep' });
    const doomed = writeTranscript(root, 'doomed', [line('msg_d', 1, 10, 'd')], { cwd: '/srv/doomed' });
    const moved = writeTranscript(root, 'moved', [line('msg_m', 2, 100, 'm')], { cwd: '/srv/moved' });
    const engine = startEngine(root);
    const errors: Error[] = [];
    engine.on('error', (error) => errors.push(error));
    expect(tokens(await engine.start())).toBe(111);

    const afterRemove = nextSnapshot(engine, (s) => tokens(s) === 101);
    fs.rmSync(path.dirname(doomed), { recursive: true });
    await afterRemove;

    const elsewhere = tempRoot();
    const afterMove = nextSnapshot(engine, (s) => tokens(s) === 1);
    fs.renameSync(path.dirname(moved), path.join(elsewhere, 'moved'));
    await afterMove;

    // A project folder moved in whole, and a brand-new one.
    const afterMoveIn = nextSnapshot(engine, (s) => tokens(s) === 101);
    fs.renameSync(path.join(elsewhere, 'moved'), path.join(root, 'projects', 'back-again'));
    await afterMoveIn;
    const afterNew = nextSnapshot(engine, (s) => tokens(s) === 1101);
    writeTranscript(root, 'fresh', [line('msg_f', 3, 1000, 'f')], { cwd: '/srv/fresh' });
    await afterNew;
    expect(errors).toEqual([]);
  });

  it('survives the config folder being removed and recreated, and follows the new files', async () => {
    const root = tempRoot();
    writeTranscript(root, 'old', [line('msg_o', 0, 500, 'o')]);
    const timers = new FakeEvery();
    const engine = startEngine(root, { every: timers.every });
    const errors: Error[] = [];
    engine.on('error', (error) => errors.push(error));
    expect(tokens(await engine.start())).toBe(500);

    const emptied = nextSnapshot(engine, (s) => tokens(s) === 0 && s.sessions.length === 0);
    fs.rmSync(root, { recursive: true });
    await emptied;
    timers.advance(RELIST_MS);
    // The Engine does not recreate a folder the user removed to keep its records there.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fs.existsSync(root)).toBe(false);

    const file = writeTranscript(root, 'new', [line('msg_n', 5, 7, 'n')]);
    const seen = nextSnapshot(engine, (s) => tokens(s) === 7);
    timers.advance(RELIST_MS);
    await seen;
    // And it watches the recreated folder again: an append arrives with no timer moved.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const appended = nextSnapshot(engine, (s) => tokens(s) === 37);
    fs.appendFileSync(file, `${line('msg_n2', 6, 30, 'n')}\n`);
    await appended;
    expect(errors).toEqual([]);
  });
});

/** A watcher that fails as inotify does when max_user_watches is used up. */
class LimitedWatcher extends EventEmitter implements WatcherLike {
  closed = false;
  constructor(code: string) {
    super();
    setTimeout(() => {
      const error = Object.assign(new Error(`${code}: System limit for number of file watchers reached, watch '/x'`), { code });
      this.emit('error', error);
      this.emit('error', error);
    }, 5);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('Engine: watch limits', () => {
  it('says so once on ENOSPC, follows the active file by a slow poll and re-lists slowly, never spinning', async () => {
    const root = tempRoot();
    const file = writeTranscript(root, 'live', [line('msg_1', 0, 100)]);
    writeTranscript(root, 'stale', [line('msg_s', 1, 5, 'stale')], { cwd: '/srv/stale', mtime: new Date(T0 - 48 * 60 * 60_000) });
    const timers = new FakeEvery();
    const watchers: LimitedWatcher[] = [];
    const createWatcher: WatcherFactory = () => {
      const watcher = new LimitedWatcher('ENOSPC');
      watchers.push(watcher);
      return watcher;
    };
    let listings = 0;
    // No 'error' listener: an error emitted on the Engine would throw here.
    const engine = startEngine(root, {
      createWatcher,
      every: timers.every,
      listFiles: (roots, opts) => {
        listings++;
        return listTranscriptFiles(roots, opts);
      },
    });
    const first = await engine.start();
    expect(watchers).toHaveLength(1);
    expect(watchers[0]?.closed).toBe(true);
    const snapshot = engine.snapshot ?? first;
    const limitLines = snapshot.diagnostics.warnings.filter((w) => w.includes('max_user_watches'));
    expect(limitLines).toHaveLength(1);
    expect(limitLines[0]).toContain('ENOSPC');
    expect(limitLines[0]).toContain('sudo sysctl fs.inotify.max_user_watches=524288');
    expect(limitLines[0]).toContain('/etc/sysctl.d/');

    // The live transcript is followed without a watcher: one poll after an append sees it.
    timers.advance(POLL_MS);
    const appended = nextSnapshot(engine, (s) => tokens(s) === 1100);
    fs.appendFileSync(file, `${line('msg_2', 10, 1000)}\n`);
    timers.advance(POLL_MS);
    const after = await appended;
    expect(after.diagnostics.warnings.filter((w) => w.includes('max_user_watches'))).toHaveLength(1);

    // A new project folder turns up at the next slow re-list.
    const listingsBefore = listings;
    writeTranscript(root, 'other', [line('msg_3', 11, 10_000, 'other')], { cwd: '/srv/other' });
    const relisted = nextSnapshot(engine, (s) => tokens(s) === 11_100);
    timers.advance(RELIST_MS);
    await relisted;

    // Ten idle minutes: a re-list every RELIST_MS, nothing more; no new watcher is tried.
    timers.advance(10 * 60_000);
    const perTenMinutes = listings - listingsBefore;
    expect(perTenMinutes).toBeGreaterThanOrEqual(1);
    expect(perTenMinutes).toBeLessThanOrEqual(Math.ceil((10 * 60_000 + RELIST_MS) / RELIST_MS));
    expect(watchers).toHaveLength(1);
    expect(engine.snapshot?.diagnostics.warnings.filter((w) => w.includes('max_user_watches'))).toHaveLength(1);
  });

  it('names the open-files limit on EMFILE', async () => {
    const root = tempRoot();
    writeTranscript(root, 'live', [line('msg_1', 0, 100)]);
    const timers = new FakeEvery();
    const engine = startEngine(root, { createWatcher: () => new LimitedWatcher('EMFILE'), every: timers.every });
    await engine.start();
    const lines = engine.snapshot?.diagnostics.warnings.filter((w) => w.includes('EMFILE')) ?? [];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ulimit -n');
  });
});

describe('Engine: watch limits in a real process', () => {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const compiled = path.join(repo, 'dist/main/core/root-watch.js');
  beforeAll(() => {
    const source = path.join(repo, 'main/core/root-watch.ts');
    if (!fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < fs.statSync(source).mtimeMs) {
      try {
        execFileSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: repo, stdio: 'pipe' });
      } catch {
        // tsc still emits when files other engineers are editing have type errors; only the output matters here.
      }
    }
    expect(fs.existsSync(compiled)).toBe(true);
  });

  it('stays up on its slow timers once the watcher is gone, as cco status --watch must, and stops cleanly', async () => {
    const root = tempRoot();
    writeTranscript(root, 'live', [line('msg_1', 0, 100)]);
    const child = spawn(process.execPath, [path.join(repo, 'test/integration/helpers/engine-limit-child.mjs'), root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child did not start: ${stdout}`)), 10_000);
      child.stdout.on('data', () => {
        if (stdout.includes('started')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(stdout).toContain('started true');
    // With nothing but unref'd timers left the process would end here on its own.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(exited).toBe(false);
    child.kill('SIGTERM');
    expect(await closed).toBe(0);
    expect(stdout).toContain('stopped');
  });
});
