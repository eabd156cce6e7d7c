import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStdin, salvageTruncatedPayload } from '../../main/cli/hook.js';
import { TOOL_TOKEN_ESTIMATES, toolEstimate } from '../../main/core/quota.js';
import {
  HookPayloadError,
  MAX_ERROR_LOG_BYTES,
  MAX_LINE_BYTES,
  appendErrorLog,
  appendSessionLog,
  formatSessionLogLine,
  parseSessionLogLine,
  readSessionLog,
  sessionLogEventFromHook,
  sessionLogPath,
  type SessionLogEvent,
} from '../../main/core/sources/session-log.js';

const NOW = Date.parse('2026-04-10T09:14:07.902Z');
const common = { session_id: 'sess-1', transcript_path: '/home/dana/.claude/projects/p/sess-1.jsonl', cwd: '/home/dana/code/api' };

function lineFor(payload: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(formatSessionLogLine(sessionLogEventFromHook({ ...common, ...payload }, NOW))) as Record<string, unknown>;
}

let root = '';
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-session-log-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('session-log lines per hook event', () => {
  it('SessionStart → session_start in the spec\'s shape', () => {
    expect(lineFor({ hook_event_name: 'SessionStart', source: 'startup', agent_type: '.claude/agents/planning-agent.md', model: 'claude-opus-4-6' })).toEqual({
      type: 'session_start',
      timestamp: '2026-04-10T09:14:07.902Z',
      session_id: 'sess-1',
      cwd: '/home/dana/code/api',
      agent: '.claude/agents/planning-agent.md',
      source: 'startup',
      transcript_path: common.transcript_path,
      model: 'claude-opus-4-6',
    });
  });

  it('SessionStart without agent or model → nulls; a model object gives its id', () => {
    const line = lineFor({ hook_event_name: 'SessionStart', source: 'resume' });
    expect(line).toMatchObject({ agent: null, model: null, source: 'resume' });
    expect(lineFor({ hook_event_name: 'SessionStart', model: { id: 'claude-sonnet-4-6', display_name: 'Sonnet' } }).model).toBe('claude-sonnet-4-6');
    expect(lineFor({ hook_event_name: 'SessionStart', agent: 'reviewer' }).agent).toBe('reviewer');
  });

  it('SessionEnd → session_end with the reason', () => {
    expect(lineFor({ hook_event_name: 'SessionEnd', reason: 'logout' })).toEqual({
      type: 'session_end',
      timestamp: '2026-04-10T09:14:07.902Z',
      session_id: 'sess-1',
      cwd: common.cwd,
      reason: 'logout',
    });
  });

  it('PostToolUse → tool_call with the spec estimate and, for file tools, only the file path', () => {
    const line = lineFor({
      hook_event_name: 'PostToolUse',
      tool_name: 'Edit',
      tool_input: { file_path: '/home/dana/code/api/src/a.ts', old_string: 'SECRET-OLD', new_string: 'SECRET-NEW' },
      tool_response: { filePath: '/x', structuredPatch: 'SECRET-PATCH' },
    });
    expect(line).toEqual({
      type: 'tool_call',
      timestamp: '2026-04-10T09:14:07.902Z',
      session_id: 'sess-1',
      cwd: common.cwd,
      tool_name: 'Edit',
      estimated_tokens: 1500,
      file_path: '/home/dana/code/api/src/a.ts',
    });
    expect(JSON.stringify(line)).not.toContain('SECRET');
  });

  it('uses the per-tool table for every tool and no file path outside Edit/Write/MultiEdit/Read', () => {
    for (const [tool, tokens] of Object.entries(TOOL_TOKEN_ESTIMATES)) {
      const line = lineFor({ hook_event_name: 'PostToolUse', tool_name: tool, tool_input: { file_path: '/f', command: 'rm -rf secret' } });
      expect(line.estimated_tokens).toBe(tokens);
      expect('file_path' in line).toBe(['Edit', 'Write', 'Read'].includes(tool));
    }
    expect(lineFor({ hook_event_name: 'PostToolUse', tool_name: 'MultiEdit', tool_input: { file_path: '/m' } }).file_path).toBe('/m');
    expect(lineFor({ hook_event_name: 'PostToolUse', tool_name: 'mcp__github__search' }).estimated_tokens).toBe(toolEstimate('mcp__github__search'));
  });

  it('PreCompact / PostCompact → trigger, and whether instructions came (not their text)', () => {
    const pre = lineFor({ hook_event_name: 'PreCompact', trigger: 'manual', custom_instructions: 'keep the API design' });
    expect(pre).toEqual({ type: 'pre_compact', timestamp: '2026-04-10T09:14:07.902Z', session_id: 'sess-1', cwd: common.cwd, trigger: 'manual', has_custom_instructions: true });
    const post = lineFor({ hook_event_name: 'PostCompact', trigger: 'auto', custom_instructions: '' });
    expect(post).toMatchObject({ type: 'post_compact', trigger: 'auto', has_custom_instructions: false });
  });

  it('StopFailure with a rate_limit error → rate_limited with its text; other errors → stop_failure', () => {
    expect(lineFor({ hook_event_name: 'StopFailure', error: 'rate_limit', error_details: "You've hit your limit · resets 8pm" })).toEqual({
      type: 'rate_limited',
      timestamp: '2026-04-10T09:14:07.902Z',
      session_id: 'sess-1',
      cwd: common.cwd,
      error: 'rate_limit',
      error_details: "You've hit your limit · resets 8pm",
    });
    expect(lineFor({ hook_event_name: 'StopFailure', error_type: 'rate_limit', error: '429', error_message: 'Rate limit exceeded' })).toMatchObject({
      type: 'rate_limited',
      error: 'rate_limit',
      error_details: 'Rate limit exceeded',
    });
    expect(lineFor({ hook_event_name: 'StopFailure', error: 'server_error' })).toMatchObject({ type: 'stop_failure', error: 'server_error', error_details: null });
    expect(lineFor({ hook_event_name: 'StopFailure', error: 'unknown', error_details: { status: 500 } }).error_details).toBe('{"status":500}');
  });

  it('Stop → stop; UserPromptSubmit → prompt without the prompt text', () => {
    expect(lineFor({ hook_event_name: 'Stop', stop_hook_active: false })).toEqual({ type: 'stop', timestamp: '2026-04-10T09:14:07.902Z', session_id: 'sess-1', cwd: common.cwd });
    const prompt = formatSessionLogLine(sessionLogEventFromHook({ ...common, hook_event_name: 'UserPromptSubmit', prompt: 'my password is hunter2' }, NOW));
    expect(JSON.parse(prompt)).toEqual({ type: 'prompt', timestamp: '2026-04-10T09:14:07.902Z', session_id: 'sess-1', cwd: common.cwd, source: 'user' });
    expect(prompt).not.toContain('hunter2');
  });

  it('PostToolUseFailure → tool_call marked failed, with the same estimate (failed calls cost tokens too)', () => {
    const line = lineFor({ hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_input: { command: 'npm test' }, tool_use_id: 'toolu_1', error: 'Exit code 1', is_interrupt: false });
    expect(line).toEqual({ type: 'tool_call', timestamp: '2026-04-10T09:14:07.902Z', session_id: 'sess-1', cwd: common.cwd, tool_name: 'Bash', estimated_tokens: toolEstimate('Bash'), failed: true });
    expect(lineFor({ hook_event_name: 'PostToolUseFailure', tool_name: 'Read', tool_input: { file_path: '/gone.ts' } })).toMatchObject({ failed: true, file_path: '/gone.ts' });
    expect('failed' in lineFor({ hook_event_name: 'PostToolUse', tool_name: 'Bash' })).toBe(false);
    const parsed = parseSessionLogLine(formatSessionLogLine(line as unknown as SessionLogEvent).trim());
    expect(parsed).toEqual(line);
  });

  it('UserPromptSubmit: only source "user" (or none, older clients) is a person\'s prompt', () => {
    expect(lineFor({ hook_event_name: 'UserPromptSubmit', prompt: 'x', source: 'user' })).toMatchObject({ type: 'prompt', source: 'user' });
    expect(lineFor({ hook_event_name: 'UserPromptSubmit', prompt: 'x' })).toMatchObject({ type: 'prompt', source: 'user' });
    for (const source of ['sdk', 'system', 'loop_wakeup', 'schedule_wakeup', 'poll_event']) {
      const line = lineFor({ hook_event_name: 'UserPromptSubmit', prompt: 'x', source });
      expect(line).toEqual({ type: 'automated_prompt', timestamp: '2026-04-10T09:14:07.902Z', session_id: 'sess-1', cwd: common.cwd, source });
      expect(parseSessionLogLine(formatSessionLogLine(line as unknown as SessionLogEvent).trim())).toEqual(line);
    }
    // A line written before the source was recorded reads as a person's prompt.
    expect(parseSessionLogLine('{"type":"prompt","timestamp":"2026-04-10T09:14:07.902Z","session_id":"s","cwd":null}')).toMatchObject({ type: 'prompt', source: 'user' });
  });

  it('a missing cwd is null, not an error', () => {
    expect(JSON.parse(formatSessionLogLine(sessionLogEventFromHook({ session_id: 's', hook_event_name: 'Stop' }, NOW)))).toMatchObject({ cwd: null });
  });

  it('rejects payloads it cannot record, with a HookPayloadError', () => {
    const bad: unknown[] = [
      null,
      'SessionStart',
      [1, 2],
      {},
      { session_id: 's' },
      { hook_event_name: 'SessionStart' },
      { hook_event_name: 'SessionStart', session_id: 42 },
      { hook_event_name: 'Notification', session_id: 's' },
      { hook_event_name: 'PostToolUse', session_id: 's' },
    ];
    for (const payload of bad) expect(() => sessionLogEventFromHook(payload, NOW), JSON.stringify(payload)).toThrow(HookPayloadError);
  });
});

