/**
 * The auto-start decision (main/core/planner/auto-start.ts), pure: a queue with sessions scheduled
 * at a reset, the quota's server figures, the record of earlier auto-starts, the clock and the last
 * check. Once per slot, the daily cap, a spent window, and the catch-up after a gap.
 */
import { describe, expect, it } from 'vitest';
import { emptyQueue, type SessionQueue } from '../../shared/queue-snapshot.js';
import { DUE_GRACE_MS } from '../../main/core/due-check.js';
import {
  CATCH_UP_MS,
  decideAutoStart,
  emptyRecord,
  passedText,
  recordEntries,
  startedText,
  type AutoStartInput,
  type AutoStartQuota,
  type AutoStartRecord,
} from '../../main/core/planner/auto-start.js';
import { addSession, scheduleSession, type ScheduleReason } from '../../main/core/planner/queue.js';

const RESET = Date.parse('2026-03-02T14:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const QUIET: AutoStartQuota = { server: null, weeklyLimitReached: false, limitReached: null };

function queueWith(...slots: { at: number; reason?: ScheduleReason; name?: string; after?: string[] }[]): SessionQueue {
  const queue = emptyQueue();
  for (const [index, slot] of slots.entries()) {
    const session = addSession(queue, { name: slot.name ?? `Part ${index + 1}`, project: '/tmp/project', estimatedTokens: 10_000, estimatedHours: 1, dependencies: slot.after ?? [] }, RESET - 5 * HOUR);
    scheduleSession(session, slot.at, slot.reason ?? 'quota-reset', RESET - 5 * HOUR);
  }
  return queue;
}

function input(over: Partial<AutoStartInput> & Pick<AutoStartInput, 'queue'>): AutoStartInput {
  return { quota: QUIET, record: emptyRecord(), now: RESET + 30_000, lastCheck: RESET - 20_000, maxPerDay: 2, ...over };
}

/** The record after carrying `decision` out, as auto-start-follow does. */
function after(record: AutoStartRecord, decision: ReturnType<typeof decideAutoStart>, now: number): AutoStartRecord {
  return { ...record, entries: [...record.entries, ...recordEntries(decision, now)] };
}

describe('decideAutoStart', () => {
  it('starts a session scheduled at the reset once the reset passes, and never again for that slot', () => {
    const queue = queueWith({ at: RESET });
    const before = decideAutoStart(input({ queue, now: RESET - 1_000 }));
    expect(before).toEqual({ start: null, passed: [] });
    const first = decideAutoStart(input({ queue }));
    expect(first.start?.session.id).toBe('s1');
    expect(first.start?.late).toBe(false);
    expect(first.passed).toEqual([]);
    const record = after(emptyRecord(), first, RESET + 30_000);
    expect(record.entries.map((entry) => [entry.id, entry.outcome])).toEqual([['s1', 'started']]);
    // The next checks (and a check after a backward clock jump) find the slot in the record.
    expect(decideAutoStart(input({ queue, record, now: RESET + 60_000, lastCheck: RESET + 30_000 }))).toEqual({ start: null, passed: [] });
    expect(decideAutoStart(input({ queue, record, now: RESET + 10_000, lastCheck: RESET + 60_000 }))).toEqual({ start: null, passed: [] });
  });

  it('leaves a time the person chose alone (scheduledReason user), and every reset reason counts', () => {
    expect(decideAutoStart(input({ queue: queueWith({ at: RESET, reason: 'user' }) }))).toEqual({ start: null, passed: [] });
    for (const reason of ['quota-reset', 'weekly-reset', 'auto-critical'] as const) {
      expect(decideAutoStart(input({ queue: queueWith({ at: RESET, reason }) })).start?.session.id).toBe('s1');
    }
  });

  it('a rescheduled session is a new slot: moved to the next reset, it starts there', () => {
    const queue = queueWith({ at: RESET });
    const record = after(emptyRecord(), decideAutoStart(input({ queue })), RESET + 30_000);
    const moved = structuredClone(queue);
    scheduleSession(moved.sessions[0]!, RESET + 5 * HOUR, 'quota-reset', RESET + HOUR);
    expect(decideAutoStart(input({ queue: moved, record, now: RESET + 5 * HOUR + 10_000, lastCheck: RESET + 5 * HOUR - 20_000 })).start?.session.id).toBe('s1');
  });

  it('caps the starts at maxPerDay in any 24 hours, says so once, and starts again a day later', () => {
    const queue = queueWith({ at: RESET }, { at: RESET + 5 * HOUR }, { at: RESET + 10 * HOUR }, { at: RESET + 25 * HOUR });
    let record = emptyRecord();
    const decisions = [0, 5, 10, 25].map((hours) => {
      const now = RESET + hours * HOUR + 30_000;
      const decision = decideAutoStart(input({ queue, record, now, lastCheck: now - 50_000 }));
      record = after(record, decision, now);
      return decision;
    });
    expect(decisions.map((decision) => decision.start?.session.id ?? null)).toEqual(['s1', 's2', null, 's4']);
    expect(decisions[2]?.passed.map((slot) => [slot.session.id, slot.outcome])).toEqual([['s3', 'capped']]);
    expect(decisions[2]?.passed[0]?.reason).toContain('2 automatic starts in the last 24 hours already (autoStartMaxPerDay)');
    // A cap of 1 holds the second.
    const one = decideAutoStart(input({ queue, record: after(emptyRecord(), decisions[0]!, RESET + 30_000), now: RESET + 5 * HOUR + 30_000, lastCheck: RESET + 5 * HOUR - 10_000, maxPerDay: 1 }));
    expect(one.start).toBeNull();
    expect(one.passed.map((slot) => slot.outcome)).toEqual(['capped']);
  });

  it('never starts into a window the server\'s fresh figures say is spent, and says why', () => {
    const queue = queueWith({ at: RESET });
    const spent: AutoStartQuota = { ...QUIET, server: { fiveHour: { usedPercent: 100, resetsAt: new Date(RESET + 5 * HOUR).toISOString() }, sevenDay: null, observedAt: new Date(RESET + 20_000).toISOString() } };
    const decision = decideAutoStart(input({ queue, quota: spent }));
    expect(decision.start).toBeNull();
    expect(decision.passed.map((slot) => [slot.session.id, slot.outcome])).toEqual([['s1', 'spent']]);
    expect(decision.passed[0]?.reason).toBe('the server says the new 5-hour window is already spent (100%)');
    // 99 % is not spent; the weekly limit and a usage-limit line in force are.
    const almost: AutoStartQuota = { ...spent, server: { ...spent.server!, fiveHour: { ...spent.server!.fiveHour!, usedPercent: 99 } } };
    expect(decideAutoStart(input({ queue, quota: almost })).start?.session.id).toBe('s1');
    expect(decideAutoStart(input({ queue, quota: { ...QUIET, weeklyLimitReached: true } })).passed[0]?.reason).toBe('the weekly limit is reached');
    const limit: AutoStartQuota = { ...QUIET, limitReached: { observedAt: new Date(RESET + 10_000).toISOString(), resetsAt: new Date(RESET + 5 * HOUR).toISOString(), text: 'limit', rateLimitType: 'five_hour' } };
    expect(decideAutoStart(input({ queue, quota: limit })).passed[0]?.outcome).toBe('spent');
  });

  it('a slot held by a spent window is said once, starts if the hold lifts within the catch-up hour, and is dropped after it', () => {
    const queue = queueWith({ at: RESET });
    const spent: AutoStartQuota = { ...QUIET, server: { fiveHour: { usedPercent: 100, resetsAt: new Date(RESET + 30 * MINUTE).toISOString() }, sevenDay: null, observedAt: new Date(RESET).toISOString() } };
    const held = decideAutoStart(input({ queue, quota: spent }));
    const record = after(emptyRecord(), held, RESET + 30_000);
    // Still spent a minute later: nothing new to say.
    expect(decideAutoStart(input({ queue, quota: spent, record, now: RESET + 90_000, lastCheck: RESET + 30_000 }))).toEqual({ start: null, passed: [] });
    // The server's window turned over at 14:30 (our estimate was early): the slot starts then, late.
    const lifted = decideAutoStart(input({ queue, record, now: RESET + 31 * MINUTE, lastCheck: RESET + 30 * MINUTE }));
    expect(lifted.start?.session.id).toBe('s1');
    expect(lifted.start?.late).toBe(true);
    // Past the catch-up hour a held slot is neither started nor reported again.
    expect(decideAutoStart(input({ queue, record, now: RESET + CATCH_UP_MS + MINUTE, lastCheck: RESET + CATCH_UP_MS }))).toEqual({ start: null, passed: [] });
  });

  it('after a long sleep over the reset: a missed report, not a start', () => {
    const queue = queueWith({ at: RESET });
    const decision = decideAutoStart(input({ queue, lastCheck: RESET - 2 * MINUTE, now: RESET + 3 * HOUR }));
    expect(decision.start).toBeNull();
    expect(decision.passed.map((slot) => [slot.session.id, slot.outcome])).toEqual([['s1', 'missed']]);
    expect(decision.passed[0]?.reason).toContain('while the computer slept or cco was not running');
    expect(passedText(decision.passed)?.title).toBe('Automatic start missed');
  });

  it('after a short sleep: one catch-up on wake, the latest slot; the others are said, never started together', () => {
    const queue = queueWith({ at: RESET - 40 * MINUTE }, { at: RESET - 20 * MINUTE }, { at: RESET });
    const decision = decideAutoStart(input({ queue, lastCheck: RESET - HOUR, now: RESET + 10 * MINUTE }));
    expect(decision.start?.session.id).toBe('s3');
    expect(decision.start?.late).toBe(true);
    expect(decision.passed.map((slot) => [slot.session.id, slot.outcome])).toEqual([
      ['s1', 'missed'],
      ['s2', 'missed'],
    ]);
    expect(startedText(decision.start!, 'kitty').body).toMatch(/^Started s3 "Part 3" at the reset \(caught up: it was due at .+\) in kitty\.$/);
  });

  it('a first check with no last one (the app just opened) catches up within the hour, and reports older slots missed', () => {
    const recent = decideAutoStart(input({ queue: queueWith({ at: RESET }), lastCheck: null, now: RESET + CATCH_UP_MS - MINUTE }));
    expect(recent.start?.late).toBe(true);
    const old = decideAutoStart(input({ queue: queueWith({ at: RESET }), lastCheck: null, now: RESET + CATCH_UP_MS + MINUTE }));
    expect(old.start).toBeNull();
    expect(old.passed.map((slot) => slot.outcome)).toEqual(['missed']);
    expect(old.passed[0]?.reason).toContain('before cco could start it');
  });

  it('two slots due at once on time: one starts, the other is said (one at a time)', () => {
    const decision = decideAutoStart(input({ queue: queueWith({ at: RESET }, { at: RESET }) }));
    expect(decision.start?.session.id).toBe('s1');
    expect(decision.passed.map((slot) => [slot.session.id, slot.outcome])).toEqual([['s2', 'one-at-a-time']]);
    expect(DUE_GRACE_MS).toBeGreaterThan(30_000);
  });

  it('a session waiting for another is passed over with what it waits for; a pause holds everything', () => {
    const queue = queueWith({ at: RESET + 3 * HOUR }, { at: RESET, after: ['s1'] });
    const waiting = decideAutoStart(input({ queue }));
    expect(waiting.start).toBeNull();
    expect(waiting.passed.map((slot) => [slot.session.id, slot.outcome, slot.reason])).toEqual([['s2', 'waiting', 'it waits for s1']]);
    const paused = decideAutoStart(input({ queue: queueWith({ at: RESET }), record: { ...emptyRecord(), pausedUntil: new Date(RESET + HOUR).toISOString() } }));
    expect(paused.start).toBeNull();
    expect(paused.passed[0]?.outcome).toBe('paused');
  });

  it('texts make queue names safe for a notification', () => {
    const decision = decideAutoStart(input({ queue: queueWith({ at: RESET, name: 'fake\u009b31m\u202eevil' }) }));
    const text = startedText(decision.start!, null).body;
    expect(text).not.toMatch(/[\u009b\u202e]/);
    expect(text).toMatch(/^Started s1 ".+" at the reset\.$/);
  });
});
