// `cco hook` and `cco statusline` as Claude Code runs them: real child processes, real pipes, real
// temp config roots. Until cco.ts dispatches the two commands, the children are a small script
// (helpers/hook-statusline-child.mjs) calling runHook/runStatusLine on the compiled code in dist/,
// with the process's own stdin and stdout. `npm test` builds dist first; run on its own, this
// test builds it when it is missing or older than the source.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assistantLine, toolUse, userLine, writeTranscript } from '../fixtures/make-transcript.js';
import { runCco, tempRoot } from '../helpers/cli.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const childScript = path.join(repo, 'test/integration/helpers/hook-statusline-child.mjs');
const appendChild = path.join(repo, 'test/integration/helpers/hook-append-child.mjs');
const sources = ['main/cli/hook.ts', 'main/cli/statusline.ts', 'main/core/sources/session-log.ts', 'main/core/sources/statusline-store.ts'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'CLAUDE_CONFIG_DIR' && key !== 'FORCE_COLOR') env[key] = value;
  return { ...env, NO_COLOR: '1', HOME: os.tmpdir(), ...extra };
}

function run(command: 'hook' | 'statusline', args: string[], input: string | Buffer, env: Record<string, string> = {}): Run {
  const started = Date.now();
  const result = spawnSync(process.execPath, [childScript, command, ...args], { input, env: baseEnv(env), encoding: 'utf8', timeout: 20_000, maxBuffer: 16 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

/** Spawn without waiting synchronously, so a child that never sees stdin close can be timed. */
function runAsync(command: 'hook' | 'statusline', args: string[], input: string | null, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const proc = spawn(process.execPath, [childScript, command, ...args], { env: baseEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
    if (input !== null) proc.stdin.end(input);
    // else: stdin stays open for the whole run, like a writer that never closes.
  });
}

let root = '';
const logFile = (name: string): string => path.join(root, 'logs', name);
const sessionLines = (): string[] => {
  const file = logFile('sessions.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((line) => line !== '') : [];
};
const hookErrors = (): string => (fs.existsSync(logFile('cco-hook-errors.log')) ? fs.readFileSync(logFile('cco-hook-errors.log'), 'utf8') : '');

beforeAll(() => {
  const stale = sources.some((source) => {
    const compiled = path.join(repo, 'dist', source.replace(/\.ts$/, '.js'));
    return !fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < fs.statSync(path.join(repo, source)).mtimeMs;
  });
  if (stale) {
    try {
      execFileSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: repo, stdio: 'pipe' });
    } catch {
      // tsc still emits when files other engineers are editing have type errors; only the output matters here.
    }
  }
  for (const source of sources) expect(fs.existsSync(path.join(repo, 'dist', source.replace(/\.ts$/, '.js')))).toBe(true);
});

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-hook-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('cco hook', () => {
  it('records a SessionStart as exactly one session_start line, printing nothing', () => {
    const payload = { session_id: 'abc123', transcript_path: '/t/abc123.jsonl', cwd: '/path/to/project', hook_event_name: 'SessionStart', source: 'startup', agent_type: 'planner' };
    const before = Date.now();
    const result = run('hook', ['--config-dir', root], JSON.stringify(payload));
    expect(result).toMatchObject({ code: 0, stdout: '' });
    const lines = sessionLines();
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({ type: 'session_start', session_id: 'abc123', cwd: '/path/to/project', agent: 'planner', source: 'startup', transcript_path: '/t/abc123.jsonl' });
    const at = Date.parse(line.timestamp as string);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
    expect(hookErrors()).toBe('');
  });

  it('finds the root through CLAUDE_CONFIG_DIR too', () => {
    const result = run('hook', [], JSON.stringify({ session_id: 's', hook_event_name: 'Stop' }), { CLAUDE_CONFIG_DIR: root });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(sessionLines()).toHaveLength(1);
  });

  const badInputs: [string, string | Buffer][] = [
    ['empty stdin', ''],
    ['not JSON', 'hello, I am not JSON'],
    ['JSON but not an object', '[1,2,3]'],
    ['missing fields', JSON.stringify({ cwd: '/p' })],
    ['no session id', JSON.stringify({ hook_event_name: 'SessionStart', cwd: '/p' })],
    ['an unknown event', JSON.stringify({ hook_event_name: 'Telepathy', session_id: 's' })],
    ['a 5 MB payload', Buffer.alloc(5 * 1024 * 1024, 'x')],
  ];
  for (const [name, input] of badInputs) {
    it(`survives ${name}: exit 0, nothing on stdout, the error logged, no session line`, () => {
      const result = run('hook', ['--config-dir', root], input);
      expect(result, result.stderr).toMatchObject({ code: 0, stdout: '', stderr: '' });
      expect(sessionLines()).toEqual([]);
      const errors = hookErrors().trim().split('\n');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \S/);
    });
  }

  it('records a 5 MB PostToolUse from its first megabyte, and notes the cut', () => {
    const payload = { session_id: 's', cwd: '/p', hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: { file_path: '/huge.log' }, tool_response: { content: 'z'.repeat(5 * 1024 * 1024) } };
    const result = run('hook', ['--config-dir', root], JSON.stringify(payload));
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(sessionLines().map((line) => JSON.parse(line) as unknown)).toEqual([expect.objectContaining({ type: 'tool_call', tool_name: 'Read', file_path: '/huge.log', estimated_tokens: 800 })]);
    expect(hookErrors()).toMatch(/cut at 1048576/);
  });

  it('never writes the prompt of a UserPromptSubmit anywhere', () => {
    run('hook', ['--config-dir', root], JSON.stringify({ session_id: 's', hook_event_name: 'UserPromptSubmit', prompt: 'secret-prompt-text' }));
    run('hook', ['--config-dir', root], '{"hook_event_name":"UserPromptSubmit","prompt":"secret-prompt-text"'); // torn
    expect(sessionLines()).toHaveLength(1);
    expect(fs.readFileSync(logFile('sessions.jsonl'), 'utf8')).not.toContain('secret');
    expect(hookErrors()).not.toContain('secret');
  });

  it('gives up on a stdin that never closes after about two seconds', async () => {
    const result = await runAsync('hook', ['--config-dir', root], null);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.ms).toBeLessThan(10_000);
    expect(hookErrors()).toMatch(/still open after the timeout/);
  });

  it('exits 0 with a missing config dir or a logs path it cannot write', () => {
    const missing = run('hook', ['--config-dir', path.join(root, 'nope')], JSON.stringify({ session_id: 's', hook_event_name: 'Stop' }));
    expect(missing).toMatchObject({ code: 0, stdout: '' });
    expect(missing.stderr).toMatch(/config directory not found/);
    fs.writeFileSync(path.join(root, 'logs'), 'a file, not a directory');
    const blocked = run('hook', ['--config-dir', root], JSON.stringify({ session_id: 's', hook_event_name: 'Stop' }));
    expect(blocked).toMatchObject({ code: 0, stdout: '' });
    expect(blocked.stderr).toMatch(/not writable/);
  });

  it('keeps every line whole when 8 processes append 200 events each at once', async () => {
    const startAt = Date.now() + 1500;
    const ids = Array.from({ length: 8 }, (_, i) => `p${i}`);
    const results = await Promise.all(
      ids.map(
        (id) =>
          new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
            const proc = spawn(process.execPath, [appendChild, root, id, '200', String(startAt)], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
            let stderr = '';
            proc.stdout.on('data', (chunk: Buffer) => (stderr += `stdout: ${chunk.toString()}`));
            proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
            proc.on('error', reject);
            proc.on('close', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    for (const result of results) expect(result, result.stderr).toEqual({ code: 0, stderr: '' });

    const text = fs.readFileSync(logFile('sessions.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(1600);
    const perSession = new Map<string, string[]>();
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeGreaterThan(1000); // long enough that interleaving would show
      const event = JSON.parse(line) as { type: string; session_id: string; file_path: string; cwd: string };
      expect(event.type).toBe('tool_call');
      const id = event.session_id.replace('session-', '');
      expect(event.cwd.startsWith(`/work/${id}/`)).toBe(true);
      perSession.set(id, [...(perSession.get(id) ?? []), event.file_path]);
    }
    for (const id of ids) {
      // Each process's events are all there, in its own order.
      expect(perSession.get(id)).toEqual(Array.from({ length: 200 }, (_, i) => `/work/${id}/file-${i}.ts`));
    }
    expect(hookErrors()).toBe('');
  });
});

describe('cco statusline', () => {
  const now = Math.floor(Date.now() / 1000);
  const payload = JSON.stringify({
    session_id: 'sess-1',
    transcript_path: '/t/sess-1.jsonl',
    cwd: '/p',
    model: { id: 'claude-opus-4-6', display_name: 'Opus' },
    context_window: { context_window_size: 200_000, used_percentage: 38, current_usage: { input_tokens: 6, output_tokens: 97, cache_creation_input_tokens: 2214, cache_read_input_tokens: 73_790 } },
    exceeds_200k_tokens: false,
    rate_limits: { five_hour: { used_percentage: 42, resets_at: now + 2 * 3600 + 45 * 60 + 30 }, seven_day: { used_percentage: 31, resets_at: now + 3 * 86_400 } },
  });
  const setPrevious = (command: string): void => fs.writeFileSync(path.join(root, 'cco-integration.json'), JSON.stringify({ previousStatusLine: { type: 'command', command } }));
  const statuslineErrors = (): string => (fs.existsSync(logFile('cco-statusline-errors.log')) ? fs.readFileSync(logFile('cco-statusline-errors.log'), 'utf8') : '');

  it('prints the server percentage and stores the payload', () => {
    const result = run('statusline', ['--config-dir', root], payload);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^◆ 42% of 5h · resets 2h 4[45]m · week 31% · ctx 38% of 200k\n$/);
    const state = JSON.parse(fs.readFileSync(path.join(root, 'statusline-state.json'), 'utf8')) as {
      version: number;
      latest: { sessionId: string; rateLimits: { fiveHour: { usedPercent: number; resetsAt: string } } };
      sessions: Record<string, { contextWindow: { size: number } }>;
    };
    expect(state.version).toBe(1);
    expect(state.latest.sessionId).toBe('sess-1');
    expect(state.latest.rateLimits.fiveHour).toEqual({ usedPercent: 42, resetsAt: new Date((now + 2 * 3600 + 45 * 60 + 30) * 1000).toISOString() });
    expect(state.sessions['sess-1']?.contextWindow.size).toBe(200_000);
    expect(statuslineErrors()).toBe('');
  });

  it('reads the last main-chain response from the transcript\'s tail for the prompt-cache countdown', () => {
    const iso = (ms: number): string => new Date(ms).toISOString();
    const recent = Date.now() - 2 * 60_000;
    const lines = [
      userLine({ timestamp: iso(recent - 60_000), sessionId: 'sess-1' }),
      assistantLine({ messageId: 'msg_a', timestamp: iso(recent), sessionId: 'sess-1', input: 6, cacheRead: 70_000, output: 40 }),
      // A sub-agent answering later does not refresh the main chain's cache.
      assistantLine({ messageId: 'msg_b', timestamp: iso(recent + 60_000), sessionId: 'sess-1', sidechain: true, output: 5 }),
      userLine({ timestamp: iso(recent + 90_000), sessionId: 'sess-1', text: 'and now?' }),
    ];
    const transcript = writeTranscript(root, 'sess-1', lines);
    const warm = run('statusline', ['--config-dir', root], JSON.stringify({ ...JSON.parse(payload), transcript_path: transcript }));
    expect(warm.code).toBe(0);
    // The countdown itself depends on the clock: only its shape is asserted (58m or 57m left).
    expect(warm.stdout).toMatch(/ · ctx 38% of 200k · cache cold in 5\dm\n$/);
    const old = Date.now() - 3 * 3_600_000;
    const coldFile = writeTranscript(root, 'sess-2', [assistantLine({ messageId: 'msg_c', timestamp: iso(old), sessionId: 'sess-2', input: 6, output: 40 })]);
    expect(run('statusline', ['--config-dir', root], JSON.stringify({ ...JSON.parse(payload), session_id: 'sess-2', transcript_path: coldFile })).stdout).toMatch(/ · cache cold\n$/);
    // A transcript path that is a directory or missing: no cache part, no error.
    expect(run('statusline', ['--config-dir', root], JSON.stringify({ ...JSON.parse(payload), transcript_path: root })).stdout).toMatch(/ · ctx 38% of 200k\n$/);
    expect(statuslineErrors()).toBe('');
  });

  it('colours its output unless NO_COLOR is set', () => {
    const coloured = run('statusline', ['--config-dir', root], payload, { NO_COLOR: '' });
    expect(coloured.stdout).toContain('\u001b[32m42%\u001b[39m');
    expect(run('statusline', ['--config-dir', root], payload).stdout).not.toContain('\u001b');
  });

  it('keeps showing the last server figures for a payload without rate limits', () => {
    run('statusline', ['--config-dir', root], payload);
    const result = run('statusline', ['--config-dir', root], JSON.stringify({ session_id: 'sess-2', context_window: { context_window_size: 1_000_000, used_percentage: 2 } }));
    expect(result.stdout).toMatch(/^◆ 42% of 5h · resets 2h 4[45]m · week 31% · ctx 2% of 1M\n$/);
  });

  it('prints the previous status line first, then ours', () => {
    setPrevious('echo THEIRS');
    const result = run('statusline', ['--config-dir', root], payload);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('THEIRS');
    expect(lines[1]).toMatch(/^◆ 42% of 5h/);
    expect(lines).toHaveLength(3);
  });

  it('gives the previous status line the same payload on its stdin', () => {
    setPrevious(`node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log('model='+JSON.parse(s).model.display_name))"`);
    const result = run('statusline', ['--config-dir', root], payload);
    expect(result.stdout.split('\n')[0]).toBe('model=Opus');
  });

  it('does not wait for a previous status line that hangs', () => {
    setPrevious('sleep 5; echo LATE');
    const result = run('statusline', ['--config-dir', root], payload);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^◆ 42% of 5h/);
    expect(result.stdout).not.toContain('LATE');
    // 1 s for theirs plus a node start; the sleep itself (5 s) must not be waited for.
    expect(result.ms).toBeLessThan(3500);
    expect(statuslineErrors()).toMatch(/did not finish within 1000 ms/);
  });

  it('survives a previous status line that fails', () => {
    setPrevious('exit 3');
    const result = run('statusline', ['--config-dir', root], payload);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^◆ 42% of 5h[^\n]*\n$/);
  });

  it('prints a minimal line for garbage and logs it', () => {
    const result = run('statusline', ['--config-dir', root], 'not json');
    expect(result).toMatchObject({ code: 0, stdout: 'cco: status unavailable\n' });
    expect(statuslineErrors()).toMatch(/not valid JSON/);
  });

  it('falls back to the quota tracker when the payload has no rate limits', () => {
    const reset = new Date(Date.now() + 90 * 60_000 + 30_000).toISOString();
    fs.writeFileSync(
      path.join(root, 'quota-tracker.json'),
      JSON.stringify({ plan: 'pro', limit: 200_000, currentWindow: { startTime: '2026-01-01T00:00:00Z', resetTime: reset, tokensUsed: 120_000, remaining: 80_000 }, percentUsed: 60, burnRate: { tokensPerMinute: 630 } }),
    );
    const result = run('statusline', ['--config-dir', root], JSON.stringify({ session_id: 's', context_window: { context_window_size: 200_000, used_percentage: 81 } }));
    expect(result.stdout).toMatch(/^◆ ~60% of 5h \(est\.\) · resets 1h (29|30)m · ctx 81% of 200k · 630 tok\/min\n$/);
  });

  it('keeps its exit code and output with a missing logs dir, or one it cannot write', () => {
    expect(run('statusline', ['--config-dir', root], payload).stdout).toMatch(/^◆ 42%/);
    fs.rmSync(path.join(root, 'logs'), { recursive: true, force: true });
    fs.writeFileSync(path.join(root, 'logs'), 'a file, not a directory');
    // Garbage on stdin: the stored server figures are still shown; the complaint goes to stderr.
    const result = run('statusline', ['--config-dir', root], 'not json');
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^◆ 42% of 5h[^\n]*\n$/);
    expect(result.stderr).toMatch(/not valid JSON/);
    const good = run('statusline', ['--config-dir', root], payload);
    expect(good).toMatchObject({ code: 0, stderr: '' });
    expect(good.stdout).toMatch(/^◆ 42%/);
  });

  it('still prints from the payload when the config dir is missing', () => {
    const result = run('statusline', ['--config-dir', path.join(root, 'nope')], payload);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^◆ 42% of 5h/);
  });
});

