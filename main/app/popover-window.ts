/**
 * The popover's BrowserWindow: frameless, hidden until placed, isolated and sandboxed, no Node, a
 * strict CSP, no permissions, no navigation away from our page, no new windows (http(s) links go to
 * the system browser). Thin: the rules are security.ts, showing and placing popover-controller.ts.
 */
import { pathToFileURL } from 'node:url';
import { BrowserWindow, shell } from 'electron';
import { POPOVER_SIZE } from './popover-size.js';
import { isOurPage, isSafeExternalUrl, POPOVER_CSP } from './security.js';


export interface PopoverWindowOptions {
  /** renderer/index.html */
  page: string;
  /** The bundled preload (dist/app/preload.cjs). */
  preload: string;
  platform: string;
}

export interface PopoverWindow {
  window: BrowserWindow;
  /** The file: URL of our page: the only document allowed in the window, and the only IPC sender. */
  pageUrl: string;
  /** Resolves once the page has loaded (rejects if it could not). */
  loaded: Promise<void>;
}

function openOutside(url: string): void {
  if (isSafeExternalUrl(url)) void shell.openExternal(url);
}

export function createPopoverWindow(options: PopoverWindowOptions): PopoverWindow {
  const pageUrl = pathToFileURL(options.page).href;
  const window = new BrowserWindow({
    ...POPOVER_SIZE,
    show: false,
    frame: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    hasShadow: true,
    // Written out here, not built elsewhere, so the electronegativity scan sees every flag.
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click would open links in a new window.
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  });
  if (options.platform === 'darwin') window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });

  const contents = window.webContents;
  const session = contents.session;
  // The popover needs no camera, notifications, clipboard-read or anything else a page can ask for.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // file:// responses carry no headers: renderer/index.html has the same policy in a meta tag.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [POPOVER_CSP] } });
  });

  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isOurPage(event.url, pageUrl)) return;
    event.preventDefault();
    openOutside(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isOurPage(event.url, pageUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  const loaded = window.loadURL(pageUrl);
  return { window, pageUrl, loaded };
}
