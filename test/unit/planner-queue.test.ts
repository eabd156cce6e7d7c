import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyQueue, queueSnapshot, readySessions, type QueuedSession, type SessionQueue } from '../../shared/queue-snapshot.js';
import {
  MAX_TOKENS,
  QueueError,
  addSession,
  checkDependencies,
  checkProjectDir,
  findCycle,
  parseHours,
  parseQueue,
  parseTokens,
  readQueue,
  removeSession,
  resolveSessionId,
  scheduleSession,
  setStatus,
  updateQueue,
} from '../../main/core/planner/queue.js';
import { endedSessions } from '../../main/core/planner/progress.js';

const NOW = Date.parse('2026-01-06T14:00:00.000Z');
const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-queue-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function queueOf(...specs: { name: string; tokens?: number; hours?: number; after?: string[] }[]): SessionQueue {
  const queue = emptyQueue();
  for (const spec of specs) addSession(queue, { name: spec.name, project: '/p', estimatedTokens: spec.tokens ?? 10_000, estimatedHours: spec.hours ?? 1, dependencies: spec.after ?? [] }, NOW);
  return queue;
}

describe('estimates typed by a user', () => {
  it.each([
    ['65000', 65_000],
    ['65,000', 65_000],
    ['65_000', 65_000],
    ['65k', 65_000],
    ['65K', 65_000],
    ['1.5M', 1_500_000],
    ['22.5k', 22_500],
    [' 18k ', 18_000],
  ])('reads tokens %s as %d', (text, expected) => {
    expect(parseTokens(text)).toBe(expected);
  });

  it.each([
    ['0', /more than 0/],
    ['-5', /whole number/],
    ['abc', /whole number/],
    ['', /whole number/],
    ['1.5', /whole number/],
    ['20M', /not a plausible session/],
    [String(MAX_TOKENS + 1), /not a plausible session/],
    ['NaN', /whole number/],
    ['Infinity', /whole number/],
  ])('refuses tokens %s', (text, message) => {
    expect(() => parseTokens(text)).toThrow(QueueError);
    expect(() => parseTokens(text)).toThrow(message);
  });

  it.each([
    ['3', 3],
    ['1.5', 1.5],
    ['1.5h', 1.5],
    ['90m', 1.5],
    ['2h30m', 2.5],
    ['24', 24],
  ])('reads hours %s as %d', (text, expected) => {
    expect(parseHours(text)).toBe(expected);
  });

  it.each([
    ['0', /more than 0/],
    ['-1', /number like/],
    ['2m', /too short/],
    ['25', /more than a day/],
    ['1000', /more than a day/],
    ['soon', /number like/],
  ])('refuses hours %s', (text, message) => {
    expect(() => parseHours(text)).toThrow(message);
  });

  it('refuses a project directory that does not exist, or is a file', () => {
    const dir = tempDir();
    expect(checkProjectDir(dir)).toBe(dir);
    expect(() => checkProjectDir(path.join(dir, 'gone'))).toThrow(/does not exist/);
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(() => checkProjectDir(path.join(dir, 'file'))).toThrow(/not a directory/);
  });
});

