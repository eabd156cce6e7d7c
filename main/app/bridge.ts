/**
 * The `window.cco` bridge (shared/ipc.ts CcoBridge) over an invoke/subscribe transport: one named
 * method per channel, never the transport itself, so the page can reach nothing but these calls
 * (electron/fiddle's preload pattern). No Electron import: the preload passes ipcRenderer, a test
 * passes a fake that calls the real handlers.
 */
import { INVOKE_CHANNELS, INVOKE_REQUEST_FIELDS, PUSH_CHANNELS, type Banner, type CcoBridge, type InvokeName } from '../../shared/ipc.js';
import type { Snapshot } from '../../shared/snapshot.js';

/** The slice of ipcRenderer the bridge uses. */
export interface BridgeTransport {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The request with only the channel's named fields (a copy: the page's object never crosses as-is). */
function pick(name: InvokeName, request: unknown): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  if (typeof request !== 'object' || request === null) return picked;
  for (const field of INVOKE_REQUEST_FIELDS[name]) if (field in request) picked[field] = (request as Record<string, unknown>)[field];
  return picked;
}

export function createBridge(transport: BridgeTransport): CcoBridge {
  // One method per channel of shared/ipc.ts, made from the registry: a new channel needs nothing here.
  const method =
    (name: InvokeName) =>
    (request?: unknown): Promise<unknown> => {
      const channel = INVOKE_CHANNELS[name];
      if (INVOKE_REQUEST_FIELDS[name].length === 0 || request === undefined || request === null) return transport.invoke(channel);
      return transport.invoke(channel, pick(name, request));
    };
  const invokes = Object.fromEntries((Object.keys(INVOKE_CHANNELS) as InvokeName[]).map((name) => [name, method(name)]));

  const subscribe = <T>(channel: string, listener: (value: T) => void): (() => void) => {
    // Only the pushed value reaches the page, never the IPC event (it carries the sender).
    const wrapped = (_event: unknown, value: unknown): void => listener(value as T);
    transport.on(channel, wrapped);
    return () => {
      transport.removeListener(channel, wrapped);
    };
  };

  // The main process answers with the contract's response type (ipc-handlers.ts is typed by it).
  return {
    ...(invokes as Omit<CcoBridge, 'onSnapshot' | 'onBanner'>),
    onSnapshot: (listener) => subscribe<Snapshot>(PUSH_CHANNELS.snapshot, listener),
    onBanner: (listener) => subscribe<Banner>(PUSH_CHANNELS.banner, listener),
  };
}
