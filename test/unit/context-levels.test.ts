import { describe, expect, it } from 'vitest';
import { CONTEXT_LEVEL_ROWS, combinedHealth, contextLevelFor, contextLevelInfo, contextLevelThreshold } from '../../shared/context-levels.js';
import { computeGrowth } from '../../main/core/context/growth.js';

describe('context levels', () => {
  it.each([
    [0, 'fresh'],
    [49_999, 'fresh'],
    [50_000, 'healthy'],
    [89_999, 'healthy'],
    [90_000, 'moderate'],
    [119_999, 'moderate'],
    [120_000, 'warning'],
    [143_999, 'warning'],
    [144_000, 'danger'],
    [179_999, 'danger'],
    [180_000, 'critical'],
    [250_000, 'critical'],
  ] as const)('%i of 180,000 usable is %s (the spec\'s token bands)', (tokens, level) => {
    expect(contextLevelFor(tokens, 180_000)).toBe(level);
  });

  it('scales the bands to the usable limit (a 1M session: 900k usable)', () => {
    expect(CONTEXT_LEVEL_ROWS.map((row) => contextLevelThreshold(row, 900_000))).toEqual([0, 250_000, 450_000, 600_000, 720_000, 900_000]);
    expect(contextLevelFor(449_999, 900_000)).toBe('healthy');
    expect(contextLevelFor(720_000, 900_000)).toBe('danger');
  });

  it('carries the spec\'s wording', () => {
    expect(contextLevelInfo('healthy')).toMatchObject({ emoji: '🟢', label: 'HEALTHY', short: 'Normal operation' });
    expect(contextLevelInfo('danger').advice).toBe('COMPACT NOW to continue.');
    expect(contextLevelInfo('moderate').advice).toBe('Monitor usage. Prefer edits over re-reads.');
  });

  it('combines quota and context health: the worse of the two, naming which', () => {
    expect(combinedHealth({ level: 'good', limitReached: false }, 'healthy')).toMatchObject({ label: 'GOOD', tone: 'green' });
    expect(combinedHealth({ level: 'good', limitReached: false }, null).advice).toBe('Quota is healthy. Continue current work.');
    const context = combinedHealth({ level: 'good', limitReached: false }, 'danger');
    expect(context).toMatchObject({ label: 'DANGER', tone: 'red' });
    expect(context.advice).toContain('Context is nearly full');
    const quota = combinedHealth({ level: 'high', limitReached: false }, 'fresh');
    expect(quota).toMatchObject({ label: 'CAUTION', tone: 'yellow' });
    expect(quota.advice).toContain('Quota is running low');
    expect(combinedHealth({ level: 'critical', limitReached: false }, 'critical').advice).toMatch(/Save work now.*Context is full/);
    expect(combinedHealth({ level: 'good', limitReached: true }, 'fresh').label).toBe('LIMIT REACHED');
    // MODERATE is good enough, but not "healthy": the advice names it.
    expect(combinedHealth({ level: 'good', limitReached: false }, 'moderate')).toEqual({ label: 'GOOD', tone: 'green', advice: 'Quota is healthy. Context is at MODERATE: prefer edits over re-reads.' });
    expect(combinedHealth({ level: 'moderate', limitReached: false }, 'healthy').advice).toBe('Context is healthy. Quota is at MODERATE: medium tasks OK, monitor the burn rate.');
    expect(combinedHealth({ level: 'moderate', limitReached: false }, 'moderate').advice).toBe('Quota is at MODERATE: medium tasks OK, monitor the burn rate. Context is at MODERATE: prefer edits over re-reads.');
    expect(combinedHealth({ level: 'moderate', limitReached: false }, null).advice).toBe('Quota is at MODERATE: medium tasks OK, monitor the burn rate.');
  });
});

describe('context growth', () => {
  const T = Date.parse('2026-03-02T09:00:00.000Z');
  it('measures tokens per turn, per response and per hour, and the turns and time left', () => {
    const growth = computeGrowth(
      [
        { timestamp: T, context: 20_000, prompts: 1 },
        { timestamp: T + 30 * 60_000, context: 40_000, prompts: 3 },
        { timestamp: T + 60 * 60_000, context: 60_000, prompts: 5 },
      ],
      60_000,
      180_000,
    );
    expect(growth).toEqual({
      since: '2026-03-02T09:00:00.000Z',
      responses: 3,
      turns: 4,
      tokensPerTurn: 10_000,
      tokensPerResponse: 20_000,
      tokensPerHour: 40_000,
      turnsLeft: 12,
      minutesLeft: 180,
    });
  });

  it('says nothing it cannot know: one response, no growth, a span under 5 minutes', () => {
    expect(computeGrowth([], null, 180_000)).toMatchObject({ since: null, responses: 0, tokensPerTurn: null, turnsLeft: null });
    expect(computeGrowth([{ timestamp: T, context: 5_000, prompts: 1 }], 5_000, 180_000).tokensPerResponse).toBeNull();
    const quick = computeGrowth([{ timestamp: T, context: 5_000, prompts: 1 }, { timestamp: T + 60_000, context: 9_000, prompts: 1 }], 9_000, 180_000);
    expect(quick).toMatchObject({ tokensPerResponse: 4_000, tokensPerTurn: null, tokensPerHour: null, turnsLeft: null, minutesLeft: null });
    const shrinking = computeGrowth([{ timestamp: T, context: 9_000, prompts: 1 }, { timestamp: T + 3_600_000, context: 5_000, prompts: 2 }], 5_000, 180_000);
    expect(shrinking.tokensPerHour).toBeNull();
  });
});
