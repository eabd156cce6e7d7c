/**
 * The `window.cco` bridge (shared/ipc.ts CcoBridge) over an invoke/subscribe transport: one named
 * method per channel, never the transport itself, so the page can reach nothing but these calls
 * (electron/fiddle's preload pattern). No Electron import: the preload passes ipcRenderer, a test
 * passes a fake that calls the real handlers.
 */
import { INVOKE_CHANNELS, PUSH_CHANNELS, type Banner, type CcoBridge, type InvokeContract, type InvokeName } from '../../shared/ipc.js';
import type { Snapshot } from '../../shared/snapshot.js';

/** The slice of ipcRenderer the bridge uses. */
export interface BridgeTransport {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(transport: BridgeTransport): CcoBridge {
  // The main process answers with the contract's response type (ipc-handlers.ts is typed by it).
  const call = <K extends InvokeName>(name: K, ...payload: unknown[]): Promise<InvokeContract[K]['response']> =>
    transport.invoke(INVOKE_CHANNELS[name], ...payload) as Promise<InvokeContract[K]['response']>;

  const subscribe = <T>(channel: string, listener: (value: T) => void): (() => void) => {
    // Only the pushed value reaches the page, never the IPC event (it carries the sender).
    const wrapped = (_event: unknown, value: unknown): void => listener(value as T);
    transport.on(channel, wrapped);
    return () => {
      transport.removeListener(channel, wrapped);
    };
  };

  return {
    getSnapshot: () => call('getSnapshot'),
    copyCompactCommand: (request) => (request ? call('copyCompactCommand', { ...request }) : call('copyCompactCommand')),
    writeHandoff: (request) => (request ? call('writeHandoff', { ...request }) : call('writeHandoff')),
    exportCalendar: () => call('exportCalendar'),
    planNext: (request) => call('planNext', { hours: request.hours }),
    startQueued: (request) => call('startQueued', { id: request.id }),
    scheduleNext: (request) => call('scheduleNext', { hours: request.hours }),
    openPath: (request) => call('openPath', { path: request.path }),
    getSettings: () => call('getSettings'),
    setSetting: (request) => call('setSetting', { key: request.key, value: request.value }),
    onSnapshot: (listener) => subscribe<Snapshot>(PUSH_CHANNELS.snapshot, listener),
    onBanner: (listener) => subscribe<Banner>(PUSH_CHANNELS.banner, listener),
  };
}
