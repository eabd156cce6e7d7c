/**
 * The shared due rule (core/due-check.ts) over a fake clock: on time fires, what a gap swallowed
 * is missed, a jump back repeats nothing, and the Engine's tick helpers see a jump either way.
 */
import { describe, expect, it } from 'vitest';
import { checkDue, clockJumped, DUE_GRACE_MS, nextTickDelay } from '../../main/core/due-check.js';

const MIN = 60_000;
const T = Date.parse('2026-03-29T00:30:00.000Z'); // the night Europe moves to summer time (01:00 UTC)
const items = [
  { key: 'a', at: T + 10 * MIN },
  { key: 'b', at: T + 40 * MIN },
  { key: 'c', at: T + 70 * MIN },
];
const none = { has: () => false };
const keys = (list: { key: string }[]) => list.map((item) => item.key);

describe('checkDue', () => {
  it('fires what came due on time, and nothing still ahead', () => {
    const result = checkDue({ lastCheck: T + 9 * MIN, now: T + 10 * MIN + 500, due: items, sent: none });
    expect({ fire: keys(result.fire), missed: keys(result.missed) }).toEqual({ fire: ['a'], missed: [] });
  });

  it('a gap (sleep, a jump forward) turns what came due in it into missed, except one still within the grace', () => {
    const result = checkDue({ lastCheck: T, now: T + 70 * MIN + DUE_GRACE_MS - 1, due: items, sent: none });
    expect({ fire: keys(result.fire), missed: keys(result.missed) }).toEqual({ fire: ['c'], missed: ['a', 'b'] });
  });

  it('a key sent or reported before is never due again, also when a jump back brings its instant round again', () => {
    const sent = new Set(['a']);
    const back = checkDue({ lastCheck: T + 60 * MIN, now: T + 11 * MIN, due: items, sent });
    expect({ fire: keys(back.fire), missed: keys(back.missed) }).toEqual({ fire: [], missed: [] });
  });

  it('an instant learnt of late, from before the last check, fires rather than counting as missed', () => {
    const result = checkDue({ lastCheck: T + 50 * MIN, now: T + 51 * MIN, due: items, sent: none });
    expect({ fire: keys(result.fire), missed: keys(result.missed) }).toEqual({ fire: ['a', 'b'], missed: [] });
  });

  it('with no earlier check known, nothing is missed', () => {
    const result = checkDue({ lastCheck: null, now: T + 80 * MIN, due: items, sent: none });
    expect(result.missed).toEqual([]);
  });

  it('a time-zone or DST change moves no instant: the same results whatever the zone', () => {
    const saved = process.env.TZ;
    try {
      const results = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'].map((zone) => {
        process.env.TZ = zone;
        return checkDue({ lastCheck: T + 9 * MIN, now: T + 41 * MIN, due: items, sent: none });
      });
      expect(results.map((result) => [keys(result.fire), keys(result.missed)])).toEqual([
        [['b'], ['a']],
        [['b'], ['a']],
        [['b'], ['a']],
      ]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('the tick helpers', () => {
  it('a tick that waited as long as the clock moved is no jump; a sleep, a jump forward or back is', () => {
    expect(clockJumped(T, T + 30_000, 30_000, 5_000)).toBe(false);
    expect(clockJumped(T, T + 3 * 60 * MIN, 30_000, 5_000)).toBe(true);
    expect(clockJumped(T, T - 1, 30_000, 5_000)).toBe(true);
  });

  it('waits until the next instant, never longer than the tick', () => {
    expect(nextTickDelay(T, [T + 10_000, T + 5_000, T - 1], 30_000, 50)).toBe(5_050);
    expect(nextTickDelay(T, [T + 4 * 60 * MIN], 30_000, 50)).toBe(30_000);
    expect(nextTickDelay(T, [], 30_000, 50)).toBe(30_000);
  });
});