describe('cco hook: compaction assist (real CLI)', () => {
  it('writes a handoff before a compaction and prints where we are after it, never blocking', () => {
    const root = tempRoot();
    const transcript = writeTranscript(root, 'sess-c', [
      userLine({ timestamp: '2026-03-01T10:00:00.000Z', text: 'Add CSV export to invoices', sessionId: 'sess-c' }),
      assistantLine({ messageId: 'msg_c1', timestamp: '2026-03-01T10:00:05.000Z', input: 10, output: 5, cacheRead: 20_000, sessionId: 'sess-c', content: [toolUse('Edit', 'toolu_c1', { file_path: '/w/src/export.ts', old_string: 'a', new_string: 'b' })] }),
      userLine({ timestamp: '2026-03-01T10:00:06.000Z', toolResultFor: 'toolu_c1', sessionId: 'sess-c' }),
      assistantLine({ messageId: 'msg_c2', timestamp: '2026-03-01T10:00:09.000Z', input: 10, output: 50, cacheRead: 21_000, sessionId: 'sess-c', content: [{ type: 'text', text: 'Export is in place; next the tests.' }] }),
    ]);
    const pre = runCco(['hook', '--config-dir', root], { input: JSON.stringify({ hook_event_name: 'PreCompact', session_id: 'sess-c', transcript_path: transcript, cwd: '/w', trigger: 'auto' }) });
    expect(pre.code).toBe(0);
    expect(pre.stdout).toBe('');
    const handoffs = fs.readdirSync(path.join(root, 'handoffs'));
    expect(handoffs).toHaveLength(1);
    const handoff = fs.readFileSync(path.join(root, 'handoffs', handoffs[0] as string), 'utf8');
    expect(handoff).toContain('/w/src/export.ts');
    expect(handoff).toContain('claude -r sess-c');

    const after = runCco(['hook', '--config-dir', root], { input: JSON.stringify({ hook_event_name: 'SessionStart', session_id: 'sess-c', transcript_path: transcript, cwd: '/w', source: 'compact' }) });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('/w/src/export.ts');
    expect(Buffer.byteLength(after.stdout)).toBeLessThan(2200);

    const missing = runCco(['hook', '--config-dir', root], { input: JSON.stringify({ hook_event_name: 'PreCompact', session_id: 'gone', transcript_path: path.join(root, 'nope.jsonl'), cwd: '/w', trigger: 'manual' }) });
    expect(missing.code).toBe(0);
    expect(fs.readFileSync(path.join(root, 'logs', 'cco-hook-errors.log'), 'utf8')).toContain('compaction assist skipped');
  });
});
