import { describe, expect, it } from 'vitest';
import {
  HOOK_EVENTS,
  SettingsShapeError,
  hookEntry,
  planInstall,
  planUninstall,
  statusLineEntry,
  type InstallPlan,
  type JsonObject,
} from '../../main/integration/settings-plan.js';
import type { CliTarget } from '../../main/integration/shell.js';
import type { IntegrationState } from '../../main/integration/state.js';

const TARGET: CliTarget = { nodePath: '/usr/bin/node', ccoBin: '/opt/cco/bin/cco.js', root: '/home/dana/.claude', platform: 'linux' };
const HOOK = '"/usr/bin/node" "/opt/cco/bin/cco.js" hook --config-dir "/home/dana/.claude"';
const STATUS = '"/usr/bin/node" "/opt/cco/bin/cco.js" statusline --config-dir "/home/dana/.claude"';

const userHook = { type: 'command', command: 'echo "hello from my hook"' };
const userStatusLine = { type: 'command', command: '~/bin/my-status.sh', padding: 1 };

/** The state the installer would write after `plan`. */
function stateAfter(plan: InstallPlan): IntegrationState {
  return {
    version: 1,
    installedAt: '2026-01-06T14:00:00.000Z',
    previousStatusLine: plan.previousStatusLine,
    settingsBackup: null,
    createdSettingsFile: false,
    createdCommandsDir: false,
    keptEmpty: plan.keptEmpty,
    commands: {},
  };
}

function install(current: unknown, state: IntegrationState | null = null, target: CliTarget = TARGET) {
  return planInstall(current, { target, state });
}

/** JSON text as the installer writes it: comparing text checks key order too. */
const text = (value: unknown): string => JSON.stringify(value, null, 2);

describe('planInstall', () => {
  it('registers every event with the absolute command and its timeout, and our status line', () => {
    const plan = install(undefined);
    const hooks = plan.nextSettings.hooks as Record<string, unknown>;
    expect(Object.keys(hooks)).toEqual([...HOOK_EVENTS]);
    expect(hooks.SessionStart).toEqual([{ matcher: '', hooks: [{ type: 'command', command: HOOK, timeout: 10 }] }]);
    expect(hooks.PostToolUse).toEqual([{ matcher: '', hooks: [{ type: 'command', command: HOOK, timeout: 5 }] }]);
    expect(plan.nextSettings.statusLine).toEqual({ type: 'command', command: STATUS, padding: 0 });
    expect(plan.previousStatusLine).toBeNull();
    expect(plan.changes.filter((c) => c.action === 'add')).toHaveLength(HOOK_EVENTS.length + 1);
  });

  it('merges beside the user\'s own hooks on the same event and keeps every other key in its place', () => {
    const current = {
      model: 'opus',
      hooks: { SessionStart: [{ matcher: 'startup', hooks: [userHook] }], PreToolUse: [{ matcher: 'Bash', hooks: [userHook] }] },
      permissions: { allow: ['Bash(ls:*)'] },
    };
    const before = text(current);
    const plan = install(current);
    expect(text(current)).toBe(before); // the input is not mutated
    const next = plan.nextSettings;
    expect(Object.keys(next)).toEqual(['model', 'hooks', 'permissions', 'statusLine']);
    const hooks = next.hooks as Record<string, unknown[]>;
    expect(Object.keys(hooks).slice(0, 2)).toEqual(['SessionStart', 'PreToolUse']);
    expect(hooks.SessionStart).toEqual([{ matcher: 'startup', hooks: [userHook] }, { matcher: '', hooks: [hookEntry(TARGET, 'SessionStart')] }]);
    expect(hooks.PreToolUse).toEqual([{ matcher: 'Bash', hooks: [userHook] }]);
    expect(next.permissions).toEqual({ allow: ['Bash(ls:*)'] });
  });

  it('changes nothing the second time', () => {
    for (const current of [undefined, {}, { hooks: { Stop: [{ hooks: [userHook] }] }, statusLine: userStatusLine }]) {
      const first = install(current);
      const second = install(first.nextSettings, stateAfter(first));
      expect(second.changes).toEqual([]);
      expect(text(second.nextSettings)).toBe(text(first.nextSettings));
      expect(second.previousStatusLine).toEqual(first.previousStatusLine);
    }
  });

  it('saves the user\'s status line, and keeps it saved across re-installs', () => {
    const first = install({ statusLine: userStatusLine });
    expect(first.previousStatusLine).toEqual(userStatusLine);
    expect(first.nextSettings.statusLine).toEqual(statusLineEntry(TARGET));
    expect(first.changes).toContainEqual(expect.objectContaining({ action: 'update', target: 'statusLine' }));
    const again = install(first.nextSettings, stateAfter(first));
    expect(again.previousStatusLine).toEqual(userStatusLine);
  });

  it('updates our entries in place after the package moved, without duplicating them', () => {
    const old = install({ hooks: { Stop: [{ hooks: [userHook] }] } });
    const moved: CliTarget = { ...TARGET, ccoBin: '/new place/cco/bin/cco.js', nodePath: '/usr/local/bin/node' };
    const plan = install(old.nextSettings, stateAfter(old), moved);
    const hooks = plan.nextSettings.hooks as Record<string, unknown[]>;
    expect(hooks.Stop).toEqual([{ hooks: [userHook] }, { matcher: '', hooks: [hookEntry(moved, 'Stop')] }]);
    expect(plan.changes.filter((c) => c.action === 'update')).toHaveLength(HOOK_EVENTS.length + 1);
    expect(plan.changes.filter((c) => c.action === 'add')).toHaveLength(0);
    expect((plan.nextSettings.statusLine as JsonObject).command).toBe(statusLineEntry(moved).command);
  });

  it('drops duplicates of our hook and ours on events we no longer use', () => {
    const ours = hookEntry(TARGET, 'Stop');
    const current = {
      hooks: {
        Stop: [{ matcher: '', hooks: [ours] }, { matcher: '', hooks: [ours, userHook] }],
        Notification: [{ matcher: '', hooks: [{ ...ours, timeout: 10 }] }],
      },
    };
    const hooks = install(current).nextSettings.hooks as Record<string, unknown[]>;
    expect(hooks.Stop).toEqual([{ matcher: '', hooks: [ours] }, { matcher: '', hooks: [userHook] }]);
    expect(hooks.Notification).toBeUndefined();
  });

  it('keeps what the user added to our status line', () => {
    const first = install(undefined);
    const tuned = { ...first.nextSettings, statusLine: { ...(first.nextSettings.statusLine as JsonObject), padding: 2, refreshInterval: 5 } };
    const plan = install(tuned, stateAfter(first));
    expect(plan.changes).toEqual([]);
    expect(plan.nextSettings.statusLine).toEqual({ type: 'command', command: STATUS, padding: 2, refreshInterval: 5 });
  });

  it.each([
    ['a list', []],
    ['a string', 'hooks'],
    ['hooks that are not an object', { hooks: [] }],
    ['an event that is not a list', { hooks: { SessionStart: { matcher: '' } } }],
    ['a statusLine that is not an object', { statusLine: 'my-status.sh' }],
  ])('refuses settings holding %s', (_name, current) => {
    expect(() => install(current)).toThrow(SettingsShapeError);
  });
});

