/**
 * `cco context` / `compact` / `handoff` as the real client runs them (issue 11, items 10 and 13):
 * a slash command that is the first prompt of a new session runs before that session's transcript
 * exists, with CLAUDE_CODE_SESSION_ID already set; and `claude -p` sessions of the default model
 * (claude-opus-5-5, 1M window) never get a status line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import { runContextCli } from '../fixtures/context/cli.js';
import { SessionBuilder, tempDirs } from '../fixtures/context/session.js';
import { writeTranscript } from '../fixtures/make-transcript.js';
import { runCco } from '../helpers/cli.js';

const dirs = tempDirs('cco-real-client-');
afterEach(() => dirs.cleanup());

const PROJECT = '/Users/dana/code/invoice-api';
const PREVIOUS = '0b7e4c1a-6d2f-4e8a-9c3b-5f1a2d7e8c40';
const NEW = 'f3a9d2c1-7b6e-4f5a-8d4c-3e2b1a0f9e87';

/** A project whose previous session has a transcript; the new session has none yet. */
function projectWithPreviousSession(): string {
  const root = dirs.make();
  const previous = new SessionBuilder({ sessionId: PREVIOUS, cwd: PROJECT });
  previous.prompt('Add invoice totals');
  previous.respond(120_000);
  writeTranscript(root, PREVIOUS, previous.lines, { cwd: PROJECT, mtime: new Date(Date.now() - 60_000) });
  return root;
}

describe('a context command that is the first prompt of a new session', () => {
  it.each(['context', 'compact', 'handoff'] as const)('cco %s says "no transcript yet" and never analyses the previous session', (command) => {
    const root = projectWithPreviousSession();
    const result = runContextCli(command, ['--config-dir', root], { env: { CLAUDE_CODE_SESSION_ID: NEW }, cwd: root });
    // The slash command's `!` line aborts the whole command on a non-zero exit: nothing to show is exit 0.
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toMatch(new RegExp(`^No transcript yet for session ${NEW}`));
    expect(result.stdout).not.toContain(PREVIOUS);
    expect(fs.existsSync(path.join(root, 'handoffs'))).toBe(false);
  });

  it('--session of a session the hooks saw start, before its transcript exists: the same answer', () => {
    const root = projectWithPreviousSession();
    const transcript = path.join(root, 'projects', PROJECT.replace(/[^A-Za-z0-9]/g, '-'), `${NEW}.jsonl`);
    const hook = runCco(['hook', '--config-dir', root], { input: JSON.stringify({ session_id: NEW, transcript_path: transcript, cwd: PROJECT, hook_event_name: 'SessionStart', source: 'startup' }) });
    expect(hook.code).toBe(0);
    const result = runContextCli('context', ['--config-dir', root, '--session', NEW]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^No transcript yet for session ${NEW}`));
  });

  it('finds the transcript through the SessionStart line when it is not under the config root', () => {
    const root = projectWithPreviousSession();
    const other = dirs.make();
    const current = new SessionBuilder({ sessionId: NEW, cwd: PROJECT });
    current.prompt('Continue the totals');
    current.respond(42_000);
    const transcript = writeTranscript(other, NEW, current.lines, { cwd: PROJECT });
    const hook = runCco(['hook', '--config-dir', root], { input: JSON.stringify({ session_id: NEW, transcript_path: transcript, cwd: PROJECT, hook_event_name: 'SessionStart', source: 'startup' }) });
    expect(hook.code).toBe(0);
    const result = runContextCli('context', ['--json', '--config-dir', root], { env: { CLAUDE_CODE_SESSION_ID: NEW } });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toMatchObject({ sessionId: NEW, transcriptPath: transcript, tokens: 42_000 });
  });
});

describe('the window of a claude -p session (no status line)', () => {
  function printRun(root: string): string {
    const s = new SessionBuilder({ sessionId: NEW, cwd: PROJECT });
    s.prompt('Summarise the changelog');
    s.respond(150_000, [{ type: 'text', text: 'Summary.' }], { model: 'claude-opus-5-5' });
    writeTranscript(root, NEW, s.lines, { cwd: PROJECT });
    return root;
  }

  it('claude-opus-5-5 is taken as 1,000,000 tokens, labelled as assumed from the model', () => {
    const root = printRun(dirs.make());
    const json = runContextCli('context', ['--json', '--config-dir', root, '--session', NEW]);
    expect(json.code).toBe(0);
    const context = JSON.parse(json.stdout) as ContextSnapshot;
    expect(context).toMatchObject({ model: 'claude-opus-5-5', tokens: 150_000, windowSize: 1_000_000, windowSource: 'model-default', usableLimit: 900_000, percent: 16.7, level: 'fresh' });
    const panel = runContextCli('context', ['--config-dir', root, '--session', NEW]);
    expect(panel.stdout).toContain('Window:           1,000,000 tokens (assumed from model; auto-compact at 900,000)');
    expect(panel.stdout).toContain('Total Context:    150,000 / 900,000 tokens');
  });

  it('the contextWindowByModel setting overrides the table, and says so', () => {
    const root = printRun(dirs.make());
    const set = runCco(['config', 'set', 'contextWindowByModel', 'claude-opus-5-5*=200000', '--config-dir', root]);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toBe('contextWindowByModel = claude-opus-5-5*=200000\n');
    const context = JSON.parse(runContextCli('context', ['--json', '--config-dir', root, '--session', NEW]).stdout) as ContextSnapshot;
    expect(context).toMatchObject({ windowSize: 200_000, windowSource: 'setting', usableLimit: 180_000, percent: 83.3, level: 'danger' });
    const panel = runContextCli('context', ['--config-dir', root, '--session', NEW]);
    expect(panel.stdout).toContain('200,000 tokens (assumed from your contextWindowByModel setting; auto-compact at 180,000)');
  });
});
