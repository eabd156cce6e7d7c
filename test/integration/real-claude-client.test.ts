/**
 * The real Claude Code client (pinned, see test/helpers/claude-client.ts) driven offline against a
 * local fake of the Messages API, with our hooks, status line and slash commands installed by the
 * real `cco install` into a throwaway HOME. It checks what fixtures cannot: that the lines and
 * payloads the client really writes are the ones the optimizer reads.
 *
 * What the real client 2.1.332 does (more in test/fixtures/real-client/README.md):
 * - `claude -p` runs the SessionStart, UserPromptSubmit, PostToolUse, Stop and SessionEnd hooks
 *   (SessionEnd reason "other"). Its UserPromptSubmit payload has no `source` field; the
 *   transcript's user line says `promptSource: "sdk"`, `entrypoint: "sdk-cli"`.
 * - `claude -p` never runs the status line. Interactive sessions do (after each response), so the
 *   status line is tested through a pseudo-terminal (`script`), which also ends with `/exit`
 *   (SessionEnd reason "prompt_input_exit").
 * - A 429 fires StopFailure with `error: "rate_limit"`, but in `-p` the process exits before a
 *   hook as slow as ours (a Node start-up) has written anything: the transcript's API-error line
 *   is the only record. With a dummy CLAUDE_CODE_OAUTH_TOKEN the client behaves as a subscriber:
 *   it reads the `anthropic-ratelimit-unified-*` headers, prints "You've hit your 5-hour limit ·
 *   resets 7am (UTC)" and writes `quotaLimits` / `apiErrorParams.rate_limit_info` with the exact
 *   reset epoch; on successful responses the same headers become the status line's `rate_limits`.
 * - One assistant line per content block, with the final `output_tokens` from message_delta.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { CLAUDE_CODE_VERSION, ensureClaudeClient } from '../helpers/claude-client.js';
import { REPO, runCco, tempRoot } from '../helpers/cli.js';
import { FakeAnthropicApi, type FakeUsage } from '../helpers/fake-anthropic.js';

/** Bounded so a client that waits for input (a new dialog, a permission prompt) fails the test, never hangs CI. */
const RUN_TIMEOUT_MS = 90_000;
/** Per test: a run or two of the client plus `cco` children, on a loaded machine. */
const TEST_TIMEOUT_MS = 2 * RUN_TIMEOUT_MS;
const API_KEY = 'sk-ant-api03-fake-key-for-tests-only-0000000000';
const OAUTH_TOKEN = 'sk-ant-oat01-fake-token-for-tests-only-0000000000';

type Line = Record<string, unknown>;
interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let claude = '';
let fake: FakeAnthropicApi;
let baseUrl = '';
let home = '';
let root = '';
let project = '';
/** Children still running, killed in afterAll if a test gave up on them. */
const live = new Set<number>();

function clientEnv(auth: 'api-key' | 'subscriber'): Record<string, string> {
  // Built from nothing: no real credential or setting of the person running the tests leaks in.
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: root,
    ANTHROPIC_BASE_URL: baseUrl,
    ...(auth === 'api-key' ? { ANTHROPIC_API_KEY: API_KEY } : { CLAUDE_CODE_OAUTH_TOKEN: OAUTH_TOKEN }),
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    TZ: 'UTC',
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
    NO_COLOR: '1',
  };
}

/** Spawns asynchronously: the fake API answers from this same process, so spawnSync would deadlock. */
function run(command: string, args: string[], env: Record<string, string>, opts: { stdin?: (child: import('node:child_process').ChildProcess) => void } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout kills the client together with its hooks and shells.
    const child = spawn(command, args, { cwd: project, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    if (child.pid) live.add(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(new Error(`${path.basename(command)} ${args.join(' ')} did not finish in ${RUN_TIMEOUT_MS / 1000} s\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}\nfake API: ${fake.unexpected.join('; ')}`));
    }, RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (child.pid) live.delete(child.pid);
      resolve({ code, stdout, stderr });
    });
    if (opts.stdin) opts.stdin(child);
    else child.stdin?.end();
  });
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function claudePrint(prompt: string, sessionId: string, auth: 'api-key' | 'subscriber' = 'api-key', extra: string[] = []): Promise<RunResult> {
  return run(claude, ['-p', prompt, '--session-id', sessionId, ...extra], clientEnv(auth));
}

