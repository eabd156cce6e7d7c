import { isRecord, readJsonFileSync } from '../core/store.js';

/** The app's identity, shared by the main process and the packaging config (build/electron-builder.yml). */
export const APP_NAME = 'Claude Code Optimizer';
/**
 * The bundle id (macOS), AppUserModelID (Windows: notifications are attributed to it and must
 * match the installer's shortcut) and desktop-file name (Linux). Keep in step with `appId` in
 * build/electron-builder.yml.
 */
export const APP_ID = 'dev.cco.optimizer';

/**
 * The app's version: `version` in the package.json two folders above the bundle (the project's
 * under `npm start`, the one electron-builder packs into the app). Electron's app.getVersion()
 * would report Electron's own version under `npm start` (no package.json beside dist/app/), and
 * the app store's migrations are keyed by this version. Null when the file is unreadable.
 */
export function packageVersion(packageJson: string): string | null {
  try {
    const manifest = readJsonFileSync(packageJson);
    const version = isRecord(manifest) ? manifest.version : undefined;
    return typeof version === 'string' && /^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/.test(version) ? version : null;
  } catch {
    return null;
  }
}
