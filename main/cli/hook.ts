/**
 * `cco hook`: what Claude Code runs for its hook events (claude-code-facts.md §4). It turns the
 * event on stdin into one line of `<root>/logs/sessions.jsonl` for the session monitor.
 *
 * A hook must never get in the user's way: whatever happens (no stdin, garbage, a payload of
 * many MB, a read-only disk) it prints nothing on stdout (SessionStart stdout would land in
 * Claude's context), exits 0 (exit 2 would block compaction for PreCompact) and returns within
 * about two seconds. What went wrong goes to `<root>/logs/cco-hook-errors.log`.
 */
import { requireConfigRoots } from '../core/paths.js';
import {
  HookPayloadError,
  appendErrorLog,
  appendSessionLog,
  hookErrorLogPath,
  sessionLogEventFromHook,
  type SessionLogEvent,
} from '../core/sources/session-log.js';
import { errorMessage, isRecord } from '../core/store.js';
import { visibleLine } from '../../shared/sanitize.js';
import type { Io } from './io.js';

/** At most this much of stdin is kept; the rest is read and dropped so the writer never blocks. */
export const HOOK_STDIN_LIMIT = 1024 * 1024;
/** Stdin that has not ended by then is taken as it is. */
export const HOOK_STDIN_TIMEOUT_MS = 2_000;

export const HOOK_USAGE = `usage: cco hook [--config-dir DIR]
  Records the Claude Code hook event on stdin in <config dir>/logs/sessions.jsonl.
  Meant to be run by Claude Code (SessionStart, SessionEnd, PostToolUse, PostToolUseFailure,
  PreCompact, PostCompact, Stop, StopFailure, UserPromptSubmit); always exits 0 and prints nothing.
  --config-dir   Claude Code config root (default: $CLAUDE_CONFIG_DIR or ~/.claude)`;

export interface StdinRead {
  /** The first `maxBytes` bytes. */
  data: Buffer;
  /** Total bytes seen (more than `data.length` when truncated). */
  bytes: number;
  truncated: boolean;
  /** The stream had not ended when the timeout fired. */
  timedOut: boolean;
}

function stopStream(stream: NodeJS.ReadableStream): void {
  // A stdin left open (a terminal, a writer that never closes) would keep the process alive.
  if ('destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
  else stream.pause();
}

/**
 * Read a stream to its end, keeping at most `maxBytes` (the rest is drained and dropped, never
 * buffered), and giving up after `timeoutMs`. Never rejects: a stream error ends the read.
 * A terminal is not waited for: nobody is going to type a payload.
 */
export function readStdin(stream: NodeJS.ReadableStream, opts: { maxBytes: number; timeoutMs: number }): Promise<StdinRead> {
  if ('isTTY' in stream && stream.isTTY === true) return Promise.resolve({ data: Buffer.alloc(0), bytes: 0, truncated: false, timedOut: false });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let seen = 0;
    let done = false;
    const finish = (timedOut: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onEnd);
      stream.removeListener('close', onEnd);
      // A late error (the stream torn down after we stopped listening) must not crash the hook.
      stream.on('error', () => undefined);
      if (timedOut) stopStream(stream);
      resolve({ data: Buffer.concat(chunks, kept), bytes: seen, truncated: seen > kept, timedOut });
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      seen += buffer.length;
      const room = opts.maxBytes - kept;
      if (room <= 0) return;
      const part = buffer.length > room ? buffer.subarray(0, room) : buffer;
      chunks.push(part);
      kept += part.length;
    };
    const onEnd = (): void => finish(false);
    const timer = setTimeout(() => finish(true), opts.timeoutMs);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onEnd);
    stream.once('close', onEnd);
    stream.resume();
  });
}

/** `--config-dir DIR` / `--config-dir=DIR`; anything else is reported, not fatal. */
export function parseConfigDirArgs(args: string[]): { configDir: string | undefined; help: boolean; unknown: string[] } {
  let configDir: string | undefined;
  let help = false;
  const unknown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--config-dir') configDir = args[++i];
    else if (arg.startsWith('--config-dir=')) configDir = arg.slice('--config-dir='.length);
    else if (arg === '--help' || arg === '-h') help = true;
    else unknown.push(arg);
  }
  return { configDir, help, unknown };
}

/** The root whose `logs/` the command writes to: the first of --config-dir, else the first that exists. */
export function resolveStateRoot(configDir: string | undefined, env: NodeJS.ProcessEnv): string {
  const explicit = configDir?.split(',').map((dir) => dir.trim()).filter(Boolean);
  const roots = requireConfigRoots({ env, ...(explicit && explicit.length > 0 ? { explicit } : {}) });
  return roots[0];
}

const SALVAGE_KEYS = ['hook_event_name', 'session_id', 'cwd', 'transcript_path', 'tool_name', 'source', 'reason', 'trigger', 'error', 'error_type', 'agent_type'];

