/**
 * The IPC handlers, one per invoke channel of shared/ipc.ts, as plain async functions over
 * CoreActions (one action per channel, typed by the contract): each validates its payload (anything the renderer sends is untrusted) and rejects a
 * bad one with an Error naming the channel and what was expected, before any action runs.
 * No Electron here: main/app/ipc.ts registers these with ipcMain after checking the sender, and
 * the Playwright test calls them directly behind its bridge.
 */
import { INVOKE_CHANNELS, INVOKE_REQUEST_FIELDS, type InvokeName, type InvokeRequest, type InvokeResponse } from '../../shared/ipc.js';
import { MAX_HOURS, MIN_HOURS } from '../core/planner/queue.js';
import { appSettingRefusal } from './app-settings.js';
import type { CoreActions } from './core-actions.js';

/** One handler per invoke channel: the raw payload in, the contract's response out. */
export type IpcHandlers = { [K in InvokeName]: (payload: unknown) => Promise<InvokeResponse<K>> };

/** A payload the handler refused; the message says what was expected. */
export class IpcPayloadError extends Error {}

const MAX_TEXT = 4_096;

/** A plain object as JSON makes it (an IPC payload is nothing else). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function fail(name: InvokeName, expected: string, got: unknown): never {
  throw new IpcPayloadError(`${INVOKE_CHANNELS[name]}: expected ${expected}, got ${shown(got)}`);
}

function noPayload(name: InvokeName, payload: unknown): void {
  if (payload !== undefined && payload !== null) fail(name, 'no payload', payload);
}

/** An object with only the channel's request fields (shared/ipc.ts INVOKE_REQUEST_FIELDS) as keys. */
function objectPayload(name: InvokeName, payload: unknown, expected: string): Record<string, unknown> {
  const allowed: readonly string[] = INVOKE_REQUEST_FIELDS[name];
  if (!isPlainObject(payload)) fail(name, expected, payload);
  const extra = Object.keys(payload).filter((key) => !allowed.includes(key));
  if (extra.length > 0) fail(name, `${expected} (unknown key ${extra.map((key) => `"${key}"`).join(', ')})`, payload);
  return payload;
}

const SESSION_ID = /^[A-Za-z0-9._-]{1,200}$/;
const QUEUE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function sessionRequest(name: InvokeName, payload: unknown): { sessionId?: string } {
  if (payload === undefined || payload === null) return {};
  const expected = 'nothing or { sessionId?: string }';
  const record = objectPayload(name, payload, expected);
  if (record.sessionId === undefined) return {};
  if (typeof record.sessionId !== 'string' || !SESSION_ID.test(record.sessionId)) fail(name, 'sessionId to be a Claude Code session id', record.sessionId);
  return { sessionId: record.sessionId };
}

function hoursRequest(name: InvokeName, payload: unknown): { hours: number } {
  const record = objectPayload(name, payload, '{ hours: number }');
  const hours = record.hours;
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < MIN_HOURS || hours > MAX_HOURS) {
    fail(name, `hours to be a number from ${Math.round(MIN_HOURS * 100) / 100} to ${MAX_HOURS}`, hours);
  }
  return { hours };
}

function textField(name: InvokeName, record: Record<string, unknown>, key: string, expected: string, allowEmpty = false): string {
  const value = record[key];
  if (typeof value !== 'string' || (!allowEmpty && value.trim() === '') || value.length > MAX_TEXT || value.includes('\0')) fail(name, expected, value);
  return value;
}

/**
 * How each channel with a payload checks it (a channel with none refuses any payload): the table
 * is typed by the contract, so a new channel with a payload does not compile until it has its check.
 */
type PayloadChecks = { [K in InvokeName as [InvokeRequest<K>] extends [never] ? never : K]: (payload: unknown) => InvokeRequest<K> };

const CHECKS: PayloadChecks = {
  copyCompactCommand: (payload) => sessionRequest('copyCompactCommand', payload),
  writeHandoff: (payload) => sessionRequest('writeHandoff', payload),
  planNext: (payload) => hoursRequest('planNext', payload),
  carryOutNext: (payload) => hoursRequest('carryOutNext', payload),
  startQueued(payload) {
    const record = objectPayload('startQueued', payload, '{ id: string }');
    if (typeof record.id !== 'string' || !QUEUE_ID.test(record.id)) fail('startQueued', 'id to be a queued session id like s3', record.id);
    return { id: record.id };
  },
  openPath(payload) {
    const record = objectPayload('openPath', payload, '{ path: string }');
    const file = textField('openPath', record, 'path', 'path to be an absolute file path');
    if (!(file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\\\'))) fail('openPath', 'path to be an absolute file path', file);
    return { path: file };
  },
  setSetting(payload) {
    const record = objectPayload('setSetting', payload, '{ key: string, value: string }');
    const key = textField('setSetting', record, 'key', 'key to be a setting name');
    if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(key)) fail('setSetting', 'key to be a setting name', key);
    // The renderer never changes what cco executes (terminal, claudePath): refused before any action runs.
    const refusal = appSettingRefusal(key);
    if (refusal !== null) throw new IpcPayloadError(`${INVOKE_CHANNELS.setSetting}: ${refusal}`);
    const value = textField('setSetting', record, 'value', 'value to be text', true);
    return { key, value };
  },
};

/** The handlers over `actions`: one per channel of shared/ipc.ts, made from the registry. */
export function createIpcHandlers(actions: CoreActions): IpcHandlers {
  const checks: Partial<Record<InvokeName, (payload: unknown) => unknown>> = CHECKS;
  const handler = (name: InvokeName) => async (payload: unknown) => {
    // The action for `name` takes what its check returns (both are typed by InvokeContract[name]).
    const action = actions[name] as (request?: unknown) => Promise<unknown>;
    const check = checks[name];
    if (check === undefined) {
      noPayload(name, payload);
      return action.call(actions);
    }
    return action.call(actions, check(payload));
  };
  return Object.fromEntries((Object.keys(INVOKE_CHANNELS) as InvokeName[]).map((name) => [name, handler(name)])) as IpcHandlers;
}
