import { describe, expect, it } from 'vitest';
import type { UsageEvent } from '../../shared/events.js';
import { MIN_CALIBRATION_PAIRS, reconcile, type ReconcileInput } from '../../main/core/reconciliation.js';
import type { FiveHourSeen } from '../../main/core/sources/statusline-store.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.parse('2026-11-30T16:00:00.000Z');
/** The current server window: it resets at 18:00, so it began at 13:00. */
const RESETS = '2026-11-30T18:00:00.000Z';
const LIMIT = 100_000;

const at = (ms: number): string => new Date(ms).toISOString();
const seen = (ms: number, usedPercent: number, resetsAt: string | null = RESETS): FiveHourSeen => ({ observedAt: at(ms), usedPercent, resetsAt });

let seq = 0;
function response(ms: number, input: number, output = 0): UsageEvent {
  seq += 1;
  return { kind: 'usage', key: `msg_${seq}`, timestamp: ms, sessionId: 's', model: 'claude-opus-4-6', sidechain: false, tokens: { input, output, cacheCreation: 0, cacheRead: 0 } };
}

function input(observations: FiveHourSeen[], usage: UsageEvent[] = [], extra: Partial<ReconcileInput> = {}): ReconcileInput {
  return { observations, usage, loadedSince: NOW - 10 * HOUR, countedKinds: ['input', 'output'], limit: LIMIT, now: NOW, ...extra };
}

