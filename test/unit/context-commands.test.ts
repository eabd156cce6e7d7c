import { afterEach, describe, expect, it } from 'vitest';
import { runCompact, runContext, runHandoff } from '../../main/cli/context-status.js';
import type { Io } from '../../main/cli/io.js';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import { writeTranscript } from '../fixtures/make-transcript.js';
import { SessionBuilder, knownSession, tempDirs } from '../fixtures/context/session.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function io(env: NodeJS.ProcessEnv = {}): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: { NO_COLOR: '1', ...env }, stdoutStream: { isTTY: false } };
}

function root(): { root: string; id: string } {
  const dir = dirs.make();
  const s = knownSession();
  writeTranscript(dir, s.sessionId, s.lines, { cwd: s.cwd });
  return { root: dir, id: s.sessionId };
}

describe('the context commands in-process', () => {
  it('passes the status line\'s context_window through (the app and the engine supply it)', async () => {
    const { root: dir, id } = root();
    const t = io();
    const code = await runContext(['--json', '--latest', '--config-dir', dir], t, {
      statusLineContext: (sessionId) => (sessionId === id ? { size: 1_000_000, usedPercent: 9, observedAt: '2026-03-02T10:00:00.000Z' } : null),
    });
    expect(code).toBe(0);
    const context = JSON.parse(t.out.join('')) as ContextSnapshot;
    expect(context).toMatchObject({ tokens: 90_000, source: 'status-line', windowSize: 1_000_000, windowSource: 'status-line', usableLimit: 900_000, level: 'fresh' });
  });

  it('reads the context settings from cco-settings.json when they are there', async () => {
    const { root: dir } = root();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/cco-settings.json`, JSON.stringify({ contextUsableLimit: 100_000, contextAutoCompactAt: 150_000 }));
    const t = io();
    expect(await runContext(['--json', '--latest', '--config-dir', dir], t)).toBe(0);
    expect(JSON.parse(t.out.join(''))).toMatchObject({ usableLimit: 100_000, autoCompactAt: 150_000, percent: 68, level: 'warning' });
  });

  it('answers a user error with one line and exit code 2, and leaves option errors to the dispatcher', async () => {
    const { root: dir } = root();
    const t = io();
    expect(await runCompact(['--config-dir', dir, '--session', 'deadbeef-nothing'], t)).toBe(2);
    expect(t.err.join('')).toMatch(/^cco: no session "deadbeef-nothing" found in /);
    expect(t.out).toEqual([]);
    await expect(runHandoff(['--bogus'], io())).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    const empty = io();
    expect(await runContext(['--config-dir', dir, '--session', ' '], empty)).toBe(2);
    expect(empty.err.join('')).toBe('cco: --session needs a session id\n');
  });

  it('prints help for each command', async () => {
    for (const [run, name] of [[runContext, 'context'], [runCompact, 'compact'], [runHandoff, 'handoff']] as const) {
      const t = io();
      expect(await run(['--help'], t)).toBe(0);
      expect(t.out.join('')).toContain(`usage: cco ${name}`);
    }
  });

  it('uses CLAUDE_CODE_SESSION_ID when a slash command runs it inside a session', async () => {
    const dir = dirs.make();
    const a = new SessionBuilder({ sessionId: 'aaaaaaaa-0000-4000-8000-000000000001' });
    a.prompt('A');
    a.respond(11_000);
    const b = new SessionBuilder({ sessionId: 'bbbbbbbb-0000-4000-8000-000000000002' });
    b.prompt('B');
    b.respond(22_000);
    writeTranscript(dir, a.sessionId, a.lines, { mtime: new Date(Date.now() - 60_000) });
    writeTranscript(dir, b.sessionId, b.lines);
    const t = io({ CLAUDE_CODE_SESSION_ID: a.sessionId });
    await runContext(['--json', '--config-dir', dir], t);
    expect(JSON.parse(t.out.join(''))).toMatchObject({ sessionId: a.sessionId, tokens: 11_000 });
  });
});
