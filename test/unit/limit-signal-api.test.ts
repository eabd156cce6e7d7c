/**
 * The limit signals of current clients (issue 11, items 11 and 12): the API-error line's structured
 * fields, and every text form of claude-code-facts.md §2. Clocks are fixed: each line's own time.
 */
import { describe, expect, it } from 'vitest';
import { emptyCounters, type TranscriptEvent } from '../../shared/events.js';
import { parseTranscriptLine } from '../../main/core/transcripts/parser.js';
import { limitFromApiErrorLine, mayHoldLimitSignal, parseLimitSignal, plausibleReset } from '../../main/core/transcripts/limit-signal.js';
import { apiErrorLine, apiKeyRateLimitLine, subscriberLimitLine } from '../fixtures/api-error-lines.js';

const at = (iso: string): number => Date.parse(iso);
const seconds = (iso: string): number => Date.parse(iso) / 1000;
const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());

/** The parsed line and its message text, as the parser hands them over. */
function read(line: string): { record: Record<string, unknown>; text: string; time: number } {
  const record = JSON.parse(line) as Record<string, unknown> & { message: { content: { text: string }[] }; timestamp: string };
  return { record, text: record.message.content.map((block) => block.text).join('\n'), time: at(record.timestamp) };
}

describe('text forms with a label, a date and a year', () => {
  it.each([
    // Regression: the year was read as the hour ("Jan 2, 20" → 20:00).
    { text: "You've hit your weekly limit · resets Jan 2, 2027, 2pm (UTC)", observed: '2026-12-30T10:00:00.000Z', expected: '2027-01-02T14:00:00.000Z', type: 'seven_day' },
    { text: "You've hit your weekly limit · resets Jan 2, 2pm (UTC)", observed: '2026-12-31T09:00:00.000Z', expected: '2027-01-02T14:00:00.000Z', type: 'seven_day' },
    // New York is UTC-5 in January.
    { text: "You've hit your Opus limit · resets Jan 2, 2:30pm (America/New_York)", observed: '2026-12-31T12:00:00.000Z', expected: '2027-01-02T19:30:00.000Z', type: 'seven_day_opus' },
    { text: "You've hit your Sonnet limit · resets Jan 2, 2027, 9:15am (Europe/Paris)", observed: '2026-12-31T12:00:00.000Z', expected: '2027-01-02T08:15:00.000Z', type: 'seven_day_sonnet' },
    // Paris is UTC+1 in January: 8pm = 19:00Z.
    { text: "You've hit your 5-hour limit · resets 8pm (Europe/Paris)", observed: '2026-01-15T12:00:00.000Z', expected: '2026-01-15T19:00:00.000Z', type: 'five_hour' },
    { text: "You've hit your Fable limit · resets 8pm (Europe/Paris)", observed: '2026-01-15T12:00:00.000Z', expected: '2026-01-15T19:00:00.000Z', type: null },
    { text: "You've hit your usage credit limit · resets 8pm (Europe/Paris)", observed: '2026-01-15T12:00:00.000Z', expected: '2026-01-15T19:00:00.000Z', type: null },
    { text: "You've hit your limit · resets 2:30pm (Asia/Tokyo)", observed: '2026-01-15T01:00:00.000Z', expected: '2026-01-15T05:30:00.000Z', type: null },
  ])('$text', ({ text, observed, expected, type }) => {
    expect(mayHoldLimitSignal(JSON.stringify({ text }))).toBe(true);
    const signal = parseLimitSignal(text, at(observed));
    expect(iso(signal?.resetsAt)).toBe(expected);
    expect(signal?.rateLimitType).toBe(type);
  });

  it('a reset more than a week after the line is not believed; the limit still is', () => {
    const signal = parseLimitSignal("You've hit your weekly limit · resets Mar 3, 2027, 2pm (UTC)", at('2026-12-30T10:00:00.000Z'));
    expect(signal).not.toBeNull();
    expect(signal?.resetsAt).toBeNull();
    expect(signal?.rateLimitType).toBe('seven_day');
  });

  it('a date that does not exist gives no reset', () => {
    expect(parseLimitSignal("You've hit your weekly limit · resets Feb 30, 2pm (UTC)", at('2026-02-27T10:00:00.000Z'))?.resetsAt).toBeNull();
  });

  it('an API-key 429 is a limit without a reset', () => {
    const signal = parseLimitSignal('API Error: Request rejected (429) · This request would exceed the rate limit', at('2026-01-15T12:00:00.000Z'));
    expect(signal).toEqual({ resetsAt: null, text: 'Request rejected (429)', rateLimitType: null });
  });

  it('other API errors are not limits', () => {
    expect(parseLimitSignal('API Error: 529 {"type":"error","error":{"type":"overloaded_error"}}', at('2026-01-15T12:00:00.000Z'))).toBeNull();
    expect(parseLimitSignal('API Error: Request rejected (400) · bad request', at('2026-01-15T12:00:00.000Z'))).toBeNull();
  });
});