function firstStringField(text: string, key: string): string | undefined {
  const match = new RegExp(`"${key}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`).exec(text);
  if (!match?.[1]) return undefined;
  try {
    const value: unknown = JSON.parse(match[1]);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The top-level fields of a payload cut at HOOK_STDIN_LIMIT. Claude Code writes the common fields
 * and `tool_name`/`tool_input` before `tool_response`, so a PostToolUse whose tool output is huge
 * still says which tool ran; the first occurrence of each key is the top-level one.
 */
export function salvageTruncatedPayload(text: string): Record<string, unknown> | null {
  const found: Record<string, unknown> = {};
  for (const key of SALVAGE_KEYS) {
    const value = firstStringField(text, key);
    if (value !== undefined) found[key] = value;
  }
  if (typeof found.hook_event_name !== 'string' || typeof found.session_id !== 'string') return null;
  const filePath = firstStringField(text, 'file_path');
  if (filePath !== undefined) found.tool_input = { file_path: filePath };
  return found;
}

function decodePayload(input: StdinRead): unknown {
  const text = input.data.toString('utf8');
  if (text.trim() === '') throw new HookPayloadError(input.timedOut ? 'no payload on stdin (still open after the timeout)' : 'empty stdin: no hook payload');
  if (input.truncated) {
    const salvaged = salvageTruncatedPayload(text);
    if (salvaged === null) throw new HookPayloadError(`payload of ${input.bytes} bytes is over the ${HOOK_STDIN_LIMIT}-byte limit and its first part names no event`);
    return salvaged;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's own message quotes the input; a prompt must not end up in a log.
    throw new HookPayloadError(`stdin is not valid JSON (${input.bytes} bytes${input.timedOut ? ', cut by the timeout' : ''})`);
  }
}

function describe(payload: unknown): string {
  if (!isRecord(payload)) return '';
  const event = typeof payload.hook_event_name === 'string' ? payload.hook_event_name.slice(0, 40) : '?';
  const session = typeof payload.session_id === 'string' ? ` ${payload.session_id.slice(0, 40)}` : '';
  return `${event}${session}: `;
}

/**
 * Run `cco hook ARGS` with the payload on `stdin`. Always resolves to 0; writes nothing to stdout
 * (except for --help).
 */
export async function runHook(args: string[], io: Io, stdin: NodeJS.ReadableStream): Promise<number> {
  const { configDir, help, unknown } = parseConfigDirArgs(args);
  if (help) {
    io.stdout(`${HOOK_USAGE}\n`);
    return 0;
  }
  let root: string | null = null;
  let setupError: string | null = null;
  try {
    root = resolveStateRoot(configDir, io.env);
  } catch (error) {
    setupError = errorMessage(error, 300);
  }
  const input = await readStdin(stdin, { maxBytes: HOOK_STDIN_LIMIT, timeoutMs: HOOK_STDIN_TIMEOUT_MS });
  if (root === null) {
    // Nowhere to log: stderr is only shown in Claude Code's verbose mode, which is the right place.
    io.stderr(`cco hook: ${setupError ?? 'no config directory'}\n`);
    return 0;
  }
  const errorLog = hookErrorLogPath(root);
  const logError = (message: string): void => {
    // Claude Code shows hook stderr in its verbose mode: the message quotes payload fields.
    if (!appendErrorLog(errorLog, message)) io.stderr(`cco hook: ${visibleLine(message)} (and ${visibleLine(errorLog)} is not writable)\n`);
  };
  if (unknown.length > 0) logError(`ignored unknown argument(s): ${unknown.join(' ').slice(0, 200)}`);
  let payload: unknown = null;
  try {
    payload = decodePayload(input);
    const event = sessionLogEventFromHook(payload, Date.now());
    appendSessionLog(root, event);
    if (input.truncated) logError(`${describe(payload)}payload of ${input.bytes} bytes cut at ${HOOK_STDIN_LIMIT}; recorded from its first part`);
    await compactionAssist(root, event, payload, io, logError);
  } catch (error) {
    const kind = error instanceof HookPayloadError ? '' : 'could not record the event: ';
    logError(`${describe(payload)}${kind}${errorMessage(error, 400)}`);
  }
  return 0;
}

/**
 * The spec's "Compacts context automatically", on top of what Claude Code does: it compacts by
 * itself, and we make sure nothing is lost. Before every compaction (PreCompact) a handoff file is
 * written; when the session starts again after one (SessionStart, source compact) a short "where
 * we are" block is printed, which Claude Code adds to the new context. Failures are logged only:
 * compaction is never blocked (the hook exits 0 whatever happens).
 */
async function compactionAssist(root: string, event: SessionLogEvent, payload: unknown, io: Io, logError: (message: string) => void): Promise<void> {
  const transcript = isRecord(payload) && typeof payload.transcript_path === 'string' ? payload.transcript_path : null;
  const wantsHandoff = event.type === 'pre_compact';
  const wantsBlock = event.type === 'session_start' && event.source === 'compact';
  if (!transcript || (!wantsHandoff && !wantsBlock)) return;
  try {
    const { writeHandoffForSession, whereWeAreBlock } = await import('../core/context/handoff.js');
    if (wantsHandoff) writeHandoffForSession(root, event.session_id, transcript, Date.now());
    else io.stdout(`${whereWeAreBlock(root, event.session_id, transcript)}\n`);
  } catch (error) {
    logError(`${event.type} ${event.session_id}: compaction assist skipped: ${errorMessage(error, 300)}`);
  }
}
