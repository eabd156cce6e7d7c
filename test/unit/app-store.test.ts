/**
 * The app's own state (main/app/app-store.ts): the real electron-store under the fake electron
 * module, on real files in a temporary folder standing for userData. Round trips, a corrupt or
 * schema-refused file moved aside with one line, an unusable folder kept in memory, and the 0.1.0
 * migration that imports the notifications file the app kept before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_STORE_NAME, openAppStore, recordStart, type AppState } from '../../main/app/app-store.js';
import { IMPORTED_SUFFIX, LEGACY_SENT_FILE } from '../../main/app/app-store-migrations.js';
import { tempRoot } from '../helpers/cli.js';
import { fakeElectron } from '../fakes/electron.js';

vi.mock('electron', () => import('../fakes/electron.js'));

const T = Date.parse('2026-03-02T09:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function open(cwd: string, opts: { version?: string; legacyRoot?: string | null; warnings?: string[] } = {}) {
  return openAppStore({ cwd, version: opts.version ?? '0.1.0', legacyRoot: opts.legacyRoot ?? null, now: () => T, warn: (text) => opts.warnings?.push(text) });
}

const storeFile = (cwd: string): string => path.join(cwd, `${APP_STORE_NAME}.json`);
const asideFiles = (cwd: string, name: string): string[] => fs.readdirSync(cwd).filter((entry) => entry.startsWith(`${name}.corrupt-`));

describe('the app store (real electron-store, fake electron)', () => {
  it('round-trips the popover place, sent notifications, snooze, first run and last seen version through its file', () => {
    const cwd = tempRoot('cco-app-store-');
    const first = open(cwd);
    expect(first.warning).toBeNull();
    expect(first.store.path).toBe(storeFile(cwd));
    const state: AppState = {
      popover: { trayBounds: { x: 1100, y: 0, width: 30, height: 24 } },
      notifications: { sent: { 'quota:w1:50': iso(T), 'due:s1:2026-03-02T13:20:00.000Z': iso(T + 1) }, lastCheck: iso(T + 2), snoozedUntil: iso(T + 3_600_000) },
      firstRunAt: iso(T - 86_400_000),
      lastSeenVersion: '0.1.0',
    };
    for (const key of Object.keys(state) as (keyof AppState)[]) first.store.set(key, state[key] as never);

    const again = open(cwd);
    expect(again.warning).toBeNull();
    expect(Object.fromEntries((Object.keys(state) as (keyof AppState)[]).map((key) => [key, again.store.get(key)]))).toEqual(state);
    // Real JSON on disk, a once-key with dots in it kept as one key.
    const onDisk = JSON.parse(fs.readFileSync(storeFile(cwd), 'utf8')) as AppState;
    expect(onDisk.notifications.sent['due:s1:2026-03-02T13:20:00.000Z']).toBe(iso(T + 1));
    expect(onDisk.popover.trayBounds).toEqual(state.popover.trayBounds);
  });

  it('starts from the defaults, and records the first run once and each new version', () => {
    const cwd = tempRoot('cco-app-store-');
    const { store } = open(cwd);
    expect(store.get('popover')).toEqual({ trayBounds: null });
    expect(store.get('notifications')).toEqual({ sent: {}, lastCheck: null, snoozedUntil: null });
    expect(recordStart(store, '0.1.0', T)).toEqual({ firstRun: true, updatedFrom: null });
    expect(recordStart(open(cwd).store, '0.1.0', T + 1_000)).toEqual({ firstRun: false, updatedFrom: null });
    const updated = open(cwd, { version: '0.2.0' }).store;
    expect(recordStart(updated, '0.2.0', T + 2_000)).toEqual({ firstRun: false, updatedFrom: '0.1.0' });
    expect(updated.get('firstRunAt')).toBe(iso(T));
    expect(updated.get('lastSeenVersion')).toBe('0.2.0');
  });

  it.each([
    ['not JSON', '{"popover": {"trayBo'],
    ['a value the schema refuses', JSON.stringify({ lastSeenVersion: 5, popover: { trayBounds: { x: 0, y: 0, width: -1, height: 24 } } })],
  ])('a store file that is %s is moved aside, the app starts fresh and is told in one line', (_what, text) => {
    const cwd = tempRoot('cco-app-store-');
    fs.writeFileSync(storeFile(cwd), text);
    const { store, warning } = open(cwd);
    expect(warning).toMatch(new RegExp(`^${storeFile(cwd).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was corrupt \\(.+\\); moved aside to .+\\.corrupt-.+; starting fresh$`));
    expect(warning).not.toContain('\n');
    const [aside] = asideFiles(cwd, `${APP_STORE_NAME}.json`);
    expect(fs.readFileSync(path.join(cwd, aside ?? ''), 'utf8')).toBe(text);
    expect(store.get('lastSeenVersion')).toBeNull();
    store.set('lastSeenVersion', '0.1.0');
    expect(open(cwd).store.get('lastSeenVersion')).toBe('0.1.0');
  });

  it('a folder it cannot write keeps the state in memory for this run, told in one line, without throwing', () => {
    const parent = tempRoot('cco-app-store-');
    const cwd = path.join(parent, 'not-a-folder');
    fs.writeFileSync(cwd, 'a file where userData should be');
    const { store, warning } = open(cwd);
    expect(store.path).toBeNull();
    expect(warning).toMatch(/^could not open the app's state in .*not-a-folder.*; .* kept in memory until the app quits$/);
    store.set('notifications', { sent: { a: iso(T) }, lastCheck: null, snoozedUntil: null });
    expect(store.get('notifications').sent).toEqual({ a: iso(T) });
  });

  it('a file spoiled while the app runs gives the defaults and one warning, never a throw', () => {
    const cwd = tempRoot('cco-app-store-');
    const warnings: string[] = [];
    const { store } = open(cwd, { warnings });
    store.set('lastSeenVersion', '0.1.0');
    fs.writeFileSync(storeFile(cwd), 'garbage');
    expect(store.get('lastSeenVersion')).toBeNull();
    expect(store.get('firstRunAt')).toBeNull();
    expect(() => store.set('firstRunAt', iso(T))).not.toThrow();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^could not read the app's state in .*app-state\.json \(.*\); using defaults$/);
    expect(warnings[1]).toMatch(/^could not save the app's state in .*app-state\.json: /);
  });

  it('electron-store answers no renderer: its userData/version IPC listener is removed', () => {
    open(tempRoot('cco-app-store-'));
    expect(fakeElectron.ipcMain.listenerCount('electron-store-get-data')).toBe(0);
  });
});

describe('the 0.1.0 migration: the old cco-app-notifications.json', () => {
  it('is imported (sent keys, last check, first run), then renamed aside and never read again', () => {
    const cwd = tempRoot('cco-app-store-');
    const root = tempRoot('cco-app-legacy-');
    const legacy = path.join(root, LEGACY_SENT_FILE);
    const text = JSON.stringify({ version: 1, sent: { 'quota:w1:50': iso(T - 7_200_000), 'quota:w1:80': iso(T - 3_600_000), bad: 12 }, lastCheck: iso(T - 60_000) });
    fs.writeFileSync(legacy, text);
    const warnings: string[] = [];
    const { store, warning } = open(cwd, { legacyRoot: root, warnings });
    expect(warning).toBeNull();
    expect(warnings).toEqual([]);
    expect(store.get('notifications')).toEqual({ sent: { 'quota:w1:50': iso(T - 7_200_000), 'quota:w1:80': iso(T - 3_600_000) }, lastCheck: iso(T - 60_000), snoozedUntil: null });
    expect(store.get('firstRunAt')).toBe(iso(T - 7_200_000));
    expect(recordStart(store, '0.1.0', T).firstRun).toBe(false);
    expect(fs.existsSync(legacy)).toBe(false);
    expect(fs.readFileSync(`${legacy}${IMPORTED_SUFFIX}`, 'utf8')).toBe(text);

    // The migration ran once: a file of that name appearing later is not read.
    fs.writeFileSync(legacy, JSON.stringify({ version: 1, sent: { 'quota:w9:50': iso(T) } }));
    expect(Object.keys(open(cwd, { legacyRoot: root }).store.get('notifications').sent)).toEqual(['quota:w1:50', 'quota:w1:80']);
    expect(fs.existsSync(legacy)).toBe(true);
  });

  it('a corrupt old file is moved aside as corrupt and nothing is imported; the store opens normally', () => {
    const cwd = tempRoot('cco-app-store-');
    const root = tempRoot('cco-app-legacy-');
    fs.writeFileSync(path.join(root, LEGACY_SENT_FILE), 'not json');
    const warnings: string[] = [];
    const { store, warning } = open(cwd, { legacyRoot: root, warnings });
    expect(warning).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/cco-app-notifications\.json was corrupt .* moved aside/)]);
    expect(asideFiles(root, LEGACY_SENT_FILE)).toHaveLength(1);
    expect(store.get('notifications').sent).toEqual({});
    expect(store.get('firstRunAt')).toBeNull();
  });
});
