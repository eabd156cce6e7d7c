/**
 * A new IPC channel is shared/ipc.ts plus its action: the actions' type, the handlers and the
 * window.cco bridge are all made from the contract. Checked at the type level (tsc runs over the
 * tests) and at run time: every INVOKE_CHANNELS key has its request fields, an action, a handler
 * and a bridge method, and a call through the bridge reaches the action of the same name.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { INVOKE_CHANNELS, INVOKE_REQUEST_FIELDS, type CcoBridge, type InvokeName } from '../../shared/ipc.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { createBridge } from '../../main/app/bridge.js';
import { createCoreActions, type CoreActions } from '../../main/app/core-actions.js';
import { createIpcHandlers, type IpcHandlers } from '../../main/app/ipc-handlers.js';
import { loadAllSettings } from '../../main/core/settings.js';
import { snapshotWith } from '../fixtures/snapshot-builder.js';

const NAMES = Object.keys(INVOKE_CHANNELS) as InvokeName[];

/** A request each channel's handler accepts (undefined: no payload); typed, so a new channel needs one here. */
const SAMPLES: { [K in InvokeName]: Parameters<CcoBridge[K]>[0] } = {
  getSnapshot: undefined,
  copyCompactCommand: { sessionId: '8c4e2f6a-1b3d-4c5e-9f70-a1b2c3d4e5f6' },
  writeHandoff: {},
  exportCalendar: undefined,
  planNext: { hours: 2 },
  startQueued: { id: 's2' },
  carryOutNext: { hours: 3 },
  openPath: { path: '/home/dana/.claude/handoffs/a.md' },
  getSettings: undefined,
  setSetting: { key: 'notifyQuota', value: 'false' },
};

describe('the IPC contract drives the actions, the handlers and the bridge', () => {
  it('has the same channels in each, at the type level', () => {
    expectTypeOf<keyof CoreActions>().toEqualTypeOf<InvokeName>();
    expectTypeOf<keyof IpcHandlers>().toEqualTypeOf<InvokeName>();
    expectTypeOf<Exclude<keyof CcoBridge, 'onSnapshot' | 'onBanner'>>().toEqualTypeOf<InvokeName>();
    expectTypeOf<keyof typeof INVOKE_REQUEST_FIELDS>().toEqualTypeOf<InvokeName>();
    // An action takes the request as the contract has it once checked, and answers the contract's response.
    expectTypeOf<Parameters<CoreActions['planNext']>>().toEqualTypeOf<[{ hours: number }]>();
    expectTypeOf<Parameters<CoreActions['getSnapshot']>>().toEqualTypeOf<[]>();
    expectTypeOf<ReturnType<CoreActions['getSnapshot']>>().toEqualTypeOf<Promise<Snapshot>>();
  });

  it('every INVOKE_CHANNELS key has its request fields, a real action, a handler and a bridge method', () => {
    const transport = { invoke: () => Promise.resolve(null), on: () => undefined, removeListener: () => undefined };
    const actions = createCoreActions({ roots: ['/nonexistent-root'], engine: { snapshot: null, settings: loadAllSettings('/nonexistent-root').settings, refresh: () => snapshotWith(), reloadSettings: () => snapshotWith() }, clipboard: { writeText: () => undefined }, openPath: async () => '' });
    const handlers = createIpcHandlers(actions);
    const bridge = createBridge(transport);
    expect(Object.keys(INVOKE_REQUEST_FIELDS).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) {
      expect([name, typeof actions[name]]).toEqual([name, 'function']);
      expect([name, typeof handlers[name]]).toEqual([name, 'function']);
      expect([name, typeof bridge[name]]).toEqual([name, 'function']);
    }
  });

  it.each(NAMES)('a call to window.cco.%s crosses the bridge and the handler to the action of that name', async (name) => {
    const handlers: IpcHandlers = createIpcHandlers(
      new Proxy({} as CoreActions, {
        get:
          (_target, action: string) =>
          (...args: unknown[]) =>
            Promise.resolve({ action, args }),
      }),
    );
    const byChannel = new Map<string, (payload: unknown) => Promise<unknown>>(NAMES.map((n) => [INVOKE_CHANNELS[n], handlers[n]]));
    const bridge = createBridge({
      invoke: (channel, ...args) => {
        const handler = byChannel.get(channel);
        if (!handler || args.length > 1) return Promise.reject(new Error(`no handler for ${channel} with ${args.length} payloads`));
        return handler(args[0]);
      },
      on: () => undefined,
      removeListener: () => undefined,
    });
    const method = bridge[name] as (request?: unknown) => Promise<unknown>;
    const sample = SAMPLES[name];
    expect(await method(sample)).toEqual({ action: name, args: sample === undefined ? [] : [sample] });
  });
});
