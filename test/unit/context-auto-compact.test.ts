import { describe, expect, it } from 'vitest';
import { parsePercentEnv, parseWindowEnv, resolveAutoCompactAt } from '../../main/core/context/auto-compact.js';

const DEFAULT_AT = 180_000;

describe('resolveAutoCompactAt', () => {
  it('default: our setting\'s default scaled to the window', () => {
    expect(resolveAutoCompactAt(200_000, DEFAULT_AT, {})).toEqual({ at: 180_000, source: 'default' });
    expect(resolveAutoCompactAt(1_000_000, DEFAULT_AT, {})).toEqual({ at: 900_000, source: 'default' });
  });

  it('setting: a value other than the default is the user\'s', () => {
    expect(resolveAutoCompactAt(200_000, 167_000, {})).toEqual({ at: 167_000, source: 'setting' });
  });

  it('env-window: Claude Code reckons with the smaller window, the setting\'s share of it', () => {
    expect(resolveAutoCompactAt(1_000_000, DEFAULT_AT, { CLAUDE_CODE_AUTO_COMPACT_WINDOW: '400000' })).toEqual({ at: 360_000, source: 'env-window' });
    // Never past the real window.
    expect(resolveAutoCompactAt(200_000, DEFAULT_AT, { CLAUDE_CODE_AUTO_COMPACT_WINDOW: '1000000' })).toEqual({ at: 180_000, source: 'env-window' });
  });

  it('env-percent: percent of the window (of the env window when both are set)', () => {
    expect(resolveAutoCompactAt(200_000, DEFAULT_AT, { CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: '75' })).toEqual({ at: 150_000, source: 'env-percent' });
    expect(resolveAutoCompactAt(1_000_000, 167_000, { CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: '50', CLAUDE_CODE_AUTO_COMPACT_WINDOW: '300000' })).toEqual({ at: 150_000, source: 'env-percent' });
    expect(resolveAutoCompactAt(200_000, DEFAULT_AT, { CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: '92.5' })).toEqual({ at: 185_000, source: 'env-percent' });
  });

  it('bad values are ignored: the next source stands', () => {
    for (const bad of ['', 'abc', '-5', '0', '101', '1e2', '50%', 'NaN', 'Infinity']) {
      expect(resolveAutoCompactAt(200_000, DEFAULT_AT, { CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: bad })).toEqual({ at: 180_000, source: 'default' });
    }
    for (const bad of ['', 'big', '-100000', '0', '1.5', '100000001', '2e5']) {
      expect(resolveAutoCompactAt(200_000, 167_000, { CLAUDE_CODE_AUTO_COMPACT_WINDOW: bad })).toEqual({ at: 167_000, source: 'setting' });
    }
    expect(resolveAutoCompactAt(200_000, DEFAULT_AT, { CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: 'x', CLAUDE_CODE_AUTO_COMPACT_WINDOW: '100000' })).toEqual({ at: 90_000, source: 'env-window' });
  });

  it('parses with surrounding spaces, as a shell export may leave them', () => {
    expect(parseWindowEnv(' 150000 ')).toBe(150_000);
    expect(parsePercentEnv(' 80 ')).toBe(80);
    expect(parseWindowEnv(undefined)).toBeNull();
    expect(parsePercentEnv(undefined)).toBeNull();
  });
});
