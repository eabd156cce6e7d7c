/**
 * The Electron Tray, driven by tray-policy.ts: sets the image, title, tooltip and menu a TrayView
 * describes, touching only what changed (a Snapshot arrives on every transcript write). Thin:
 * every decision is in the policy; this file only speaks Electron.
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { AppCommand } from './commands.js';
import { drawTrayIcon } from './icon-art.js';
import type { Rect } from './position.js';
import type { TrayMenuItem } from './tray-menu.js';
import { contextMenuMode, trayIconSize, type TrayIcon, type TrayView } from './tray-policy.js';

/** The policy's menu as Electron's template; each item runs its command. */
export function menuTemplate(items: readonly TrayMenuItem[], run: (command: AppCommand) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'status':
        return { label: item.label, enabled: false };
      case 'action':
        return { label: item.label, enabled: item.enabled, click: () => run(item.command) };
      case 'checkbox':
        return { type: 'checkbox', label: item.label, checked: item.checked, enabled: item.enabled, click: () => run(item.command) };
      case 'radio':
        return { type: 'radio', label: item.label, checked: item.checked, enabled: item.enabled, click: () => run(item.command) };
      case 'submenu':
        return { label: item.label, enabled: item.enabled, submenu: menuTemplate(item.items, run) };
    }
  });
}

export interface TrayOptions {
  platform: string;
  initial: TrayView;
  /** A click on the icon (with its bounds, when the OS gives them). */
  onClick: (bounds: Rect | null) => void;
  run: (command: AppCommand) => void;
}

export interface TrayHandle {
  readonly tray: Tray;
  update(view: TrayView): void;
  destroy(): void;
}

export function createTray(options: TrayOptions): TrayHandle {
  const images = new Map<string, NativeImage>();
  const image = (icon: TrayIcon): NativeImage => {
    let cached = images.get(icon.name);
    if (!cached) {
      const size = trayIconSize(options.platform);
      cached = nativeImage.createEmpty();
      for (const scaleFactor of [1, 2]) cached.addRepresentation({ scaleFactor, buffer: drawTrayIcon(icon, size * scaleFactor) });
      if (icon.template) cached.setTemplateImage(true);
      // Icons with the percentage drawn in come and go; keep the cache small.
      if (images.size > 64) images.clear();
      images.set(icon.name, cached);
    }
    return cached;
  };

  const tray = new Tray(image(options.initial.icon));
  const mode = contextMenuMode(options.platform);
  let shown: { icon: string; title: string; tooltip: string; menu: string } = { icon: '', title: '', tooltip: '', menu: '' };
  let menu: Menu | null = null;

  tray.on('click', (_event, bounds) => options.onClick(bounds ?? null));
  if (mode === 'on-right-click') {
    // A context menu set with setContextMenu would take the left click too on macOS (menubar's way).
    tray.on('right-click', () => {
      if (menu) tray.popUpContextMenu(menu);
    });
  }

  const update = (view: TrayView): void => {
    if (view.icon.name !== shown.icon) tray.setImage(image(view.icon));
    if (options.platform === 'darwin' && view.title !== shown.title) tray.setTitle(view.title);
    if (view.tooltip !== shown.tooltip) tray.setToolTip(view.tooltip);
    const menuKey = JSON.stringify(view.menu);
    if (menuKey !== shown.menu) {
      menu = Menu.buildFromTemplate(menuTemplate(view.menu, options.run));
      if (mode === 'attached') tray.setContextMenu(menu);
    }
    shown = { icon: view.icon.name, title: view.title, tooltip: view.tooltip, menu: menuKey };
  };
  update(options.initial);

  return {
    tray,
    update,
    destroy: () => {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
