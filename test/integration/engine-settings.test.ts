/**
 * The Engine is the one reader of the settings file in a running process: it loads it on start,
 * reloads it when the file changes (a `settings` event, even when no figure of the Snapshot moves)
 * and on request after a write of ours.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../main/core/engine.js';
import { loadAllSettings } from '../../main/core/settings.js';
import { type AllSettings } from '../../main/core/settings-schema.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';

const engines: Engine<AllSettings>[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

const T0 = Date.parse('2026-03-02T09:00:00.000Z');

function startEngine(root: string): Engine<AllSettings> {
  writeTranscript(root, 'live', [assistantLine({ messageId: 'msg_1', timestamp: new Date(T0).toISOString(), input: 100, output: 50 })]);
  const engine = new Engine({ roots: [root], loadSettings: () => loadAllSettings(root), clock: () => T0 + 60_000, debounceMs: 20, persist: false });
  engines.push(engine);
  return engine;
}

describe('the Engine holds the settings', () => {
  it('reloads them when the file changes, app keys and bad values included', async () => {
    const root = tempRoot();
    const engine = startEngine(root);
    await engine.start();
    expect(engine.settings).toMatchObject({ plan: 'pro', notifyReset: true });
    expect(engine.settingsProblem).toBeNull();
    const reloaded = new Promise<[AllSettings, string | null]>((resolve) => engine.once('settings', (settings, warning) => resolve([settings, warning])));
    fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ notifyReset: false, notifyQueue: 2 }));
    const [settings, warning] = await reloaded;
    expect(settings).toMatchObject({ notifyReset: false, notifyQueue: true });
    expect(engine.settings).toBe(settings);
    expect(warning).toBe(`${path.join(root, 'cco-settings.json')}: ignoring invalid notifyQueue (notifyQueue must be true or false, got 2), using the default true`);
    expect(engine.settingsProblem).toBe(warning);
  });

  it('reloadSettings picks up a write at once, without waiting for the watcher', async () => {
    const root = tempRoot();
    const engine = startEngine(root);
    await engine.start();
    fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ plan: 'free' }));
    const snapshot = engine.reloadSettings();
    expect(engine.settings.plan).toBe('free');
    expect(snapshot.plan.name).toBe('free');
  });
});
