/**
 * The auto-schedule at CRITICAL on the Engine side: a real Engine on a root whose transcript puts
 * the quota at CRITICAL, with two ready sessions queued. Following the Engine schedules both for
 * after the reset once, although the Engine emits again after the queue changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { Engine } from '../../main/core/engine.js';
import { followCritical } from '../../main/core/planner/auto-schedule.js';
import { addSession, readQueue, updateQueue } from '../../main/core/planner/queue.js';
import { loadSettings } from '../../main/core/settings.js';
import { DEFAULT_SESSION, assistantLine, userLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const NOW = T0 + 60 * 60_000;
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** 196,000 of pro's 200,000 counted tokens used: CRITICAL, with two small sessions ready. */
async function criticalRoot(): Promise<{ root: string; engine: Engine }> {
  const root = tempRoot('cco-auto-schedule-');
  const project = fs.mkdtempSync(path.join(root, 'project-'));
  writeTranscript(root, DEFAULT_SESSION, [
    userLine({ timestamp: at(0), text: 'Refactor the billing module', cwd: project }),
    assistantLine({ messageId: 'msg_1', timestamp: at(1), input: 150_000, output: 46_000, cwd: project }),
  ], { cwd: project });
  updateQueue(root, NOW, (queue) => {
    addSession(queue, { name: 'One', project, estimatedTokens: 5_000, estimatedHours: 1 }, NOW);
    addSession(queue, { name: 'Two', project, estimatedTokens: 5_000, estimatedHours: 1 }, NOW);
  });
  const engine = new Engine({ roots: [root], loadSettings: () => loadSettings(root), clock: () => NOW, persist: false, debounceMs: 20 });
  stops.push(() => engine.stop());
  return { root, engine };
}

describe('followCritical', () => {
  it('schedules every ready session for after the reset once, and the Engine shows the new queue', async () => {
    const { root, engine } = await criticalRoot();
    const scheduled: string[][] = [];
    const errors: unknown[] = [];
    const snapshots: Snapshot[] = [];
    engine.on('snapshot', (snapshot) => snapshots.push(snapshot));
    stops.push(followCritical(engine, { root, now: () => NOW, enabled: () => true, onScheduled: (_decision, result) => scheduled.push(result.ids), onError: (error) => errors.push(error) }));
    await engine.start();
    expect(snapshots[0]?.quota.level).toBe('critical');
    await vi.waitFor(() => expect(scheduled).toEqual([['s1', 's2']]));
    const sessions = readQueue(root).queue.sessions;
    expect(sessions.map((s) => [s.status, s.scheduledReason])).toEqual([
      ['scheduled', 'auto-critical'],
      ['scheduled', 'auto-critical'],
    ]);
    // The refresh after scheduling emitted a Snapshot with the queue as it now is; following it scheduled nothing more.
    await vi.waitFor(() => expect(snapshots.at(-1)?.queue.summary.scheduled).toBe(2));
    engine.refresh();
    await new Promise((resolve) => setImmediate(resolve));
    expect(scheduled).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('does nothing with the setting off, and nothing after it stopped following', async () => {
    const { root, engine } = await criticalRoot();
    let enabled = false;
    const scheduled: unknown[] = [];
    const stop = followCritical(engine, { root, now: () => NOW, enabled: () => enabled, onScheduled: (decision) => scheduled.push(decision), onError: (error) => scheduled.push(error) });
    await engine.start();
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    enabled = true;
    const last = engine.snapshot;
    if (last) engine.emit('snapshot', last);
    await new Promise((resolve) => setImmediate(resolve));
    expect(scheduled).toEqual([]);
    expect(readQueue(root).queue.sessions.map((s) => s.status)).toEqual(['ready', 'ready']);
  });
});
