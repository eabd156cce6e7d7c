/**
 * Registers the IPC handlers (ipc-handlers.ts) with ipcMain, each behind a sender check: only the
 * popover's own webContents, in its top frame, showing our file:// page, is answered (Electron's
 * security checklist, "Validate the sender of all IPC messages"). Also pushes Snapshots and
 * banners to the popover. Thin: the checks are security.ts, the handlers ipc-handlers.ts.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { INVOKE_CHANNELS, PUSH_CHANNELS, type Banner, type InvokeName } from '../../shared/ipc.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { IpcPayloadError, type IpcHandlers } from './ipc-handlers.js';
import { isTrustedSender, type SenderInfo, type TrustedSender } from './security.js';

export function senderInfo(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): SenderInfo {
  const frame = event.senderFrame;
  return { webContentsId: event.sender.id, frameUrl: frame ? frame.url : null, isMainFrame: frame !== null && frame.parent === null };
}

/** Refused: the message names the channel, never what the sender sent. */
export class IpcSenderError extends Error {}

/**
 * Registers every invoke channel; `trusted()` says who may call (null: nobody, e.g. before the
 * popover exists). Returns a function that removes the handlers again.
 */
export function registerIpc(handlers: IpcHandlers, trusted: () => TrustedSender | null): () => void {
  const names = Object.keys(INVOKE_CHANNELS) as InvokeName[];
  for (const name of names) {
    const channel = INVOKE_CHANNELS[name];
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      if (!isTrustedSender(senderInfo(event), trusted())) throw new IpcSenderError(`${channel}: refused: the sender is not the popover`);
      if (args.length > 1) throw new IpcPayloadError(`${channel}: expected at most one payload, got ${args.length}`);
      return handlers[name](args[0]);
    });
  }
  return () => {
    for (const name of names) ipcMain.removeHandler(INVOKE_CHANNELS[name]);
  };
}

function send(contents: WebContents | null, channel: string, value: unknown): void {
  if (contents && !contents.isDestroyed()) contents.send(channel, value);
}

export function pushSnapshot(contents: WebContents | null, snapshot: Snapshot): void {
  send(contents, PUSH_CHANNELS.snapshot, snapshot);
}

export function pushBanner(contents: WebContents | null, banner: Banner): void {
  send(contents, PUSH_CHANNELS.banner, banner);
}
