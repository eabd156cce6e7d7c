/**
 * The Engine's first Snapshot is computed before its watcher is ready, and the watcher reports
 * only what changes after that: a write in between must still be counted (issue 15.1).
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../main/core/engine.js';
import { listTranscriptFiles } from '../../main/core/paths.js';
import type { WatcherFactory, WatcherLike } from '../../main/core/root-watch.js';
import { loadSettings } from '../../main/core/settings.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const NOW = T0 + 30 * 60_000;
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const line = (id: string, minute: number, input: number, sessionId = 'sess') => assistantLine({ messageId: id, timestamp: at(minute), input, output: 0, sessionId });

/** A watcher that never reports a file event and is ready only when the test says so. */
class SlowWatcher extends EventEmitter implements WatcherLike {
  async close(): Promise<void> {}
}

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

describe('Engine start-up', () => {
  it('counts a write and a new transcript made between the first listing and the watcher being ready', async () => {
    const root = tempRoot();
    const file = writeTranscript(root, 'live', [line('msg_1', 0, 100)]);
    const createWatcher: WatcherFactory = () => {
      const watcher = new SlowWatcher();
      // The first Snapshot has been computed by now; these writes happen before 'ready'.
      fs.appendFileSync(file, `${line('msg_2', 10, 1000)}\n`);
      writeTranscript(root, 'other', [line('msg_3', 11, 10_000, 'other')], { cwd: '/srv/other' });
      setTimeout(() => watcher.emit('ready'), 20);
      return watcher;
    };
    const engine = new Engine({ roots: [root], loadSettings: () => loadSettings(root), clock: () => NOW, debounceMs: 20, createWatcher, every: () => () => {} });
    engines.push(engine);
    const seen: number[] = [];
    engine.on('snapshot', (s) => seen.push(s.quota.currentWindow?.tokensUsed ?? 0));
    const started = await engine.start();
    expect(seen[0]).toBe(100);
    expect(started.quota.currentWindow?.tokensUsed).toBe(11_100);
    expect(engine.snapshot?.quota.currentWindow?.tokensUsed).toBe(11_100);
  });

  it('does not recompute at start-up when nothing changed before the watcher was ready', async () => {
    const root = tempRoot();
    writeTranscript(root, 'live', [line('msg_1', 0, 100)]);
    const createWatcher: WatcherFactory = () => {
      const watcher = new SlowWatcher();
      setTimeout(() => watcher.emit('ready'), 5);
      return watcher;
    };
    let listings = 0;
    const engine = new Engine({
      roots: [root],
      loadSettings: () => loadSettings(root),
      clock: () => NOW,
      createWatcher,
      every: () => () => {},
      listFiles: (...args) => {
        listings++;
        return listTranscriptFiles(...args);
      },
    });
    engines.push(engine);
    let snapshots = 0;
    engine.on('snapshot', () => snapshots++);
    const started = await engine.start();
    expect(started.quota.currentWindow?.tokensUsed).toBe(100);
    expect(snapshots).toBe(1);
    expect(listings).toBe(2);
  });
});
