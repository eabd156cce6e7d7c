import { describe, expect, it } from 'vitest';
import {
  computeContextFigures,
  DEFAULT_CONTEXT_SETTINGS,
  contextSettings,
  scaleToWindow,
  type ContextMeasure,
} from '../../main/core/context/context.js';
import { settingsFromObject } from '../../main/core/settings.js';
import { SETTING_KEYS } from '../../main/core/settings-schema.js';

/** The file's context keys through the one settings parse, then the context rule's pick. */
const resolveContextSettings = (raw: unknown) => contextSettings(settingsFromObject(raw, SETTING_KEYS).settings);

const T = Date.parse('2026-03-02T10:00:00.000Z');
const settings = DEFAULT_CONTEXT_SETTINGS;

function measure(partial: Partial<ContextMeasure>): ContextMeasure {
  return { lastResponse: null, compactAfter: null, maxContext: 0, ...partial };
}

describe('the context size rule', () => {
  it('is the last response\'s input + cache figure, of a 200k window with 180k usable', () => {
    const f = computeContextFigures(measure({ lastResponse: { timestamp: T, context: 68_000 }, maxContext: 68_000 }), settings);
    expect(f).toMatchObject({ tokens: 68_000, source: 'transcript', windowSize: 200_000, windowSource: 'default', usableLimit: 180_000, autoCompactAt: 180_000, percent: 37.8, level: 'healthy' });
    expect(f.nextAlert).toEqual({ level: 'moderate', percent: 50, tokens: 90_000, tokensUntil: 22_000 });
  });

  it('is unknown before the first response', () => {
    const f = computeContextFigures(measure({}), settings);
    expect(f).toMatchObject({ tokens: null, source: 'unknown', percent: null, level: null, nextAlert: null, windowSize: 200_000 });
  });

  it('is a later compact boundary\'s postTokens, or unknown when the boundary has none', () => {
    const withPost = computeContextFigures(measure({ lastResponse: { timestamp: T, context: 170_000 }, compactAfter: { timestamp: T + 1, postTokens: 21_500 }, maxContext: 170_000 }), settings);
    expect(withPost).toMatchObject({ tokens: 21_500, source: 'compact-boundary', level: 'fresh' });
    const without = computeContextFigures(measure({ lastResponse: { timestamp: T, context: 170_000 }, compactAfter: { timestamp: T + 1, postTokens: null }, maxContext: 170_000 }), settings);
    expect(without).toMatchObject({ tokens: null, source: 'unknown', level: null, percent: null });
  });

  it('proves a 1M window when a context above 200k was measured, and scales the limits', () => {
    const f = computeContextFigures(measure({ lastResponse: { timestamp: T, context: 420_000 }, maxContext: 420_000 }), settings);
    expect(f).toMatchObject({ tokens: 420_000, windowSize: 1_000_000, windowSource: 'measured', usableLimit: 900_000, autoCompactAt: 900_000, percent: 46.7, level: 'healthy' });
    // After a compaction the current context is small but the window stays proven.
    const after = computeContextFigures(measure({ lastResponse: { timestamp: T, context: 30_000 }, maxContext: 420_000 }), settings);
    expect(after).toMatchObject({ windowSize: 1_000_000, usableLimit: 900_000, level: 'fresh' });
  });

  it('takes the window size from the status line, fresh or not', () => {
    const statusLine = { size: 1_000_000, usedPercent: 5, observedAt: T - 60_000 };
    const f = computeContextFigures(measure({ lastResponse: { timestamp: T, context: 60_000 }, maxContext: 60_000 }), settings, statusLine);
    expect(f).toMatchObject({ windowSize: 1_000_000, windowSource: 'status-line', usableLimit: 900_000, tokens: 60_000, source: 'transcript' });
  });

  it('prefers a fresh status line that disagrees, keeps the exact transcript figure when they agree, ignores a stale one', () => {
    const m = measure({ lastResponse: { timestamp: T, context: 100_000 }, compactAfter: { timestamp: T + 1_000, postTokens: null }, maxContext: 100_000 });
    const fresh = computeContextFigures(m, settings, { size: 200_000, usedPercent: 12, observedAt: new Date(T + 2_000).toISOString() });
    expect(fresh).toMatchObject({ tokens: 24_000, source: 'status-line', level: 'fresh' });
    const stale = computeContextFigures(m, settings, { size: 200_000, usedPercent: 12, observedAt: T - 5_000 });
    expect(stale).toMatchObject({ tokens: null, source: 'unknown' });
    const agreeing = computeContextFigures(measure({ lastResponse: { timestamp: T, context: 100_123 }, maxContext: 100_123 }), settings, { size: 200_000, usedPercent: 50, observedAt: T + 10 });
    expect(agreeing).toMatchObject({ tokens: 100_123, source: 'transcript' });
    const missing = computeContextFigures(measure({ lastResponse: { timestamp: T, context: 100_123 }, maxContext: 100_123 }), settings, { size: null, usedPercent: null, observedAt: T + 10 });
    expect(missing).toMatchObject({ tokens: 100_123, source: 'transcript', windowSource: 'default' });
  });

  it('scales the usable limit and auto-compact settings to the window', () => {
    const custom = { contextUsableLimit: 160_000, contextAutoCompactAt: 167_000 };
    const f = computeContextFigures(measure({ lastResponse: { timestamp: T, context: 130_000 }, maxContext: 130_000 }), custom);
    expect(f).toMatchObject({ usableLimit: 160_000, autoCompactAt: 167_000, percent: 81.3, level: 'danger' });
    expect(scaleToWindow(180_000, 1_000_000)).toBe(900_000);
    expect(scaleToWindow(250_000, 200_000)).toBe(200_000);
  });

  it('reads the settings leniently: missing or invalid values take the defaults', () => {
    expect(resolveContextSettings({ plan: 'pro' })).toEqual(DEFAULT_CONTEXT_SETTINGS);
    expect(resolveContextSettings(null)).toEqual(DEFAULT_CONTEXT_SETTINGS);
    expect(resolveContextSettings({ contextUsableLimit: 150_000, contextAutoCompactAt: 'soon' })).toEqual({ contextUsableLimit: 150_000, contextAutoCompactAt: 180_000 });
    expect(resolveContextSettings({ contextUsableLimit: -1 })).toEqual(DEFAULT_CONTEXT_SETTINGS);
  });
});
