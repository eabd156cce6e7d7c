/**
 * The whole main process (startApp) under the fake electron module, over a real Engine watching a
 * real temp config root: a transcript write moves the tray and fires a threshold notification
 * once; the popover gets Snapshots; IPC answers only the popover; quitting closes the watchers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, PUSH_CHANNELS } from '../../shared/ipc.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { startApp, type AppHandle } from '../../main/app/app.js';
import { APP_STORE_NAME } from '../../main/app/app-store.js';
import { addSession, readQueue, updateQueue } from '../../main/core/planner/queue.js';
import { POPOVER_SIZE } from '../../main/app/popover-size.js';
import { assistantLine, userLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';
import { fakeElectron, resetFakeElectron, type FakeMenuItem } from '../fakes/electron.js';

vi.mock('electron', () => import('../fakes/electron.js'));

const handles: AppHandle[] = [];
beforeEach(() => resetFakeElectron());
afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.shutdown()));
});

async function until<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function find(items: readonly FakeMenuItem[], label: string): FakeMenuItem | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu ? find(item.submenu, label) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** A root whose window started 10 minutes ago with 80,000 of pro's 200,000 tokens (40%). */
function fixtureRoot(): { root: string; file: string; minutesAgo: (m: number) => string } {
  const root = tempRoot('cco-app-main-');
  const start = Date.now() - 10 * 60_000;
  const minutesAgo = (m: number): string => new Date(start + (10 - m) * 60_000).toISOString();
  const file = writeTranscript(root, 'live-session', [
    userLine({ timestamp: minutesAgo(10), text: 'Ship the release notes', sessionId: 'live-session' }),
    assistantLine({ messageId: 'msg_1', sessionId: 'live-session', timestamp: minutesAgo(9), input: 50_000, output: 30_000 }),
  ]);
  return { root, file, minutesAgo };
}

async function start(root: string, platform = 'darwin', logs: string[] = []): Promise<AppHandle> {
  const handle = await startApp({ page: '/app/renderer/index.html', preload: '/app/dist/app/preload.cjs', platform, env: { CLAUDE_CONFIG_DIR: root }, log: (text) => logs.push(text) });
  if (!handle) throw new Error('startApp returned null');
  handles.push(handle);
  return handle;
}