describe('dependencies', () => {
  it('names the cycle', () => {
    const queue = queueOf({ name: 'Planning' }, { name: 'Build', after: ['s1'] }, { name: 'Test', after: ['s2'] });
    (queue.sessions[0] as QueuedSession).dependencies = ['s3'];
    expect(findCycle(queue.sessions)).toEqual(['s1', 's3', 's2', 's1']);
    expect(() => checkDependencies(queue.sessions)).toThrow('dependency cycle: s1 → s3 → s2 → s1 ("Planning" → "Test" → "Build" → "Planning")');
  });

  it('refuses unknown ids and self-dependencies', () => {
    const queue = queueOf({ name: 'A' });
    expect(() => addSession(queue, { name: 'B', project: '/p', estimatedTokens: 1, estimatedHours: 1, dependencies: ['s9'] }, NOW)).toThrow(/unknown session "s9"/);
    (queue.sessions[0] as QueuedSession).dependencies = ['s1'];
    expect(() => checkDependencies(queue.sessions)).toThrow(/cannot depend on itself/);
    (queue.sessions[0] as QueuedSession).dependencies = ['nope'];
    expect(() => checkDependencies(queue.sessions)).toThrow(/depends on unknown session "nope"/);
  });

  it('finds no cycle in a long chain without overflowing the stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => ({ id: `s${i + 1}`, dependencies: i > 0 ? [`s${i}`] : [] }));
    expect(findCycle(chain)).toBeNull();
    (chain[0] as { dependencies: string[] }).dependencies = ['s20000'];
    expect(findCycle(chain)).toHaveLength(20_001);
  });

  it('resolves ids, numbers and unique names', () => {
    const queue = queueOf({ name: 'Planning' }, { name: 'Build' }, { name: 'build' });
    expect(resolveSessionId(queue, 's1')).toBe('s1');
    expect(resolveSessionId(queue, 'S2')).toBe('s2');
    expect(resolveSessionId(queue, '#3')).toBe('s3');
    expect(resolveSessionId(queue, '1')).toBe('s1');
    expect(resolveSessionId(queue, 'planning')).toBe('s1');
    expect(() => resolveSessionId(queue, 'Build')).toThrow(/names 2 sessions/);
    expect(() => resolveSessionId(queue, 'nothing')).toThrow(/no session "nothing"/);
  });

  it('keeps removal from breaking dependents unless forced', () => {
    const queue = queueOf({ name: 'A' }, { name: 'B', after: ['s1'] });
    expect(() => removeSession(queue, 's1', NOW, false)).toThrow(/s2 \("B"\) depends on s1/);
    removeSession(queue, 's1', NOW, true);
    expect(queue.sessions.map((s) => s.id)).toEqual(['s2']);
    expect(queue.sessions[0]?.dependencies).toEqual([]);
  });

  it('keeps a tombstone of a removed session that was on the calendar', () => {
    const queue = queueOf({ name: 'A' }, { name: 'B' });
    (queue.sessions[0] as QueuedSession).calendarExported = true;
    removeSession(queue, 's1', NOW, false);
    removeSession(queue, 's2', NOW, false);
    expect(queue.removed.map((entry) => entry.session.id)).toEqual(['s1']);
  });
});

