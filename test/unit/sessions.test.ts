import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolEvent, UsageEvent } from '../../shared/events.js';
import type { SessionLogEvent } from '../../main/core/sources/session-log.js';
import { crossedSessionWarnings, monitorSessions, readLiveSessionFiles, SessionLogFollower, IDLE_AFTER_MS } from '../../main/core/sources/sessions.js';
import { tempRoot } from '../helpers/cli.js';

const T0 = Date.parse('2026-01-06T14:30:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function start(at: number, id = 's1', source: string | null = 'startup'): SessionLogEvent {
  return { type: 'session_start', timestamp: iso(at), session_id: id, cwd: '/p/app', agent: '.claude/agents/planner.md', source, transcript_path: '/t.jsonl', model: null };
}
function tool(at: number, name = 'Edit', id = 's1'): SessionLogEvent {
  return { type: 'tool_call', timestamp: iso(at), session_id: id, cwd: '/p/app', tool_name: name, estimated_tokens: name === 'Edit' ? 1500 : 800 };
}
function usage(at: number, sessionId: string, input: number): UsageEvent {
  return { kind: 'usage', key: `m${at}${sessionId}`, timestamp: at, sessionId, model: 'x', sidechain: false, tokens: { input, output: 10, cacheCreation: 0, cacheRead: 0 } };
}
const noTools: ToolEvent[] = [];

describe('monitorSessions', () => {
  it('gives a hook-started session its 5-hour window, estimating tokens from tool calls until usage arrives', () => {
    const [session] = monitorSessions({ now: T0 + 135 * MIN, log: [start(T0), tool(T0 + 130 * MIN), tool(T0 + 131 * MIN, 'Read')], liveFiles: [], usage: [], tools: noTools, countedKinds: ['input', 'output'] });
    expect(session).toMatchObject({
      sessionId: 's1',
      detectedBy: 'hook',
      startedAt: iso(T0),
      windowEnd: iso(T0 + 300 * MIN),
      elapsedMinutes: 135,
      remainingMinutes: 165,
      progressPercent: 45,
      agent: '.claude/agents/planner.md',
      tokens: { source: 'estimate', counted: 2300, messages: 0 },
      toolCalls: 2,
      warningsPassed: [],
      nextWarning: { id: '1h', at: iso(T0 + 240 * MIN) },
    });
  });

  it('switches to exact transcript usage once the session has responses', () => {
    const [session] = monitorSessions({ now: T0 + 10 * MIN, log: [start(T0)], liveFiles: [], usage: [usage(T0 + MIN, 's1', 100), usage(T0 + 2 * MIN, 's1', 50)], tools: noTools, countedKinds: ['input'] });
    expect(session?.tokens).toMatchObject({ source: 'transcript', counted: 150, messages: 2 });
  });

  it('says when the prompt cache goes cold: 1 h after the last main-chain response, costing its whole context', () => {
    const last: UsageEvent = { ...usage(T0 + 20 * MIN, 's1', 6), tokens: { input: 6, output: 97, cacheCreation: 2_214, cacheRead: 48_790 } };
    // A sub-agent's later response neither refreshes the main chain's cache nor sizes its context.
    const agent: UsageEvent = { ...usage(T0 + 25 * MIN, 's1', 190_000), sidechain: true };
    const [session] = monitorSessions({ now: T0 + 30 * MIN, log: [start(T0)], liveFiles: [], usage: [usage(T0 + MIN, 's1', 100), agent, last], tools: noTools, countedKinds: ['input'] });
    expect(session).toMatchObject({ cacheExpiresAt: iso(T0 + 80 * MIN), cacheColdCost: 51_010 });
    const [quiet] = monitorSessions({ now: T0 + 30 * MIN, log: [start(T0)], liveFiles: [], usage: [], tools: noTools, countedKinds: ['input'] });
    expect(quiet).toMatchObject({ cacheExpiresAt: null, cacheColdCost: null });
  });

  it('passes the 1h, 30m and 5m marks in order', () => {
    const at = (minutesLeft: number) => monitorSessions({ now: T0 + (300 - minutesLeft) * MIN, log: [start(T0), tool(T0 + (300 - minutesLeft) * MIN - 1)], liveFiles: [], usage: [], tools: noTools, countedKinds: ['input'] })[0];
    expect(at(61)?.warningsPassed).toEqual([]);
    expect(at(60)?.warningsPassed).toEqual(['1h']);
    expect(at(29)?.warningsPassed).toEqual(['1h', '30m']);
    expect(at(5)?.warningsPassed).toEqual(['1h', '30m', '5m']);
    const before = at(31);
    const after = at(29);
    expect(crossedSessionWarnings(before ? [before] : [], after ? [after] : [])).toEqual([{ sessionId: 's1', warning: '30m' }]);
    expect(crossedSessionWarnings(after ? [after] : [], after ? [after] : [])).toEqual([]);
  });

  it('drops ended and idle sessions, and sees transcript-only sessions while active', () => {
    const ended = monitorSessions({ now: T0 + 20 * MIN, log: [start(T0), { type: 'session_end', timestamp: iso(T0 + 10 * MIN), session_id: 's1', cwd: null, reason: 'exit' }], liveFiles: [], usage: [], tools: noTools, countedKinds: ['input'] });
    expect(ended).toEqual([]);
    const idle = monitorSessions({ now: T0 + IDLE_AFTER_MS + 2 * MIN, log: [start(T0)], liveFiles: [], usage: [], tools: noTools, countedKinds: ['input'] });
    expect(idle).toEqual([]);
    const fromTranscript = monitorSessions({ now: T0 + 5 * MIN, log: [], liveFiles: [], usage: [usage(T0, 'tx', 5)], tools: noTools, countedKinds: ['input'] });
    expect(fromTranscript.map((s) => [s.sessionId, s.detectedBy])).toEqual([['tx', 'transcript']]);
  });

  it('keeps a session live while its pid file says so, even when quiet', () => {
    const sessions = monitorSessions({ now: T0 + 3 * 60 * MIN, log: [start(T0)], liveFiles: [{ pid: 42, sessionId: 's1', cwd: '/p/app', startedAt: T0, status: 'idle' }], usage: [], tools: noTools, countedKinds: ['input'] });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.status).toBe('idle');
  });
});

