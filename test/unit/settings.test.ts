import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runConfig } from '../../main/cli/config.js';
import { loadSettings, saveSetting, settingsPath, unsetSetting } from '../../main/core/settings.js';
import { DEFAULT_SETTINGS, SETTING_KEYS, applyOverrides, defaultSettings, parseSettingKey, parseSettingValue } from '../../main/core/settings-schema.js';

let root = '';
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-settings-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function writeRaw(value: unknown): void {
  fs.writeFileSync(settingsPath(root), JSON.stringify(value));
}
function readRaw(): unknown {
  return JSON.parse(fs.readFileSync(settingsPath(root), 'utf8'));
}

describe('loadSettings', () => {
  it('uses the defaults when the file is missing', () => {
    expect(loadSettings(root)).toEqual({
      settings: { plan: 'pro', customLimit: null, hyperaware: false, windowAlignment: 'first-token', countedKinds: ['input', 'output'], countPlaceholderEstimate: false, contextUsableLimit: 180_000, contextAutoCompactAt: 180_000, contextWindowByModel: {}, autoScheduleAtCritical: true, terminal: null, claudePath: null, autoStartAtReset: false, autoStartMaxPerDay: 2 },
      warning: null,
    });
    expect(settingsPath(root)).toBe(path.join(root, 'cco-settings.json'));
  });

  it('reads valid values, including hand-edited strings', () => {
    writeRaw({ plan: 'max5', hyperaware: 'yes', windowAlignment: 'hour', countedKinds: ['output', 'cacheRead'], customLimit: 1234 });
    expect(loadSettings(root)).toEqual({
      settings: { plan: 'max5', customLimit: 1234, hyperaware: true, windowAlignment: 'hour', countedKinds: ['output', 'cacheRead'], countPlaceholderEstimate: false, contextUsableLimit: 180_000, contextAutoCompactAt: 180_000, contextWindowByModel: {}, autoScheduleAtCritical: true, terminal: null, claudePath: null, autoStartAtReset: false, autoStartMaxPerDay: 2 },
      warning: null,
    });
  });

  it('falls back per key on invalid values and says so in one line', () => {
    writeRaw({ plan: 'prp', customLimit: -5, hyperaware: true, countedKinds: [] });
    const { settings, warning } = loadSettings(root);
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, hyperaware: true });
    expect(warning).toBe(
      `${settingsPath(root)}: ignoring invalid plan (unknown plan "prp": expected one of free, pro, team, max5, max20, custom, auto), using the default "pro"` +
        '; invalid customLimit (customLimit must be a whole number of tokens from 1 to 100,000,000; got -5), using the default null' +
        '; invalid countedKinds (countedKinds needs at least one of input, output, cacheCreation, cacheRead, as a comma list like input,output,cacheCreation), using the default ["input","output"]',
    );
  });

  it('ignores unknown keys', () => {
    writeRaw({ futureThing: 1, plan: 'team' });
    expect(loadSettings(root)).toEqual({ settings: { ...DEFAULT_SETTINGS, plan: 'team' }, warning: null });
  });

  it('moves a file that is not JSON aside and uses the defaults', () => {
    fs.writeFileSync(settingsPath(root), '{ plan: pro');
    const { settings, warning } = loadSettings(root);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(warning).toMatch(/cco-settings\.json was corrupt \(.+\); moved aside to .*cco-settings\.json\.corrupt-.*; starting fresh$/);
    expect(fs.readdirSync(root)).toEqual([expect.stringMatching(/^cco-settings\.json\.corrupt-/)]);
  });

  it('moves aside a JSON file that is not an object', () => {
    fs.writeFileSync(settingsPath(root), '["pro"]');
    expect(loadSettings(root).warning).toContain('(expected a JSON object of settings)');
  });

  it('hands out copies that callers cannot use to change the defaults', () => {
    loadSettings(root).settings.countedKinds.push('cacheRead');
    defaultSettings().countedKinds.push('cacheRead');
    expect(DEFAULT_SETTINGS.countedKinds).toEqual(['input', 'output']);
  });
});

describe('saveSetting / unsetSetting', () => {
  it('round-trips set, load and unset', () => {
    expect(saveSetting(root, 'plan', 'max20').settings.plan).toBe('max20');
    saveSetting(root, 'countedKinds', ['input', 'output', 'cacheCreation']);
    expect(loadSettings(root).settings).toMatchObject({ plan: 'max20', countedKinds: ['input', 'output', 'cacheCreation'] });
    expect(unsetSetting(root, 'plan').settings.plan).toBe('pro');
    expect(readRaw()).toEqual({ countedKinds: ['input', 'output', 'cacheCreation'] });
  });

  it('preserves unknown keys and the order of the file', () => {
    writeRaw({ zeta: { nested: true }, plan: 'free', alpha: 'x' });
    saveSetting(root, 'plan', 'team');
    saveSetting(root, 'hyperaware', true);
    expect(JSON.stringify(readRaw())).toBe('{"zeta":{"nested":true},"plan":"team","alpha":"x","hyperaware":true}');
  });

  it('rejects an invalid value at run time', () => {
    expect(() => saveSetting(root, 'customLimit', 0)).toThrow('customLimit must be a whole number of tokens from 1 to 100,000,000; got 0');
    expect(fs.existsSync(settingsPath(root))).toBe(false);
  });

  it('leaves no lock or temp files behind', () => {
    saveSetting(root, 'hyperaware', true);
    expect(fs.readdirSync(root)).toEqual(['cco-settings.json']);
  });
});

