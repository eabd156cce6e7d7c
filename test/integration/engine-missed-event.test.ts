/**
 * A write the file watcher never reports must still be read (issue 15.1). chokidar drops a
 * `change` within 50 ms of the last one and filters events by comparing the file's times with its
 * last stat; in the `cco status --watch` soak, bursts of appended lines went unread until the next
 * write, the watcher having reported neither that burst nor the one before (caught by the Engine's
 * settle check). A watcher that reports only what the test says stands in for it; the files and
 * appends are real.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../main/core/engine.js';
import type { WatcherFactory, WatcherLike } from '../../main/core/root-watch.js';
import { loadSettings } from '../../main/core/settings.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const NOW = T0 + 30 * 60_000;
const line = (id: string, minute: number, input: number) =>
  assistantLine({ messageId: id, timestamp: new Date(T0 + minute * 60_000).toISOString(), input, output: 0, sessionId: 'sess' });

/** Reports only the events the test emits. */
class QuietWatcher extends EventEmitter implements WatcherLike {
  async close(): Promise<void> {}
}

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

/** An Engine on a real transcript (100 tokens so far) whose watcher reports only what the test emits. */
async function startQuiet(): Promise<{ file: string; watcher: QuietWatcher; engine: Engine }> {
  const root = tempRoot();
  const file = writeTranscript(root, 'live', [line('msg_1', 0, 100)]);
  const watcher = new QuietWatcher();
  const createWatcher: WatcherFactory = () => {
    setTimeout(() => watcher.emit('ready'), 5);
    return watcher;
  };
  const engine = new Engine({ roots: [root], loadSettings: () => loadSettings(root), clock: () => NOW, persist: false, debounceMs: 10, createWatcher, every: () => () => {} });
  engines.push(engine);
  await engine.start();
  return { file, watcher, engine };
}

/** The next Snapshot whose window holds `tokens`, or null if none comes within `patienceMs` (a liveness bound, not a timing). */
function snapshotWith(engine: Engine, tokens: number, patienceMs = 5_000): Promise<Snapshot | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      engine.off('snapshot', check);
      resolve(null);
    }, patienceMs);
    function check(snapshot: Snapshot): void {
      if (snapshot.quota.currentWindow?.tokensUsed !== tokens) return;
      clearTimeout(timer);
      engine.off('snapshot', check);
      resolve(snapshot);
    }
    engine.on('snapshot', check);
  });
}

describe('Engine and a watcher that misses writes', () => {
  it('reads an unreported write that follows one its settle check caught', async () => {
    const { file, watcher, engine } = await startQuiet();

    // A reported write.
    let next = snapshotWith(engine, 1_100);
    fs.appendFileSync(file, `${line('msg_2', 1, 1_000)}\n`);
    watcher.emit('change', file);
    expect(await next).not.toBeNull();

    // An unreported write right after it (inside chokidar's throttle): the settle check reads it.
    next = snapshotWith(engine, 11_100);
    fs.appendFileSync(file, `${line('msg_3', 2, 10_000)}\n`);
    expect(await next).not.toBeNull();

    // The next write, made once that was read, goes unreported too.
    next = snapshotWith(engine, 111_100);
    fs.appendFileSync(file, `${line('msg_4', 3, 100_000)}\n`);
    const caught = await next;
    expect(caught?.quota.currentWindow?.tokensUsed).toBe(111_100);
  });

  it('reads an unreported write made after the burst had settled', async () => {
    const { file, watcher, engine } = await startQuiet();
    let next = snapshotWith(engine, 1_100);
    fs.appendFileSync(file, `${line('msg_2', 1, 1_000)}\n`);
    watcher.emit('change', file);
    expect(await next).not.toBeNull();
    // Past the settle check (120 ms after the event), not yet at the late one (a second after that).
    await new Promise((resolve) => setTimeout(resolve, 400));
    next = snapshotWith(engine, 11_100);
    fs.appendFileSync(file, `${line('msg_3', 2, 10_000)}\n`);
    const caught = await next;
    expect(caught?.quota.currentWindow?.tokensUsed).toBe(11_100);
  });

  it('stops looking once the looks find nothing new (no polling while idle)', async () => {
    const { file, watcher, engine } = await startQuiet();
    const next = snapshotWith(engine, 11_100);
    fs.appendFileSync(file, `${line('msg_2', 1, 1_000)}\n`);
    watcher.emit('change', file);
    fs.appendFileSync(file, `${line('msg_3', 2, 10_000)}\n`);
    expect(await next).not.toBeNull();
    // The Engine's looks at the file from now on: the one that finds nothing new 120 ms after the
    // last read, the late one a second after that, then none.
    const spy = vi.spyOn(fs, 'statSync');
    const looks = () => spy.mock.calls.filter(([target]) => String(target) === file).length;
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(looks()).toBeLessThanOrEqual(2);
      const settled = looks();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(looks()).toBe(settled);
    } finally {
      spy.mockRestore();
    }
  });
});
