import { describe, expect, it } from 'vitest';
import { mayHoldLimitSignal, nextWallClock, parseLimitSignal } from '../../main/core/transcripts/limit-signal.js';

const at = (iso: string): number => Date.parse(iso);

describe('parseLimitSignal: older form', () => {
  it('"Claude AI usage limit reached|<unix seconds>" gives the exact instant in ms', () => {
    const signal = parseLimitSignal('Claude AI usage limit reached|1736200800', at('2025-01-06T18:00:00Z'));
    expect(signal).not.toBeNull();
    expect(signal?.resetsAt).toBe(1_736_200_800_000);
    expect(new Date(signal?.resetsAt ?? 0).toISOString()).toBe('2025-01-06T22:00:00.000Z');
    expect(signal?.text).toContain('usage limit reached|1736200800');
  });

  it('keeps the instant whenever it is plausible for the line (after it, within a week)', () => {
    const a = parseLimitSignal('Claude AI usage limit reached|1736200800', at('2025-01-01T00:00:00Z'));
    expect(a?.resetsAt).toBe(1_736_200_800_000);
  });

  it('an implausible instant (before the line, or more than a week after it) is dropped; the signal stays', () => {
    const past = parseLimitSignal('Claude AI usage limit reached|1736200800', at('2030-01-01T00:00:00Z'));
    expect(past).not.toBeNull();
    expect(past?.resetsAt).toBeNull();
    const far = parseLimitSignal('Claude AI usage limit reached|1736200800', at('2024-12-30T21:00:00Z'));
    expect(far?.resetsAt).toBeNull();
  });
});

