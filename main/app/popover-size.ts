/**
 * The popover window's size in CSS pixels: one number for the BrowserWindow (popover-window.ts)
 * and for the end-to-end tests, which check at this size what is visible without scrolling.
 * No Electron import, so the tests can read it.
 */
export const POPOVER_SIZE = { width: 360, height: 560 } as const;
