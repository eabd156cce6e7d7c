/**
 * The Engine (what `cco status --watch` and the tray app run) over real files while its clock
 * jumps with no file event: it reads the wall clock each tick, so a sleep or a clock change past
 * the window's reset, or back before the window, is noticed within a tick rather than when a
 * long timer armed before the jump finally runs; and a scheduled session comes due by itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { Engine } from '../../main/core/engine.js';
import { addSession, scheduleSession, updateQueue } from '../../main/core/planner/queue.js';
import { loadSettings } from '../../main/core/settings.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';
import { nextSnapshot as waitForSnapshot } from '../helpers/engine-snapshots.js';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const HOUR = 3_600_000;
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function startEngine(root: string, clock: () => number, tickMs = 100): Engine {
  const engine = new Engine({ roots: [root], loadSettings: () => loadSettings(root), clock, debounceMs: 20, tickMs });
  engines.push(engine);
  return engine;
}

function nextSnapshot(engine: Engine, predicate: (s: Snapshot) => boolean, timeoutMs = 3_000): Promise<Snapshot> {
  return waitForSnapshot(engine, predicate, timeoutMs);
}

describe('Engine: the clock jumps with no file event', () => {
  it('forward past the window reset (a sleep, a manual change): the new window within a tick', async () => {
    const root = tempRoot();
    writeTranscript(root, 's', [assistantLine({ messageId: 'msg_1', timestamp: at(0), input: 100, output: 0 })]);
    let now = T0 + HOUR;
    const engine = startEngine(root, () => now);
    expect((await engine.start()).quota.currentWindow?.tokensUsed).toBe(100);
    // A timer armed now for the reset would wait four real hours.
    now = T0 + 7 * HOUR;
    const reset = await nextSnapshot(engine, (s) => s.quota.currentWindow === null);
    expect(reset.generatedAt).toBe(new Date(T0 + 7 * HOUR).toISOString());
  });

  it('back before the window started: recomputed within a tick, and forward again it comes back', async () => {
    const root = tempRoot();
    writeTranscript(root, 's', [assistantLine({ messageId: 'msg_1', timestamp: at(0), input: 100, output: 0 })]);
    let now = T0 + HOUR;
    const engine = startEngine(root, () => now);
    await engine.start();
    now = T0 - HOUR;
    await nextSnapshot(engine, (s) => s.quota.currentWindow === null);
    now = T0 + 2 * HOUR;
    const back = await nextSnapshot(engine, (s) => s.quota.currentWindow !== null);
    expect(back.quota.currentWindow?.startTime).toBe(at(0));
  });

  it('a scheduled session comes due by itself (no file changes at its time)', async () => {
    const root = tempRoot();
    writeTranscript(root, 's', [assistantLine({ messageId: 'msg_1', timestamp: at(0), input: 100, output: 0 })]);
    // The clock starts 300 ms before the scheduled time and runs at real speed; the tick is long.
    const offset = T0 + HOUR - 300 - Date.now();
    const clock = () => Date.now() + offset;
    updateQueue(root, clock(), (queue) => {
      const session = addSession(queue, { name: 'Docs pass', project: root, estimatedTokens: 10_000, estimatedHours: 1 }, clock());
      scheduleSession(session, T0 + HOUR, 'user', clock());
    });
    const engine = startEngine(root, clock, 30_000);
    expect((await engine.start()).queue.due).toEqual([]);
    const due = await nextSnapshot(engine, (s) => s.queue.due.length === 1);
    expect(due.queue.due[0]?.name).toBe('Docs pass');
  });
});
