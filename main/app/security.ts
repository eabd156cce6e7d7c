/**
 * The popover's security rules as pure functions and constants (Electron's security checklist):
 * the CSP, which URLs may be opened outside the app, and which IPC senders are ours.
 * popover-window.ts (which also sets the web preferences) and ipc.ts apply them.
 */

/**
 * The popover's Content Security Policy: only its own files, no inline script, no network, no
 * frames, no plugins. renderer/index.html carries the same policy in a meta tag (file:// pages get
 * no response headers to carry it), and the session adds it as a header wherever headers apply.
 */
export const POPOVER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A URL the app may hand to the system browser: http(s) only, no credentials in it. */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.username === '' && parsed.password === '';
}

/** Same document as our page: a file: URL with the same path (query and fragment may differ). */
export function isOurPage(url: string, pageUrl: string): boolean {
  let actual: URL;
  let expected: URL;
  try {
    actual = new URL(url);
    expected = new URL(pageUrl);
  } catch {
    return false;
  }
  return actual.protocol === 'file:' && expected.protocol === 'file:' && actual.host === expected.host && actual.pathname === expected.pathname;
}

/** Who sent an IPC message, as far as the main process can tell. */
export interface SenderInfo {
  /** `event.sender.id`: the webContents. */
  webContentsId: number;
  /** `event.senderFrame.url`; null when the frame is gone or not known. */
  frameUrl: string | null;
  /** The frame is the top frame of its webContents (`senderFrame === sender.mainFrame`). */
  isMainFrame: boolean;
}

/** What a sender must be: the popover's webContents, its main frame, showing our page. */
export interface TrustedSender {
  webContentsId: number;
  pageUrl: string;
}

/**
 * A sender is ours when it is the popover's own webContents and its top frame shows our file://
 * page (a navigated-away or framed document is refused even in that webContents).
 */
export function isTrustedSender(sender: SenderInfo, trusted: TrustedSender | null): boolean {
  if (trusted === null) return false;
  return sender.webContentsId === trusted.webContentsId && sender.isMainFrame && sender.frameUrl !== null && isOurPage(sender.frameUrl, trusted.pageUrl);
}