describe('readLiveSessionFiles', () => {
  it('reads sessions/<pid>.json and ignores dead pids and garbage', () => {
    const root = tempRoot();
    fs.mkdirSync(path.join(root, 'sessions'));
    fs.writeFileSync(path.join(root, 'sessions', `${process.pid}.json`), JSON.stringify({ pid: process.pid, sessionId: 'live', cwd: '/a', startedAt: T0, status: 'busy' }));
    fs.writeFileSync(path.join(root, 'sessions', '999999.json'), JSON.stringify({ pid: 999_999, sessionId: 'dead' }));
    fs.writeFileSync(path.join(root, 'sessions', '1.json'), '{not json');
    const live = readLiveSessionFiles([root], (pid) => pid === process.pid);
    expect(live).toEqual([{ pid: process.pid, sessionId: 'live', cwd: '/a', startedAt: T0, status: 'busy' }]);
  });
});

describe('SessionLogFollower', () => {
  it('reads only appended lines and waits for a torn one', () => {
    const root = tempRoot();
    fs.mkdirSync(path.join(root, 'logs'));
    const log = path.join(root, 'logs', 'sessions.jsonl');
    fs.writeFileSync(log, `${JSON.stringify(start(T0))}\n`);
    const follower = new SessionLogFollower(root);
    expect(follower.read(T0 + MIN)).toHaveLength(1);
    const line = JSON.stringify(tool(T0 + MIN));
    fs.appendFileSync(log, line.slice(0, 20));
    expect(follower.read(T0 + 2 * MIN)).toHaveLength(1);
    fs.appendFileSync(log, `${line.slice(20)}\ngarbage\n`);
    expect(follower.read(T0 + 2 * MIN)).toHaveLength(2);
    expect(follower.skipped).toBe(1);
  });
});