describe('formatSessionLogLine', () => {
  it('is one line of JSON ending in a newline', () => {
    const line = formatSessionLogLine(sessionLogEventFromHook({ ...common, hook_event_name: 'Stop' }, NOW));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
  });

  it('keeps every line under the atomic-append size, whatever the field lengths and escaping', () => {
    const payloads = [
      { ...common, cwd: 'é'.repeat(5000), transcript_path: '😀'.repeat(5000), hook_event_name: 'SessionStart', source: 'startup', agent_type: 'a'.repeat(5000) },
      { ...common, cwd: '\u0001'.repeat(3000), hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: { file_path: '"\\'.repeat(3000) } },
      { ...common, session_id: 'x'.repeat(10_000), hook_event_name: 'StopFailure', error: 'rate_limit', error_details: 'd'.repeat(100_000) },
    ];
    for (const payload of payloads) {
      const line = formatSessionLogLine(sessionLogEventFromHook(payload, NOW));
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
      const parsed = parseSessionLogLine(line.trim());
      expect(parsed?.type).toBe(sessionLogEventFromHook(payload, NOW).type);
    }
  });
});

describe('readSessionLog', () => {
  const start = (id: string): SessionLogEvent => sessionLogEventFromHook({ session_id: id, cwd: '/p', hook_event_name: 'SessionStart', source: 'startup' }, NOW);

  it('reads a missing log as empty', () => {
    expect(readSessionLog(root, 0)).toEqual({ events: [], endOffset: 0, skipped: 0, restarted: false, ino: null });
  });

  it('round-trips appended events and resumes from the returned offset', () => {
    appendSessionLog(root, start('a'));
    appendSessionLog(root, sessionLogEventFromHook({ session_id: 'a', hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: '/w' } }, NOW));
    const first = readSessionLog(root, 0);
    expect(first.events.map((event) => event.type)).toEqual(['session_start', 'tool_call']);
    expect(first.events[1]).toMatchObject({ tool_name: 'Write', estimated_tokens: 1200, file_path: '/w' });
    expect(first.endOffset).toBe(fs.statSync(sessionLogPath(root)).size);

    appendSessionLog(root, start('b'));
    const second = readSessionLog(root, first.endOffset);
    expect(second.events).toHaveLength(1);
    expect(second.events[0]).toMatchObject({ type: 'session_start', session_id: 'b' });
    expect(readSessionLog(root, second.endOffset).events).toEqual([]);
  });

  it('leaves a torn last line for the next read', () => {
    appendSessionLog(root, start('a'));
    const whole = formatSessionLogLine(start('b'));
    fs.appendFileSync(sessionLogPath(root), whole.slice(0, 30));
    const first = readSessionLog(root, 0);
    expect(first.events.map((event) => event.session_id)).toEqual(['a']);
    expect(first.skipped).toBe(0);
    fs.appendFileSync(sessionLogPath(root), whole.slice(30));
    const second = readSessionLog(root, first.endOffset);
    expect(second.events.map((event) => event.session_id)).toEqual(['b']);
    expect(second.endOffset).toBe(fs.statSync(sessionLogPath(root)).size);
  });

  it('skips and counts garbage, unknown types and lines missing required fields', () => {
    fs.mkdirSync(path.dirname(sessionLogPath(root)), { recursive: true });
    const lines = [
      formatSessionLogLine(start('a')).trim(),
      'not json at all',
      '{"type":"session_start"',
      JSON.stringify({ type: 'mystery', timestamp: '2026-01-01T00:00:00Z', session_id: 'x' }),
      JSON.stringify({ type: 'stop', timestamp: 'yesterday', session_id: 'x' }),
      JSON.stringify({ type: 'stop', timestamp: '2026-01-01T00:00:00Z' }),
      JSON.stringify({ type: 'tool_call', timestamp: '2026-01-01T00:00:00Z', session_id: 'x' }),
      '[1,2,3]',
      '',
      JSON.stringify({ type: 'session_start', timestamp: '2025-01-06T14:05:23.456Z', session_id: 'abc123', cwd: '/path/to/project', agent: '.claude/agents/planning-agent.md' }),
    ];
    fs.writeFileSync(sessionLogPath(root), `${lines.join('\n')}\n`);
    const read = readSessionLog(root, 0);
    expect(read.skipped).toBe(7);
    expect(read.events).toHaveLength(2);
    // The spec's own example line (no source, no transcript_path) reads with nulls.
    expect(read.events[1]).toEqual({
      type: 'session_start',
      timestamp: '2025-01-06T14:05:23.456Z',
      session_id: 'abc123',
      cwd: '/path/to/project',
      agent: '.claude/agents/planning-agent.md',
      source: null,
      transcript_path: null,
      model: null,
    });
  });

  it('starts over when the file shrank below the offset (replaced or truncated)', () => {
    appendSessionLog(root, start('a'));
    appendSessionLog(root, start('b'));
    const { endOffset } = readSessionLog(root, 0);
    fs.writeFileSync(sessionLogPath(root), formatSessionLogLine(start('c')));
    const read = readSessionLog(root, endOffset);
    expect(read.restarted).toBe(true);
    expect(read.events.map((event) => event.session_id)).toEqual(['c']);
  });

  it('reads a log larger than its chunk size, lines spanning chunk borders included', () => {
    const line = formatSessionLogLine(sessionLogEventFromHook({ session_id: 's', cwd: `/${'d'.repeat(2500)}`, hook_event_name: 'Stop' }, NOW));
    const bytes = Buffer.byteLength(line);
    const count = Math.ceil((2.5 * 1024 * 1024) / bytes);
    fs.mkdirSync(path.dirname(sessionLogPath(root)), { recursive: true });
    fs.writeFileSync(sessionLogPath(root), line.repeat(count));
    const read = readSessionLog(root, 0);
    expect(read.events).toHaveLength(count);
    expect(read.skipped).toBe(0);
    expect(read.endOffset).toBe(bytes * count);
  });
});

