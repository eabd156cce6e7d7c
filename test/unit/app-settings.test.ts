import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_SETTINGS_SCHEMA, appSettingsFrom, defaultAppSettings, readAllSettings, writeSetting } from '../../main/app/app-settings.js';
import { readPlannerSettings } from '../../main/core/planner/planner-settings.js';
import { loadSettings } from '../../main/core/settings.js';
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
    writeSetting(root, 'hyperaware', 'on');
    const read = writeSetting(root, 'terminal', 'gnome-terminal');
    expect(onDisk(root)).toEqual({ plan: 'max5', somethingElse: { kept: true }, notifyReset: false, hyperaware: true, terminal: 'gnome-terminal' });
    expect(read.settings).toMatchObject({ plan: 'max5', notifyReset: false, hyperaware: true, terminal: 'gnome-terminal' });
    // The CLI and the planner read the same values.
    expect(loadSettings(root).settings.hyperaware).toBe(true);
    expect(readPlannerSettings(root).settings.terminal).toBe('gnome-terminal');
  });

  it('refuses bad values and unknown keys with a one-line message, leaving the file alone', () => {
    const root = tempRoot();
    writeSetting(root, 'launchAtLogin', 'yes');
    expect(() => writeSetting(root, 'launchAtLogin', 'maybe')).toThrow('launchAtLogin: expected true or false, got "maybe"');
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

  it('terminal and claudePath are the CLI\'s keys: written with its rules, read by the launcher', () => {
    const root = tempRoot();
    writeSetting(root, 'terminal', '["kitty","--directory","{cwd}","{command}"]');
    expect(readPlannerSettings(root).settings.terminal).toEqual(['kitty', '--directory', '{cwd}', '{command}']);
    writeSetting(root, 'terminal', 'none');
    expect(readAllSettings(root).settings.terminal).toBeNull();
  });

  it('a bad value in the file falls back to its default with a warning; the rest still applies', () => {
    const { settings, warnings } = appSettingsFrom({ notifyQuota: 'sometimes', notifyQueue: false, plan: 'ignored here' });
    expect(settings).toEqual({ ...defaultAppSettings(), notifyQueue: false });
    expect(warnings).toEqual(['notifyQuota: expected true or false, got "sometimes"; using the default']);
    expect(Object.keys(APP_SETTINGS_SCHEMA)).toEqual(['notifyQuota', 'notifyContext', 'notifySessions', 'notifyReset', 'notifyQueue', 'launchAtLogin']);
    const root = tempRoot();
    fs.writeFileSync(file(root), JSON.stringify({ notifyContext: 3 }));
    expect(readAllSettings(root).warnings).toEqual([`${file(root)}: notifyContext: expected true or false, got 3; using the default`]);
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
