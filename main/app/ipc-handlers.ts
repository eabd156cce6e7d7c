/**
 * The IPC handlers, one per invoke channel of shared/ipc.ts, as plain async functions over
 * CoreActions: each validates its payload (anything the renderer sends is untrusted) and rejects a
 * bad one with an Error naming the channel and what was expected, before any action runs.
 * No Electron here: main/app/ipc.ts registers these with ipcMain after checking the sender, and
 * the Playwright test calls them directly behind its bridge.
 */
import { INVOKE_CHANNELS, type InvokeContract, type InvokeName } from '../../shared/ipc.js';
import { MAX_HOURS, MIN_HOURS } from '../core/planner/queue.js';
import { appSettingRefusal } from './app-settings.js';
import type { CoreActions } from './core-actions.js';

/** One handler per invoke channel: the raw payload in, the contract's response out. */
export type IpcHandlers = { [K in InvokeName]: (payload: unknown) => Promise<InvokeContract[K]['response']> };

/** A payload the handler refused; the message says what was expected. */
export class IpcPayloadError extends Error {}

const MAX_TEXT = 4_096;

function isRecord(value: unknown): value is Record<string, unknown> {
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

/** An object with exactly these keys allowed (each optional unless listed in `required`). */
function objectPayload(name: InvokeName, payload: unknown, allowed: readonly string[], expected: string): Record<string, unknown> {
  if (!isRecord(payload)) fail(name, expected, payload);
  const extra = Object.keys(payload).filter((key) => !allowed.includes(key));
  if (extra.length > 0) fail(name, `${expected} (unknown key ${extra.map((key) => `"${key}"`).join(', ')})`, payload);
  return payload;
}

const SESSION_ID = /^[A-Za-z0-9._-]{1,200}$/;
const QUEUE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function sessionRequest(name: InvokeName, payload: unknown): { sessionId?: string } {
  if (payload === undefined || payload === null) return {};
  const expected = 'nothing or { sessionId?: string }';
  const record = objectPayload(name, payload, ['sessionId'], expected);
  if (record.sessionId === undefined) return {};
  if (typeof record.sessionId !== 'string' || !SESSION_ID.test(record.sessionId)) fail(name, 'sessionId to be a Claude Code session id', record.sessionId);
  return { sessionId: record.sessionId };
}

function hoursRequest(name: InvokeName, payload: unknown): { hours: number } {
  const record = objectPayload(name, payload, ['hours'], '{ hours: number }');
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

/** The handlers over `actions`. */
export function createIpcHandlers(actions: CoreActions): IpcHandlers {
  return {
    async getSnapshot(payload) {
      noPayload('getSnapshot', payload);
      return actions.getSnapshot();
    },
    async copyCompactCommand(payload) {
      return actions.copyCompactCommand(sessionRequest('copyCompactCommand', payload));
    },
    async writeHandoff(payload) {
      return actions.writeHandoff(sessionRequest('writeHandoff', payload));
    },
    async exportCalendar(payload) {
      noPayload('exportCalendar', payload);
      return actions.exportCalendar();
    },
    async planNext(payload) {
      return actions.planNext(hoursRequest('planNext', payload));
    },
    async scheduleNext(payload) {
      return actions.scheduleNext(hoursRequest('scheduleNext', payload));
    },
    async startQueued(payload) {
      const record = objectPayload('startQueued', payload, ['id'], '{ id: string }');
      if (typeof record.id !== 'string' || !QUEUE_ID.test(record.id)) fail('startQueued', 'id to be a queued session id like s3', record.id);
      return actions.startQueued({ id: record.id });
    },
    async openPath(payload) {
      const record = objectPayload('openPath', payload, ['path'], '{ path: string }');
      const file = textField('openPath', record, 'path', 'path to be an absolute file path');
      if (!(file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\\\'))) fail('openPath', 'path to be an absolute file path', file);
      return actions.openPath({ path: file });
    },
    async getSettings(payload) {
      noPayload('getSettings', payload);
      return actions.getSettings();
    },
    async setSetting(payload) {
      const record = objectPayload('setSetting', payload, ['key', 'value'], '{ key: string, value: string }');
      const key = textField('setSetting', record, 'key', 'key to be a setting name');
      if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(key)) fail('setSetting', 'key to be a setting name', key);
      // The renderer never changes what cco executes (terminal, claudePath): refused before any action runs.
      const refusal = appSettingRefusal(key);
      if (refusal !== null) throw new IpcPayloadError(`${INVOKE_CHANNELS.setSetting}: ${refusal}`);
      const value = textField('setSetting', record, 'value', 'value to be text', true);
      return actions.setSetting({ key, value });
    },
  };
}