describe('appendErrorLog', () => {
  it('appends timestamped one-line messages and rotates past 1 MB', () => {
    const file = path.join(root, 'logs', 'errors.log');
    expect(appendErrorLog(file, 'first\nproblem', NOW)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('2026-04-10T09:14:07.902Z first problem\n');
    fs.writeFileSync(file, 'x'.repeat(MAX_ERROR_LOG_BYTES + 10));
    expect(appendErrorLog(file, 'after rotation', NOW)).toBe(true);
    expect(fs.statSync(`${file}.1`).size).toBe(MAX_ERROR_LOG_BYTES + 10);
    expect(fs.readFileSync(file, 'utf8')).toBe('2026-04-10T09:14:07.902Z after rotation\n');
  });

  it('returns false instead of throwing when the log cannot be written', () => {
    fs.writeFileSync(path.join(root, 'logs'), 'a file where the directory should be');
    expect(appendErrorLog(path.join(root, 'logs', 'errors.log'), 'x')).toBe(false);
  });
});

describe('the hook\'s stdin reader', () => {
  it('reads a stream to its end', async () => {
    const read = await readStdin(Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]), { maxBytes: 100, timeoutMs: 1000 });
    expect(read).toMatchObject({ bytes: 7, truncated: false, timedOut: false });
    expect(read.data.toString()).toBe('{"a":1}');
  });

  it('keeps at most maxBytes and drains the rest', async () => {
    const read = await readStdin(Readable.from([Buffer.alloc(60, 97), Buffer.alloc(60, 98)]), { maxBytes: 100, timeoutMs: 1000 });
    expect(read).toMatchObject({ bytes: 120, truncated: true, timedOut: false });
    expect(read.data.length).toBe(100);
  });

  it('gives up after the timeout with what it has, and closes the stream', async () => {
    const stream = new PassThrough();
    stream.write('partial');
    const read = await readStdin(stream, { maxBytes: 100, timeoutMs: 50 });
    expect(read).toMatchObject({ timedOut: true });
    expect(read.data.toString()).toBe('partial');
    expect(stream.destroyed).toBe(true);
  });

  it('does not wait for a terminal', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const read = await readStdin(tty, { maxBytes: 100, timeoutMs: 5000 });
    expect(read).toMatchObject({ bytes: 0, timedOut: false });
  });
});

describe('salvageTruncatedPayload', () => {
  it('recovers the top-level fields from the first part of a huge PostToolUse', () => {
    const text = JSON.stringify({ ...common, hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: { file_path: '/big.log' }, tool_response: { content: 'x'.repeat(5000) } }).slice(0, 1000);
    const salvaged = salvageTruncatedPayload(text);
    expect(salvaged).toMatchObject({ session_id: 'sess-1', hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: { file_path: '/big.log' } });
    expect(sessionLogEventFromHook(salvaged, NOW)).toMatchObject({ type: 'tool_call', tool_name: 'Read', file_path: '/big.log' });
  });

  it('gives up on text that names no event or session', () => {
    expect(salvageTruncatedPayload('x'.repeat(1000))).toBeNull();
    expect(salvageTruncatedPayload('{"hook_event_name":"Stop","cwd":"/p"')).toBeNull();
  });
});
