import { describe, expect, it } from 'vitest';
import { emptyQueue, type QueuedSession, type SessionQueue } from '../../shared/queue-snapshot.js';
import { packSlots, planNext, quotaFromSnapshot, type QuotaFigures } from '../../main/core/planner/planner.js';
import { addSession, scheduleSession, setStatus } from '../../main/core/planner/queue.js';
import { snapshotFixture } from '../fixtures/snapshot-fixtures.js';

const NOW = Date.parse('2026-01-06T15:00:00.000Z');
const RESET = '2026-01-06T17:30:00.000Z';
const HOUR = 3_600_000;

function quota(remaining: number, extra: Partial<QuotaFigures> = {}): QuotaFigures {
  const limit = 200_000;
  const percentUsed = Math.round(((limit - remaining) / limit) * 1000) / 10;
  return { limit, used: limit - remaining, remaining, percentUsed, level: percentUsed >= 95 ? 'critical' : 'good', resetTime: remaining === limit ? null : RESET, resetSource: remaining === limit ? null : 'window', weekly: null, ...extra };
}

function queueOf(...specs: { name: string; tokens: number; hours?: number; after?: string[] }[]): SessionQueue {
  const queue = emptyQueue();
  for (const spec of specs) addSession(queue, { name: spec.name, project: '/p', estimatedTokens: spec.tokens, estimatedHours: spec.hours ?? 2, dependencies: spec.after ?? [] }, NOW - HOUR);
  return queue;
}

const plan = (queue: SessionQueue, q: QuotaFigures, hours: number | null = null, auto = true) => planNext({ queue, now: NOW, hours, quota: q, autoScheduleAtCritical: auto });

describe('the spec workflow examples, as decisions', () => {
  it('Example 1: full quota starts the next session', () => {
    const decision = plan(queueOf({ name: 'Implementation', tokens: 65_000, hours: 3 }), quota(200_000), 4);
    expect(decision.decision).toBe('start');
    expect(decision.session?.name).toBe('Implementation');
    expect(decision.reason).toBe('"Implementation" fits: 65,000 tokens of 200,000 available, 3h of your 4h.');
  });

  it('Example 2: low quota schedules for the reset', () => {
    const decision = plan(queueOf({ name: 'Implementation', tokens: 65_000, hours: 3 }, { name: 'Testing', tokens: 30_000 }), quota(18_000), 3);
    expect(decision.decision).toBe('schedule');
    expect(decision.scheduledFor).toBe(RESET);
    expect(decision.slots).toEqual([{ id: 's1', at: RESET }]);
    expect(decision.automatic).toBeNull();
    expect(decision.reason).toContain('Quota insufficient (needs 65,000 tokens, have 18,000)');
  });

  it('Example 3: low quota offers the smaller sessions that fit, in queue order', () => {
    const decision = plan(queueOf({ name: 'Implementation', tokens: 65_000 }, { name: 'Polish', tokens: 18_000 }, { name: 'Documentation', tokens: 22_000 }, { name: 'Refactor', tokens: 40_000 }), quota(25_000));
    expect(decision.decision).toBe('smaller');
    expect(decision.session?.name).toBe('Implementation');
    expect(decision.options.map((option) => option.session.name)).toEqual(['Polish', 'Documentation']);
    expect(decision.reason).toBe('"Implementation" doesn\'t fit (needs 65,000 tokens, have 25,000); 2 smaller sessions fit.');
  });
});

