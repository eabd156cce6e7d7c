/**
 * The main process, wired: one instance, no dock icon on macOS, the Engine on the config roots,
 * its Snapshots fanned out to the tray, the notifier and the popover, the IPC handlers behind their
 * sender check, launch at login as a setting, and a clean quit (watchers closed, handlers removed).
 * Wiring only: every decision lives in the pure modules this file connects.
 */
import { app, clipboard, dialog, powerMonitor, screen, shell } from 'electron';
import type { Banner } from '../../shared/ipc.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { Engine } from '../core/engine.js';
import { followCritical } from '../core/planner/auto-schedule.js';
import { followAutoStart } from '../core/planner/auto-start-follow.js';
import { followResets } from '../core/planner/reset-follow.js';
import { requireConfigRoots, type RootList } from '../core/paths.js';
import { loadAllSettings, settingsPath } from '../core/settings.js';
import { type AllSettings } from '../core/settings-schema.js';
import { errorMessage } from '../core/store.js';
import { APP_ID, APP_NAME, packageVersion } from './app-info.js';
import { openAppStore, recordStart } from './app-store.js';
import { createCommandRunner, type AppCommand } from './commands.js';
import { appLaunchEnvironment, createCoreActions } from './core-actions.js';
import { registerIpc, pushBanner, pushSnapshot } from './ipc.js';
import { createIpcHandlers } from './ipc-handlers.js';
import { autoStartNotifications } from './notification-policy.js';
import { createNotifier } from './notifier.js';
import { PopoverController } from './popover-controller.js';
import { createPopoverWindow } from './popover-window.js';
import type { Rect } from './position.js';
import { storedSentKeys } from './sent-store.js';
import { createTray } from './tray.js';
import { trayView } from './tray-policy.js';

export interface AppOptions {
  /** renderer/index.html */
  page: string;
  /** The bundled preload script. */
  preload: string;
  /** The package.json whose version is the app's (app-info.ts packageVersion); absent: Electron's app.getVersion(). */
  packageJson?: string;
  platform?: string;
  env?: NodeJS.ProcessEnv;
  /** Where to log problems (default console.error). */
  log?: (message: string) => void;
  /** The wall clock (default Date.now); tests jump it to stand for sleep and clock changes. */
  clock?: () => number;
}

export interface AppHandle {
  engine: Engine;
  popover: PopoverController;
  /** Stops everything the app started (what a quit does before the process exits). */
  shutdown(): Promise<void>;
}

/** macOS and Windows have a login-item API; on Linux the setting is stored but has no effect. */
export function applyLoginItem(platform: string, enabled: boolean): void {
  if (platform === 'darwin' || platform === 'win32') app.setLoginItemSettings({ openAtLogin: enabled });
}