describe('plausibleReset', () => {
  const line = at('2026-01-15T12:00:00.000Z');
  it.each([
    [line + 1, line + 1],
    [line + 7 * 86_400_000, line + 7 * 86_400_000],
    [line, null],
    [line - 60_000, null],
    [line + 7 * 86_400_000 + 1, null],
    [Number.NaN, null],
    [null, null],
  ])('%s → %s', (resetsAt, expected) => {
    expect(plausibleReset(resetsAt, line)).toBe(expected);
  });
});

describe('limitFromApiErrorLine: the structured fields of current clients', () => {
  const time = '2026-01-15T12:00:00.000Z';

  it('quotaLimits win over the text: their reset and their rateLimitType', () => {
    const { record, text, time: observed } = read(
      subscriberLimitLine({ timestamp: time, text: "You've hit your limit · resets 8pm (Europe/Paris)", resetsAt: seconds('2026-01-15T17:00:00.000Z'), rateLimitType: 'five_hour' }),
    );
    const signal = limitFromApiErrorLine(record, text, observed);
    expect(iso(signal?.resetsAt)).toBe('2026-01-15T17:00:00.000Z');
    expect(signal?.rateLimitType).toBe('five_hour');
    expect(signal?.text).toBe("hit your limit · resets 8pm (Europe/Paris)");
  });

  it('a weekly limit in quotaLimits, with a text the old parser misread', () => {
    const { record, text, time: observed } = read(
      subscriberLimitLine({ timestamp: '2026-12-30T10:00:00.000Z', text: "You've hit your weekly limit · resets Jan 2, 2027, 2pm (UTC)", resetsAt: seconds('2027-01-02T14:00:00.000Z'), rateLimitType: 'seven_day' }),
    );
    expect(limitFromApiErrorLine(record, text, observed)).toMatchObject({ resetsAt: at('2027-01-02T14:00:00.000Z'), rateLimitType: 'seven_day' });
  });

  it.each([
    ['in the past', seconds('2026-01-15T11:00:00.000Z')],
    ['more than a week ahead', seconds('2026-01-23T12:00:00.000Z')],
    ['not a number', 'soon'],
    ['zero', 0],
  ])('an implausible quotaLimits.resetsAt (%s) gives way to the text', (_name, resetsAt) => {
    const { record, text, time: observed } = read(
      apiErrorLine({
        timestamp: time,
        text: "You've hit your limit · resets 8pm (Europe/Paris)",
        fields: { error: 'rate_limit', apiErrorStatus: 429, quotaLimits: { status: 'rejected', resetsAt, rateLimitType: 'five_hour', utilization: 1 } },
      }),
    );
    expect(iso(limitFromApiErrorLine(record, text, observed)?.resetsAt)).toBe('2026-01-15T19:00:00.000Z');
  });

  it('apiError "usage_limit_reached" with apiErrorParams.rate_limit_info (snake_case too)', () => {
    const { record, text, time: observed } = read(
      apiErrorLine({
        timestamp: time,
        text: 'Claude usage limit reached.',
        fields: { apiError: 'usage_limit_reached', apiErrorParams: { rate_limit_info: { status: 'rejected', resets_at: seconds('2026-01-17T09:00:00.000Z'), rate_limit_type: 'seven_day_opus' } } },
      }),
    );
    expect(limitFromApiErrorLine(record, text, observed)).toEqual({ resetsAt: at('2026-01-17T09:00:00.000Z'), rateLimitType: 'seven_day_opus', text: 'Claude usage limit reached.' });
  });

  it('an API-key 429: limited, no reset, no type', () => {
    const { record, text, time: observed } = read(apiKeyRateLimitLine({ timestamp: time }));
    expect(limitFromApiErrorLine(record, text, observed)).toEqual({ resetsAt: null, rateLimitType: null, text: 'Request rejected (429)' });
  });

  it('a 429 whose text says nothing still is one, described by its fields', () => {
    const { record, text, time: observed } = read(apiErrorLine({ timestamp: time, text: '', fields: { error: 'rate_limit', apiErrorStatus: 429, apiErrorType: 'rate_limit_error' } }));
    expect(limitFromApiErrorLine(record, text, observed)).toEqual({ resetsAt: null, rateLimitType: null, text: 'API error 429 (rate_limit)' });
  });

  it('other API errors and a quota that only warns are not limits', () => {
    const overloaded = read(apiErrorLine({ timestamp: time, text: 'API Error: 529 Overloaded', fields: { error: 'overloaded', apiErrorStatus: 529, apiErrorType: 'overloaded_error' } }));
    expect(limitFromApiErrorLine(overloaded.record, overloaded.text, overloaded.time)).toBeNull();
    const warning = read(apiErrorLine({ timestamp: time, text: 'API Error: 500', fields: { error: 'server_error', apiErrorStatus: 500, quotaLimits: { status: 'allowed_warning', resetsAt: seconds('2026-01-15T14:00:00.000Z'), rateLimitType: 'five_hour', utilization: 0.9 } } }));
    expect(limitFromApiErrorLine(warning.record, warning.text, warning.time)).toBeNull();
  });
});

