/**
 * The one settings table (main/core/settings.ts), driven key by key: a key added to the table
 * without a row here fails the typecheck (the rows are typed by AnySettingKey), and every row is
 * held to the same rules: the default parses, a bad value is refused in one line naming the key
 * and what it accepts, and what a person types and what the file holds read the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextSettings, DEFAULT_CONTEXT_SETTINGS } from '../../main/core/context/context.js';
import { plannerSettings } from '../../main/core/planner/planner-settings.js';
import { FALSE_WORDS, TRUE_WORDS } from '../../main/core/settings-values.js';
import { settingsFromObject } from '../../main/core/settings.js';
import { ALL_SETTING_KEYS, APP_SETTING_KEYS, DEFAULT_SETTINGS, SETTING_ACCESS, SETTING_KEYS, SETTINGS_SCHEMA, defaultAllSettings, formatSettingValue, type AllSettings, type AnySettingKey } from '../../main/core/settings-schema.js';

interface Row<K extends AnySettingKey> {
  /** A value check must refuse (not text: text in the file goes through parseText, tested below). */
  bad: unknown;
  /** What the refusal must say is accepted. */
  accepts: RegExp;
  /** Valid values other than the default, as the file holds them. */
  samples: AllSettings[K][];
}

function booleanRow<K extends AnySettingKey>(): Row<K> {
  return { bad: 1, accepts: /true or false/, samples: [true, false] as AllSettings[K][] };
}

const ROWS: { [K in AnySettingKey]: Row<K> } = {
  plan: { bad: 7, accepts: /free, pro, team, max5, max20, custom, auto/, samples: ['free', 'max20', 'auto'] },
  customLimit: { bad: 0, accepts: /whole number of tokens from 1 to 100,000,000/, samples: [1, 300_000] },
  hyperaware: booleanRow(),
  windowAlignment: { bad: ['hour'], accepts: /first-token, hour/, samples: ['hour'] },
  countedKinds: { bad: ['input', 'tools'], accepts: /input, output, cacheCreation, cacheRead/, samples: [['output'], ['input', 'output', 'cacheCreation', 'cacheRead']] },
  countPlaceholderEstimate: booleanRow(),
  contextUsableLimit: { bad: 1.5, accepts: /whole number of tokens from 1 to 100,000,000/, samples: [150_000] },
  contextAutoCompactAt: { bad: -1, accepts: /whole number of tokens from 1 to 100,000,000/, samples: [167_000] },
  contextWindowByModel: { bad: { 'claude-*': 'big' }, accepts: /positive whole number of tokens/, samples: [{ 'claude-opus-4-6*': 1_000_000, 'claude-sonnet-*': 200_000 }] },
  autoScheduleAtCritical: booleanRow(),
  terminal: { bad: [], accepts: /terminal name or a list of strings/, samples: ['kitty', ['kitty', '--directory', '{cwd}', 'sh', '-c', '{command}']] },
  claudePath: { bad: 42, accepts: /a path/, samples: ['/opt/claude/bin/claude'] },
  autoStartAtReset: booleanRow(),
  autoStartMaxPerDay: { bad: 6, accepts: /whole number from 1 to 5/, samples: [1, 5] },
  notifyQuota: booleanRow(),
  notifyContext: booleanRow(),
  notifySessions: booleanRow(),
  notifyReset: booleanRow(),
  notifyQueue: booleanRow(),
  launchAtLogin: booleanRow(),
};

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected a refusal');
}

describe('every key of the settings table', () => {
  it.each(ALL_SETTING_KEYS)('%s: the default passes check, parse and parseText of its shown form', (key) => {
    const spec = SETTINGS_SCHEMA[key];
    const onDisk = JSON.parse(JSON.stringify(spec.default)) as unknown;
    expect(spec.check(onDisk)).toEqual(spec.default);
    expect(spec.parse(onDisk)).toEqual(spec.default);
    expect(spec.parseText(formatSettingValue(spec.default))).toEqual(spec.default);
    expect(spec.description).toMatch(/^[^\n]{10,}$/);
  });

  it.each(ALL_SETTING_KEYS)('%s: check refuses a bad value in one line naming the key and what it accepts', (key) => {
    const row = ROWS[key];
    const message = errorOf(() => SETTINGS_SCHEMA[key].check(row.bad));
    expect(message).not.toContain('\n');
    expect(message).toContain(key);
    expect(message).toMatch(row.accepts);
    // The file's reader refuses it too, and the key falls back to its default with that reason.
    const { settings, problems } = settingsFromObject({ [key]: row.bad }, [key]);
    expect(settings[key]).toEqual(SETTINGS_SCHEMA[key].default);
    expect(problems.map((problem) => problem.key)).toEqual([key]);
    expect(problems[0]?.text).toContain(message);
  });

  it.each(ALL_SETTING_KEYS)('%s: what a person types and what the file holds read the same', (key) => {
    const spec = SETTINGS_SCHEMA[key];
    for (const value of ROWS[key].samples) {
      const text = formatSettingValue(value as AllSettings[AnySettingKey]);
      expect(spec.parseText(text)).toEqual(value);
      expect(spec.parse(value)).toEqual(value);
      // Text in the file (a hand edit) goes through the same reader as text typed at a terminal.
      expect(spec.parse(text)).toEqual(spec.parseText(text));
    }
  });
});