describe('parseLimitSignal: newer form, a wall-clock time in a zone', () => {
  // Expected instants are worked out by hand from the zone's UTC offset on that date:
  // Europe/Paris is UTC+1 in winter (CET) and UTC+2 in summer (CEST, from the last Sunday of March
  // to the last Sunday of October); America/New_York is UTC-5 (EST) and UTC-4 (EDT).
  const cases: { name: string; text: string; observed: string; expected: string }[] = [
    {
      name: 'Paris in January (UTC+1): 8pm = 19:00Z the same day',
      text: "You've hit your limit · resets 8pm (Europe/Paris)",
      observed: '2026-01-15T12:00:00.000Z',
      expected: '2026-01-15T19:00:00.000Z',
    },
    {
      name: 'Paris in July (UTC+2): 8pm = 18:00Z the same day',
      text: "You've hit your limit · resets 8pm (Europe/Paris)",
      observed: '2026-07-15T12:00:00.000Z',
      expected: '2026-07-15T18:00:00.000Z',
    },
    {
      name: 'Paris, observed after 8pm local: rolls to the next day',
      text: "You've hit your limit · resets 8pm (Europe/Paris)",
      observed: '2026-01-15T19:30:00.000Z',
      expected: '2026-01-16T19:00:00.000Z',
    },
    {
      name: 'Paris, observed exactly at 8pm local: strictly after, so the next day',
      text: "You've hit your limit · resets 8pm (Europe/Paris)",
      observed: '2026-01-15T19:00:00.000Z',
      expected: '2026-01-16T19:00:00.000Z',
    },
    {
      name: 'Paris, observed 1 ms before 8pm local: the same day',
      text: "You've hit your limit · resets 8pm (Europe/Paris)",
      observed: '2026-01-15T18:59:59.999Z',
      expected: '2026-01-15T19:00:00.000Z',
    },
    {
      name: 'Paris, observed just after local midnight (still the previous UTC day)',
      text: "You've hit your limit · resets 8pm (Europe/Paris)",
      observed: '2026-01-15T23:30:00.000Z',
      expected: '2026-01-16T19:00:00.000Z',
    },
    {
      name: 'Paris across the spring DST change (Sat 21:00 CET → Sun 8pm CEST = 18:00Z)',
      text: "You've hit your limit · resets 8pm (Europe/Paris)",
      observed: '2026-03-28T20:00:00.000Z',
      expected: '2026-03-29T18:00:00.000Z',
    },
    {
      name: 'Paris across the autumn DST change (Sat 21:00 CEST → Sun 8pm CET = 19:00Z)',
      text: "You've hit your limit · resets 8pm (Europe/Paris)",
      observed: '2026-10-24T19:00:00.000Z',
      expected: '2026-10-25T19:00:00.000Z',
    },
    {
      name: 'New York in January (UTC-5): 7:30am = 12:30Z',
      text: "You've hit your limit · resets 7:30am (America/New_York)",
      observed: '2026-01-15T10:00:00.000Z',
      expected: '2026-01-15T12:30:00.000Z',
    },
    {
      name: 'New York in July (UTC-4): 7:30am = 11:30Z',
      text: "You've hit your limit · resets 7:30am (America/New_York)",
      observed: '2026-07-15T10:00:00.000Z',
      expected: '2026-07-15T11:30:00.000Z',
    },
    {
      name: 'New York, observed after 7:30am local: the next day',
      text: "You've hit your limit · resets 7:30am (America/New_York)",
      observed: '2026-01-15T13:00:00.000Z',
      expected: '2026-01-16T12:30:00.000Z',
    },
    {
      name: 'New York, observed late evening local (already the next UTC day)',
      text: "You've hit your limit · resets 7:30am (America/New_York)",
      observed: '2026-01-16T03:00:00.000Z',
      expected: '2026-01-16T12:30:00.000Z',
    },
    {
      name: '12am is midnight',
      text: "You've hit your limit · resets 12am (UTC)",
      observed: '2026-01-15T12:00:00.000Z',
      expected: '2026-01-16T00:00:00.000Z',
    },
    {
      name: '12pm is noon',
      text: "You've hit your limit · resets 12pm (Asia/Tokyo)",
      // Tokyo is UTC+9 all year: 12:00 local = 03:00Z.
      observed: '2026-01-15T01:00:00.000Z',
      expected: '2026-01-15T03:00:00.000Z',
    },
    {
      name: 'a zone with a half-hour offset (Asia/Kolkata, UTC+5:30)',
      text: "You've hit your limit · resets 9pm (Asia/Kolkata)",
      observed: '2026-01-15T10:00:00.000Z',
      expected: '2026-01-15T15:30:00.000Z',
    },
    {
      name: 'the "usage limit" wording',
      text: "You've hit your usage limit · resets 8pm (Europe/Paris)",
      observed: '2026-01-15T12:00:00.000Z',
      expected: '2026-01-15T19:00:00.000Z',
    },
    {
      name: 'a typographic apostrophe and extra words',
      text: 'You’ve hit your limit for Claude Code · resets at 8pm (Europe/Paris)',
      observed: '2026-01-15T12:00:00.000Z',
      expected: '2026-01-15T19:00:00.000Z',
    },
    {
      name: 'no zone: UTC',
      text: "You've hit your limit · resets 8pm",
      observed: '2026-01-15T12:00:00.000Z',
      expected: '2026-01-15T20:00:00.000Z',
    },
  ];

  it.each(cases)('$name', ({ text, observed, expected }) => {
    const observedAt = at(observed);
    const signal = parseLimitSignal(text, observedAt);
    expect(signal).not.toBeNull();
    expect(signal?.resetsAt).not.toBeNull();
    expect(new Date(signal?.resetsAt ?? 0).toISOString()).toBe(expected);
    // Always strictly after the observation, and within a day of it.
    expect(signal?.resetsAt ?? 0).toBeGreaterThan(observedAt);
    expect((signal?.resetsAt ?? 0) - observedAt).toBeLessThanOrEqual(24 * 3_600_000 + 3_600_000);
  });

  it('an unknown zone: the signal is kept, with resetsAt null', () => {
    const signal = parseLimitSignal("You've hit your limit · resets 8pm (Mars/Olympus_Mons)", at('2026-01-15T12:00:00Z'));
    expect(signal).not.toBeNull();
    expect(signal?.resetsAt).toBeNull();
    expect(signal?.text).toContain('resets 8pm');
  });

  it.each(['resets 25:00 (Europe/Paris)', 'resets 9:75pm (Europe/Paris)'])('an impossible time (%s): the signal is kept, with resetsAt null', (tail) => {
    const signal = parseLimitSignal(`You've hit your limit · ${tail}`, at('2026-01-15T12:00:00Z'));
    expect(signal).not.toBeNull();
    expect(signal?.resetsAt).toBeNull();
  });

  it('text without a limit message → null', () => {
    for (const text of ['', 'All done.', 'usage limit reached|abc', 'You are near your limit']) {
      expect(parseLimitSignal(text, at('2026-01-15T12:00:00Z')), text).toBeNull();
    }
  });
});