function readLines(file: string): Line[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line);
}

function hookLog(sessionId: string): Line[] {
  const file = path.join(root, 'logs', 'sessions.jsonl');
  return fs.existsSync(file) ? readLines(file).filter((line) => line.session_id === sessionId) : [];
}

/** The session's transcript, found through our SessionStart log line (its transcript_path). */
function transcript(sessionId: string): Line[] {
  const start = hookLog(sessionId).find((line) => line.type === 'session_start');
  expect(start, `no session_start line for ${sessionId} in logs/sessions.jsonl`).toBeDefined();
  return readLines(start?.transcript_path as string);
}

function assistantLines(lines: Line[], messageId: string): Line[] {
  return lines.filter((line) => line.type === 'assistant' && (line.message as Line | undefined)?.id === messageId);
}

const FIXTURES = path.join(REPO, 'test', 'fixtures', 'real-client');

/** The keys of a line, sorted: the fixtures were captured from this client, so a live line must have exactly their shape. */
function shapeOf(line: Line | undefined): string[] {
  return Object.keys(line ?? {}).sort();
}

function fixtureLine(file: string, match: (line: Line) => boolean): Line | undefined {
  return readLines(path.join(FIXTURES, file)).find(match);
}

function apiUsage(usage: FakeUsage): Line {
  return { input_tokens: usage.input, output_tokens: usage.output, cache_creation_input_tokens: usage.cacheCreation, cache_read_input_tokens: usage.cacheRead };
}

/** Every token the fake API reported, summed: what `cco status` must count, no more, no less. */
function sentTotals(): { input: number; output: number; cacheCreation: number; cacheRead: number } {
  const totals = { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 };
  for (const { reply } of fake.sent) {
    if (reply.kind === 'rate_limit') continue;
    totals.input += reply.usage.input;
    totals.output += reply.usage.output;
    totals.cacheCreation += reply.usage.cacheCreation;
    totals.cacheRead += reply.usage.cacheRead;
  }
  return totals;
}

