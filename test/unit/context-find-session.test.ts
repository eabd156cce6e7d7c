import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseSession, isSubagentTranscript, NoTranscriptYetError, SessionNotFoundError } from '../../main/core/context/find-session.js';
import { writeTranscript } from '../fixtures/make-transcript.js';
import { SessionBuilder, tempDirs } from '../fixtures/context/session.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const A = '11111111-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const B = '22222222-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const C = '33333333-cccc-4ccc-8ccc-cccccccccccc';

function session(root: string, id: string, cwd: string, minutesAgo: number, opts: { folderCwd?: string } = {}): string {
  const s = new SessionBuilder({ sessionId: id, cwd });
  s.prompt(`work in ${cwd}`);
  s.respond(10_000);
  return writeTranscript(root, id, s.lines, { cwd: opts.folderCwd ?? cwd, mtime: new Date(Date.now() - minutesAgo * 60_000) });
}

describe('choosing the session', () => {
  it('finds a session by id or a unique 8+ character prefix; an unknown id is a clear error', () => {
    const root = dirs.make();
    session(root, A, '/home/u/api', 5);
    session(root, B, '/home/u/web', 1);
    expect(chooseSession([root], { sessionId: A })).toMatchObject({ sessionId: A, reason: 'session' });
    expect(chooseSession([root], { sessionId: '11111111-aa' }).sessionId).toBe(A);
    expect(() => chooseSession([root], { sessionId: '1111' })).toThrow(SessionNotFoundError);
    expect(() => chooseSession([root], { sessionId: 'nope-not-there' })).toThrow(/no session "nope-not-there" found in .*projects/);
  });

  it('refuses an ambiguous prefix', () => {
    const root = dirs.make();
    session(root, '44444444-0000-4000-8000-000000000001', '/a', 1);
    session(root, '44444444-0000-4000-8000-000000000002', '/a', 2);
    expect(() => chooseSession([root], { sessionId: '44444444-0000' })).toThrow(/ambiguous/);
  });

  it('matches --cwd on the cwd inside the lines (equal or below), most recent first, never the folder name', () => {
    const root = dirs.make();
    session(root, A, '/home/u/api', 30);
    session(root, B, '/home/u/api/packages/core', 10);
    // A folder whose encoding looks like /home/u/api but whose lines say another directory.
    session(root, C, '/home/u/api-v2', 1, { folderCwd: '/home/u/api' });
    expect(chooseSession([root], { cwd: '/home/u/api' })).toMatchObject({ sessionId: B, reason: 'cwd' });
    expect(chooseSession([root], { cwd: '/home/u/api/' }).sessionId).toBe(B);
    expect(chooseSession([root], { cwd: '/home/u/api-v2' }).sessionId).toBe(C);
    expect(() => chooseSession([root], { cwd: '/home/u/nothing' })).toThrow(/no session found for \/home\/u\/nothing/);
  });

  it('defaults to Claude Code\'s own session id, then the current directory\'s project, then the latest session', () => {
    const root = dirs.make();
    session(root, A, '/home/u/api', 30);
    session(root, B, '/home/u/web', 1);
    expect(chooseSession([root], { envSessionId: A, currentDir: '/home/u/web' })).toMatchObject({ sessionId: A, reason: 'env' });
    expect(chooseSession([root], { currentDir: '/home/u/api' })).toMatchObject({ sessionId: A, reason: 'project' });
    expect(chooseSession([root], { currentDir: '/home/u/api/src/deep' })).toMatchObject({ sessionId: A, reason: 'project' });
    expect(chooseSession([root], { currentDir: '/elsewhere' })).toMatchObject({ sessionId: B, reason: 'latest' });
    // Claude Code's session without a transcript yet: never another session (issue 11, item 10).
    expect(() => chooseSession([root], { envSessionId: 'gone', currentDir: '/home/u/web' })).toThrow(new NoTranscriptYetError('gone'));
    expect(() => chooseSession([root], { envSessionId: C, currentDir: '/elsewhere' })).toThrow(`no transcript yet for session ${C}`);
    // An explicit --cwd still wins over the environment.
    expect(chooseSession([root], { envSessionId: C, cwd: '/home/u/web' })).toMatchObject({ sessionId: B, reason: 'cwd' });
  });

  it('finds a session named by id through the SessionStart line of logs/sessions.jsonl', () => {
    const root = dirs.make();
    session(root, B, '/home/u/web', 1);
    // The transcript lives where the hook said, outside the listed projects (another config root).
    const elsewhere = dirs.make();
    const file = session(elsewhere, C, '/home/u/api', 0);
    const log = (id: string, transcript: string): string =>
      `${JSON.stringify({ type: 'session_start', timestamp: '2026-11-30T10:00:00.000Z', session_id: id, cwd: '/home/u/api', agent: null, source: 'startup', transcript_path: transcript, model: null })}\n`;
    fs.mkdirSync(path.join(root, 'logs'));
    fs.writeFileSync(path.join(root, 'logs', 'sessions.jsonl'), `${log(C, file)}not json\n${log(A, path.join(root, 'projects', 'x', `${A}.jsonl`))}`);
    expect(chooseSession([root], { envSessionId: C, currentDir: '/home/u/web' })).toEqual({ file, sessionId: C, reason: 'env' });
    expect(chooseSession([root], { sessionId: C })).toEqual({ file, sessionId: C, reason: 'session' });
    // Started (the log says so) but nothing written yet: said so, for --session too.
    expect(() => chooseSession([root], { envSessionId: A })).toThrow(NoTranscriptYetError);
    expect(() => chooseSession([root], { sessionId: A })).toThrow(`no transcript yet for session ${A}`);
    // Unknown to both the projects and the log: --session stays the usual error.
    expect(() => chooseSession([root], { sessionId: '99999999-dead-4bee-8fee-000000000000' })).toThrow(/no session ".*" found in/);
  });

  it('keeps a hostile session id out of its message', () => {
    expect(new NoTranscriptYetError('a\u001b[31mb\nc').message).toBe('no transcript yet for session a??31mb?c');
  });

  it('never picks a sub-agent transcript, and says so when there is no session at all', () => {
    const root = dirs.make();
    const main = session(root, A, '/home/u/api', 30);
    const agentDir = path.join(path.dirname(main), A, 'subagents');
    fs.mkdirSync(agentDir, { recursive: true });
    fs.writeFileSync(path.join(agentDir, 'agent-a1b2c3.jsonl'), fs.readFileSync(main));
    fs.writeFileSync(path.join(path.dirname(main), 'agent-old.jsonl'), fs.readFileSync(main));
    expect(isSubagentTranscript(path.join(agentDir, 'agent-a1b2c3.jsonl'))).toBe(true);
    expect(chooseSession([root], { currentDir: '/elsewhere' }).sessionId).toBe(A);
    expect(() => chooseSession([root], { sessionId: 'agent-a1b2c3' })).toThrow(SessionNotFoundError);
    expect(() => chooseSession([dirs.make()])).toThrow(/no Claude Code sessions found/);
  });
});
