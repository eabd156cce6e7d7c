/**
 * A fake `electron` module for main-process tests (design.md: Electron never runs on the build
 * machines). Tests install it with `vi.mock('electron', () => import('./electron.js'))`
 * and inspect the same instances through `fakeElectron`. It records what the app asked for and
 * lets a test emit what Electron would (a tray click, an IPC invoke, a notification action). Only
 * the API main/app uses is here; anything else is absent, so a new call shows up as a failure.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FakeRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

class Emitter extends EventEmitter {
  /** Calls the listeners as Electron would, returning whether any listened. */
  fire(event: string, ...args: unknown[]): boolean {
    return this.emit(event, ...args);
  }
}

// ---------------------------------------------------------------------------------------------
// app

class FakeApp extends Emitter {
  singleInstance = true;
  quitCalls = 0;
  loginItem: { openAtLogin: boolean } | null = null;
  appUserModelId: string | null = null;
  dockHidden = false;
  readonly dock = {
    hide: (): void => {
      this.dockHidden = true;
    },
  };

  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  quit(): void {
    this.quitCalls += 1;
    const event = { defaultPrevented: false, preventDefault(): void {
      this.defaultPrevented = true;
    } };
    this.fire('before-quit', event);
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    this.loginItem = { ...settings };
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  /** What app.getVersion() answers (the app's package.json version in a packaged app). */
  version = '0.1.0';
  private userData: string | null = null;
  /** Only `userData` is used: a fresh temporary folder per fake app, made on first ask. */
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`fake electron: app.getPath('${name}') is not faked`);
    this.userData ??= fs.mkdtempSync(path.join(os.tmpdir(), 'cco-fake-userdata-'));
    return this.userData;
  }
  getVersion(): string {
    return this.version;
  }
}

// ---------------------------------------------------------------------------------------------
// nativeImage

export class FakeNativeImage {
  readonly representations: { scaleFactor: number; buffer: Buffer }[] = [];
  template = false;
  addRepresentation(options: { scaleFactor: number; buffer: Buffer }): void {
    this.representations.push(options);
  }
  setTemplateImage(template: boolean): void {
    this.template = template;
  }
  isTemplateImage(): boolean {
    return this.template;
  }
}

export const nativeImage = {
  createEmpty: (): FakeNativeImage => new FakeNativeImage(),
};

// ---------------------------------------------------------------------------------------------
// Menu and Tray

export interface FakeMenuItem {
  type?: string;
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: FakeMenuItem[];
}

export class FakeMenu {
  constructor(readonly items: FakeMenuItem[]) {}
}

export const Menu = {
  buildFromTemplate: (template: FakeMenuItem[]): FakeMenu => new FakeMenu(template),
};

export class Tray extends Emitter {
  static instances: Tray[] = [];
  image: FakeNativeImage;
  title = '';
  tooltip = '';
  contextMenu: FakeMenu | null = null;
  poppedUp: FakeMenu[] = [];
  bounds: FakeRect = { x: 0, y: 0, width: 0, height: 0 };
  destroyed = false;
  readonly calls: string[] = [];

  constructor(image: FakeNativeImage) {
    super();
    this.image = image;
    Tray.instances.push(this);
  }
  setImage(image: FakeNativeImage): void {
    this.calls.push('setImage');
    this.image = image;
  }
  setTitle(title: string): void {
    this.calls.push('setTitle');
    this.title = title;
  }
  setToolTip(tooltip: string): void {
    this.calls.push('setToolTip');
    this.tooltip = tooltip;
  }
  setContextMenu(menu: FakeMenu): void {
    this.calls.push('setContextMenu');
    this.contextMenu = menu;
  }
  popUpContextMenu(menu: FakeMenu): void {
    this.poppedUp.push(menu);
  }
  getBounds(): FakeRect {
    return { ...this.bounds };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Notification

export interface FakeNotificationOptions {
  title: string;
  body: string;
  urgency?: string;
  silent?: boolean;
  actions?: { type: string; text?: string }[];
}

export class Notification extends Emitter {
  static supported = true;
  static instances: Notification[] = [];
  /** When set, show() emits `failed` with this error (an unsigned macOS build). */
  static failWith: string | null = null;
  shown = false;

  constructor(readonly options: FakeNotificationOptions) {
    super();
    Notification.instances.push(this);
  }
  static isSupported(): boolean {
    return Notification.supported;
  }
  show(): void {
    if (Notification.failWith !== null) {
      this.fire('failed', {}, Notification.failWith);
      return;
    }
    this.shown = true;
  }
  /** The user pressed button `index`. */
  pressAction(index: number): void {
    this.fire('action', { actionIndex: index, selectionIndex: -1 }, index);
  }
}

// ---------------------------------------------------------------------------------------------
// BrowserWindow and webContents

export class FakeFrame {
  constructor(
    public url: string,
    readonly parent: FakeFrame | null = null,
  ) {}
}

class FakeWebRequest {
  headersListener: ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void) | null = null;
  onHeadersReceived(listener: NonNullable<FakeWebRequest['headersListener']>): void {
    this.headersListener = listener;
  }
}

class FakeSession {
  permissionRequestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  permissionCheckHandler: (() => boolean) | null = null;
  readonly webRequest = new FakeWebRequest();
  setPermissionRequestHandler(handler: NonNullable<FakeSession['permissionRequestHandler']>): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: () => boolean): void {
    this.permissionCheckHandler = handler;
  }
}