describe('parseTranscriptLine over real-client API-error lines', () => {
  function events(line: string): { out: TranscriptEvent[]; counters: ReturnType<typeof emptyCounters> } {
    const counters = emptyCounters();
    const out: TranscriptEvent[] = [];
    parseTranscriptLine(line, counters, out);
    return { out, counters };
  }

  it('a subscriber 429 with quotaLimits → a limit event with the structured reset and type, no usage', () => {
    const { out, counters } = events(
      subscriberLimitLine({ timestamp: '2026-01-15T12:00:00.000Z', text: "You've hit your weekly limit · resets Jan 17, 9am (UTC)", resetsAt: seconds('2026-01-17T09:00:00.000Z'), rateLimitType: 'seven_day' }),
    );
    expect(out).toMatchObject([{ kind: 'limit', resetsAt: at('2026-01-17T09:00:00.000Z'), rateLimitType: 'seven_day' }]);
    expect(counters.synthetic).toBe(1);
  });

  it('an API-key 429 → a limit event without a reset', () => {
    expect(events(apiKeyRateLimitLine({ timestamp: '2026-01-15T12:00:00.000Z' })).out).toMatchObject([{ kind: 'limit', resetsAt: null, rateLimitType: null }]);
  });

  it('a line marked only by apiErrorStatus (no isApiErrorMessage, a real model) is read as an error line', () => {
    const line = JSON.parse(subscriberLimitLine({ timestamp: '2026-01-15T12:00:00.000Z', text: 'Rate limited.', resetsAt: seconds('2026-01-15T15:00:00.000Z'), rateLimitType: 'five_hour' })) as Record<string, unknown> & { message: Record<string, unknown> };
    delete line.isApiErrorMessage;
    line.message.model = 'claude-opus-5-5';
    const { out, counters } = events(JSON.stringify(line));
    expect(out).toMatchObject([{ kind: 'limit', resetsAt: at('2026-01-15T15:00:00.000Z'), rateLimitType: 'five_hour' }]);
    expect(counters.apiError).toBe(1);
  });
});