describe('readiness and the Snapshot part', () => {
  it('counts the spec summary and lists due sessions first', () => {
    const queue = queueOf({ name: 'Done one' }, { name: 'Done two' }, { name: 'Ready' }, { name: 'Later' }, { name: 'Due' }, { name: 'Waiting', after: ['s4'] });
    const [one, two, , later, due] = queue.sessions as QueuedSession[];
    setStatus(one as QueuedSession, 'done', NOW);
    setStatus(two as QueuedSession, 'done', NOW);
    scheduleSession(later as QueuedSession, NOW + 3_600_000, 'quota-reset', NOW);
    scheduleSession(due as QueuedSession, NOW - 60_000, 'quota-reset', NOW);
    const snapshot = queueSnapshot(queue, NOW);
    expect(snapshot.summary).toEqual({ total: 6, done: 2, ready: 2, scheduled: 1, inProgress: 0, skipped: 0, blocked: 1 });
    expect(snapshot.nextReady?.id).toBe('s5');
    expect(snapshot.due.map((item) => item.id)).toEqual(['s5']);
    expect(snapshot.nextScheduled?.id).toBe('s4');
    expect(readySessions(queue, NOW).map((s) => s.id)).toEqual(['s5', 's3']);
    // A skipped dependency no longer holds the dependent back.
    setStatus(later as QueuedSession, 'skipped', NOW);
    expect(readySessions(queue, NOW).map((s) => s.id)).toEqual(['s5', 's3', 's6']);
  });

  it('lists every session with its state: ready, waiting on a named dependency, scheduled, due, running, ended, done', () => {
    const queue = queueOf({ name: 'Done one' }, { name: 'Ready' }, { name: 'Waiting', after: ['s2'] }, { name: 'Later' }, { name: 'Due but waiting', after: ['s3'] }, { name: 'Launched' }, { name: 'Launched long ago' });
    const [one, , , later, dueWaiting, launched, old] = queue.sessions as QueuedSession[];
    setStatus(one as QueuedSession, 'done', NOW);
    scheduleSession(later as QueuedSession, NOW + 3_600_000, 'user', NOW);
    scheduleSession(dueWaiting as QueuedSession, NOW - 60_000, 'quota-reset', NOW);
    for (const [session, claudeId, startedAgo] of [[launched, 'aaaa-1', 10], [old, 'bbbb-2', 120]] as const) {
      setStatus(session as QueuedSession, 'in-progress', NOW - startedAgo * 60_000);
      (session as QueuedSession).claudeSessionId = claudeId;
      (session as QueuedSession).startedAt = new Date(NOW - startedAgo * 60_000).toISOString();
    }
    // The long-ago launch last wrote its transcript 45 minutes before NOW: past the idle limit.
    const files = [{ path: '/r/projects/-p/bbbb-2.jsonl', mtimeMs: NOW - 45 * 60_000 }, { path: '/r/projects/-p/aaaa-1.jsonl', mtimeMs: NOW - 60_000 }];
    const ended = endedSessions(queue, files, NOW);
    expect([...ended]).toEqual([['s7', NOW - 45 * 60_000]]);
    const entries = queueSnapshot(queue, NOW, ended).entries;
    expect(entries.map((entry) => [entry.id, entry.state])).toEqual([
      ['s1', 'done'],
      ['s2', 'ready'],
      ['s3', 'waiting'],
      ['s4', 'scheduled'],
      ['s5', 'waiting'],
      ['s6', 'running'],
      ['s7', 'ended'],
    ]);
    expect(entries[2]?.waitingOn).toEqual([{ id: 's2', name: 'Ready' }]);
    expect(entries[4]?.waitingOn).toEqual([{ id: 's3', name: 'Waiting' }]);
    expect(entries[6]?.lastActivity).toBe(new Date(NOW - 45 * 60_000).toISOString());
    // Without the transcript listing a launched session stays running: only core decides it ended.
    expect(queueSnapshot(queue, NOW).entries[6]?.state).toBe('running');
    // A launched session with no transcript at all is as quiet as its start.
    expect([...endedSessions(queue, [], NOW).keys()]).toEqual(['s7']);
  });

  it('is JSON all the way through', () => {
    const queue = queueOf({ name: 'A' });
    const snapshot = queueSnapshot(queue, NOW);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
});

describe('session-queue.json', () => {
  it('round-trips what it writes and bumps revisions on change', () => {
    const root = tempDir();
    const first = updateQueue(root, NOW, (queue) => addSession(queue, { name: 'A', project: root, estimatedTokens: 5, estimatedHours: 1 }, NOW));
    expect(first.result.id).toBe('s1');
    updateQueue(root, NOW + 1000, (queue) => setStatus(queue.sessions[0] as QueuedSession, 'done', NOW + 1000));
    const { queue, warning } = readQueue(root);
    expect(warning).toBeNull();
    expect(queue.sessions[0]).toMatchObject({ status: 'done', revision: 2, finishedAt: '2026-01-06T14:00:01.000Z', uid: first.result.uid });
  });

  it.each([
    ['not JSON', '{"sessions": [', /not valid JSON|Unexpected|JSON/],
    ['a list', '[]', /expected a JSON object/],
  ])('moves a file that is %s aside with the reason', (_label, content, reason) => {
    const root = tempDir();
    const file = path.join(root, 'session-queue.json');
    fs.writeFileSync(file, content);
    const { queue, warning } = readQueue(root);
    expect(queue.sessions).toEqual([]);
    expect(warning).toMatch(reason);
    expect(warning).toContain('moved aside');
    const aside = fs.readdirSync(root).filter((name) => name.startsWith('session-queue.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(root, aside[0] as string), 'utf8')).toBe(content);
  });

  const valid = { id: 's9', number: 9, name: 'Valid', project: '/p', status: 'ready', estimatedTokens: 5, estimatedHours: 1 };
  it.each([
    ['bad status', [{ id: 's1', name: 'A', project: '/p', status: 'maybe', estimatedTokens: 5, estimatedHours: 1 }], /status must be one of/],
    ['negative tokens', [{ id: 's1', name: 'A', project: '/p', status: 'ready', estimatedTokens: -5, estimatedHours: 1 }], /sessions\[0\] \(s1\): estimated tokens must be more than 0/],
    ['absurd hours', [{ id: 's1', name: 'A', project: '/p', status: 'ready', estimatedTokens: 5, estimatedHours: 400 }], /more than a day/],
    ['duplicate ids', [{ id: 's1', number: 1, name: 'A', project: '/p', status: 'ready', estimatedTokens: 5, estimatedHours: 1 }, { id: 's1', number: 2, name: 'B', project: '/p', status: 'ready', estimatedTokens: 5, estimatedHours: 1 }], /a second session with the id "s1"/, ['s1', 's9']],
    ['scheduled without time', [{ id: 's1', name: 'A', project: '/p', status: 'scheduled', estimatedTokens: 5, estimatedHours: 1 }], /scheduled but has no scheduledTime/],
    ['a cycle', [{ id: 's1', name: 'A', project: '/p', status: 'ready', estimatedTokens: 5, estimatedHours: 1, dependencies: ['s2'] }, { id: 's2', name: 'B', project: '/p', status: 'ready', estimatedTokens: 5, estimatedHours: 1, dependencies: ['s1'] }], /dependency cycle: s1 → s2 → s1/],
    ['a dependency on an entry left out', [{ id: 's1', name: 'A', project: '/p', status: 'maybe', estimatedTokens: 5, estimatedHours: 1 }, { id: 's2', name: 'B', project: '/p', status: 'ready', estimatedTokens: 5, estimatedHours: 1, dependencies: ['s1'] }], /s2 \("B"\) depends on "s1", which is not in the queue/],
  ] as [string, unknown[], RegExp, string[]?][])('keeps the valid entries of a hand-edited file with %s, reports the bad one, moves nothing', (_label, bad, reason, kept = ['s9']) => {
    const root = tempDir();
    const file = path.join(root, 'session-queue.json');
    const content = JSON.stringify({ version: 1, sessions: [...bad, valid] });
    fs.writeFileSync(file, content);
    const { queue, warning } = readQueue(root);
    expect(queue.sessions.map((session) => session.id)).toEqual(kept);
    expect(warning).toMatch(reason);
    expect(warning).toContain('left out');
    for (const line of (warning ?? '').split('\n')) expect(line.startsWith(file)).toBe(true);
    expect(fs.readdirSync(root)).toEqual(['session-queue.json']);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
  });

  it('a change to a queue with a bad entry keeps a copy of the file as it was, and writes the valid entries', () => {
    const root = tempDir();
    const file = path.join(root, 'session-queue.json');
    const bad = { id: 's1', number: 1, name: 'A', project: '/p', status: 'maybe', estimatedTokens: 5, estimatedHours: 1 };
    const content = JSON.stringify({ version: 1, nextNumber: 10, sessions: [bad, valid] });
    fs.writeFileSync(file, content);
    const result = updateQueue(root, NOW, (queue) => addSession(queue, { name: 'New', project: root, estimatedTokens: 5, estimatedHours: 1 }, NOW));
    expect(result.queue.sessions.map((session) => session.id)).toEqual(['s9', 's10']);
    expect(result.warning).toMatch(/sessions\[0\] \(s1\)\.status must be one of .*left out/);
    const copies = fs.readdirSync(root).filter((name) => name.startsWith('session-queue.json.invalid-'));
    expect(copies).toHaveLength(1);
    expect(result.warning).toContain(copies[0]);
    expect(fs.readFileSync(path.join(root, copies[0] as string), 'utf8')).toBe(content);
    expect(readQueue(root)).toMatchObject({ warning: null });
  });

  it('refuses a file written by a newer cco (version 2), reading or writing, and leaves it as it is', () => {
    const root = tempDir();
    const file = path.join(root, 'session-queue.json');
    const content = JSON.stringify({ version: 2, sessions: [valid], future: { field: true } });
    fs.writeFileSync(file, content);
    expect(() => readQueue(root)).toThrow(/version 2, written by a newer cco; this cco reads version 1/);
    expect(() => updateQueue(root, NOW, (queue) => addSession(queue, { name: 'New', project: root, estimatedTokens: 5, estimatedHours: 1 }, NOW))).toThrow(/version 2/);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(fs.readdirSync(root)).toEqual(['session-queue.json']);
  });

  it('accepts a minimal hand-written entry with stable defaults', () => {
    const raw = { sessions: [{ id: 'task', name: 'By hand', project: '/p', status: 'ready', estimatedTokens: 5000, estimatedHours: 2 }] };
    const first = parseQueue(raw);
    expect(first.sessions[0]).toMatchObject({ number: 1, objectives: [], dependencies: [], revision: 1, calendarExported: false });
    expect(parseQueue(raw).sessions[0]?.uid).toBe(first.sessions[0]?.uid);
    expect(first.nextNumber).toBe(2);
  });

  it('leaves the file untouched when a change is refused', () => {
    const root = tempDir();
    updateQueue(root, NOW, (queue) => addSession(queue, { name: 'A', project: root, estimatedTokens: 5, estimatedHours: 1 }, NOW));
    const before = fs.readFileSync(path.join(root, 'session-queue.json'), 'utf8');
    expect(() =>
      updateQueue(root, NOW, (queue) => {
        (queue.sessions[0] as QueuedSession).dependencies = ['s1'];
      }),
    ).toThrow(/cannot depend on itself/);
    expect(fs.readFileSync(path.join(root, 'session-queue.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(root).sort()).toEqual(['session-queue.json']);
  });

  it('reports a corrupt file even when the change that found it fails', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'session-queue.json'), 'garbage');
    let caught: unknown;
    try {
      updateQueue(root, NOW, (queue) => resolveSessionId(queue, 's1'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QueueError);
    expect(fs.readdirSync(root).some((name) => name.startsWith('session-queue.json.corrupt-'))).toBe(true);
  });
});