let nextContentsId = 1;

export class FakeWebContents extends Emitter {
  readonly id = nextContentsId++;
  readonly session = new FakeSession();
  readonly mainFrame = new FakeFrame('about:blank');
  readonly sent: { channel: string; value: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;

  send(channel: string, value: unknown): void {
    this.sent.push({ channel, value });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** What Electron does before a navigation: returns whether the app prevented it. */
  navigate(url: string): boolean {
    let prevented = false;
    this.fire('will-navigate', { url, preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

export class BrowserWindow extends Emitter {
  static instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  destroyed = false;
  position: [number, number] = [0, 0];
  loadedUrl: string | null = null;
  visibleOnAllWorkspaces = false;

  constructor(readonly options: { width: number; height: number; webPreferences: Record<string, unknown> } & Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {}
  getSize(): number[] {
    return [this.options.width, this.options.height];
  }
  setPosition(x: number, y: number): void {
    this.position = [x, y];
  }
  setVisibleOnAllWorkspaces(flag: boolean): void {
    this.visibleOnAllWorkspaces = flag;
  }
  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
  }
}

// ---------------------------------------------------------------------------------------------
// ipcMain, ipcRenderer, contextBridge

type Handler = (event: unknown, ...args: unknown[]) => unknown;

/** `handle` for invoke channels; the emitter side (`on`) is what electron-store registers. */
class FakeIpcMain extends Emitter {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** An invoke as Electron delivers it: the sender's webContents and frame, then the arguments. */
  async invoke(channel: string, from: { sender: FakeWebContents; senderFrame: FakeFrame | null }, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    // Electron structured-clones arguments: functions and class instances do not survive.
    return handler(from, ...args.map((arg) => (arg === undefined ? undefined : (JSON.parse(JSON.stringify(arg)) as unknown))));
  }
}

class FakeIpcRenderer extends Emitter {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  respond: (channel: string, args: unknown[]) => unknown = () => undefined;
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve(this.respond(channel, args));
  }
}

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    contextBridge.exposed.set(key, api);
  },
};

// ---------------------------------------------------------------------------------------------
// screen, shell, clipboard, dialog

export const screen = {
  workArea: { x: 0, y: 25, width: 1440, height: 875 } as FakeRect,
  cursor: { x: 1300, y: 10 },
  getDisplayMatching: (_rect: FakeRect): { workArea: FakeRect } => ({ workArea: { ...screen.workArea } }),
  getDisplayNearestPoint: (_point: { x: number; y: number }): { workArea: FakeRect } => ({ workArea: { ...screen.workArea } }),
  getCursorScreenPoint: (): { x: number; y: number } => ({ ...screen.cursor }),
};

export const shell = {
  openedExternal: [] as string[],
  openedPaths: [] as string[],
  openPathResult: '',
  openExternal(url: string): Promise<void> {
    shell.openedExternal.push(url);
    return Promise.resolve();
  },
  openPath(file: string): Promise<string> {
    shell.openedPaths.push(file);
    return Promise.resolve(shell.openPathResult);
  },
};

export const clipboard = {
  text: '',
  writeText(text: string): void {
    clipboard.text = text;
  },
  readText(): string {
    return clipboard.text;
  },
};

// ---------------------------------------------------------------------------------------------
// powerMonitor: a test fires 'suspend' and 'resume' around a jump of its clock.

export let powerMonitor = new Emitter();

export const dialog = {
  errors: [] as { title: string; content: string }[],
  showErrorBox(title: string, content: string): void {
    dialog.errors.push({ title, content });
  },
};

// ---------------------------------------------------------------------------------------------
// Module exports and test access

export let app = new FakeApp();
export let ipcMain = new FakeIpcMain();
export let ipcRenderer = new FakeIpcRenderer();

/** Back to a fresh Electron between tests. */
export function resetFakeElectron(): void {
  app = new FakeApp();
  ipcMain = new FakeIpcMain();
  ipcRenderer = new FakeIpcRenderer();
  powerMonitor = new Emitter();
  Tray.instances = [];
  BrowserWindow.instances = [];
  Notification.instances = [];
  Notification.supported = true;
  Notification.failWith = null;
  contextBridge.exposed.clear();
  shell.openedExternal = [];
  shell.openedPaths = [];
  shell.openPathResult = '';
  clipboard.text = '';
  dialog.errors = [];
  screen.workArea = { x: 0, y: 25, width: 1440, height: 875 };
  screen.cursor = { x: 1300, y: 10 };
}

/**
 * The default export, as `import electron from 'electron'` (electron-store) sees it. Getters: a
 * module that destructures it when it loads keeps the instances of that moment.
 */
export default {
  get app(): FakeApp {
    return app;
  },
  get ipcMain(): FakeIpcMain {
    return ipcMain;
  },
  get shell(): typeof shell {
    return shell;
  },
};

/** Everything a test inspects, read through live bindings (`app` and `ipcMain` are replaced by resets). */
export const fakeElectron = {
  get app(): FakeApp {
    return app;
  },
  get ipcMain(): FakeIpcMain {
    return ipcMain;
  },
  get ipcRenderer(): FakeIpcRenderer {
    return ipcRenderer;
  },
  get powerMonitor(): Emitter {
    return powerMonitor;
  },
  Tray,
  BrowserWindow,
  Notification,
  contextBridge,
  screen,
  shell,
  clipboard,
  dialog,
};