export async function startApp(options: AppOptions): Promise<AppHandle | null> {
  const platform = options.platform ?? process.platform;
  const log = options.log ?? ((text: string) => console.error(`cco app: ${text}`));
  const clock = options.clock ?? Date.now;

  // A second launch (login item plus a click in the dock, say) only opens the first one's popover.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
  // A menu-bar app keeps running with no window open.
  app.on('window-all-closed', () => {});
  await app.whenReady();
  if (platform === 'darwin') app.dock?.hide();

  let roots: RootList;
  try {
    roots = requireConfigRoots({ env: options.env ?? process.env });
  } catch (error) {
    dialog.showErrorBox(APP_NAME, errorMessage(error, 1_000));
    app.quit();
    return null;
  }
  const root = roots[0];
  // The app's own state (popover place, sent notifications, snooze, first run, version seen): its
  // own store in userData, not the settings file the CLI shares. Its one-line warning is told below.
  const version = (options.packageJson === undefined ? null : packageVersion(options.packageJson)) ?? app.getVersion();
  const { store: appStore, warning: storeWarning } = openAppStore({ cwd: app.getPath('userData'), version, legacyRoot: root, now: clock, warn: log });
  const { updatedFrom } = recordStart(appStore, version, clock());
  if (updatedFrom !== null) log(`updated from ${updatedFrom} to ${version}`);

  // The Engine is the one reader of the settings file (on start and when it changes); the tray,
  // the notifier and the actions take them from it.
  const engine = new Engine({ roots, loadSettings: () => loadAllSettings(root), clock });
  const warned = new Set<string>();
  const logOnce = (warning: string | null): void => {
    if (warning !== null && !warned.has(warning)) log(warning);
    if (warning !== null) warned.add(warning);
  };
  logOnce(engine.settingsProblem);
  let loginItem = engine.settings.launchAtLogin;
  applyLoginItem(platform, loginItem);
  const popoverWindow = createPopoverWindow({ page: options.page, preload: options.preload, platform });
  const contents = popoverWindow.window.webContents;
  let trayBounds: () => Rect | null = () => null;
  const popover = new PopoverController(popoverWindow.window, {
    platform,
    trayBounds: () => trayBounds(),
    workArea: (bounds) => (bounds ? screen.getDisplayMatching(bounds) : screen.getDisplayNearestPoint(screen.getCursorScreenPoint())).workArea,
    now: clock,
  }, { load: () => appStore.get('popover').trayBounds, save: (trayBounds) => appStore.set('popover', { trayBounds }) });
  popoverWindow.window.on('blur', () => popover.blurred());
  popoverWindow.loaded.catch((error: unknown) => log(`the popover page did not load (${options.page}): ${errorMessage(error)}`));

  const actions = createCoreActions({
    roots,
    engine,
    clipboard: { writeText: (text) => clipboard.writeText(text) },
    openPath: (file) => shell.openPath(file),
    now: clock,
  });
  // A setting changed (written by the app, `cco config` or by hand): the Engine reloaded it.
  const onSettings = (next: AllSettings, warning: string | null): void => {
    logOnce(warning);
    if (next.launchAtLogin !== loginItem) applyLoginItem(platform, next.launchAtLogin);
    loginItem = next.launchAtLogin;
    tray.update(trayView(engine.snapshot, platform, next));
  };

  // A command's outcome: a banner in the popover, and a notification when the popover is hidden.
  const report = (banner: Banner): void => {
    pushBanner(contents, banner);
    if (!popoverWindow.window.isVisible()) notifier.info(APP_NAME, banner.text);
  };
  const runCommand = createCommandRunner(actions, {
    showPopover: () => popover.show(),
    quit: () => app.quit(),
    report,
    snooze: (minutes) => notifier.snooze(minutes),
    openSettingsFile: async () => {
      const failure = await shell.openPath(settingsPath(root));
      if (failure) report({ level: 'error', text: `could not open ${settingsPath(root)}: ${failure}` });
    },
  });
  const run = (command: AppCommand): void => void runCommand(command);

  const notifier = createNotifier({
    platform,
    settings: () => engine.settings,
    sent: storedSentKeys(appStore, clock),
    run,
    now: clock,
    banner: (banner) => pushBanner(contents, banner),
  });
  if (storeWarning !== null) {
    log(storeWarning);
    report({ level: 'warning', text: storeWarning });
  }
  const tray = createTray({ platform, initial: trayView(null, platform, engine.settings), onClick: (bounds) => popover.toggle(bounds), run });
  trayBounds = () => (tray.tray.isDestroyed() ? null : tray.tray.getBounds());

  const unregisterIpc = registerIpc(createIpcHandlers(actions), () =>
    popoverWindow.window.isDestroyed() ? null : { webContentsId: contents.id, pageUrl: popoverWindow.pageUrl },
  );

  const onSnapshot = (snapshot: Snapshot): void => {
    tray.update(trayView(snapshot, platform, engine.settings));
    notifier.onSnapshot(snapshot);
    pushSnapshot(contents, snapshot);
  };
  engine.on('snapshot', onSnapshot);
  engine.on('settings', onSettings);
  // The spec's auto-schedule at CRITICAL, once per Snapshot on the Engine side; the app only tells the person.
  const stopAutoSchedule = followCritical(engine, {
    root,
    now: clock,
    enabled: () => engine.settings.autoScheduleAtCritical,
    onScheduled: (decision) => report({ level: 'warning', text: decision.reason }),
    onError: (error) => log(`auto-schedule at CRITICAL failed: ${errorMessage(error)}`),
  });
  // Sessions scheduled at the reset follow it when the server moves it (the calendar's next export updates them).
  const stopResetFollow = followResets(engine, {
    root,
    now: clock,
    onMoved: (moved) => log(`the reset moved: ${moved.map((m) => `${m.id} ${m.from} -> ${m.to}`).join(', ')}`),
    onError: (error) => log(`following the reset failed: ${errorMessage(error)}`),
  });
  // The guarded auto-start at the reset (opt-in): checked on each Snapshot and on wake; the app or
  // `cco status --watch`, whichever holds its lock, runs it. The app tells the person what happened.
  const autoStart = followAutoStart(engine, {
    root,
    now: clock,
    settings: () => engine.settings,
    launch: () => appLaunchEnvironment(engine.settings),
    onReport: (result) => {
      logOnce(result.warning);
      notifier.post(autoStartNotifications(result, platform, clock()));
      for (const text of result.texts) pushBanner(contents, { level: result.started?.result.action === 'started' ? 'info' : 'warning', text: `${text.title}: ${text.body}` });
    },
    onError: (error) => log(`auto-start at the reset failed: ${errorMessage(error)}`),
  });
  engine.on('error', (error) => log(error.message));
  app.on('second-instance', () => popover.show());

  // Timers stand still while the machine sleeps: look at the clock as soon as it wakes, so what
  // came due meanwhile is reported (as missed) now rather than whenever a timer catches up.
  const onSuspend = (): void => notifier.suspended();
  const onResume = (): void => {
    try {
      engine.refresh();
    } catch (error) {
      log(`re-check after wake: ${errorMessage(error)}`);
    }
    notifier.resumed();
    // Once on wake: a slot the sleep passed over is caught up or reported missed (never several).
    void autoStart.check();
  };
  powerMonitor.on('suspend', onSuspend);
  powerMonitor.on('resume', onResume);

  let stopping: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      engine.off('snapshot', onSnapshot);
      powerMonitor.off('suspend', onSuspend);
      powerMonitor.off('resume', onResume);
      engine.off('settings', onSettings);
      stopAutoSchedule();
      autoStart.stop();
      stopResetFollow();
      unregisterIpc();
      await engine.stop();
      tray.destroy();
      if (!popoverWindow.window.isDestroyed()) popoverWindow.window.destroy();
    })();
    return stopping;
  };
  let stopped = false;
  // Electron does not wait for async before-quit handlers: hold the quit until the watchers closed.
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void shutdown()
      .catch((error: unknown) => log(`shutdown: ${errorMessage(error)}`))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });

  try {
    await engine.start();
  } catch (error) {
    log(`the engine could not start: ${errorMessage(error)}`);
    report({ level: 'error', text: `Could not read Claude Code usage: ${errorMessage(error)}` });
  }
  return { engine, popover, shutdown };
}