describe('parseSettingValue', () => {
  it('parses each kind of value', () => {
    expect(parseSettingValue('plan', 'Max5')).toBe('max5');
    expect(parseSettingValue('customLimit', '200_000')).toBe(200_000);
    expect(parseSettingValue('customLimit', '1,500,000')).toBe(1_500_000);
    expect(parseSettingValue('customLimit', 'none')).toBeNull();
    for (const yes of ['true', 'on', 'YES']) expect(parseSettingValue('hyperaware', yes)).toBe(true);
    for (const no of ['false', 'off', 'no']) expect(parseSettingValue('hyperaware', no)).toBe(false);
    expect(parseSettingValue('windowAlignment', 'hour')).toBe('hour');
    expect(parseSettingValue('countedKinds', 'input, output,cachecreation')).toEqual(['input', 'output', 'cacheCreation']);
  });

  it.each([
    ['plan', 'prp', 'unknown plan "prp": expected one of free, pro, team, max5, max20, custom, auto'],
    ['customLimit', 'abc', 'customLimit must be a whole number of tokens from 1 to 100,000,000; got abc'],
    ['customLimit', '0', 'customLimit must be a whole number of tokens from 1 to 100,000,000; got 0'],
    ['customLimit', '1.5', 'customLimit must be a whole number of tokens from 1 to 100,000,000; got 1.5'],
    ['hyperaware', 'maybe', 'hyperaware must be true or false (or on/off, yes/no), got "maybe"'],
    ['windowAlignment', 'minute', 'unknown windowAlignment "minute": expected one of first-token, hour'],
    [
      'countedKinds',
      'input,tools',
      'unknown token kind "tools" in countedKinds: expected a comma list of input, output, cacheCreation, cacheRead, like input,output,cacheCreation',
    ],
    ['countedKinds', 'input,input', 'countedKinds lists "input" twice: give each kind once, like input,output,cacheCreation'],
    ['countedKinds', ' , ', 'countedKinds needs at least one of input, output, cacheCreation, cacheRead, as a comma list like input,output,cacheCreation'],
  ] as const)('%s %j → %s', (key, text, message) => {
    expect(() => parseSettingValue(key, text)).toThrow(new Error(message));
  });

  it('resolves keys case-insensitively and names the keys when unknown', () => {
    expect(parseSettingKey('CustomLimit')).toBe('customLimit');
    expect(() => parseSettingKey('limit')).toThrow(
      new Error('unknown setting "limit": expected one of plan, customLimit, hyperaware, windowAlignment, countedKinds, countPlaceholderEstimate, contextUsableLimit, contextAutoCompactAt, contextWindowByModel, autoScheduleAtCritical, terminal, claudePath, autoStartAtReset, autoStartMaxPerDay'),
    );
    expect(SETTING_KEYS).toHaveLength(14);
  });
});

describe('applyOverrides', () => {
  const base = defaultSettings();

  it('returns the settings unchanged without flags', () => {
    expect(applyOverrides(base, {})).toEqual(base);
  });

  it('--limit implies plan custom', () => {
    expect(applyOverrides(base, { limit: 300_000 })).toMatchObject({ plan: 'custom', customLimit: 300_000 });
  });

  it('--limit with an explicit other plan keeps that plan', () => {
    expect(applyOverrides(base, { plan: 'max5', limit: 300_000 }).plan).toBe('max5');
  });

  it('--plan custom uses the configured customLimit', () => {
    expect(applyOverrides({ ...base, customLimit: 70_000 }, { plan: 'custom' })).toMatchObject({ plan: 'custom', customLimit: 70_000 });
  });

  it('--plan custom without any limit is an error that says how to fix it', () => {
    expect(() => applyOverrides(base, { plan: 'custom' })).toThrow(
      new Error('plan "custom" needs a limit: pass --limit N, or run "cco config set customLimit N"'),
    );
  });

  it('a configured custom plan without a limit is the same error', () => {
    expect(() => applyOverrides({ ...base, plan: 'custom' }, {})).toThrow('plan "custom" needs a limit');
  });

  it('--plan overrides a configured custom plan', () => {
    expect(applyOverrides({ ...base, plan: 'custom', customLimit: 5 }, { plan: 'team' }).plan).toBe('team');
  });

  it('rejects a bad --limit', () => {
    expect(() => applyOverrides(base, { limit: -1 })).toThrow('customLimit must be a whole number of tokens from 1 to 100,000,000; got -1');
  });

  it('does not change its input', () => {
    const input = defaultSettings();
    applyOverrides(input, { limit: 10 });
    expect(input).toEqual(DEFAULT_SETTINGS);
  });
});