describe('one rule for every boolean key, the CLI\'s and the app\'s', () => {
  const booleans = ALL_SETTING_KEYS.filter((key) => typeof SETTINGS_SCHEMA[key].default === 'boolean');

  it.each(booleans)('%s accepts the same words and refuses the rest with the same message', (key) => {
    const spec = SETTINGS_SCHEMA[key];
    for (const word of TRUE_WORDS) expect(spec.parseText(word.toUpperCase())).toBe(true);
    for (const word of FALSE_WORDS) expect(spec.parseText(` ${word} `)).toBe(false);
    // The app used to take 1/0 as well; the CLI never did: the stricter rule holds for both.
    for (const word of ['1', '0', 'maybe']) {
      expect(() => spec.parseText(word)).toThrow(new Error(`${key} must be true or false (or on/off, yes/no), got "${word}"`));
    }
  });

  it('covers the app keys and the CLI keys alike', () => {
    expect(booleans).toEqual(['hyperaware', 'countPlaceholderEstimate', 'autoScheduleAtCritical', 'autoStartAtReset', ...APP_SETTING_KEYS]);
  });
});

describe('what derives from the table', () => {
  it('the sections: cco config lists the CLI keys, the app section holds the app toggles', () => {
    expect(SETTING_KEYS).toEqual(ALL_SETTING_KEYS.filter((key) => !APP_SETTING_KEYS.includes(key as never)));
    expect(APP_SETTING_KEYS).toEqual(['notifyQuota', 'notifyContext', 'notifySessions', 'notifyReset', 'notifyQueue', 'launchAtLogin']);
    expect(Object.keys(DEFAULT_SETTINGS)).toEqual(SETTING_KEYS);
  });

  it('the launch settings: what cco runs (terminal, claudePath) and whether and how often it runs it unattended', () => {
    expect(ALL_SETTING_KEYS.filter((key) => SETTING_ACCESS[key] === 'launch')).toEqual(['terminal', 'claudePath', 'autoStartAtReset', 'autoStartMaxPerDay']);
  });

  it('the auto-start is off by default, with at most 2 starts a day; the cap refuses 0 and text that is not a count', () => {
    expect(DEFAULT_SETTINGS.autoStartAtReset).toBe(false);
    expect(DEFAULT_SETTINGS.autoStartMaxPerDay).toBe(2);
    expect(SETTINGS_SCHEMA.autoStartMaxPerDay.parseText(' 3 ')).toBe(3);
    for (const text of ['0', '2.5', 'two', '-1']) expect(() => SETTINGS_SCHEMA.autoStartMaxPerDay.parseText(text)).toThrow(/autoStartMaxPerDay must be a whole number from 1 to 5/);
  });

  it('the planner and the context rule take their keys from Settings, with the table\'s defaults', () => {
    const defaults = defaultAllSettings();
    expect(plannerSettings(defaults)).toEqual({ terminal: null, claudePath: null, autoScheduleAtCritical: true });
    expect(DEFAULT_CONTEXT_SETTINGS).toEqual({ contextUsableLimit: 180_000, contextAutoCompactAt: 180_000 });
    const { settings } = settingsFromObject({ contextUsableLimit: 150_000, contextWindowByModel: { 'x*': 500_000 }, terminal: 'kitty' }, SETTING_KEYS);
    expect(contextSettings(settings)).toEqual({ contextUsableLimit: 150_000, contextAutoCompactAt: 180_000, contextWindowByModel: { 'x*': 500_000 } });
    expect(plannerSettings(settings).terminal).toBe('kitty');
  });

  it('the README\'s settings table shows every key with the table\'s description', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
    for (const key of ALL_SETTING_KEYS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
      expect(row, `README row for ${key}`).toBeDefined();
      expect(row?.split(' | ').at(-1)).toBe(`${SETTINGS_SCHEMA[key].description} |`);
    }
  });
});