describe('planUninstall', () => {
  const originals: [string, JsonObject][] = [
    ['nothing', {}],
    ['other settings only', { model: 'opus', env: { FOO: '1' } }],
    ['the user\'s hooks on our events and others', { hooks: { SessionStart: [{ matcher: 'startup', hooks: [userHook] }], PreToolUse: [{ matcher: 'Bash', hooks: [userHook] }] }, model: 'opus' }],
    ['an empty hooks object', { hooks: {} }],
    ['an empty event list', { hooks: { Stop: [] } }],
    ['a group holding no hooks', { hooks: { Stop: [{ matcher: '', hooks: [] }] } }],
    ['a status line', { statusLine: userStatusLine, theme: 'dark' }],
    ['a status line and hooks', { theme: 'dark', statusLine: userStatusLine, hooks: { UserPromptSubmit: [{ hooks: [userHook] }] } }],
  ];

  it.each(originals)('returns %s exactly as it was before install', (_name, original) => {
    const plan = install(original);
    const back = planUninstall(plan.nextSettings, stateAfter(plan));
    expect(back.nextSettings).toEqual(original);
    expect(text(back.nextSettings)).toBe(text(original));
    expect(back.notes).toEqual([]);
  });

  it('without a state file still removes ours and the containers they leave empty', () => {
    const plan = install({ model: 'opus' });
    expect(planUninstall(plan.nextSettings, null).nextSettings).toEqual({ model: 'opus' });
  });

  it('keeps every change the user made after install', () => {
    const plan = install({ statusLine: userStatusLine, hooks: { SessionStart: [{ matcher: 'startup', hooks: [userHook] }] } });
    const edited = JSON.parse(JSON.stringify(plan.nextSettings)) as JsonObject;
    edited.model = 'sonnet';
    const hooks = edited.hooks as Record<string, unknown[]>;
    hooks.SessionStart?.push({ matcher: 'resume', hooks: [userHook] });
    hooks.Notification = [{ matcher: '', hooks: [userHook] }];
    // The user also tucked a hook of their own into our group.
    ((hooks.Stop?.[0] as JsonObject).hooks as unknown[]).push(userHook);

    const back = planUninstall(edited, stateAfter(plan));
    expect(back.nextSettings).toEqual({
      statusLine: userStatusLine,
      hooks: {
        SessionStart: [{ matcher: 'startup', hooks: [userHook] }, { matcher: 'resume', hooks: [userHook] }],
        Stop: [{ matcher: '', hooks: [userHook] }],
        Notification: [{ matcher: '', hooks: [userHook] }],
      },
      model: 'sonnet',
    });
  });

  it('leaves a status line the user replaced after install, with a note', () => {
    const plan = install({ statusLine: userStatusLine });
    const theirNewOne = { type: 'command', command: 'starship statusline' };
    const back = planUninstall({ ...plan.nextSettings, statusLine: theirNewOne }, stateAfter(plan));
    expect(back.nextSettings.statusLine).toEqual(theirNewOne);
    expect(back.notes).toHaveLength(1);
  });

  it('has nothing to do when nothing of ours is there', () => {
    const settings = { hooks: { Stop: [{ hooks: [userHook] }] }, statusLine: userStatusLine };
    const back = planUninstall(settings, null);
    expect(back.changes).toEqual([]);
    expect(text(back.nextSettings)).toBe(text(settings));
  });
});
