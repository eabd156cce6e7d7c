/**
 * Runs inside the page (bundled by harness.ts into an init script): `window.cco` is the preload's
 * own bridge (main/app/bridge.ts) over a transport whose invoke goes to the Playwright binding
 * (and from there to the real IPC handlers in the test process) and whose pushes come from
 * `__ccoPush`, called by the test when the Engine emits. The page sees exactly what the preload
 * exposes: named methods, no transport.
 */
import { createBridge, type BridgeTransport } from '../../main/app/bridge.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

interface PageGlobals {
  /** The binding: (channel, args) → the handler's response. */
  __ccoInvoke(channel: string, args: unknown[]): Promise<unknown>;
  __ccoPush?: (channel: string, value: unknown) => void;
  cco?: unknown;
}

const page = globalThis as unknown as PageGlobals;
const listeners = new Map<string, Set<Listener>>();

const transport: BridgeTransport = {
  invoke: (channel, ...args) => page.__ccoInvoke(channel, args),
  on(channel, listener) {
    const set = listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(channel, set);
  },
  removeListener(channel, listener) {
    listeners.get(channel)?.delete(listener);
  },
};

page.__ccoPush = (channel, value) => {
  // The IPC event argument is never given to the page; a placeholder stands in for it.
  for (const listener of listeners.get(channel) ?? []) listener({}, value);
};
page.cco = Object.freeze(createBridge(transport));
