// Smaller journeys of `cco` as a person meets them, each through the real CLI (a child process,
// or a real pseudo-terminal where what matters is what the terminal shows and in which order).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assistantLine, compactBoundaryLine, userLine, writeTranscript } from '../fixtures/make-transcript.js';
import { CCO_BIN, runCco, tempRoot, type CliResult } from '../helpers/cli.js';
import { PtySession, tmuxAvailable } from '../helpers/pty.js';

const cleanup: string[] = [];
const terminals: PtySession[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
  for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const SESSION = '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CWD = '/Users/dana/code/invoice-api';
const ago = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

function root(): string {
  const dir = tempRoot('cco-journey-');
  cleanup.push(dir);
  fs.writeFileSync(path.join(dir, 'cco-settings.json'), JSON.stringify({ plan: 'pro' }));
  return dir;
}

function ok(result: CliResult): string {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

function terminal(argv: string[]): PtySession {
  const session = PtySession.start([process.execPath, CCO_BIN, ...argv], { env: { NO_COLOR: '1', CLAUDE_CONFIG_DIR: undefined } });
  terminals.push(session);
  return session;
}

/** A live session 20 minutes old: 1,500 counted tokens of the quota, a context of `context` tokens. */
function liveSession(dir: string, context: number): void {
  writeTranscript(dir, SESSION, [
    userLine({ timestamp: ago(20), text: 'Add pagination', sessionId: SESSION, cwd: CWD }),
    assistantLine({ messageId: 'msg_1', timestamp: ago(5), sessionId: SESSION, cwd: CWD, input: 1_000, output: 500, cacheRead: context - 1_000 }),
  ], { cwd: CWD });
}

describe.runIf(tmuxAvailable())('in a terminal', () => {
  it('cco status prints a corrupt settings warning first, on stderr, not below the panel', async () => {
    const dir = root();
    fs.writeFileSync(path.join(dir, 'cco-settings.json'), '{ "plan": "pro",');
    const tty = terminal(['status', '--config-dir', dir]);
    const { code, screen } = await tty.waitForExit();
    expect(code).toBe(0);
    const warning = screen.indexOf('cco: warning: ');
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(screen.indexOf('📊 Claude Code Session Status'));
    expect(screen.match(/was corrupt/g)).toHaveLength(1);
    const piped = runCco(['status', '--config-dir', dir]);
    expect(piped.stdout).not.toContain('cco-settings.json');
    // cco context reports it too (it used to move the file aside without a word).
    liveSession(dir, 20_000);
    fs.writeFileSync(path.join(dir, 'cco-settings.json'), '{ "plan": "pro",');
    const context = runCco(['context', '--session', SESSION, '--config-dir', dir]);
    expect(context.code).toBe(0);
    expect(context.stderr).toMatch(/^cco: warning: .*cco-settings\.json was corrupt/);
  });

  it('cco status --watch says when it was updated and how to stop, and Ctrl-C stops it', async () => {
    const dir = root();
    liveSession(dir, 20_000);
    const tty = terminal(['status', '--watch', '--config-dir', dir]);
    const screen = await tty.waitFor(/updated at \d\d:\d\d:\d\d · Ctrl-C to stop/);
    expect(screen).toContain('📊 Claude Code Session Status');
    tty.press('C-c');
    expect((await tty.waitForExit()).code).toBe(0);
  });
});

describe('cco status and context', () => {
  it('COMBINED HEALTH does not call a MODERATE context healthy', () => {
    const dir = root();
    liveSession(dir, 100_000);
    const panel = ok(runCco(['status', '--config-dir', dir]));
    expect(panel).toContain('Status:       ⚡ MODERATE');
    expect(panel).toContain('⚡ COMBINED HEALTH: GOOD\n   Quota is healthy. Context is at MODERATE: prefer edits over re-reads.');
    expect(panel).not.toContain('Both quota and context are healthy');
  });

  it('after a compaction the model is still the one the session ran on', () => {
    const dir = root();
    writeTranscript(dir, SESSION, [
      userLine({ timestamp: ago(30), text: 'Add pagination', sessionId: SESSION, cwd: CWD }),
      assistantLine({ messageId: 'msg_1', timestamp: ago(25), sessionId: SESSION, cwd: CWD, model: 'claude-sonnet-4-5-20250929', input: 1_000, output: 500, cacheRead: 150_000 }),
      compactBoundaryLine({ timestamp: ago(10), sessionId: SESSION, preTokens: 151_000 }),
    ], { cwd: CWD });
    const context = JSON.parse(ok(runCco(['context', '--json', '--session', SESSION, '--config-dir', dir]))) as { model: string | null };
    expect(context.model).toBe('claude-sonnet-4-5-20250929');
    expect(ok(runCco(['context', '--session', SESSION, '--config-dir', dir]))).not.toMatch(/Model:\s+unknown/);
    const snapshot = JSON.parse(ok(runCco(['status', '--json', '--config-dir', dir]))) as { context: { model: string | null } | null };
    expect(snapshot.context?.model).toBe('claude-sonnet-4-5-20250929');
  });
});

describe('quota panel with the server figures (status line rate_limits)', () => {
  it('names the source of every figure and never puts local tokens beside server percents', () => {
    const dir = root();
    const windowStart = Date.now() - 90 * 60_000;
    writeTranscript(dir, SESSION, [assistantLine({ messageId: 'msg_1', timestamp: new Date(windowStart).toISOString(), sessionId: SESSION, cwd: CWD, input: 60_000, output: 3_813 })], { cwd: CWD });
    const resetsAt = Math.floor(Date.now() / 1000) + 2 * 3600 + 45 * 60;
    const payload = { session_id: SESSION, transcript_path: '/t/x.jsonl', cwd: CWD, model: { id: 'claude-opus-4-6', display_name: 'Opus' }, rate_limits: { five_hour: { used_percentage: 42, resets_at: resetsAt } } };
    expect(runCco(['statusline', '--config-dir', dir], { input: JSON.stringify(payload) }).code).toBe(0);
    const panel = ok(runCco(['status', '--config-dir', dir]));
    const quota = panel.slice(panel.indexOf('🎯 TOKEN QUOTA'), panel.indexOf('📋 Status & Recommendation'));
    const field = (label: string): string => quota.split('\n').find((row) => row.startsWith(`${label}:`)) ?? `(no ${label} line)`;
    expect(field('Used')).toBe('Used:         42% of the 5-hour limit (server)');
    expect(field('Remaining')).toBe('Remaining:    58% (server)');
    expect(field('Usage')).toMatch(/ 42% \(server\)$/);
    for (const label of ['Window start', 'Resets at', 'Resets in']) expect(field(label)).toMatch(/\(server\)$/);
    expect(field('Tokens used')).toMatch(/^Tokens used: {2}63,813 since .* \(this machine\); claude\.ai and other devices not counted$/);
    for (const label of ['Burn Rate', 'Tokens', 'Messages']) expect(field(label)).toMatch(/\(this machine\)$/);
    // The window start shown is the server's reset minus 5 hours, not this machine's first message.
    expect(field('Window start')).not.toContain(new Date(windowStart).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', second: '2-digit' }));
    for (const row of quota.split('\n')) expect(row.includes('(server)') && row.includes('(this machine)'), row).toBe(false);
  });
});

describe('cco help, config and plan import', () => {
  it('cco --help lists each command on a line of its own', () => {
    const help = ok(runCco(['--help']));
    for (const command of ['status', 'config', 'install', 'uninstall', 'hook', 'statusline', 'help', 'context', 'compact', 'handoff', 'queue', 'next', 'calendar']) {
      expect(help.split('\n').filter((row) => new RegExp(`^  ${command}\\s`).test(row)), command).toHaveLength(1);
    }
    // "  handoff    ...  queue      ..." was two commands run together on one row.
    for (const row of help.split('\n')) expect(row.match(/ {2}[a-z]+ {3}/g)?.length ?? 0, row).toBeLessThanOrEqual(1);
  });

  it('cco config says what an unset terminal and claudePath do', () => {
    const list = ok(runCco(['config', '--config-dir', root()]));
    expect(list).toContain('terminal = detect (default)\n');
    expect(list).toContain('claudePath = claude on PATH (default)\n');
  });

  it('plan import drops the "Session:" label from a heading and reports an after: error at its line', () => {
    const dir = root();
    const project = tempRoot('cco-journey-project-');
    cleanup.push(project);
    const plan = path.join(project, 'PLAN.md');
    fs.writeFileSync(plan, ['# Plan', '', '## Session: Design review', 'tokens: 20k', 'hours: 1', '', '## Session: Build', 'tokens: 40k', 'hours: 2', 'after: Design review', ''].join('\n'));
    ok(runCco(['queue', 'import', plan, '--project', project, '--config-dir', dir]));
    const list = JSON.parse(ok(runCco(['queue', 'list', '--json', '--config-dir', dir]))) as { sessions: { id: string; name: string; dependencies: string[] }[] };
    expect(list.sessions.map((s) => [s.name, s.dependencies])).toEqual([
      ['Design review', []],
      ['Build', ['s1']],
    ]);
    const bad = path.join(project, 'BAD.md');
    fs.writeFileSync(bad, ['## Session: Design review', 'tokens: 20k', 'hours: 1', '', '## Build', '', 'Some notes.', 'tokens: 40k', 'hours: 2', 'after: Desgin review', ''].join('\n'));
    const result = runCco(['queue', 'import', bad, '--project', project, '--config-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('cco: line 10: "after: Desgin review" names no session of this plan and no queued session\n');
  });
});
