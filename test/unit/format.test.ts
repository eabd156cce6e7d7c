import { describe, expect, it } from 'vitest';
import {
  UNKNOWN,
  formatCompactTokens,
  formatCountdown,
  formatDuration,
  formatLocalDateTime,
  formatPercent,
  formatTokens,
  progressBar,
  shortId,
} from '../../shared/format.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('formatTokens', () => {
  it.each<[number, string | undefined, string]>([
    [0, undefined, '0'],
    [850, undefined, '850'],
    [115_000, undefined, '115,000'],
    [1_234_567, undefined, '1,234,567'],
    [629.63, undefined, '630'],
    [-0.4, undefined, '0'],
    [-1_500, undefined, '-1,500'],
    [115_000, 'de-DE', '115.000'],
    [115_000, 'en-US', '115,000'],
    [Number.NaN, undefined, UNKNOWN],
    [Number.POSITIVE_INFINITY, undefined, UNKNOWN],
  ])('formatTokens(%s, %s) → %s', (n, locale, expected) => {
    expect(formatTokens(n, locale)).toBe(expected);
  });
});

describe('formatCompactTokens', () => {
  it.each<[number, string]>([
    [0, '0'],
    [0.4, '0'],
    [-0.4, '0'],
    [850, '850'],
    [999, '999'],
    [999.6, '1k'],
    [1_000, '1k'],
    [1_500, '1.5k'],
    [9_949, '9.9k'],
    [9_950, '10k'],
    [12_345, '12k'],
    [115_000, '115k'],
    [999_499, '999k'],
    [999_500, '1M'],
    [1_200_000, '1.2M'],
    [1_250_000, '1.3M'],
    [4_000_000, '4M'],
    [12_500_000, '13M'],
    [2_500_000_000, '2.5B'],
    [5e12, '5000B'],
    [-1_500, '-1.5k'],
    [Number.NaN, UNKNOWN],
  ])('formatCompactTokens(%s) → %s', (n, expected) => {
    expect(formatCompactTokens(n)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [-5 * MIN, '0m'],
    [0, '0m'],
    [1, '<1m'],
    [MIN - 1, '<1m'],
    [MIN, '1m'],
    [45 * MIN, '45m'],
    [59 * MIN + 59_999, '59m'],
    [HOUR, '1h'],
    [2 * HOUR + 15 * MIN, '2h 15m'],
    [2 * HOUR + 45 * MIN, '2h 45m'],
    // Truncated: 2h 45m 59s left is still "2h 45m", never rounded up to "2h 46m".
    [2 * HOUR + 45 * MIN + 59_000, '2h 45m'],
    [5 * HOUR, '5h'],
    [23 * HOUR + 59 * MIN, '23h 59m'],
    [DAY, '1d'],
    [3 * DAY + 4 * HOUR + 30 * MIN, '3d 4h'],
    [10 * DAY + 23 * HOUR + 59 * MIN, '10d 23h'],
    [Number.POSITIVE_INFINITY, '∞'],
    [Number.NaN, UNKNOWN],
  ])('formatDuration(%s) → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('formatCountdown', () => {
  it.each<[string | number, string | number, string]>([
    ['2025-01-06T19:30:00.000Z', '2025-01-06T16:45:00.000Z', '2h 45m'],
    ['2025-01-06T19:30:00.000Z', '2025-01-06T19:29:30.000Z', '<1m'],
    ['2025-01-06T19:30:00.000Z', '2025-01-06T19:30:00.000Z', '0m'],
    ['2025-01-06T19:30:00.000Z', '2025-01-06T21:00:00.000Z', '0m'],
    [Date.UTC(2025, 0, 9, 20), Date.UTC(2025, 0, 6, 16), '3d 4h'],
    ['2025-01-06T19:30:00.000Z', Date.UTC(2025, 0, 6, 19), '30m'],
    ['not a date', '2025-01-06T19:30:00.000Z', UNKNOWN],
  ])('formatCountdown(%s, %s) → %s', (target, from, expected) => {
    expect(formatCountdown(target, from)).toBe(expected);
  });
});

describe('formatPercent', () => {
  it.each<[number, string]>([
    [0, '0%'],
    [42, '42%'],
    [42.4, '42%'],
    [42.5, '43%'],
    [99.6, '100%'],
    [100, '100%'],
    [105.2, '105%'],
    [-3, '0%'],
    [5_000, '999%'],
    [Number.POSITIVE_INFINITY, '999%'],
    [Number.NaN, UNKNOWN],
  ])('formatPercent(%s) → %s', (p, expected) => {
    expect(formatPercent(p)).toBe(expected);
  });
});

describe('progressBar', () => {
  const bar = (filled: number, empty: number): string => `[${'█'.repeat(filled)}${' '.repeat(empty)}]`;

  it.each<[number, number | undefined, string]>([
    [0, undefined, bar(0, 22)],
    [50, undefined, bar(11, 11)],
    [42.5, undefined, bar(9, 13)],
    [45, undefined, bar(10, 12)],
    [100, undefined, bar(22, 0)],
    // Any usage shows; not-quite-full never looks full.
    [0.1, undefined, bar(1, 21)],
    [99.9, undefined, bar(21, 1)],
    [150, undefined, bar(22, 0)],
    [-10, undefined, bar(0, 22)],
    [Number.NaN, undefined, bar(0, 22)],
    [30, 10, bar(3, 7)],
    [100, 10, bar(10, 0)],
  ])('progressBar(%s, %s)', (percent, width, expected) => {
    expect(progressBar(percent, width)).toBe(expected);
  });

  it('is always width + 2 characters wide', () => {
    for (let p = -5; p <= 105; p += 0.5) expect([...progressBar(p)]).toHaveLength(24);
  });
});

describe('formatLocalDateTime', () => {
  const iso = '2025-01-06T14:30:00.000Z';
  it.each<[string, string | undefined, string | undefined, string]>([
    [iso, 'UTC', undefined, '1/6/2025, 2:30:00 PM'],
    [iso, 'America/New_York', undefined, '1/6/2025, 9:30:00 AM'],
    [iso, 'Asia/Tokyo', undefined, '1/6/2025, 11:30:00 PM'],
    ['2025-01-06T19:30:00.000Z', 'UTC', 'en-US', '1/6/2025, 7:30:00 PM'],
    ['2025-01-07T00:05:09.000Z', 'UTC', undefined, '1/7/2025, 12:05:09 AM'],
    [iso, 'UTC', 'en-GB', '06/01/2025, 14:30:00'],
    ['not a date', 'UTC', undefined, UNKNOWN],
  ])('formatLocalDateTime(%s, {timeZone: %s, locale: %s}) → %s', (value, timeZone, locale, expected) => {
    expect(formatLocalDateTime(value, { timeZone, locale })).toBe(expected);
  });

  it('uses plain spaces, whatever the ICU version puts before AM/PM', () => {
    expect(formatLocalDateTime(iso, { timeZone: 'UTC' })).not.toMatch(/[\u202f\u00a0]/);
  });
});

describe('shortId', () => {
  it.each<[string, string]>([
    ['abc123def456ghi789', 'abc123def456...'],
    ['abc123def4567', 'abc123def456...'],
    ['abc123def456', 'abc123def456'],
    ['abc', 'abc'],
    ['', ''],
  ])('shortId(%j) → %j', (id, expected) => {
    expect(shortId(id)).toBe(expected);
  });
});
