/**
 * The planner and the week at this pace (issue 13): a session that fits the 5-hour window but would
 * still be running when the week runs out (the Snapshot's `quota.forecast.sevenDay.runsOutAt`)
 * does not fit.
 */
import { describe, expect, it } from 'vitest';
import { emptyQueue, type SessionQueue } from '../../shared/queue-snapshot.js';
import { planNext, quotaFromSnapshot, type QuotaFigures } from '../../main/core/planner/planner.js';
import { addSession } from '../../main/core/planner/queue.js';
import type { StatusLineState } from '../../main/core/sources/statusline-store.js';
import { FIXTURE_NOW, snapshotWith } from '../fixtures/snapshot-builder.js';

const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

function queueOf(...specs: { name: string; tokens: number; hours: number }[]): SessionQueue {
  const queue = emptyQueue();
  for (const spec of specs) addSession(queue, { name: spec.name, project: '/p', estimatedTokens: spec.tokens, estimatedHours: spec.hours, dependencies: [] }, FIXTURE_NOW - HOUR);
  return queue;
}

/** A Snapshot whose week (97%, 1% an hour) runs out three hours from now; the 5-hour window is nearly empty. */
function weekRunningOut() {
  const reset = iso(FIXTURE_NOW + 2 * 24 * HOUR);
  const statusLine: StatusLineState = {
    version: 1,
    latest: { observedAt: iso(FIXTURE_NOW), sessionId: 's', rateLimits: { fiveHour: { usedPercent: 5, resetsAt: iso(FIXTURE_NOW + 4 * HOUR) }, sevenDay: { usedPercent: 97, resetsAt: reset } } },
    sessions: {},
    sevenDaySeen: [{ observedAt: iso(FIXTURE_NOW - 3 * HOUR), usedPercent: 94, resetsAt: reset }],
  };
  return snapshotWith({}, { statusLine });
}

const plan = (queue: SessionQueue, quota: QuotaFigures, hours: number | null = null) => planNext({ queue, now: FIXTURE_NOW, hours, quota, autoScheduleAtCritical: true });

describe('planner: the week at this pace', () => {
  it('reads when the week runs out from the Snapshot', () => {
    expect(quotaFromSnapshot(weekRunningOut()).weekly?.runsOutAt).toBe(iso(FIXTURE_NOW + 3 * HOUR));
  });

  it('a session that fits the 5-hour window but outlasts the week is not "fits"', () => {
    const quota = quotaFromSnapshot(weekRunningOut());
    const decision = plan(queueOf({ name: 'Refactor', tokens: 20_000, hours: 4 }), quota);
    expect(quota.remaining).toBeGreaterThan(20_000);
    expect(decision.decision).not.toBe('start');
    expect(decision.reason).toBe(`"Refactor" doesn't fit (needs 4h, the weekly limit runs out at this pace at ${iso(FIXTURE_NOW + 3 * HOUR)}) and no ready session fits.`);
  });

  it('offers a shorter session that ends before the week runs out', () => {
    const decision = plan(queueOf({ name: 'Refactor', tokens: 20_000, hours: 4 }, { name: 'Docs', tokens: 20_000, hours: 2 }), quotaFromSnapshot(weekRunningOut()));
    expect(decision.decision).toBe('smaller');
    expect(decision.options.map((option) => option.session.name)).toEqual(['Docs']);
  });

  it('starts the same session when the week does not run out at this pace', () => {
    const quota = quotaFromSnapshot(weekRunningOut());
    const decision = plan(queueOf({ name: 'Refactor', tokens: 20_000, hours: 4 }), { ...quota, weekly: quota.weekly && { ...quota.weekly, runsOutAt: null } });
    expect(decision.decision).toBe('start');
  });
});
