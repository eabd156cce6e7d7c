/**
 * The window assumed from the model until a status line reports (issue 11, item 13): the client's
 * default model claude-opus-5-5 has 1,000,000 tokens, so a 200k default read `claude -p` sessions
 * about 5x too full.
 */
import { describe, expect, it } from 'vitest';
import { computeContextFigures, contextSettings, DEFAULT_CONTEXT_SETTINGS, type ContextMeasure } from '../../main/core/context/context.js';
import { assumedWindowForModel, modelMatches } from '../../main/core/context/model-window.js';
import { settingsFromObject } from '../../main/core/settings.js';
import { formatSettingValue, parseSettingValue, validateSettingValue, SETTING_KEYS } from '../../main/core/settings-schema.js';

/** The file's context keys through the one settings parse, then the context rule's pick. */
const resolveContextSettings = (raw: unknown) => contextSettings(settingsFromObject(raw, SETTING_KEYS).settings);

const T = Date.parse('2026-11-30T10:00:00.000Z');

function measure(context: number, model: string | null, maxContext = context): ContextMeasure {
  return { lastResponse: { timestamp: T, context }, compactAfter: null, maxContext, model };
}

describe('assumedWindowForModel', () => {
  it.each([
    ['claude-opus-5-5', 1_000_000, 'model-default'],
    ['claude-opus-5-5-20261101', 1_000_000, 'model-default'],
    ['claude-sonnet-4-5[1m]', 1_000_000, 'model-default'],
    ['CLAUDE-OPUS-5-5', 1_000_000, 'model-default'],
    ['claude-opus-4-6', 200_000, 'model-default'],
    ['claude-sonnet-4-5', 200_000, 'model-default'],
    ['claude-haiku-4-5', 200_000, 'model-default'],
  ] as const)('%s → %d (%s)', (model, size, source) => {
    expect(assumedWindowForModel(model)).toEqual({ size, source });
  });

  it('an unknown model (no response yet): 200k, labelled default', () => {
    expect(assumedWindowForModel(null)).toEqual({ size: 200_000, source: 'default' });
  });

  it('the user\'s patterns come before the table', () => {
    expect(assumedWindowForModel('claude-opus-5-5', { 'claude-opus-5-5*': 200_000 })).toEqual({ size: 200_000, source: 'setting' });
    expect(assumedWindowForModel('claude-sonnet-4-5', { 'claude-sonnet-*': 1_000_000 })).toEqual({ size: 1_000_000, source: 'setting' });
    expect(assumedWindowForModel('claude-opus-4-6', { 'claude-sonnet-*': 1_000_000 })).toEqual({ size: 200_000, source: 'model-default' });
  });

  it('patterns match the whole id, with * as the only wildcard', () => {
    expect(modelMatches('claude-opus-5-5', 'claude-opus-5-50')).toBe(false);
    expect(modelMatches('*[1m]', 'claude-sonnet-4-5[1m]')).toBe(true);
    expect(modelMatches('claude.opus', 'claude-opus')).toBe(false);
  });
});

describe('computeContextFigures with the model', () => {
  it('a claude-opus-5-5 session with no status line: 150k of a 1M window, assumed from the model', () => {
    const f = computeContextFigures(measure(150_000, 'claude-opus-5-5'), DEFAULT_CONTEXT_SETTINGS);
    expect(f).toMatchObject({ windowSize: 1_000_000, windowSource: 'model-default', usableLimit: 900_000, percent: 16.7, level: 'fresh' });
  });

  it('the status line\'s size still wins over the model', () => {
    const f = computeContextFigures(measure(150_000, 'claude-opus-5-5'), DEFAULT_CONTEXT_SETTINGS, { size: 200_000, usedPercent: 75, observedAt: T - 1 });
    expect(f).toMatchObject({ windowSize: 200_000, windowSource: 'status-line' });
  });

  it('a setting overrides the table; a context above the assumed size still proves 1M', () => {
    const settings = resolveContextSettings({ contextWindowByModel: { 'claude-opus-5-5*': 200_000 } });
    expect(computeContextFigures(measure(150_000, 'claude-opus-5-5'), settings)).toMatchObject({ windowSize: 200_000, windowSource: 'setting', usableLimit: 180_000 });
    expect(computeContextFigures(measure(150_000, 'claude-opus-5-5', 420_000), settings)).toMatchObject({ windowSize: 1_000_000, windowSource: 'measured' });
  });

  it('an invalid contextWindowByModel falls back whole to the default, as every key of the file does', () => {
    // Unified (issue 12.2): the context rule used to keep the valid entries of a bad map, while the
    // engine's Settings dropped the whole map with a warning; the one parse keeps the stricter rule.
    expect(resolveContextSettings({ contextWindowByModel: { a: 500_000, b: -1, c: 'big', '': 5 } }).contextWindowByModel).toBeUndefined();
    expect(resolveContextSettings({ contextWindowByModel: { a: 500_000 } }).contextWindowByModel).toEqual({ a: 500_000 });
    expect(resolveContextSettings({ contextWindowByModel: [1] }).contextWindowByModel).toBeUndefined();
  });
});

describe('the contextWindowByModel setting', () => {
  it('parses "pattern=size" lists and JSON, and reads back what it prints', () => {
    const value = parseSettingValue('contextWindowByModel', 'claude-opus-5-5*=1,000,000, claude-sonnet-*=200000');
    expect(value).toEqual({ 'claude-opus-5-5*': 1_000_000, 'claude-sonnet-*': 200_000 });
    expect(formatSettingValue(value)).toBe('claude-opus-5-5*=1000000, claude-sonnet-*=200000');
    expect(parseSettingValue('contextWindowByModel', formatSettingValue(value))).toEqual(value);
    expect(parseSettingValue('contextWindowByModel', '{"claude-opus-4-6":1000000}')).toEqual({ 'claude-opus-4-6': 1_000_000 });
    expect(parseSettingValue('contextWindowByModel', 'none')).toEqual({});
    expect(formatSettingValue({})).toBe('none');
  });

  it('rejects bad values with one line naming the setting', () => {
    expect(() => parseSettingValue('contextWindowByModel', 'claude-opus-5-5')).toThrow(/^contextWindowByModel: "claude-opus-5-5" has no "=size"/);
    expect(() => parseSettingValue('contextWindowByModel', 'x=big')).toThrow(/contextWindowByModel must be a whole number of tokens from 1 to/);
    expect(() => parseSettingValue('contextWindowByModel', '{"x":')).toThrow(/contextWindowByModel is not valid JSON/);
    expect(() => validateSettingValue('contextWindowByModel', { x: 1.5 })).toThrow(/the window of "x" must be a positive whole number/);
    expect(() => validateSettingValue('contextWindowByModel', [1])).toThrow(/must be an object/);
  });
});
