/**
 * The one registry of IPC channels between the app's main process and the popover (design.md:
 * "one registry of IPC channels shared by main and preload"). The preload exposes exactly these
 * as named methods on `window.cco`; every main-process handler validates its payload and checks
 * the sender. Plain JSON in and out: no Node or Electron types here.
 *
 * A new channel: its name, contract and request fields here, plus its action in
 * main/app/core-actions.ts (CoreActions is typed from InvokeContract). The window.cco bridge and
 * the handler are made from this registry; a channel with a payload also needs its check in
 * ipc-handlers.ts (the compiler asks for it, as it asks for the action).
 */
import type { Snapshot } from './snapshot.js';

/** Request → response channels (ipcRenderer.invoke / ipcMain.handle). */
export const INVOKE_CHANNELS = {
  getSnapshot: 'cco:get-snapshot',
  copyCompactCommand: 'cco:copy-compact-command',
  writeHandoff: 'cco:write-handoff',
  exportCalendar: 'cco:export-calendar',
  planNext: 'cco:plan-next',
  startQueued: 'cco:start-queued',
  carryOutNext: 'cco:carry-out-next',
  openPath: 'cco:open-path',
  getSettings: 'cco:get-settings',
  setSetting: 'cco:set-setting',
} as const;

/** Main → renderer pushes (webContents.send / ipcRenderer.on). */
export const PUSH_CHANNELS = {
  snapshot: 'cco:snapshot',
  banner: 'cco:banner',
} as const;

export type InvokeName = keyof typeof INVOKE_CHANNELS;

/** What each invoke takes and returns. `void` requests take no payload. */
export interface InvokeContract {
  getSnapshot: { request: void; response: Snapshot };
  /** Copies the `/compact ...` text to the clipboard and returns it with its brief. */
  copyCompactCommand: { request: { sessionId?: string } | void; response: { command: string; brief: string } };
  writeHandoff: { request: { sessionId?: string } | void; response: { path: string } };
  exportCalendar: { request: void; response: { dir: string; files: string[]; events: number } };
  /** The planner's decision for the hours the user has, without acting on it. */
  planNext: { request: { hours: number }; response: NextDecisionView };
  /** Starts a ready queued session in the user's terminal. */
  startQueued: { request: { id: string }; response: { started: boolean; message: string } };
  /** Carries out the planner's decision for these hours (start, or schedule for the reset). */
  carryOutNext: { request: { hours: number }; response: NextDecisionView };
  /** Opens a file the optimizer made (a handoff, a calendar file) with the system's app. */
  openPath: { request: { path: string }; response: { opened: boolean } };
  getSettings: { request: void; response: Record<string, unknown> };
  setSetting: { request: { key: string; value: string }; response: Record<string, unknown> };
}

/** What an action receives once its handler has checked the payload (an optional payload arrives as `{}`); never for no payload. */
export type InvokeRequest<K extends InvokeName> = Exclude<InvokeContract[K]['request'], void>;
export type InvokeResponse<K extends InvokeName> = InvokeContract[K]['response'];

/**
 * The fields of each channel's request: the bridge sends only these (nothing else the page put on
 * the object crosses), and the handler refuses any other key. Empty: the channel takes no payload.
 */
export const INVOKE_REQUEST_FIELDS: { readonly [K in InvokeName]: readonly (keyof InvokeRequest<K> & string)[] } = {
  getSnapshot: [],
  copyCompactCommand: ['sessionId'],
  writeHandoff: ['sessionId'],
  exportCalendar: [],
  planNext: ['hours'],
  startQueued: ['id'],
  carryOutNext: ['hours'],
  openPath: ['path'],
  getSettings: [],
  setSetting: ['key', 'value'],
};

/** The planner's decision as the popover shows it (a view of main/core/planner's decision). */
export interface NextDecisionView {
  decision: 'start' | 'smaller' | 'schedule' | 'nothing';
  reason: string;
  sessions: { id: string; name: string; estimatedTokens: number; estimatedHours: number }[];
  scheduledFor: string | null;
}

/** An in-app banner (e.g. notifications failed on an unsigned macOS build). */
export interface Banner {
  level: 'info' | 'warning' | 'error';
  text: string;
}

/** The `window.cco` bridge the preload exposes: one named method per invoke channel, plus subscriptions. */
export type CcoBridge = {
  [K in InvokeName]: InvokeContract[K]['request'] extends void
    ? () => Promise<InvokeResponse<K>>
    : (request: InvokeContract[K]['request']) => Promise<InvokeResponse<K>>;
} & {
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  onBanner(listener: (banner: Banner) => void): () => void;
};
