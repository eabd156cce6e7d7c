/**
 * The thin Electron parts of main/app, driven through the fake electron module: the tray follows
 * Snapshots, notifications fire once per threshold and their buttons run commands, IPC answers
 * only the popover and only good payloads, the popover window is locked down, and the preload
 * exposes named methods only.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, PUSH_CHANNELS } from '../../shared/ipc.js';
import type { Snapshot } from '../../shared/snapshot.js';
import type { AppCommand } from '../../main/app/commands.js';
import type { CoreActions } from '../../main/app/core-actions.js';
import { createIpcHandlers } from '../../main/app/ipc-handlers.js';
import { createNotifier } from '../../main/app/notifier.js';
import { memorySentKeys } from '../../main/app/sent-store.js';
import { createPopoverWindow } from '../../main/app/popover-window.js';
import { pushSnapshot, registerIpc } from '../../main/app/ipc.js';
import { createTray } from '../../main/app/tray.js';
import { trayView } from '../../main/app/tray-policy.js';
import { snapshotFixture } from '../fixtures/snapshot-fixtures.js';
import { FakeFrame, fakeElectron, resetFakeElectron, type FakeMenuItem, type FakeNativeImage } from '../fakes/electron.js';

vi.mock('electron', () => import('../fakes/electron.js'));

const BASE = snapshotFixture('active-good');
const at = (percentUsed: number, generatedAt = BASE.generatedAt): Snapshot => ({ ...BASE, generatedAt, quota: { ...BASE.quota, hyperaware: false, percentUsed, level: percentUsed >= 80 ? 'high' : 'moderate' } });

beforeEach(() => resetFakeElectron());
afterEach(() => vi.restoreAllMocks());

function find(items: readonly FakeMenuItem[], label: string): FakeMenuItem | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu ? find(item.submenu, label) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

describe('tray', () => {
  it('applies a Snapshot: template icon and title on macOS, menu on right-click, clicks reach the popover', () => {
    const ran: AppCommand[] = [];
    const clicks: unknown[] = [];
    const handle = createTray({ platform: 'darwin', initial: trayView(null, 'darwin'), onClick: (bounds) => clicks.push(bounds), run: (command) => ran.push(command) });
    const tray = fakeElectron.Tray.instances[0];
    if (!tray) throw new Error('no tray');
    expect(tray.title).toBe('…');
    expect((tray.image as FakeNativeImage).template).toBe(true);

    handle.update(trayView(at(42.5), 'darwin'));
    expect(tray.title).toBe('43% · 2h45m');
    expect(tray.tooltip).toMatch(/43% used \(MODERATE\)/);
    expect((tray.image as FakeNativeImage).representations.map((r) => r.scaleFactor)).toEqual([1, 2]);
    expect(tray.contextMenu).toBeNull();
    tray.fire('right-click');
    const menu = tray.poppedUp[0];
    if (!menu) throw new Error('no menu popped up');
    find(menu.items, 'Export calendar')?.click?.();
    find(menu.items, 'I have 3 hours')?.click?.();
    expect(ran).toEqual([{ kind: 'export-calendar' }, { kind: 'carry-out-next', hours: 3 }]);

    tray.fire('click', {}, { x: 1, y: 2, width: 3, height: 4 });
    expect(clicks).toEqual([{ x: 1, y: 2, width: 3, height: 4 }]);
    handle.destroy();
    expect(tray.isDestroyed()).toBe(true);
  });

  it('Linux: the menu is attached (a click may never come), the percentage is drawn in, no title', () => {
    const handle = createTray({ platform: 'linux', initial: trayView(at(42.5), 'linux'), onClick: () => {}, run: () => {} });
    const tray = fakeElectron.Tray.instances[0];
    if (!tray) throw new Error('no tray');
    expect(tray.contextMenu).not.toBeNull();
    expect(tray.calls).not.toContain('setTitle');
    const first = tray.image;
    handle.update(trayView(at(42.5), 'linux'));
    expect(tray.image).toBe(first);
    handle.update(trayView(at(61), 'linux'));
    expect(tray.image).not.toBe(first);
  });

  it('touches only what changed: an identical view sets nothing', () => {
    const handle = createTray({ platform: 'win32', initial: trayView(at(42.5), 'win32'), onClick: () => {}, run: () => {} });
    const tray = fakeElectron.Tray.instances[0];
    if (!tray) throw new Error('no tray');
    const before = tray.calls.length;
    handle.update(trayView(at(42.5), 'win32'));
    expect(tray.calls.length).toBe(before);
  });
});

describe('notifier', () => {
  const toggles = { notifyQuota: true, notifyContext: true, notifySessions: true, notifyReset: true, notifyQueue: true };

  it('fires once per threshold; buttons and clicks run their commands', () => {
    const ran: AppCommand[] = [];
    const notifier = createNotifier({ platform: 'darwin', settings: () => toggles, sent: memorySentKeys(), run: (command) => ran.push(command), banner: () => {} });
    // One session ready, so the 80% notification offers Schedule next session besides Snooze.
    const ready = (snapshot: Snapshot): Snapshot => ({ ...snapshot, queue: { ...snapshot.queue, summary: { ...snapshot.queue.summary, ready: 1 } } });
    for (const percent of [40, 55, 60, 55, 81, 82]) notifier.onSnapshot(ready(at(percent)));
    const shown = fakeElectron.Notification.instances;
    expect(shown.map((n) => n.options.title)).toEqual(['Halfway mark: 55% of the quota used', 'Plan next session: 81% of the quota used']);
    expect(shown.every((n) => n.shown)).toBe(true);
    expect(shown[1]?.options.actions).toEqual([
      { type: 'button', text: 'Schedule next session' },
      { type: 'button', text: 'Snooze' },
    ]);
    shown[1]?.pressAction(0);
    shown[1]?.pressAction(1);
    shown[0]?.fire('click', {});
    expect(ran).toEqual([{ kind: 'schedule-at-reset' }, { kind: 'snooze', minutes: 60 }, { kind: 'open-popover' }]);
  });

  it('a notification that fails (unsigned macOS build) becomes an in-app banner', () => {
    const banners: unknown[] = [];
    fakeElectron.Notification.failWith = 'Notifications are not allowed for this application';
    const notifier = createNotifier({ platform: 'darwin', settings: () => toggles, sent: memorySentKeys(), run: () => {}, banner: (b) => banners.push(b) });
    notifier.onSnapshot(at(40));
    notifier.onSnapshot(at(55));
    notifier.onSnapshot(at(85));
    expect(banners).toEqual([
      { level: 'warning', text: expect.stringMatching(/^Notifications could not be shown \(Notifications are not allowed for this application\)\. macOS shows notifications only for signed apps/) as unknown },
      { level: 'warning', text: 'Halfway mark: 55% of the quota used: Keep an eye on usage. Resets in 2h 45m.' },
      { level: 'warning', text: 'Plan next session: 85% of the quota used: Quota is running low: plan your next session. Resets in 2h 45m.' },
    ]);
    // After the first failure it no longer tries the OS.
    expect(fakeElectron.Notification.instances).toHaveLength(1);
  });

  it('where notifications are unsupported, banners carry them; snooze mutes all but critical', () => {
    fakeElectron.Notification.supported = false;
    const banners: { text: string }[] = [];
    let now = Date.parse(BASE.generatedAt);
    const notifier = createNotifier({ platform: 'linux', settings: () => toggles, sent: memorySentKeys(), run: () => {}, banner: (b) => banners.push(b), now: () => now });
    notifier.onSnapshot(at(40));
    notifier.snooze(60);
    notifier.onSnapshot(at(55));
    notifier.onSnapshot(at(91));
    now += 2 * 3_600_000;
    expect(banners.map((b) => b.text.split(':')[0])).toEqual(['Danger zone']);
  });
});

describe('IPC registration', () => {
  const PAGE = 'file:///app/renderer/index.html';

  function setup() {
    const calls: string[] = [];
    const actions = new Proxy({} as CoreActions, {
      get: (_target, name: string) => (request: unknown) => {
        calls.push(name);
        return Promise.resolve({ name, request });
      },
    });
    const window = new fakeElectron.BrowserWindow({ width: 10, height: 10, webPreferences: {} });
    void window.loadURL(PAGE);
    const unregister = registerIpc(createIpcHandlers(actions), () => ({ webContentsId: window.webContents.id, pageUrl: PAGE }));
    const ours = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    return { calls, window, unregister, ours };
  }

  it('answers the popover', async () => {
    const { calls, ours } = setup();
    await expect(fakeElectron.ipcMain.invoke(INVOKE_CHANNELS.planNext, ours, { hours: 2 })).resolves.toEqual({ name: 'planNext', request: { hours: 2 } });
    expect(calls).toEqual(['planNext']);
  });

  it('refuses other webContents, subframes, navigated-away pages and vanished frames', async () => {
    const { calls, window } = setup();
    const stranger = new fakeElectron.BrowserWindow({ width: 10, height: 10, webPreferences: {} });
    void stranger.loadURL(PAGE);
    const attempts = [
      { sender: stranger.webContents, senderFrame: stranger.webContents.mainFrame },
      { sender: window.webContents, senderFrame: new FakeFrame(PAGE, window.webContents.mainFrame) },
      { sender: window.webContents, senderFrame: new FakeFrame('https://evil.example/') },
      { sender: window.webContents, senderFrame: null },
    ];
    for (const from of attempts) {
      await expect(fakeElectron.ipcMain.invoke(INVOKE_CHANNELS.exportCalendar, from)).rejects.toThrow('cco:export-calendar: refused: the sender is not the popover');
    }
    expect(calls).toEqual([]);
  });

  it('rejects bad payloads and extra arguments before any action runs', async () => {
    const { calls, ours } = setup();
    await expect(fakeElectron.ipcMain.invoke(INVOKE_CHANNELS.carryOutNext, ours, { hours: 99 })).rejects.toThrow(/hours to be a number from 0.08 to 24/);
    await expect(fakeElectron.ipcMain.invoke(INVOKE_CHANNELS.openPath, ours, { path: 'x' })).rejects.toThrow(/absolute file path/);
    await expect(fakeElectron.ipcMain.invoke(INVOKE_CHANNELS.getSnapshot, ours, undefined, 'extra')).rejects.toThrow(/at most one payload, got 2/);
    expect(calls).toEqual([]);
  });

  it('registers every channel once and removes them all', () => {
    const { unregister } = setup();
    expect([...fakeElectron.ipcMain.handlers.keys()].sort()).toEqual(Object.values(INVOKE_CHANNELS).sort());
    unregister();
    expect(fakeElectron.ipcMain.handlers.size).toBe(0);
  });

  it('pushes Snapshots to a live popover only', () => {
    const { window } = setup();
    pushSnapshot(window.webContents as never, BASE);
    window.destroy();
    pushSnapshot(window.webContents as never, BASE);
    expect(window.webContents.sent).toEqual([{ channel: PUSH_CHANNELS.snapshot, value: BASE }]);
  });
});

describe('popover window', () => {
  const PAGE_FILE = '/app/renderer/index.html';

  it('is frameless, hidden, isolated, sandboxed, without Node, and loads our page', () => {
    const popover = createPopoverWindow({ page: PAGE_FILE, preload: '/app/dist/app/preload.cjs', platform: 'darwin' });
    const window = fakeElectron.BrowserWindow.instances[0];
    if (!window) throw new Error('no window');
    expect(window.options).toMatchObject({ frame: false, show: false, resizable: false, skipTaskbar: true });
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/dist/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(popover.pageUrl).toBe('file:///app/renderer/index.html');
    expect(window.loadedUrl).toBe(popover.pageUrl);
    expect(window.visibleOnAllWorkspaces).toBe(true);
  });

  it('blocks navigation away and new windows; only http(s) goes to the browser', () => {
    createPopoverWindow({ page: PAGE_FILE, preload: '/p.cjs', platform: 'linux' });
    const contents = fakeElectron.BrowserWindow.instances[0]?.webContents;
    if (!contents?.windowOpenHandler) throw new Error('no window-open handler');
    expect(contents.navigate('file:///app/renderer/index.html#queue')).toBe(false);
    expect(contents.navigate('https://docs.anthropic.com/')).toBe(true);
    expect(contents.navigate('file:///etc/passwd')).toBe(true);
    expect(contents.windowOpenHandler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fakeElectron.shell.openedExternal).toEqual(['https://docs.anthropic.com/', 'https://example.com/']);
  });

  it('grants no permission and adds the CSP header', () => {
    createPopoverWindow({ page: PAGE_FILE, preload: '/p.cjs', platform: 'win32' });
    const session = fakeElectron.BrowserWindow.instances[0]?.webContents.session;
    const granted: boolean[] = [];
    session?.permissionRequestHandler?.({}, 'notifications', (ok) => granted.push(ok));
    expect(granted).toEqual([false]);
    expect(session?.permissionCheckHandler?.()).toBe(false);
    let headers: Record<string, string[]> | undefined;
    session?.webRequest.headersListener?.({ responseHeaders: { 'X-Other': ['1'] } }, (response) => (headers = response.responseHeaders));
    expect(headers?.['X-Other']).toEqual(['1']);
    expect(headers?.['Content-Security-Policy']?.[0]).toMatch(/^default-src 'none'; script-src 'self'/);
  });
});

describe('preload', () => {
  it('exposes window.cco with named methods only, over ipcRenderer', async () => {
    await import('../../main/app/preload.js');
    const { contextBridge, ipcRenderer } = fakeElectron;
    const bridge = contextBridge.exposed.get('cco') as Record<string, unknown>;
    expect([...contextBridge.exposed.keys()]).toEqual(['cco']);
    expect(Object.keys(bridge)).not.toContain('invoke');
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(INVOKE_CHANNELS), 'onBanner', 'onSnapshot'].sort());
    await (bridge.planNext as (request: { hours: number }) => Promise<unknown>)({ hours: 2 });
    expect(ipcRenderer.invoked).toEqual([{ channel: INVOKE_CHANNELS.planNext, args: [{ hours: 2 }] }]);
  });
});