describe('planNext', () => {
  it('takes the hours into account, alone or with the quota', () => {
    const queue = queueOf({ name: 'Long', tokens: 10_000, hours: 4 }, { name: 'Short', tokens: 10_000, hours: 1 });
    expect(plan(queue, quota(200_000), 2)).toMatchObject({ decision: 'smaller', reason: '"Long" doesn\'t fit (needs 4h, you have 2h); a smaller session fits.' });
    expect(plan(queue, quota(200_000), 0.5)).toMatchObject({ decision: 'none', reason: '"Long" doesn\'t fit (needs 4h, you have 0.5h) and no ready session fits in 0.5h.' });
    expect(plan(queue, quota(200_000), null).decision).toBe('start');
  });

  it('respects dependencies and starts due scheduled sessions first', () => {
    const queue = queueOf({ name: 'Plan', tokens: 1000 }, { name: 'Build', tokens: 1000, after: ['s1'] }, { name: 'Scheduled', tokens: 1000 });
    scheduleSession(queue.sessions[2] as QueuedSession, NOW - 60_000, 'quota-reset', NOW - HOUR);
    const decision = plan(queue, quota(200_000));
    expect(decision.session?.name).toBe('Scheduled');
    expect(decision.due).toEqual(['s3']);
    setStatus(queue.sessions[0] as QueuedSession, 'done', NOW);
    setStatus(queue.sessions[2] as QueuedSession, 'done', NOW);
    expect(plan(queue, quota(200_000)).session?.name).toBe('Build');
  });

  it('says why nothing is ready', () => {
    expect(plan(emptyQueue(), quota(200_000)).reason).toMatch(/queue is empty/);
    const queue = queueOf({ name: 'Later', tokens: 1000 }, { name: 'Blocked', tokens: 1000, after: ['s1'] });
    scheduleSession(queue.sessions[0] as QueuedSession, NOW + HOUR, 'user', NOW);
    const decision = plan(queue, quota(200_000));
    expect(decision.decision).toBe('none');
    expect(decision.reason).toContain('Next scheduled: s1 "Later" at 2026-01-06T16:00:00.000Z.');
    expect(decision.reason).toContain('s2 "Blocked" waits for s1.');
    setStatus(queue.sessions[0] as QueuedSession, 'done', NOW);
    setStatus(queue.sessions[1] as QueuedSession, 'skipped', NOW);
    expect(plan(queue, quota(200_000)).reason).toContain('Every session is done or skipped.');
  });

  it('does not schedule what can never fit a window', () => {
    const decision = plan(queueOf({ name: 'Huge', tokens: 250_000 }), quota(150_000));
    expect(decision.decision).toBe('none');
    expect(decision.reason).toContain('more than a whole 5-hour window (200,000): split it');
  });

  it('auto-schedules every ready session at CRITICAL, back to back across windows', () => {
    const queue = queueOf({ name: 'A', tokens: 120_000, hours: 2 }, { name: 'B', tokens: 60_000, hours: 1 }, { name: 'C', tokens: 50_000, hours: 1 }, { name: 'Waits', tokens: 1000, after: ['s1'] });
    const decision = plan(queue, quota(4_000));
    expect(decision).toMatchObject({ decision: 'schedule', automatic: 'critical', scheduledFor: RESET });
    expect(decision.slots).toEqual([
      { id: 's1', at: RESET },
      { id: 's2', at: '2026-01-06T19:30:00.000Z' },
      // A+B+C would pass the 200,000 limit: C waits for the window after.
      { id: 's3', at: '2026-01-06T22:30:00.000Z' },
    ]);
    expect(decision.reason).toMatch(/^Quota is CRITICAL \(98% used, 4,000 tokens left\): all 3 ready sessions are scheduled for after the reset\.$/);
    // With the setting off, CRITICAL is decided like any other level.
    expect(plan(queue, quota(4_000), null, false)).toMatchObject({ decision: 'schedule', automatic: null, slots: [{ id: 's1', at: RESET }] });
  });

  it('waits for an exhausted weekly window', () => {
    const weekly = { usedPercent: 100, resetsAt: '2026-01-09T08:00:00.000Z', exhausted: true };
    const decision = plan(queueOf({ name: 'A', tokens: 1000 }), quota(200_000, { weekly }));
    expect(decision).toMatchObject({ decision: 'schedule', scheduledFor: '2026-01-09T08:00:00.000Z' });
    expect(decision.reason).toMatch(/weekly limit is reached/);
    const unknown = plan(queueOf({ name: 'A', tokens: 1000 }), quota(200_000, { weekly: { ...weekly, resetsAt: null } }));
    expect(unknown).toMatchObject({ decision: 'none' });
  });

  it('packs slots back to back', () => {
    const queue = queueOf({ name: 'A', tokens: 10, hours: 1.5 }, { name: 'B', tokens: 10, hours: 1 });
    expect(packSlots(queue.sessions, Date.parse(RESET), 200_000)).toEqual([
      { id: 's1', at: RESET },
      { id: 's2', at: '2026-01-06T19:00:00.000Z' },
    ]);
  });
});


describe('quotaFromSnapshot', () => {
  it('takes remaining and reset from the current window', () => {
    const snapshot = snapshotFixture('active-good');
    const q = quotaFromSnapshot(snapshot);
    expect(q.remaining).toBe(snapshot.quota.currentWindow?.remaining);
    expect(q.resetTime).toBe(snapshot.quota.currentWindow?.resetTime);
    expect(q.limit).toBe(snapshot.plan.limit);
    expect(q.resetSource).toBe('window');
    expect(q.weekly).toBeNull();
  });

  it('has the full limit when no window is running', () => {
    const snapshot = snapshotFixture('active-good');
    snapshot.quota.currentWindow = null;
    expect(quotaFromSnapshot(snapshot)).toMatchObject({ remaining: snapshot.plan.limit, resetTime: null, used: 0 });
  });

  it('trusts a usage-limit line and the server over the estimate', () => {
    const snapshot = snapshotFixture('active-good');
    const later = new Date(Date.parse(snapshot.generatedAt) + 2 * HOUR).toISOString();
    snapshot.quota.limitReached = { observedAt: snapshot.generatedAt, resetsAt: later, text: 'limit reached', rateLimitType: null };
    expect(quotaFromSnapshot(snapshot)).toMatchObject({ remaining: 0, resetTime: later, resetSource: 'limit-signal' });

    const server = new Date(Date.parse(snapshot.generatedAt) + 3 * HOUR).toISOString();
    const weekReset = Math.floor(Date.parse(snapshot.generatedAt) / 1000) + 86_400;
    Object.assign(snapshot.quota, { server: { fiveHour: { usedPercent: 40, resetsAt: server }, sevenDay: { usedPercent: 100, resetsAt: weekReset } } });
    expect(quotaFromSnapshot(snapshot)).toMatchObject({
      resetTime: server,
      resetSource: 'server',
      weekly: { usedPercent: 100, resetsAt: new Date(weekReset * 1000).toISOString(), exhausted: true },
    });
  });

  it('takes the Snapshot\'s weeklyLimitReached flag as an exhausted week', () => {
    const snapshot = snapshotFixture('active-good');
    Object.assign(snapshot.quota, { server: null, weeklyLimitReached: true });
    expect(quotaFromSnapshot(snapshot).weekly).toEqual({ usedPercent: 100, resetsAt: null, exhausted: true });
  });
});
