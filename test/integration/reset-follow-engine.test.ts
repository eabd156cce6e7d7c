/**
 * Schedules that follow the reset, on the Engine side: a real Engine on a root whose queue holds
 * one session scheduled at the reset and one at a person's own time. When the status line reports
 * the server's reset somewhere else, the first moves (written to the queue file), the Engine's next
 * Snapshot shows the new time, and the second stays put.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { Engine } from '../../main/core/engine.js';
import { addSession, readQueue, scheduleSession, updateQueue } from '../../main/core/planner/queue.js';
import { followResets, type FollowedSession } from '../../main/core/planner/reset-follow.js';
import { loadSettings } from '../../main/core/settings.js';
import { recordStatusLinePayload } from '../../main/core/sources/statusline-store.js';
import { parseStatusLinePayload } from '../../main/core/sources/statusline-payload.js';
import { tempRoot } from '../helpers/cli.js';

const MINUTE = 60_000;
const NOW = Date.parse('2026-03-02T10:20:00.000Z');
const RESET = Date.parse('2026-03-02T13:00:00.000Z');
const MOVED = Date.parse('2026-03-02T12:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function reportReset(root: string, resetsAt: number): void {
  const payload = parseStatusLinePayload({ session_id: 'sess-1', rate_limits: { five_hour: { used_percentage: 96, resets_at: resetsAt / 1000 } } }, NOW);
  recordStatusLinePayload(root, payload, NOW);
}

describe('followResets', () => {
  it('moves a session scheduled at the reset when the server moves the reset; a chosen time stays', async () => {
    const root = tempRoot('cco-reset-follow-');
    stops.push(() => fs.rmSync(root, { recursive: true, force: true }));
    const project = fs.mkdtempSync(path.join(root, 'project-'));
    updateQueue(root, NOW - 30 * MINUTE, (queue) => {
      const atReset = addSession(queue, { name: 'At the reset', project, estimatedTokens: 5_000, estimatedHours: 1 }, NOW - 30 * MINUTE);
      const own = addSession(queue, { name: 'My own time', project, estimatedTokens: 5_000, estimatedHours: 1 }, NOW - 30 * MINUTE);
      scheduleSession(atReset, RESET, 'quota-reset', NOW - 30 * MINUTE, iso(RESET));
      scheduleSession(own, RESET, 'user', NOW - 30 * MINUTE);
    });
    reportReset(root, MOVED);
    const engine = new Engine({ roots: [root], loadSettings: () => loadSettings(root), clock: () => NOW, persist: false, debounceMs: 20 });
    stops.push(() => engine.stop());
    const moved: FollowedSession[][] = [];
    const errors: unknown[] = [];
    const snapshots: Snapshot[] = [];
    engine.on('snapshot', (snapshot) => snapshots.push(snapshot));
    stops.push(followResets(engine, { root, now: () => NOW, onMoved: (m) => moved.push(m), onError: (error) => errors.push(error) }));
    await engine.start();

    await vi.waitFor(() => expect(moved).toHaveLength(1));
    expect(moved[0]).toEqual([{ id: 's1', name: 'At the reset', from: iso(RESET), to: iso(MOVED) }]);
    expect(readQueue(root).queue.sessions.map((s) => [s.id, s.scheduledTime, s.scheduledReset])).toEqual([
      ['s1', iso(MOVED), iso(MOVED)],
      ['s2', iso(RESET), null],
    ]);
    await vi.waitFor(() => expect(snapshots.at(-1)?.queue.nextScheduled).toMatchObject({ id: 's1', scheduledTime: iso(MOVED) }));
    // The Snapshot that shows the move moves nothing more.
    engine.refresh();
    await new Promise((resolve) => setImmediate(resolve));
    expect(moved).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
