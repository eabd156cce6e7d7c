/**
 * `cco status --json` over transcripts whose last line is the API-error line a `claude -p` run
 * leaves when its StopFailure hook is killed at exit (issue 11, item 11): the limit must be read
 * from the transcript alone.
 */
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { apiKeyRateLimitLine, subscriberLimitLine } from '../fixtures/api-error-lines.js';
import { assistantLine, userLine, writeTranscript } from '../fixtures/make-transcript.js';
import { runCco, tempRoot } from '../helpers/cli.js';

function statusJson(root: string, now: string): Snapshot {
  const result = runCco(['status', '--json', '--config-dir', root, '--now', now, '--plan', 'max5']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Snapshot;
}

function rootEndingWith(limitLine: string): string {
  const root = tempRoot();
  writeTranscript(root, 'print-run', [
    userLine({ timestamp: '2026-12-30T09:00:00.000Z', text: 'Summarise the changelog' }),
    assistantLine({ messageId: 'msg_P1', timestamp: '2026-12-30T09:00:05.000Z', model: 'claude-opus-5-5', input: 3000, output: 400, version: '2.1.332' }),
    userLine({ timestamp: '2026-12-30T10:00:00.000Z', text: 'And the release notes' }),
    limitLine,
  ], { mtime: new Date('2026-12-30T10:00:01.000Z') });
  return root;
}

describe('cco status reads the limit from the API-error line', () => {
  it('a weekly 429 with quotaLimits: limitReached carries its reset and type; the 5-hour window keeps its own', () => {
    const root = rootEndingWith(
      subscriberLimitLine({
        timestamp: '2026-12-30T10:00:01.000Z',
        text: "You've hit your weekly limit · resets Jan 2, 2027, 2pm (UTC)",
        resetsAt: Date.parse('2027-01-02T14:00:00.000Z') / 1000,
        rateLimitType: 'seven_day',
      }),
    );
    const snapshot = statusJson(root, '2026-12-30T10:30:00.000Z');
    expect(snapshot.quota.limitReached).toEqual({
      observedAt: '2026-12-30T10:00:01.000Z',
      resetsAt: '2027-01-02T14:00:00.000Z',
      text: 'hit your weekly limit · resets Jan 2, 2027, 2pm (UTC)',
      rateLimitType: 'seven_day',
    });
    expect(snapshot.quota.weeklyLimitReached).toBe(true);
    expect(snapshot.quota.percentUsed).toBe(100);
    expect(snapshot.quota.currentWindow?.resetTime).toBe('2026-12-30T14:00:05.000Z');
  });

  it('a 5-hour 429 whose text gives no reset: the structured reset is the window reset', () => {
    const root = rootEndingWith(
      subscriberLimitLine({ timestamp: '2026-12-30T10:00:01.000Z', text: 'API Error: Rate limited.', resetsAt: Date.parse('2026-12-30T13:00:00.000Z') / 1000, rateLimitType: 'five_hour' }),
    );
    const snapshot = statusJson(root, '2026-12-30T10:30:00.000Z');
    expect(snapshot.quota.limitReached).toMatchObject({ resetsAt: '2026-12-30T13:00:00.000Z', rateLimitType: 'five_hour' });
    expect(snapshot.quota.weeklyLimitReached).toBe(false);
    expect(snapshot.quota.currentWindow?.resetTime).toBe('2026-12-30T13:00:00.000Z');
  });

  it('an API-key 429: rate limited, reset unknown', () => {
    const snapshot = statusJson(rootEndingWith(apiKeyRateLimitLine({ timestamp: '2026-12-30T10:00:01.000Z' })), '2026-12-30T10:00:30.000Z');
    expect(snapshot.quota.limitReached).toMatchObject({ resetsAt: null, rateLimitType: null, text: 'Request rejected (429)' });
  });
});