describe('startApp (fake electron, real engine)', () => {
  it('shows the quota in the tray, follows transcript writes, and notifies each threshold once', async () => {
    const { root, file, minutesAgo } = fixtureRoot();
    const logs: string[] = [];
    await start(root, 'darwin', logs);
    const tray = fakeElectron.Tray.instances[0];
    if (!tray) throw new Error('no tray');
    expect(fakeElectron.app.dockHidden).toBe(true);
    expect(tray.title).toMatch(/^40% · 4h5\dm$/);
    expect(fakeElectron.Notification.instances).toEqual([]);

    fs.appendFileSync(file, `${assistantLine({ messageId: 'msg_2', sessionId: 'live-session', timestamp: minutesAgo(5), input: 15_000, output: 10_000 })}\n`);
    await until(() => tray.title.startsWith('53%'), 'the tray to show 53%');
    const first = await until(() => fakeElectron.Notification.instances[0], 'a notification');
    expect(first.options.title).toBe('Halfway mark: 53% of the quota used');
    expect(first.shown).toBe(true);

    // chokidar drops a second 'change' of the same file within 50 ms (chokidar/index.js _emit
    // throttle, no trailing event), so the Engine would miss this write until the next one.
    await new Promise((resolve) => setTimeout(resolve, 100));
    fs.appendFileSync(file, `${assistantLine({ messageId: 'msg_3', sessionId: 'live-session', timestamp: minutesAgo(4), input: 2_000, output: 1_000 })}\n`);
    await until(() => tray.title.startsWith('54%'), 'the tray to show 54%');
    expect(logs).toEqual([]);
    expect(fakeElectron.Notification.instances).toHaveLength(1);
    const stored = JSON.parse(fs.readFileSync(path.join(fakeElectron.app.getPath('userData'), `${APP_STORE_NAME}.json`), 'utf8')) as { notifications: { sent: Record<string, string> } };
    expect(Object.keys(stored.notifications.sent)).toEqual([expect.stringMatching(/^quota:.*:50$/)]);

    const popover = fakeElectron.BrowserWindow.instances[0];
    const pushed = popover?.webContents.sent.filter((message) => message.channel === PUSH_CHANNELS.snapshot).map((message) => (message.value as Snapshot).quota.percentUsed);
    expect(pushed?.slice(0, 3)).toEqual([40, 52.5, 54]);
  });

  it('a corrupt app store: the app starts, sets it aside and says so in one line (log and notification)', async () => {
    const { root } = fixtureRoot();
    const userData = fakeElectron.app.getPath('userData');
    fs.writeFileSync(path.join(userData, `${APP_STORE_NAME}.json`), '{"popover":');
    const logs: string[] = [];
    await start(root, 'linux', logs);
    const line = `${path.join(userData, `${APP_STORE_NAME}.json`)} was corrupt`;
    expect(logs).toEqual([expect.stringContaining(line)]);
    expect(fakeElectron.Notification.instances.map((n) => n.options.body)).toEqual([logs[0]]);
    expect(fs.readdirSync(userData).filter((name) => name.includes('.corrupt-'))).toHaveLength(1);
  });

  // Under npm start Electron reports its own version; the app store's migrations key on the app's.
  it.each([
    ['the package.json beside the project', { name: 'claude-code-optimizer', version: '0.3.1' }, '0.3.1'],
    ['Electron when the package.json says nothing usable', { version: '../../etc' }, '45.4.1'],
  ])('takes its version from %s', async (_case, manifest, expected) => {
    const { root } = fixtureRoot();
    fakeElectron.app.version = '45.4.1';
    const packageJson = path.join(tempRoot('cco-app-pkg-'), 'package.json');
    fs.writeFileSync(packageJson, JSON.stringify(manifest));
    const handle = await startApp({ page: '/p.html', preload: '/p.cjs', platform: 'linux', env: { CLAUDE_CONFIG_DIR: root }, packageJson });
    if (handle) handles.push(handle);
    const stored = JSON.parse(fs.readFileSync(path.join(fakeElectron.app.getPath('userData'), `${APP_STORE_NAME}.json`), 'utf8')) as { lastSeenVersion: string | null };
    expect(stored.lastSeenVersion).toBe(expected);
  });

  it('answers IPC from the popover only', async () => {
    const { root } = fixtureRoot();
    await start(root, 'linux');
    const popover = fakeElectron.BrowserWindow.instances[0];
    if (!popover) throw new Error('no popover');
    const ours = { sender: popover.webContents, senderFrame: popover.webContents.mainFrame };
    const snapshot = (await fakeElectron.ipcMain.invoke(INVOKE_CHANNELS.getSnapshot, ours)) as Snapshot;
    expect(snapshot.quota.percentUsed).toBe(40);
    const other = new fakeElectron.BrowserWindow({ width: 1, height: 1, webPreferences: {} });
    await other.loadURL('file:///app/renderer/index.html');
    await expect(fakeElectron.ipcMain.invoke(INVOKE_CHANNELS.getSnapshot, { sender: other.webContents, senderFrame: other.webContents.mainFrame })).rejects.toThrow(/refused/);
    await expect(fakeElectron.ipcMain.invoke(INVOKE_CHANNELS.planNext, ours, { hours: -1 })).rejects.toThrow(/hours to be a number/);
  });

  it('at CRITICAL it schedules the ready sessions for after the reset once, and says so in a banner', async () => {
    const { root, file, minutesAgo } = fixtureRoot();
    updateQueue(root, Date.now(), (queue) => {
      addSession(queue, { name: 'One', project: root, estimatedTokens: 5_000, estimatedHours: 1 }, Date.now());
      addSession(queue, { name: 'Two', project: root, estimatedTokens: 5_000, estimatedHours: 1 }, Date.now());
    });
    await start(root, 'linux');
    const popover = fakeElectron.BrowserWindow.instances[0];
    const banners = (): string[] => popover?.webContents.sent.filter((message) => message.channel === PUSH_CHANNELS.banner).map((message) => (message.value as { text: string }).text) ?? [];
    expect(readQueue(root).queue.sessions.map((s) => s.status)).toEqual(['ready', 'ready']);
    fs.appendFileSync(file, `${assistantLine({ messageId: 'msg_2', sessionId: 'live-session', timestamp: minutesAgo(5), input: 80_000, output: 36_000 })}\n`);
    await until(() => banners().length > 0, 'the auto-schedule banner');
    expect(banners()).toEqual([expect.stringMatching(/^Quota is CRITICAL .*all 2 ready sessions are scheduled for after the reset\.$/)]);
    expect(readQueue(root).queue.sessions.map((s) => [s.status, s.scheduledReason])).toEqual([
      ['scheduled', 'auto-critical'],
      ['scheduled', 'auto-critical'],
    ]);
    // The Snapshots after the schedule (the queue changed) find nothing ready: no second banner.
    await until(() => (popover?.webContents.sent.filter((message) => message.channel === PUSH_CHANNELS.snapshot).map((message) => message.value as Snapshot).at(-1)?.queue.summary.scheduled ?? 0) === 2, 'a Snapshot with the new queue');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(banners()).toHaveLength(1);
  });

  it('the tray menu runs real actions: Copy /compact command reaches the clipboard', async () => {
    const { root } = fixtureRoot();
    await start(root, 'linux');
    const tray = fakeElectron.Tray.instances[0];
    const item = tray?.contextMenu ? find(tray.contextMenu.items, 'Copy /compact command') : undefined;
    if (!item?.click) throw new Error('no enabled Copy /compact command item');
    item.click();
    await until(() => fakeElectron.clipboard.text, 'the clipboard');
    expect(fakeElectron.clipboard.text).toMatch(/^\/compact /);
    const popover = fakeElectron.BrowserWindow.instances[0];
    await until(() => popover?.webContents.sent.find((message) => message.channel === PUSH_CHANNELS.banner), 'a banner');
  });

  it('a tray click and a second launch open the popover; launch at login follows the setting', async () => {
    const { root } = fixtureRoot();
    fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ launchAtLogin: true }));
    await start(root, 'win32');
    expect(fakeElectron.app.loginItem).toEqual({ openAtLogin: true });
    expect(fakeElectron.app.appUserModelId).toBe('dev.cco.optimizer');
    const popover = fakeElectron.BrowserWindow.instances[0];
    const tray = fakeElectron.Tray.instances[0];
    fakeElectron.screen.workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    tray?.fire('click', {}, { x: 1700, y: 1045, width: 24, height: 30 });
    expect(popover?.visible).toBe(true);
    // Centred on the tray icon (x 1712), its bottom on the taskbar's top edge (y 1040).
    expect(popover?.position).toEqual([1712 - POPOVER_SIZE.width / 2, 1040 - POPOVER_SIZE.height]);
    // The tray's place is kept in the app store for the next start.
    const stored = JSON.parse(fs.readFileSync(path.join(fakeElectron.app.getPath('userData'), `${APP_STORE_NAME}.json`), 'utf8')) as { popover: unknown };
    expect(stored.popover).toEqual({ trayBounds: { x: 1700, y: 1045, width: 24, height: 30 } });
    popover?.hide();
    fakeElectron.app.fire('second-instance');
    expect(popover?.visible).toBe(true);
  });

  it('a hand edit of the settings file reaches the app through the Engine, with no new Snapshot needed', async () => {
    const { root } = fixtureRoot();
    const logs: string[] = [];
    await start(root, 'win32', logs);
    expect(fakeElectron.app.loginItem).toEqual({ openAtLogin: false });
    const tray = fakeElectron.Tray.instances[0];
    // On Windows the menu pops up on a right click.
    const resetTick = (): boolean | undefined => {
      tray?.fire('right-click');
      return find(tray?.poppedUp.at(-1)?.items ?? [], 'Window reset')?.checked;
    };
    expect(resetTick()).toBe(true);
    // Only app keys change: the Snapshot's figures stay the same, so the Engine's settings event carries it.
    fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ launchAtLogin: true, notifyReset: false, notifyQueue: 'sometimes' }));
    await until(() => fakeElectron.app.loginItem?.openAtLogin, 'launch at login to follow the file');
    expect(resetTick()).toBe(false);
    const warning = await until(() => logs.find((line) => line.includes('ignoring invalid notifyQueue')), 'the settings warning');
    expect(warning).toContain('notifyQueue must be true or false (or on/off, yes/no), got "sometimes"');
  });

  it('quits cleanly: watchers closed, IPC handlers removed, tray and window gone', async () => {
    const { root, file, minutesAgo } = fixtureRoot();
    const handle = await start(root);
    const stop = vi.spyOn(handle.engine, 'stop');
    fakeElectron.app.quit();
    await until(() => fakeElectron.app.quitCalls === 2, 'the quit to go through after shutdown');
    expect(stop).toHaveBeenCalledTimes(1);
    expect(fakeElectron.ipcMain.handlers.size).toBe(0);
    expect(fakeElectron.Tray.instances[0]?.isDestroyed()).toBe(true);
    expect(fakeElectron.BrowserWindow.instances[0]?.isDestroyed()).toBe(true);
    const before = handle.engine.snapshot;
    fs.appendFileSync(file, `${assistantLine({ messageId: 'msg_9', sessionId: 'live-session', timestamp: minutesAgo(1), input: 50_000, output: 0 })}\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handle.engine.snapshot).toBe(before);
  });

  it('a second instance only hands over to the first', async () => {
    fakeElectron.app.singleInstance = false;
    const { root } = fixtureRoot();
    const handle = await startApp({ page: '/p.html', preload: '/p.cjs', platform: 'linux', env: { CLAUDE_CONFIG_DIR: root } });
    expect(handle).toBeNull();
    expect(fakeElectron.app.quitCalls).toBe(1);
    expect(fakeElectron.Tray.instances).toEqual([]);
  });

  it('with no Claude Code config directory it says so and quits', async () => {
    const handle = await startApp({ page: '/p.html', preload: '/p.cjs', platform: 'linux', env: { CLAUDE_CONFIG_DIR: path.join(tempRoot(), 'missing') } });
    expect(handle).toBeNull();
    expect(fakeElectron.dialog.errors[0]?.content).toMatch(/no Claude Code config directory found/);
    expect(fakeElectron.app.quitCalls).toBe(1);
  });
});