function statusJson(): Snapshot {
  const result = runCco(['status', '--json', '--config-dir', root]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Snapshot;
}

/** Unix seconds of the hour `hours` from now: real resets sit on the hour, and "resets 7am" then means exactly it. */
function onTheHour(hours: number): number {
  return (Math.floor(Date.now() / 3_600_000) + hours) * 3600;
}

function describeRun(result: RunResult): string {
  return `exit ${String(result.code)}\nstdout: ${result.stdout.slice(-1500)}\nstderr: ${result.stderr.slice(-1500)}\nfake API unexpected: ${fake.unexpected.join('; ') || 'none'}`;
}

describe(`the real Claude Code client ${CLAUDE_CODE_VERSION}, offline against a fake API`, () => {
  beforeAll(async () => {
    claude = ensureClaudeClient();
    fake = new FakeAnthropicApi();
    baseUrl = await fake.start();
    home = fs.realpathSync(tempRoot('cco-real-client-'));
    root = path.join(home, '.claude');
    project = path.join(home, 'project');
    fs.mkdirSync(root, { recursive: true });
    fs.mkdirSync(project, { recursive: true });
    // With CLAUDE_CONFIG_DIR set the client keeps its global state in <root>/.claude.json:
    // onboarding done and the project trusted, so no first-run dialog waits for a person.
    fs.writeFileSync(
      path.join(root, '.claude.json'),
      JSON.stringify({
        hasCompletedOnboarding: true,
        theme: 'dark',
        projects: { [project]: { hasTrustDialogAccepted: true } },
        customApiKeyResponses: { approved: [API_KEY.slice(-20)], rejected: [] },
      }),
    );
    const install = runCco(['install', '--config-dir', root]);
    expect(install.code, install.stderr).toBe(0);
  }, 420_000);

  // A test that failed half-way must not leave its replies to the next one.
  beforeEach(() => fake.forget());

  afterAll(async () => {
    for (const pid of live) killGroup(pid);
    await fake?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  }, TEST_TIMEOUT_MS);

  it('a text turn in -p: our hooks log the session, the transcript carries the usage the API sent, cco status counts it', async () => {
    const sessionId = randomUUID();
    const usage = { input: 1234, output: 42, cacheCreation: 500, cacheRead: 2000 };
    fake.script({ kind: 'text', text: 'Hello from the fake API.', usage });
    const result = await claudePrint('Say hello', sessionId);
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout.trim()).toBe('Hello from the fake API.');
    expect(fake.pending).toBe(0);
    expect(fake.unexpected).toEqual([]);

    const request = fake.sent.at(-1);
    expect(request?.request.headers['x-api-key']).toBe(API_KEY);
    expect(request?.request.headers['x-claude-code-session-id']).toBe(sessionId);

    const log = hookLog(sessionId);
    expect(log.map((line) => line.type)).toEqual(['session_start', 'prompt', 'stop', 'session_end']);
    expect(log[0]).toMatchObject({ cwd: project, source: 'startup', transcript_path: path.join(root, 'projects', project.replace(/[^a-zA-Z0-9]/g, '-'), `${sessionId}.jsonl`) });
    expect(log[3]).toMatchObject({ reason: 'other' });

    const lines = transcript(sessionId);
    const user = lines.find((line) => line.type === 'user');
    expect(user).toMatchObject({ message: { role: 'user', content: 'Say hello' }, promptSource: 'sdk', entrypoint: 'sdk-cli', sessionId, cwd: project, version: CLAUDE_CODE_VERSION, isSidechain: false });
    const assistant = assistantLines(lines, request?.messageId as string);
    expect(assistant).toHaveLength(1);
    expect(assistant[0]).toMatchObject({
      requestId: request?.requestId,
      sessionId,
      cwd: project,
      version: CLAUDE_CODE_VERSION,
      isSidechain: false,
      message: { role: 'assistant', model: (request?.request.body as { model: string }).model, stop_reason: 'end_turn', content: [{ type: 'text', text: 'Hello from the fake API.' }], usage: apiUsage(usage) },
    });
    expect(assistant[0]?.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const fixture = fixtureLine('transcript-text-turn.jsonl', (line) => line.type === 'assistant');
    expect(shapeOf(assistant[0])).toEqual(shapeOf(fixture));
    expect(shapeOf(assistant[0]?.message as Line)).toEqual(shapeOf(fixture?.message as Line));
    expect(shapeOf((assistant[0]?.message as Line).usage as Line)).toEqual(shapeOf((fixture?.message as Line).usage as Line));

    const snapshot = statusJson();
    expect(snapshot.quota.currentWindow?.tokens).toEqual(sentTotals());
  }, TEST_TIMEOUT_MS);

  it('a tool call in -p: the PostToolUse hook logs it and the tool result goes back to the API', async () => {
    const sessionId = randomUUID();
    const toolUsage = { input: 300, output: 17, cacheCreation: 0, cacheRead: 3734 };
    const answerUsage = { input: 25, output: 9, cacheCreation: 120, cacheRead: 3734 };
    fake.script(
      { kind: 'tool_use', name: 'Bash', input: { command: 'echo hi-from-bash', description: 'Print a greeting' }, usage: toolUsage },
      { kind: 'text', text: 'The command printed hi-from-bash.', usage: answerUsage },
    );
    const result = await claudePrint('Run echo hi-from-bash', sessionId, 'api-key', ['--allowedTools', 'Bash(echo hi-from-bash)']);
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toContain('The command printed hi-from-bash.');
    expect(fake.pending).toBe(0);
    expect(fake.unexpected).toEqual([]);
    expect(fake.userTexts().some((text) => text.includes('hi-from-bash') && !text.includes('echo'))).toBe(true);

    const log = hookLog(sessionId);
    expect(log.map((line) => line.type)).toEqual(['session_start', 'prompt', 'tool_call', 'stop', 'session_end']);
    expect(log[2]).toMatchObject({ tool_name: 'Bash' });

    const [toolReply, answer] = fake.sent.slice(-2);
    const lines = transcript(sessionId);
    const toolLine = assistantLines(lines, toolReply?.messageId as string);
    expect(toolLine).toHaveLength(1);
    expect(toolLine[0]).toMatchObject({
      requestId: toolReply?.requestId,
      message: { stop_reason: 'tool_use', content: [{ type: 'tool_use', name: 'Bash', input: { command: 'echo hi-from-bash' } }], usage: apiUsage(toolUsage) },
    });
    const toolUseId = ((toolLine[0]?.message as Line).content as Line[])[0]?.id;
    const result_ = lines.find((line) => line.type === 'user' && Array.isArray((line.message as Line).content) && ((line.message as Line).content as Line[]).some((block) => block.type === 'tool_result'));
    expect(result_).toMatchObject({ message: { content: [{ type: 'tool_result', tool_use_id: toolUseId, content: 'hi-from-bash', is_error: false }] }, toolUseResult: { stdout: 'hi-from-bash', stderr: '' } });
    expect(assistantLines(lines, answer?.messageId as string)[0]).toMatchObject({ message: { usage: apiUsage(answerUsage) } });

    expect(statusJson().quota.currentWindow?.tokens).toEqual(sentTotals());
  }, TEST_TIMEOUT_MS);

  it('a slash command in -p: its ! line runs our cco and the panel reaches the API as the user message', async () => {
    const sessionId = randomUUID();
    fake.script({ kind: 'text', text: 'Here is your status.', usage: { input: 2100, output: 30, cacheCreation: 0, cacheRead: 0 } });
    const result = await claudePrint('/session-status', sessionId);
    expect(result.code, describeRun(result)).toBe(0);

    const sent = fake.userTexts();
    const panel = sent.find((text) => text.includes('TOKEN QUOTA'));
    // A `!` line the command's allowed-tools does not cover never runs: the client prints
    // "Shell command permission check failed ... requires approval" and sends nothing.
    expect(panel, `no user message with the panel\n${describeRun(result)}\nthe client sent:\n${sent.join('\n---\n').slice(-3000)}`).toBeDefined();
    expect(panel).toContain('Claude Code Session Status');
    expect(fake.pending).toBe(0);
    expect(fake.unexpected).toEqual([]);
    // The ! line was replaced by its output, not sent as text, and the instructions follow it.
    expect(panel).not.toContain('!`');
    expect(panel).toContain('Show the panel above to the user verbatim');
    expect(sent.some((text) => text.includes('<command-name>/session-status</command-name>'))).toBe(true);
    expect(hookLog(sessionId).map((line) => line.type)).toEqual(['session_start', 'prompt', 'stop', 'session_end']);
  }, TEST_TIMEOUT_MS);

  it('a 429 for a subscriber in -p: the transcript API-error line carries the limit, and cco status reports it', async () => {
    const sessionId = randomUUID();
    const resetsAt = onTheHour(2);
    fake.script({ kind: 'rate_limit', claim: 'five_hour', resetsAt });
    const result = await claudePrint('One more thing', sessionId, 'subscriber');
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stdout.trim()).toMatch(/^You've hit your 5-hour limit · resets \d{1,2}(:\d{2})?(am|pm) \(UTC\)$/);
    expect(fake.pending).toBe(0);
    expect(fake.unexpected).toEqual([]);
    expect(fake.sent.at(-1)?.request.headers.authorization).toBe(`Bearer ${OAUTH_TOKEN}`);

    const errors = transcript(sessionId).filter((line) => line.isApiErrorMessage === true);
    expect(errors).toHaveLength(1);
    const limit = { status: 'rejected', resetsAt, rateLimitType: 'five_hour', isUsingOverage: false };
    expect(errors[0]).toMatchObject({
      type: 'assistant',
      error: 'rate_limit',
      apiErrorStatus: 429,
      apiErrorType: 'rate_limit_error',
      apiError: 'usage_limit_reached',
      apiErrorParams: { rate_limit_info: limit },
      quotaLimits: limit,
      message: { model: '<synthetic>', content: [{ type: 'text', text: result.stdout.trim() }], usage: { input_tokens: 0, output_tokens: 0 } },
    });

    const fixture = fixtureLine('api-error-429.jsonl', (line) => (line.quotaLimits as Line | undefined)?.rateLimitType === 'five_hour');
    expect(shapeOf(errors[0])).toEqual(shapeOf(fixture));
    expect(errors[0]?.requestId).toBe(fake.sent.at(-1)?.requestId);
    expect(shapeOf(errors[0]?.quotaLimits as Line)).toEqual(shapeOf(fixture?.quotaLimits as Line));

    const snapshot = statusJson();
    expect(snapshot.quota.limitReached?.resetsAt).toBe(new Date(resetsAt * 1000).toISOString());
    // The synthetic error line counts no tokens.
    expect(snapshot.quota.currentWindow?.tokens).toEqual(sentTotals());
  }, TEST_TIMEOUT_MS);

  it('an interactive session in a pseudo-terminal: the status line relays the server figures and the context window size', async () => {
    const sessionId = randomUUID();
    const fiveHour = { utilization: 0.42, resetsAt: onTheHour(3) };
    const sevenDay = { utilization: 0.17, resetsAt: onTheHour(75) };
    fake.rateLimits = { fiveHour, sevenDay };
    const usage = { input: 1500, output: 64, cacheCreation: 700, cacheRead: 2400 };
    fake.script({ kind: 'text', text: 'Hello from the fake API, interactively.', usage });
    const stateFile = path.join(root, 'statusline-state.json');
    fs.rmSync(stateFile, { force: true });

    const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
    const command = [claude, '--session-id', sessionId, 'Say hello interactively'].map(quote).join(' ');
    // util-linux script(1) gives the client a pseudo-terminal; -e returns its exit code.
    const result = await run('script', ['-qfec', command, '/dev/null'], clientEnv('subscriber'), {
      stdin: (child) => {
        const started = Date.now();
        const poll = setInterval(() => {
          const state = fs.existsSync(stateFile) ? (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { sessions?: Record<string, { contextWindow?: { currentUsage?: unknown } }> }) : null;
          const reported = state?.sessions?.[sessionId]?.contextWindow?.currentUsage;
          // Quit once the status line has seen the response (or give up and let the assertions say why).
          if (reported || Date.now() - started > RUN_TIMEOUT_MS - 15_000) {
            clearInterval(poll);
            child.stdin?.write('/exit\r');
          }
        }, 200);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(result.code, describeRun(result)).toBe(0);
    expect(fake.pending).toBe(0);

    const log = hookLog(sessionId);
    expect(log.map((line) => line.type)).toEqual(['session_start', 'prompt', 'stop', 'session_end']);
    expect(log[0]).toMatchObject({ source: 'startup', model: expect.any(String) });
    expect(log[3]).toMatchObject({ reason: 'prompt_input_exit' });

    const snapshot = statusJson();
    expect(snapshot.quota.server?.fiveHour).toEqual({ usedPercent: 42, resetsAt: new Date(fiveHour.resetsAt * 1000).toISOString() });
    expect(snapshot.quota.server?.sevenDay).toEqual({ usedPercent: 17, resetsAt: new Date(sevenDay.resetsAt * 1000).toISOString() });

    const context = runCco(['context', '--json', '--session', sessionId, '--config-dir', root]);
    expect(context.code, context.stderr).toBe(0);
    expect(JSON.parse(context.stdout)).toMatchObject({ sessionId, windowSize: 1_000_000, windowSource: 'status-line', tokens: usage.input + usage.cacheCreation + usage.cacheRead });
  }, TEST_TIMEOUT_MS);
});
