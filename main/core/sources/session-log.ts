/**
 * `<root>/logs/sessions.jsonl`: the session log the spec's Session Monitor watches ("Session
 * Detection"), written by `cco hook` from Claude Code's hook events (claude-code-facts.md §4).
 *
 * Several sessions run hooks at once, so every line is built whole in memory and written with one
 * `write` on a file opened for appending (O_APPEND). POSIX makes such a write land at the end in
 * one piece, and a write this small (< 4 KB, under PIPE_BUF) is never split on a local
 * filesystem: lines from concurrent hooks never interleave. No lock, no read: a hook stays fast.
 *
 * The log is rotated once it passes MAX_SESSION_LOG_BYTES: sessions.jsonl becomes sessions.1.jsonl,
 * .1 becomes .2 and so on, the oldest past KEEP_SESSION_LOGS dropped. Rotating takes the lock (one
 * rotator at a time) but appending still does not: a hook that opened the file just before the
 * rename writes its whole line into sessions.1.jsonl, where readers look too (never lost, never
 * torn), and the next one opens a new sessions.jsonl.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { visibleLine } from '../../../shared/sanitize.js';
import { statePaths } from '../paths.js';
import { toolEstimate } from '../quota.js';
import { openRegularFileForAppendSync, openRegularFileSync } from '../regular-file.js';
import { errorMessage, isRecord, withLockSync } from '../store.js';

/** A line never exceeds this many bytes (newline included): below PIPE_BUF (4096 on Linux). */
export const MAX_LINE_BYTES = 4000;
/** An error log past this size is rotated to `<name>.1` before the next append. */
export const MAX_ERROR_LOG_BYTES = 1024 * 1024;
/** sessions.jsonl past this size is rotated before the next append (the README says so). */
export const MAX_SESSION_LOG_BYTES = 10 * 1024 * 1024;
/** Rotated session logs kept: sessions.1.jsonl (newest) to sessions.5.jsonl (the README says so). */
export const KEEP_SESSION_LOGS = 5;
/** How long a hook waits for another one that is rotating; after that it appends anyway. */
const ROTATE_LOCK_WAIT_MS = 250;

export const SESSION_LOG_TYPES = [
  'session_start',
  'session_end',
  'tool_call',
  'pre_compact',
  'post_compact',
  'rate_limited',
  'stop_failure',
  'stop',
  'prompt',
  'automated_prompt',
] as const;
export type SessionLogType = (typeof SESSION_LOG_TYPES)[number];

/** Claude Code hook events `cco hook` records, and the line type each becomes. */
export const HOOK_EVENT_TYPES: Readonly<Record<string, SessionLogType>> = {
  SessionStart: 'session_start',
  SessionEnd: 'session_end',
  PostToolUse: 'tool_call',
  // Failed tool calls fire PostToolUseFailure instead of PostToolUse (claude-code-facts.md §4).
  PostToolUseFailure: 'tool_call',
  PreCompact: 'pre_compact',
  PostCompact: 'post_compact',
  StopFailure: 'stop_failure',
  Stop: 'stop',
  UserPromptSubmit: 'prompt',
};

interface LineBase {
  /** ISO-8601 UTC, when the hook ran. */
  timestamp: string;
  session_id: string;
  cwd: string | null;
}

export interface SessionStartLine extends LineBase {
  type: 'session_start';
  /** The agent the session runs as (e.g. ".claude/agents/planning-agent.md"), null for the default. */
  agent: string | null;
  /** startup | resume | clear | compact | fork, as Claude Code sent it. */
  source: string | null;
  transcript_path: string | null;
  model: string | null;
}
export interface SessionEndLine extends LineBase {
  type: 'session_end';
  reason: string | null;
}
export interface ToolCallLine extends LineBase {
  type: 'tool_call';
  tool_name: string;
  /** The spec's per-tool estimate ("Token Estimates (per tool call)"). */
  estimated_tokens: number;
  /** Edit, Write, MultiEdit and Read only. */
  file_path?: string;
  /** Present (true) for a failed call (PostToolUseFailure): it still cost tokens. */
  failed?: true;
}
export interface CompactLine extends LineBase {
  type: 'pre_compact' | 'post_compact';
  /** manual | auto. */
  trigger: string | null;
  /** Whether `/compact` came with instructions (the text itself is not kept). */
  has_custom_instructions: boolean;
}
export interface StopFailureLine extends LineBase {
  /** `rate_limited` when the error is "rate_limit": the signal the quota tracker cares about. */
  type: 'rate_limited' | 'stop_failure';
  error: string | null;
  error_details: string | null;
}
export interface StopLine extends LineBase {
  type: 'stop';
}
/**
 * A prompt was submitted; its text is never logged. `prompt` is a person's (UserPromptSubmit
 * `source` "user", or none from older clients); `automated_prompt` one the client or an SDK sent
 * (sdk, system, loop_wakeup, schedule_wakeup, poll_event...): activity, not a person's prompt.
 */