describe('nextWallClock', () => {
  it('is strictly after `after`, in the zone', () => {
    const after = at('2026-01-15T19:00:00.000Z');
    expect(nextWallClock(after, 20, 0, 'Europe/Paris')).toBe(at('2026-01-16T19:00:00.000Z'));
    expect(nextWallClock(after - 1, 20, 0, 'Europe/Paris')).toBe(after);
  });

  it('an unknown zone → null', () => {
    expect(nextWallClock(at('2026-01-15T12:00:00Z'), 8, 0, 'Not/AZone')).toBeNull();
  });

  it('UTC is the identity zone', () => {
    expect(nextWallClock(at('2026-01-15T12:00:00Z'), 13, 15, 'UTC')).toBe(at('2026-01-15T13:15:00Z'));
    expect(nextWallClock(at('2026-01-15T12:00:00Z'), 11, 0, 'UTC')).toBe(at('2026-01-16T11:00:00Z'));
  });
});

describe('mayHoldLimitSignal', () => {
  it.each([
    ['{"text":"Claude AI usage limit reached|1736200800"}', true],
    ['{"text":"You\'ve hit your limit · resets 8pm (Europe/Paris)"}', true],
    ['{"text":"You\'ve hit your usage limit · resets 8pm"}', true],
    ['{"text":"All done."}', false],
    ['{"type":"assistant"}', false],
  ])('%s → %s', (line, expected) => {
    expect(mayHoldLimitSignal(line)).toBe(expected);
  });
});

describe('limit messages of recent Claude Code versions', () => {
  // Claude Code 2.1.20x writes "You've hit your session limit · resets 3:20am (Asia/Calcutta)"
  // (anthropics/claude-code issues #69160, #74079, #77082). Regression: only "hit your limit" and
  // "hit your usage limit" used to be recognised, so this line gave no limit event at all.
  it('"You\'ve hit your session limit · resets 3:20am (Asia/Calcutta)" is a limit signal', () => {
    const text = "You've hit your session limit · resets 3:20am (Asia/Calcutta)";
    expect(mayHoldLimitSignal(JSON.stringify({ text }))).toBe(true);
    // Observed 17:30 IST (UTC+5:30): the next 3:20am IST is 2026-07-02 03:20 IST = 2026-07-01T21:50Z.
    const signal = parseLimitSignal(text, at('2026-07-01T12:00:00.000Z'));
    expect(signal?.resetsAt).toBe(at('2026-07-01T21:50:00.000Z'));
  });

  // A weekly reset names a date: "resets Jan 30, 11:30am (Asia/Calcutta)" (issue #21562) or
  // "resets Apr 23 at 4pm (America/Recife)" (issue #51981). Regression: the pattern used to expect a
  // digit right after "resets", so these gave no limit signal.
  it.each([
    { text: "You've hit your limit · resets Jan 30, 11:30am (Asia/Calcutta)", observed: '2026-01-28T10:00:00.000Z', expected: '2026-01-30T06:00:00.000Z' },
    { text: "You've hit your limit · resets Apr 23 at 4pm (America/Recife)", observed: '2026-04-22T13:39:51.605Z', expected: '2026-04-23T19:00:00.000Z' },
  ])('a dated reset: $text', ({ text, observed, expected }) => {
    const signal = parseLimitSignal(text, at(observed));
    expect(signal).not.toBeNull();
    expect(new Date(signal?.resetsAt ?? 0).toISOString()).toBe(expected);
  });
});

describe('limit messages whose reset cannot be read', () => {
  // The wording has changed several times: when the limit is certainly hit but the reset part does
  // not parse, it is still a signal (the quota is forced to 100%), with resetsAt null.
  it.each(["You've hit your limit", "You've hit your weekly limit · resets in 2 days", "You've hit your session limit · resets soon"])(
    'a limit message without a readable reset time is still a signal: %s',
    (text) => {
      const signal = parseLimitSignal(text, at('2026-07-01T12:00:00.000Z'));
      expect(signal).not.toBeNull();
      expect(signal?.resetsAt).toBeNull();
    },
  );
});