describe('reconciliation: where the server percent went', () => {
  it('10% then 40% with no local usage between them: 30% elsewhere', () => {
    const result = reconcile(input([seen(NOW - 2 * HOUR, 10), seen(NOW - HOUR, 40)]));
    expect(result).toEqual({
      since: at(NOW - 2 * HOUR),
      until: at(NOW - HOUR),
      serverDeltaPercent: 30,
      localPercent: 0,
      elsewherePercent: 30,
      calibration: { source: 'plan-limit', pairs: 0 },
    });
  });

  it('local usage that explains the whole rise leaves ~0 elsewhere (the plan limit as the rate)', () => {
    // 30% of a 100k limit is 30k counted tokens; cache reads are not counted and do not add.
    const usage = [response(NOW - 110 * MIN, 10_000, 5_000), response(NOW - 80 * MIN, 15_000), { ...response(NOW - 70 * MIN, 0), tokens: { input: 0, output: 0, cacheCreation: 0, cacheRead: 900_000 } }];
    const result = reconcile(input([seen(NOW - 2 * HOUR, 10), seen(NOW - HOUR, 40)], usage));
    expect(result?.serverDeltaPercent).toBe(30);
    expect(result?.localPercent).toBeCloseTo(30, 5);
    expect(result?.elsewherePercent).toBeCloseTo(0, 5);
  });

  it('counts only usage between the first and the latest observation', () => {
    const usage = [response(NOW - 3 * HOUR, 50_000), response(NOW - 90 * MIN, 10_000), response(NOW - 30 * MIN, 50_000)];
    const result = reconcile(input([seen(NOW - 2 * HOUR, 10), seen(NOW - HOUR, 40)], usage));
    expect(result).toMatchObject({ serverDeltaPercent: 30, localPercent: 10, elsewherePercent: 20 });
  });

  it('never reports a negative elsewhere: a local estimate above the rise is clamped to it', () => {
    const usage = [response(NOW - 90 * MIN, 80_000)];
    const result = reconcile(input([seen(NOW - 2 * HOUR, 10), seen(NOW - HOUR, 40)], usage));
    expect(result).toMatchObject({ serverDeltaPercent: 30, localPercent: 30, elsewherePercent: 0 });
    expect(Object.is(result?.elsewherePercent, -0)).toBe(false);
  });

  it('learns the percent per token from pairs with local usage once enough are seen', () => {
    // The plan says 100k tokens per window, but each 10k local tokens moves the server by 20%: the real limit is 50k.
    const observations = [seen(NOW - 170 * MIN, 0)];
    const usage: UsageEvent[] = [];
    for (let i = 1; i <= MIN_CALIBRATION_PAIRS; i += 1) {
      usage.push(response(NOW - 170 * MIN + i * 20 * MIN - MIN, 10_000));
      observations.push(seen(NOW - 170 * MIN + i * 20 * MIN, i * 20));
    }
    // Then 10 points more with no local usage: someone else's.
    observations.push(seen(NOW - 30 * MIN, MIN_CALIBRATION_PAIRS * 20 + 10));
    const learned = reconcile(input(observations, usage));
    expect(learned).toMatchObject({ serverDeltaPercent: 70, localPercent: 60, elsewherePercent: 10, calibration: { source: 'observations', pairs: MIN_CALIBRATION_PAIRS } });
    // One pair fewer: the plan's rate, so this machine explains only half of its rise.
    const early = reconcile(input(observations.slice(1), usage.slice(1)));
    expect(early?.calibration).toEqual({ source: 'plan-limit', pairs: MIN_CALIBRATION_PAIRS - 1 });
    expect(early).toMatchObject({ serverDeltaPercent: 50, localPercent: 20, elsewherePercent: 30 });
  });

  it('keeps a learned rate within bounds of the plan', () => {
    // 1% of the limit moving the server 30 points per pair would be 30x the plan's rate.
    const observations = [seen(NOW - 170 * MIN, 0), seen(NOW - 120 * MIN, 30), seen(NOW - 70 * MIN, 60), seen(NOW - 20 * MIN, 90)];
    const usage = [response(NOW - 150 * MIN, 1_000), response(NOW - 100 * MIN, 1_000), response(NOW - 50 * MIN, 1_000)];
    const result = reconcile(input(observations, usage));
    expect(result?.calibration.source).toBe('observations');
    // 3,000 tokens at 10x the plan's rate (0.01 points a token) is 30 points, not the whole 90.
    expect(result).toMatchObject({ serverDeltaPercent: 90, localPercent: 30, elsewherePercent: 60 });
  });

  it('learns from pairs of an earlier window too, but not from before the loaded transcripts', () => {
    const old = '2026-11-30T13:00:00.000Z';
    const observations = [seen(NOW - 7 * HOUR, 0, old), seen(NOW - 6.5 * HOUR, 20, old), seen(NOW - 6 * HOUR, 40, old), seen(NOW - 5.5 * HOUR, 60, old)];
    const usage = [response(NOW - 6.7 * HOUR, 10_000), response(NOW - 6.2 * HOUR, 10_000), response(NOW - 5.7 * HOUR, 10_000), response(NOW - 90 * MIN, 10_000)];
    const current = [seen(NOW - 2 * HOUR, 5), seen(NOW - HOUR, 35)];
    expect(reconcile(input([...observations, ...current], usage))).toMatchObject({ localPercent: 20, elsewherePercent: 10, calibration: { source: 'observations', pairs: 4 } });
    // The transcripts were loaded from 6.25 hours ago: the first two old pairs cannot be judged.
    const late = reconcile(input([...observations, ...current], usage, { loadedSince: NOW - 6.25 * HOUR }));
    expect(late).toMatchObject({ localPercent: 10, elsewherePercent: 20, calibration: { source: 'plan-limit', pairs: 2 } });
  });

  it('ignores observations across a reset: only the current server window counts', () => {
    const previous = '2026-11-30T13:00:00.000Z';
    // 80% in the previous window, then 10% in this one: no rise of -70, no pair across the reset.
    expect(reconcile(input([seen(NOW - 4 * HOUR, 50, previous), seen(NOW - 3.5 * HOUR, 80, previous), seen(NOW - HOUR, 10)]))).toBeNull();
    const result = reconcile(input([seen(NOW - 3.5 * HOUR, 80, previous), seen(NOW - HOUR, 10), seen(NOW - 30 * MIN, 25)]));
    expect(result).toMatchObject({ since: at(NOW - HOUR), serverDeltaPercent: 15, elsewherePercent: 15 });
  });

  it('is null with fewer than two observations in the current window, or once the window is over', () => {
    expect(reconcile(input([]))).toBeNull();
    expect(reconcile(input([seen(NOW - HOUR, 40)]))).toBeNull();
    expect(reconcile(input([seen(NOW - 2 * HOUR, 10), seen(NOW - HOUR, 40)], [], { now: Date.parse(RESETS) }))).toBeNull();
  });

  it('describes `now`: observations after it are not seen yet', () => {
    const result = reconcile(input([seen(NOW - 2 * HOUR, 10), seen(NOW - HOUR, 40), seen(NOW + 10 * MIN, 60)]));
    expect(result).toMatchObject({ until: at(NOW - HOUR), serverDeltaPercent: 30 });
  });

  it('ignores hostile and implausible observations', () => {
    const hostile: FiveHourSeen[] = [
      // A wild first figure and a fall at the end (another window's figure with this reset) would
      // make the rise -69 points: they break the never-falling run, so they go, not the others.
      seen(NOW - 150 * MIN, 99),
      seen(NOW - 50 * MIN, 3),
      seen(NOW - 2 * HOUR, 10),
      seen(NOW - 100 * MIN, 99),
      seen(NOW - 95 * MIN, 2),
      seen(NOW - 90 * MIN, 20),
      seen(NOW - 80 * MIN, 1e9),
      seen(NOW - 80 * MIN, Number.NaN),
      seen(NOW - 80 * MIN, -5),
      { observedAt: 'yesterday', usedPercent: 50, resetsAt: RESETS },
      { observedAt: at(NOW - 70 * MIN), usedPercent: 50, resetsAt: 'soon' },
      seen(NOW - 70 * MIN, 55, null),
      // Before this window began, and a window that resets a year from now.
      seen(Date.parse(RESETS) - 6 * HOUR, 0),
      seen(NOW - 60 * MIN, 70, '2027-11-30T18:00:00.000Z'),
      seen(NOW - HOUR, 40),
    ];
    const result = reconcile(input(hostile));
    expect(result).toMatchObject({ since: at(NOW - 2 * HOUR), until: at(NOW - HOUR), serverDeltaPercent: 30, localPercent: 0, elsewherePercent: 30 });
    for (const value of [result?.serverDeltaPercent, result?.localPercent, result?.elsewherePercent]) expect(Number.isFinite(value)).toBe(true);
  });

  it('gives no NaN with a limit no plan can have', () => {
    expect(reconcile(input([seen(NOW - 2 * HOUR, 10), seen(NOW - HOUR, 40)], [], { limit: 0 }))).toBeNull();
    expect(reconcile(input([seen(NOW - 2 * HOUR, 10), seen(NOW - HOUR, 40)], [], { limit: Number.NaN }))).toBeNull();
  });
});
