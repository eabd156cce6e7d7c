import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../main/core/engine.js';
import { loadSettings } from '../../main/core/settings.js';
import { defaultSettings } from '../../main/core/settings-schema.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';
import { nextSnapshot } from '../helpers/engine-snapshots.js';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

function startEngine(root: string, clock: () => number): Engine {
  const engine = new Engine({ roots: [root], loadSettings: () => loadSettings(root), clock, debounceMs: 20 });
  engines.push(engine);
  return engine;
}

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe('Engine (real files, real watcher)', () => {
  it('emits a new Snapshot when a line is appended, reading only the appended bytes', async () => {
    const root = tempRoot();
    const file = writeTranscript(root, 'live', [assistantLine({ messageId: 'msg_1', timestamp: at(0), input: 100, output: 50 })]);
    const engine = startEngine(root, () => T0 + 30 * 60_000);
    const first = await engine.start();
    expect(first.quota.currentWindow?.tokensUsed).toBe(150);
    const bytesAfterStart = first.diagnostics.bytesRead;

    const appended = `${assistantLine({ messageId: 'msg_2', timestamp: at(10), input: 1000, output: 500 })}\n`;
    const update = nextSnapshot(engine, (s) => s.quota.currentWindow?.tokensUsed === 1650);
    fs.appendFileSync(file, appended);
    const second = await update;
    expect(second.quota.currentWindow?.messages).toBe(2);
    expect(second.diagnostics.bytesRead - bytesAfterStart).toBe(Buffer.byteLength(appended));
  });

  it('waits for a torn line to be completed, and picks up new files', async () => {
    const root = tempRoot();
    const file = writeTranscript(root, 'a', [assistantLine({ messageId: 'msg_1', timestamp: at(0), input: 10, output: 10 })]);
    const engine = startEngine(root, () => T0 + 30 * 60_000);
    await engine.start();
    const line = assistantLine({ messageId: 'msg_2', timestamp: at(5), input: 30, output: 0 });
    fs.appendFileSync(file, line.slice(0, 40));
    // A Snapshot for the torn write may come, but it must not count the half line.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(engine.snapshot?.quota.currentWindow?.tokensUsed).toBe(20);
    const completed = nextSnapshot(engine, (s) => s.quota.currentWindow?.tokensUsed === 50);
    fs.appendFileSync(file, `${line.slice(40)}\n`);
    await completed;

    const other = nextSnapshot(engine, (s) => s.quota.currentWindow?.tokensUsed === 57);
    writeTranscript(root, 'b', [assistantLine({ messageId: 'msg_3', timestamp: at(6), input: 7, output: 0, sessionId: 'other' })], { cwd: '/srv/other' });
    await other;
  });

  it('forgets a deleted file and re-reads a truncated one', async () => {
    const root = tempRoot();
    const keep = writeTranscript(root, 'keep', [assistantLine({ messageId: 'msg_k', timestamp: at(0), input: 1, output: 0 })]);
    const gone = writeTranscript(root, 'gone', [assistantLine({ messageId: 'msg_g', timestamp: at(1), input: 10, output: 0 })], { cwd: '/x/y' });
    const engine = startEngine(root, () => T0 + 30 * 60_000);
    expect((await engine.start()).quota.currentWindow?.tokensUsed).toBe(11);

    const afterDelete = nextSnapshot(engine, (s) => s.quota.currentWindow?.tokensUsed === 1);
    fs.rmSync(gone);
    await afterDelete;

    const afterTruncate = nextSnapshot(engine, (s) => s.quota.currentWindow?.tokensUsed === 4);
    fs.writeFileSync(keep, `${assistantLine({ messageId: 'msg_t', timestamp: at(2), input: 4, output: 0 })}\n`);
    await afterTruncate;
  });

  it('reloads settings when the settings file changes', async () => {
    const root = tempRoot();
    writeTranscript(root, 's', [assistantLine({ messageId: 'msg_1', timestamp: at(0), input: 25_000, output: 0 })]);
    const engine = startEngine(root, () => T0 + 30 * 60_000);
    const first = await engine.start();
    expect(first.plan.limit).toBe(defaultSettings().plan === 'pro' ? 200_000 : first.plan.limit);
    const changed = nextSnapshot(engine, (s) => s.plan.name === 'free');
    fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ plan: 'free' }));
    const next = await changed;
    expect(next.quota.percentUsed).toBe(50);
  });

  it('moves on by itself when the window resets, with no file event', async () => {
    const root = tempRoot();
    writeTranscript(root, 's', [assistantLine({ messageId: 'msg_1', timestamp: at(0), input: 100, output: 0 })]);
    // The clock starts 400 ms before the reset and runs at real speed.
    const offset = T0 + 5 * 60 * 60_000 - 400 - Date.now();
    const engine = startEngine(root, () => Date.now() + offset);
    expect((await engine.start()).quota.currentWindow).not.toBeNull();
    const reset = await nextSnapshot(engine, (s) => s.quota.currentWindow === null, 5_000);
    expect(reset.quota.percentUsed).toBe(0);
  });
});

describe('Engine: writes in quick succession', () => {
  it('counts a second write that lands within the watcher throttle of the first', async () => {
    const root = tempRoot();
    const file = writeTranscript(root, 'burst', [assistantLine({ messageId: 'msg_0', timestamp: at(0), input: 1, output: 0 })]);
    const engine = startEngine(root, () => T0 + 30 * 60_000);
    await engine.start();
    const both = nextSnapshot(engine, (s) => s.quota.currentWindow?.messages === 3, 5_000);
    fs.appendFileSync(file, `${assistantLine({ messageId: 'msg_1', timestamp: at(1), input: 1, output: 0 })}\n`);
    // After the first refresh (25 ms debounce) but inside chokidar's 50 ms throttle window.
    await new Promise((resolve) => setTimeout(resolve, 38));
    fs.appendFileSync(file, `${assistantLine({ messageId: 'msg_2', timestamp: at(2), input: 1, output: 0 })}\n`);
    expect((await both).quota.currentWindow?.tokensUsed).toBe(3);
  });
});