describe('cco config', () => {
  function config(...args: string[]): { code: number; out: string; err: string } {
    let out = '';
    let err = '';
    const code = runConfig(args, { root, stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { code, out, err };
  }

  it('lists every key, marking defaults', () => {
    saveSetting(root, 'plan', 'max5');
    const expected = [
      'plan = max5',
      'customLimit = none (default)',
      'hyperaware = false (default)',
      'windowAlignment = first-token (default)',
      'countedKinds = input,output (default)',
      'countPlaceholderEstimate = false (default)',
      'contextUsableLimit = 180000 (default)',
      'contextAutoCompactAt = 180000 (default)',
      'contextWindowByModel = none (default)',
      'autoScheduleAtCritical = true (default)',
      'terminal = detect (default)',
      'claudePath = claude on PATH (default)',
      'autoStartAtReset = false (default)',
      'autoStartMaxPerDay = 2 (default)',
      '',
    ].join('\n');
    expect(config()).toEqual({ code: 0, out: expected, err: '' });
    expect(config('list').out).toBe(expected);
  });

  it('sets, gets and unsets', () => {
    expect(config('set', 'countedKinds', 'input', 'output', 'cacheRead')).toEqual({ code: 0, out: 'countedKinds = input,output,cacheRead\n', err: '' });
    expect(config('get', 'countedkinds')).toEqual({ code: 0, out: 'input,output,cacheRead\n', err: '' });
    expect(config('unset', 'countedKinds')).toEqual({ code: 0, out: 'countedKinds = input,output (default)\n', err: '' });
    expect(config('get', 'customLimit').out).toBe('none\n');
    // The unset launch settings say what they do, and what they say can be set back.
    expect(config('get', 'terminal').out).toBe('detect\n');
    expect(config('set', 'terminal', 'kitty').out).toBe('terminal = kitty\n');
    expect(config('set', 'terminal', 'detect').out).toBe('terminal = detect (default)\n');
    expect(config('set', 'claudePath', 'claude on PATH').out).toBe('claudePath = claude on PATH (default)\n');
  });

  it('notes that a custom plan needs a limit', () => {
    const result = config('set', 'plan', 'custom');
    expect(result.code).toBe(0);
    expect(result.err).toBe('cco config: note: plan "custom" needs a limit: run "cco config set customLimit N"\n');
  });

  it('prints the path', () => {
    expect(config('path')).toEqual({ code: 0, out: `${settingsPath(root)}\n`, err: '' });
  });

  it.each([
    [['get', 'nope'], 'cco config: unknown setting "nope": expected one of plan, customLimit, hyperaware, windowAlignment, countedKinds, countPlaceholderEstimate, contextUsableLimit, contextAutoCompactAt, contextWindowByModel, autoScheduleAtCritical, terminal, claudePath, autoStartAtReset, autoStartMaxPerDay\n'],
    [['set', 'plan', 'prp'], 'cco config: unknown plan "prp": expected one of free, pro, team, max5, max20, custom, auto\n'],
    [['set', 'plan'], 'cco config: "cco config set KEY VALUE" expects KEY VALUE, got 1 argument(s)\n'],
    [['frob'], 'cco config: unknown config command "frob": expected list, get, set, unset or path\n'],
  ])('%j exits 2 with one line on stderr', (args, message) => {
    expect(config(...args)).toEqual({ code: 2, out: '', err: message });
    expect(fs.existsSync(settingsPath(root))).toBe(false);
  });

  it('reports a corrupt file on stderr and still answers', () => {
    fs.writeFileSync(settingsPath(root), 'garbage');
    const result = config('get', 'plan');
    expect(result.code).toBe(0);
    expect(result.out).toBe('pro\n');
    expect(result.err).toMatch(/^cco config: warning: .*cco-settings\.json was corrupt .*; starting fresh\n$/);
  });
});

describe('launch settings', () => {
  it('takes a terminal name, a JSON command list, or none', () => {
    expect(parseSettingValue('terminal', 'kitty')).toBe('kitty');
    expect(parseSettingValue('terminal', '["kitty","--directory","{cwd}","sh","-c","{command}"]')).toEqual(['kitty', '--directory', '{cwd}', 'sh', '-c', '{command}']);
    expect(parseSettingValue('terminal', 'none')).toBeNull();
    expect(() => parseSettingValue('terminal', '[1,2]')).toThrow(/terminal must be a name like kitty/);
    expect(parseSettingValue('claudePath', '/opt/claude/bin/claude')).toBe('/opt/claude/bin/claude');
  });
});