export interface PromptLine extends LineBase {
  type: 'prompt' | 'automated_prompt';
  source: string;
}

export type SessionLogEvent =
  | SessionStartLine
  | SessionEndLine
  | ToolCallLine
  | CompactLine
  | StopFailureLine
  | StopLine
  | PromptLine;

/** A hook payload `cco hook` cannot record: logged to the error log, never fatal. */
export class HookPayloadError extends Error {}

export function sessionLogPath(root: string): string {
  return path.join(statePaths(root).logsDir, 'sessions.jsonl');
}

/** `logs/sessions.<n>.jsonl`: the n-th newest rotated session log (n ≥ 1). */
export function rotatedSessionLogPath(root: string, n: number): string {
  return path.join(statePaths(root).logsDir, `sessions.${n}.jsonl`);
}

/** The session logs that exist, newest first: sessions.jsonl, sessions.1.jsonl, ... */
export function sessionLogFiles(root: string, keep = KEEP_SESSION_LOGS): string[] {
  const files = [sessionLogPath(root)];
  for (let n = 1; n <= keep; n++) files.push(rotatedSessionLogPath(root, n));
  return files.filter((file) => fs.existsSync(file));
}

export function hookErrorLogPath(root: string): string {
  return path.join(statePaths(root).logsDir, 'cco-hook-errors.log');
}

const FILE_PATH_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'Read']);
const MAX_FIELD_CHARS = 1024;
const MAX_DETAILS_CHARS = 300;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function str(value: unknown, max = MAX_FIELD_CHARS): string | null {
  return typeof value === 'string' && value.length > 0 ? cut(value, max) : null;
}

/** A model given as "claude-opus-4-6" or as {id, display_name}. */
function modelOf(value: unknown): string | null {
  if (isRecord(value)) return str(value.id) ?? str(value.display_name);
  return str(value);
}

/**
 * The session-log line for one hook payload (already JSON-parsed). Throws HookPayloadError for a
 * payload that is not an object, lacks `hook_event_name`/`session_id`, or names an event the log
 * does not record.
 */
export function sessionLogEventFromHook(payload: unknown, now: number): SessionLogEvent {
  if (!isRecord(payload)) throw new HookPayloadError(`hook payload is not a JSON object (got ${Array.isArray(payload) ? 'an array' : typeof payload})`);
  const eventName = payload.hook_event_name;
  if (typeof eventName !== 'string' || eventName === '') throw new HookPayloadError('hook payload has no hook_event_name');
  const type = HOOK_EVENT_TYPES[eventName];
  if (type === undefined) throw new HookPayloadError(`unknown hook event "${cut(eventName, 60)}"`);
  const sessionId = str(payload.session_id, 200);
  if (sessionId === null) throw new HookPayloadError(`${eventName} payload has no session_id`);
  const base: LineBase = { timestamp: new Date(now).toISOString(), session_id: sessionId, cwd: str(payload.cwd) };
  switch (type) {
    case 'session_start':
      return {
        type,
        ...base,
        agent: str(payload.agent_type) ?? str(payload.agent) ?? str(payload.agent_name),
        source: str(payload.source, 60),
        transcript_path: str(payload.transcript_path),
        model: modelOf(payload.model),
      };
    case 'session_end':
      return { type, ...base, reason: str(payload.reason, 60) };
    case 'tool_call': {
      const tool = str(payload.tool_name, 100);
      if (tool === null) throw new HookPayloadError(`${eventName} payload has no tool_name`);
      const line: ToolCallLine = { type, ...base, tool_name: tool, estimated_tokens: toolEstimate(tool) };
      if (eventName === 'PostToolUseFailure') line.failed = true;
      const input = payload.tool_input;
      if (FILE_PATH_TOOLS.has(tool) && isRecord(input)) {
        const file = str(input.file_path);
        if (file !== null) line.file_path = file;
      }
      return line;
    }
    case 'pre_compact':
    case 'post_compact':
      return {
        type,
        ...base,
        trigger: str(payload.trigger, 60),
        has_custom_instructions: typeof payload.custom_instructions === 'string' && payload.custom_instructions.trim() !== '',
      };
    case 'stop_failure':
    case 'rate_limited': {
      // Claude Code sends `error` ("rate_limit", ...) and `error_details`; some builds were seen
      // with `error_type` + `error_message` instead. Read both.
      const error = str(payload.error_type, 100) ?? str(payload.error, 100);
      const detailsRaw = payload.error_details ?? payload.error_message;
      const details = typeof detailsRaw === 'string' ? str(detailsRaw, MAX_DETAILS_CHARS) : detailsRaw == null ? null : cut(JSON.stringify(detailsRaw), MAX_DETAILS_CHARS);
      const limited = error !== null && /rate[_ ]?limit/i.test(error);
      return { type: limited ? 'rate_limited' : 'stop_failure', ...base, error, error_details: details };
    }
    case 'stop':
      return { type, ...base };
    case 'prompt':
    case 'automated_prompt': {
      const source = str(payload.source, 60)?.toLowerCase() ?? 'user';
      return { type: source === 'user' ? 'prompt' : 'automated_prompt', ...base, source };
    }
  }
}

