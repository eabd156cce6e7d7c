/**
 * logs/sessions.jsonl stays bounded: rotated to sessions.<n>.jsonl past a size, the oldest beyond
 * the kept count dropped, and the readers (the Engine's follower, the SessionStart lookup) still
 * find what they need across the rotated files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionFromLog } from '../../main/core/context/find-session.js';
import {
  appendSessionLog,
  KEEP_SESSION_LOGS,
  MAX_SESSION_LOG_BYTES,
  rotatedSessionLogPath,
  sessionLogEventFromHook,
  sessionLogPath,
  type SessionLogEvent,
} from '../../main/core/sources/session-log.js';
import { SessionLogFollower } from '../../main/core/sources/sessions.js';

const T0 = Date.parse('2026-04-10T09:00:00.000Z');

let root = '';
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-log-rotation-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function toolCall(i: number, at = T0 + i * 1000, session = 'sess-1'): SessionLogEvent {
  return sessionLogEventFromHook({ hook_event_name: 'PostToolUse', session_id: session, cwd: '/w', tool_name: 'Read', tool_input: { file_path: `/w/f-${i}.ts` } }, at);
}

function start(session: string, transcript: string, at: number): SessionLogEvent {
  return sessionLogEventFromHook({ hook_event_name: 'SessionStart', session_id: session, cwd: '/w', source: 'startup', transcript_path: transcript }, at);
}

function linesOf(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((line) => line !== '') : [];
}

const filePaths = (i: number) => (JSON.parse(linesOf(sessionLogPath(root))[i] ?? '{}') as { file_path?: string }).file_path;

describe('sessions.jsonl rotation', () => {
  it('is 10 MiB with 5 rotated files kept by default', () => {
    expect(MAX_SESSION_LOG_BYTES).toBe(10 * 1024 * 1024);
    expect(KEEP_SESSION_LOGS).toBe(5);
  });

  it('moves a full log to sessions.1.jsonl, shifts the older ones and drops the oldest beyond the kept count', () => {
    const limits = { maxBytes: 2_000, keep: 3 };
    for (let i = 0; i < 200; i++) appendSessionLog(root, toolCall(i), limits);
    const current = sessionLogPath(root);
    expect(fs.statSync(current).size).toBeLessThan(2_000 + 4_000);
    for (let n = 1; n <= 3; n++) expect(fs.existsSync(rotatedSessionLogPath(root, n))).toBe(true);
    expect(fs.existsSync(rotatedSessionLogPath(root, 4))).toBe(false);
    // Each file holds a run of consecutive events, newer files later ones; no lock file stays.
    const runs = [3, 2, 1].map((n) => linesOf(rotatedSessionLogPath(root, n))).concat([linesOf(current)]);
    const numbers = runs.flat().map((line) => Number(/f-(\d+)\.ts/.exec(line)?.[1]));
    expect(numbers.at(-1)).toBe(199);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => (numbers[0] as number) + i));
    expect(numbers[0]).toBeGreaterThan(0);
    expect(fs.readdirSync(path.dirname(current)).filter((name) => name.includes('.lock'))).toEqual([]);
    expect(filePaths(0)).toBeDefined();
  });

  it('leaves a log under the limit alone', () => {
    for (let i = 0; i < 5; i++) appendSessionLog(root, toolCall(i), { maxBytes: 100_000 });
    expect(linesOf(sessionLogPath(root))).toHaveLength(5);
    expect(fs.existsSync(rotatedSessionLogPath(root, 1))).toBe(false);
  });
});

describe('SessionLogFollower across a rotation', () => {
  it('takes the lines the old file got before the rotation, then the new file, each once', () => {
    const follower = new SessionLogFollower(root);
    const now = T0 + 60_000;
    for (let i = 0; i < 3; i++) appendSessionLog(root, toolCall(i));
    expect(follower.read(now)).toHaveLength(3);
    // Two more land in the old file after the follower's read, then the log is rotated.
    appendSessionLog(root, toolCall(3));
    appendSessionLog(root, toolCall(4));
    const size = fs.statSync(sessionLogPath(root)).size;
    appendSessionLog(root, toolCall(5), { maxBytes: size });
    const events = follower.read(now);
    expect(fs.existsSync(rotatedSessionLogPath(root, 1))).toBe(true);
    expect(events.map((event) => (event.type === 'tool_call' ? event.file_path : null))).toEqual([0, 1, 2, 3, 4, 5].map((i) => `/w/f-${i}.ts`));
    appendSessionLog(root, toolCall(6));
    expect(follower.read(now)).toHaveLength(7);
  });

  it('catches up across two rotations between reads', () => {
    const follower = new SessionLogFollower(root);
    const now = T0 + 60_000;
    appendSessionLog(root, toolCall(0));
    expect(follower.read(now)).toHaveLength(1);
    appendSessionLog(root, toolCall(1));
    appendSessionLog(root, toolCall(2), { maxBytes: fs.statSync(sessionLogPath(root)).size });
    appendSessionLog(root, toolCall(3), { maxBytes: fs.statSync(sessionLogPath(root)).size });
    expect(fs.existsSync(rotatedSessionLogPath(root, 2))).toBe(true);
    const events = follower.read(now);
    expect(events.map((event) => (event.type === 'tool_call' ? event.file_path : null))).toEqual([0, 1, 2, 3].map((i) => `/w/f-${i}.ts`));
  });

  it('on its first read, finds the session window in sessions.1.jsonl when the log was rotated within it', () => {
    appendSessionLog(root, start('sess-1', '/t/sess-1.jsonl', T0));
    appendSessionLog(root, toolCall(1, T0 + 1000));
    const size = fs.statSync(sessionLogPath(root)).size;
    appendSessionLog(root, toolCall(2, T0 + 2000), { maxBytes: size });
    const events = new SessionLogFollower(root).read(T0 + 10 * 60_000);
    expect(events.map((event) => event.type)).toEqual(['session_start', 'tool_call', 'tool_call']);
  });

  it('forgets what a deleted log said (not a rotation)', () => {
    const follower = new SessionLogFollower(root);
    appendSessionLog(root, toolCall(1));
    expect(follower.read(T0 + 60_000)).toHaveLength(1);
    fs.rmSync(sessionLogPath(root));
    expect(follower.read(T0 + 60_000)).toEqual([]);
  });
});

describe('the SessionStart lookup by session id', () => {
  it('reads the rotated files, newest first, when the current log does not have it', () => {
    const transcript = path.join(root, 'projects', 'p', 'old-session.jsonl');
    fs.mkdirSync(path.dirname(transcript), { recursive: true });
    fs.writeFileSync(transcript, '{}\n');
    appendSessionLog(root, start('old-session', transcript, T0));
    let size = fs.statSync(sessionLogPath(root)).size;
    appendSessionLog(root, toolCall(1), { maxBytes: size });
    size = fs.statSync(sessionLogPath(root)).size;
    appendSessionLog(root, toolCall(2), { maxBytes: size });
    // The start is now two rotations back.
    expect(linesOf(rotatedSessionLogPath(root, 2)).join('\n')).toContain('old-session');
    expect(sessionFromLog([root], 'old-session')).toEqual({ logged: true, transcript });
    expect(sessionFromLog([root], 'never-seen')).toEqual({ logged: false, transcript: null });
  });
});
