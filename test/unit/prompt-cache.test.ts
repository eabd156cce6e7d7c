import { describe, expect, it } from 'vitest';
import { cacheColdText, cacheExpiresAt } from '../../shared/prompt-cache.js';

const T0 = Date.parse('2026-01-06T14:30:00.000Z');
const MIN = 60_000;

describe('prompt cache', () => {
  it('expires 1 hour after the last response; unknown before the first', () => {
    expect(cacheExpiresAt(T0)).toBe('2026-01-06T15:30:00.000Z');
    expect(cacheExpiresAt(null)).toBeNull();
    expect(cacheExpiresAt(Number.NaN)).toBeNull();
  });

  it('"cache cold in 12m" until then, "cache cold" after, with a fixed clock', () => {
    const expires = cacheExpiresAt(T0);
    expect(cacheColdText(expires, T0 + 48 * MIN)).toBe('cache cold in 12m');
    expect(cacheColdText(expires, T0 + 60 * MIN)).toBe('cache cold');
    expect(cacheColdText(expires, T0 + 3 * 60 * MIN)).toBe('cache cold');
    expect(cacheColdText(null, T0)).toBeNull();
    expect(cacheColdText('garbage', T0)).toBeNull();
  });
});
