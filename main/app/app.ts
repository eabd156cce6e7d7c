/**
 * The main process, wired: one instance, no dock icon on macOS, the Engine on the config roots,
 * its Snapshots fanned out to the tray, the notifier and the popover, the IPC handlers behind their
 * sender check, launch at login as a setting, and a clean quit (watchers closed, handlers removed).
 * Wiring only: every decision lives in the pure modules this file connects.
 */
import { app, clipboard, dialog, screen, shell } from 'electron';
import type { Banner } from '../../shared/ipc.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { Engine } from '../core/engine.js';
import { followCritical } from '../core/planner/auto-schedule.js';
import { readPlannerSettings } from '../core/planner/planner-settings.js';
import { requireConfigRoots } from '../core/paths.js';
import { loadSettings, settingsPath } from '../core/settings.js';
import { APP_ID, APP_NAME } from './app-info.js';
import { readAllSettings, type AllSettings } from './app-settings.js';
import { createCommandRunner, type AppCommand } from './commands.js';
import { createCoreActions } from './core-actions.js';
import { registerIpc, pushBanner, pushSnapshot } from './ipc.js';
import { createIpcHandlers } from './ipc-handlers.js';
import { createNotifier } from './notifier.js';
import { PopoverController } from './popover-controller.js';
import { createPopoverWindow } from './popover-window.js';
import type { Rect } from './position.js';
import { fileSentKeys } from './sent-store.js';
import { createTray } from './tray.js';
import { trayView } from './tray-policy.js';

export interface AppOptions {
  /** renderer/index.html */
  page: string;
  /** The bundled preload script. */
  preload: string;
  platform?: string;
  env?: NodeJS.ProcessEnv;
  /** Where to log problems (default console.error). */
  log?: (message: string) => void;
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

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function startApp(options: AppOptions): Promise<AppHandle | null> {
  const platform = options.platform ?? process.platform;
  const log = options.log ?? ((text: string) => console.error(`cco app: ${text}`));

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

  let roots: string[];
  try {
    roots = requireConfigRoots({ env: options.env ?? process.env });
  } catch (error) {
    dialog.showErrorBox(APP_NAME, message(error));
    app.quit();
    return null;
  }
  const root = roots[0] as string;

  const warned = new Set<string>();
  const readSettings = (): AllSettings => {
    const read = readAllSettings(root);
    for (const warning of read.warnings) {
      if (!warned.has(warning)) log(warning);
      warned.add(warning);
    }
    return read.settings;
  };
  let settings = readSettings();
  applyLoginItem(platform, settings.launchAtLogin);

  const engine = new Engine({ roots, loadSettings: () => loadSettings(root) });
  const popoverWindow = createPopoverWindow({ page: options.page, preload: options.preload, platform });
  const contents = popoverWindow.window.webContents;
  let trayBounds: () => Rect | null = () => null;
  const popover = new PopoverController(popoverWindow.window, {
    platform,
    trayBounds: () => trayBounds(),
    workArea: (bounds) => (bounds ? screen.getDisplayMatching(bounds) : screen.getDisplayNearestPoint(screen.getCursorScreenPoint())).workArea,
    now: Date.now,
  });
  popoverWindow.window.on('blur', () => popover.blurred());
  popoverWindow.loaded.catch((error: unknown) => log(`the popover page did not load (${options.page}): ${message(error)}`));

  const actions = createCoreActions({
    roots,
    engine,
    clipboard: { writeText: (text) => clipboard.writeText(text) },
    openPath: (file) => shell.openPath(file),
    onSettingsChanged: (next) => {
      settings = next;
      applyLoginItem(platform, next.launchAtLogin);
      const current = engine.snapshot;
      tray.update(trayView(current, platform, settings));
    },
  });

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
    settings: () => settings,
    sent: fileSentKeys(root, Date.now, log),
    run,
    banner: (banner) => pushBanner(contents, banner),
  });
  const tray = createTray({ platform, initial: trayView(null, platform, settings), onClick: (bounds) => popover.toggle(bounds), run });
  trayBounds = () => (tray.tray.isDestroyed() ? null : tray.tray.getBounds());

  const unregisterIpc = registerIpc(createIpcHandlers(actions), () =>
    popoverWindow.window.isDestroyed() ? null : { webContentsId: contents.id, pageUrl: popoverWindow.pageUrl },
  );

  const onSnapshot = (snapshot: Snapshot): void => {
    // The settings file may have been edited by `cco config` or by hand since the last Snapshot.
    settings = readSettings();
    tray.update(trayView(snapshot, platform, settings));
    notifier.onSnapshot(snapshot);
    pushSnapshot(contents, snapshot);
  };
  engine.on('snapshot', onSnapshot);
  // The spec's auto-schedule at CRITICAL, once per Snapshot on the Engine side; the app only tells the person.
  const stopAutoSchedule = followCritical(engine, {
    root,
    now: Date.now,
    enabled: () => readPlannerSettings(root).settings.autoScheduleAtCritical,
    onScheduled: (decision) => report({ level: 'warning', text: decision.reason }),
    onError: (error) => log(`auto-schedule at CRITICAL failed: ${message(error)}`),
  });
  engine.on('error', (error) => log(error.message));
  app.on('second-instance', () => popover.show());

  let stopping: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      engine.off('snapshot', onSnapshot);
      stopAutoSchedule();
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
      .catch((error: unknown) => log(`shutdown: ${message(error)}`))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });

  try {
    await engine.start();
  } catch (error) {
    log(`the engine could not start: ${message(error)}`);
    report({ level: 'error', text: `Could not read Claude Code usage: ${message(error)}` });
  }
  return { engine, popover, shutdown };
}