/**
 * The event as one JSON line (with its newline) of at most MAX_LINE_BYTES: while too long, the
 * longest string field is halved. Escaping can make a string several times its length in JSON,
 * so the bytes are measured, not the characters.
 */
export function formatSessionLogLine(event: SessionLogEvent): string {
  const fields: Record<string, unknown> = { ...event };
  for (;;) {
    const line = `${JSON.stringify(fields)}\n`;
    if (Buffer.byteLength(line, 'utf8') <= MAX_LINE_BYTES) return line;
    let longest: string | null = null;
    for (const [key, value] of Object.entries(fields)) {
      if (key === 'type' || key === 'timestamp' || typeof value !== 'string' || value === '') continue;
      if (longest === null || value.length > (fields[longest] as string).length) longest = key;
    }
    if (longest === null) return `${JSON.stringify({ type: event.type, timestamp: event.timestamp, session_id: '' })}\n`;
    const value = fields[longest] as string;
    fields[longest] = value.length <= 2 ? '' : `${value.slice(0, Math.floor(value.length / 2))}…`;
  }
}

/** Append one whole line with a single write on an O_APPEND descriptor (see the file comment). */
export function appendLineSync(file: string, line: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = openRegularFileForAppendSync(file);
  try {
    fs.writeSync(fd, Buffer.from(line, 'utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

export interface SessionLogLimits {
  maxBytes?: number;
  keep?: number;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Rotate sessions.jsonl when it has reached `maxBytes`: under the log's lock, checked again once
 * held (another hook may just have rotated it). Never throws and never waits long: a hook that
 * cannot rotate appends to the full log and a later one rotates. Returns whether it rotated.
 */
export function rotateSessionLogIfFull(root: string, limits: SessionLogLimits = {}): boolean {
  const maxBytes = limits.maxBytes ?? MAX_SESSION_LOG_BYTES;
  const keep = Math.max(1, limits.keep ?? KEEP_SESSION_LOGS);
  const file = sessionLogPath(root);
  if (sizeOf(file) < maxBytes) return false;
  try {
    return withLockSync(
      file,
      () => {
        if (sizeOf(file) < maxBytes) return false;
        // Oldest first, so each rename lands on a name already moved on (the last one is dropped).
        for (let n = keep; n >= 1; n--) {
          const from = n === 1 ? file : rotatedSessionLogPath(root, n - 1);
          try {
            fs.renameSync(from, rotatedSessionLogPath(root, n));
          } catch (error) {
            if (!isRecord(error) || error.code !== 'ENOENT') throw error;
          }
        }
        return true;
      },
      { timeoutMs: ROTATE_LOCK_WAIT_MS },
    );
  } catch {
    return false;
  }
}

/** Record one event in `<root>/logs/sessions.jsonl`, rotating the log first when it is full. */
export function appendSessionLog(root: string, event: SessionLogEvent, limits: SessionLogLimits = {}): void {
  rotateSessionLogIfFull(root, limits);
  appendLineSync(sessionLogPath(root), formatSessionLogLine(event));
}

/**
 * Append `<time> <message>` to an error log, rotating it to `<file>.1` once it passes
 * MAX_ERROR_LOG_BYTES. Never throws: the caller is already handling a failure.
 * Returns false when the log could not be written (read-only or missing directory).
 */
export function appendErrorLog(file: string, message: string, now = Date.now()): boolean {
  try {
    try {
      if (fs.statSync(file).size > MAX_ERROR_LOG_BYTES) fs.renameSync(file, `${file}.1`);
    } catch {
      // missing: nothing to rotate; a failed rotation is retried on the next error
    }
    // Messages quote payload fields (session ids, paths): one line, no control reaches the log.
    const text = cut(visibleLine(message.replace(/\s+/g, ' ').trim()), 1000);
    appendLineSync(file, `${new Date(now).toISOString()} ${text}\n`);
    return true;
  } catch {
    return false;
  }
}

export interface SessionLogRead {
  events: SessionLogEvent[];
  /** Byte offset just past the last complete line: pass it back as `fromOffset` next time. */
  endOffset: number;
  /** Complete lines that were not a session-log event (not JSON, unknown type, missing fields). */
  skipped: number;
  /** True when the file was shorter than `fromOffset` (replaced or truncated) and was read from 0. */
  restarted: boolean;
  /** The inode read (null when the file is missing): a rotation shows as a new one. */
  ino: number | null;
}

function optStr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** One line of the log as a typed event, or null when it is not one. Lenient about extra fields. */
export function parseSessionLogLine(text: string): SessionLogEvent | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(raw) || typeof raw.type !== 'string' || typeof raw.timestamp !== 'string') return null;
  if (Number.isNaN(Date.parse(raw.timestamp)) || typeof raw.session_id !== 'string') return null;
  const base: LineBase = { timestamp: raw.timestamp, session_id: raw.session_id, cwd: optStr(raw.cwd) };
  switch (raw.type) {
    case 'session_start':
      return {
        type: raw.type,
        ...base,
        agent: optStr(raw.agent),
        source: optStr(raw.source),
        transcript_path: optStr(raw.transcript_path),
        model: optStr(raw.model),
      };
    case 'session_end':
      return { type: raw.type, ...base, reason: optStr(raw.reason) };
    case 'tool_call': {
      const tool = optStr(raw.tool_name) ?? optStr(raw.tool);
      if (tool === null) return null;
      const estimate = typeof raw.estimated_tokens === 'number' && Number.isFinite(raw.estimated_tokens) ? raw.estimated_tokens : toolEstimate(tool);
      const line: ToolCallLine = { type: raw.type, ...base, tool_name: tool, estimated_tokens: estimate };
      if (typeof raw.file_path === 'string') line.file_path = raw.file_path;
      if (raw.failed === true) line.failed = true;
      return line;
    }
    case 'pre_compact':
    case 'post_compact':
      return { type: raw.type, ...base, trigger: optStr(raw.trigger), has_custom_instructions: raw.has_custom_instructions === true };
    case 'rate_limited':
    case 'stop_failure':
      return { type: raw.type, ...base, error: optStr(raw.error), error_details: optStr(raw.error_details) };
    case 'stop':
      return { type: raw.type, ...base };
    case 'prompt':
    case 'automated_prompt':
      // Lines written before `source` was recorded are a person's prompts.
      return { type: raw.type, ...base, source: optStr(raw.source) ?? 'user' };
    default:
      return null;
  }
}

const READ_CHUNK = 1024 * 1024;

/**
 * The events appended to `<root>/logs/sessions.jsonl` since byte `fromOffset`. A last line without
 * its newline (a hook mid-write) is left for the next call; a missing file reads as empty.
 * Reads in 1 MB chunks, so a large log is never one string.
 */
export function readSessionLog(root: string, fromOffset: number): SessionLogRead {
  return readSessionLogFile(sessionLogPath(root), fromOffset);
}

/** readSessionLog for one file of the log (sessions.jsonl or a rotated sessions.<n>.jsonl). */
export function readSessionLogFile(file: string, fromOffset: number): SessionLogRead {
  const result: SessionLogRead = { events: [], endOffset: Math.max(0, Math.floor(fromOffset) || 0), skipped: 0, restarted: false, ino: null };
  let fd: number;
  try {
    fd = openRegularFileSync(file).fd;
  } catch (error) {
    if (isRecord(error) && error.code === 'ENOENT') return { ...result, endOffset: 0, restarted: result.endOffset > 0 };
    throw new Error(`cannot read ${file}: ${errorMessage(error)}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    const size = stat.size;
    result.ino = stat.ino;
    if (size < result.endOffset) {
      result.endOffset = 0;
      result.restarted = true;
    }
    let position = result.endOffset;
    let pending: Buffer = Buffer.alloc(0);
    const chunk = Buffer.alloc(READ_CHUNK);
    while (position < size) {
      const bytes = fs.readSync(fd, chunk, 0, Math.min(READ_CHUNK, size - position), position);
      if (bytes === 0) break;
      position += bytes;
      const data: Buffer = pending.length > 0 ? Buffer.concat([pending, chunk.subarray(0, bytes)]) : chunk.subarray(0, bytes);
      const lastNewline = data.lastIndexOf(0x0a);
      if (lastNewline < 0) {
        pending = Buffer.from(data);
        continue;
      }
      for (const text of data.toString('utf8', 0, lastNewline).split('\n')) {
        if (text.trim() === '') continue;
        const event = parseSessionLogLine(text);
        if (event === null) result.skipped++;
        else result.events.push(event);
      }
      result.endOffset = position - (data.length - lastNewline - 1);
      pending = Buffer.from(data.subarray(lastNewline + 1));
    }
    return result;
  } finally {
    fs.closeSync(fd);
  }
}
