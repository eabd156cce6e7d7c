/** The app's identity, shared by the main process and the packaging config (build/electron-builder.yml). */
export const APP_NAME = 'Claude Code Optimizer';
/**
 * The bundle id (macOS), AppUserModelID (Windows: notifications are attributed to it and must
 * match the installer's shortcut) and desktop-file name (Linux). Keep in step with `appId` in
 * build/electron-builder.yml.
 */
export const APP_ID = 'dev.cco.optimizer';
