/**
 * computeSnapshot is the one function that builds the Snapshot, and it is pure: the clock is a
 * parameter, nothing is read from the machine, its inputs are left as they were, and every part
 * (quota, sessions, context, queue with "ended?", diagnostics) comes out of the one call.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeSnapshot } from '../../main/core/snapshot.js';
import { BUSY_LAUNCHED, BUSY_SESSION, busyInputs } from '../fixtures/snapshot-builder.js';

const NOW = Date.parse('2026-03-02T19:30:00.000Z');
const MINUTE = 60_000;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('computeSnapshot is pure', () => {
  it('gives deep-equal Snapshots for the same inputs and the same now, and plain JSON', () => {
    const inputs = busyInputs(NOW);
    const first = computeSnapshot(inputs);
    const second = computeSnapshot(inputs);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('reads no clock: with the system time set years away the Snapshot is the same, and Date.now is never called', () => {
    const inputs = busyInputs(NOW);
    const real = computeSnapshot(inputs);
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2031-07-01T03:00:00.000Z'));
    const now = vi.spyOn(Date, 'now');
    expect(computeSnapshot(inputs)).toEqual(real);
    expect(now).not.toHaveBeenCalled();
    vi.setSystemTime(Date.parse('2019-01-01T00:00:00.000Z'));
    expect(computeSnapshot(inputs)).toEqual(real);
  });

  it('leaves its inputs as they were (the session learns its cwd in the Snapshot only)', () => {
    const inputs = busyInputs(NOW);
    const before = structuredClone(inputs);
    const snapshot = computeSnapshot(inputs);
    expect(inputs).toEqual(before);
    expect(inputs.sessions[0]?.cwd).toBeNull();
    expect(snapshot.session?.cwd).toBe('/work/api');
  });
});

describe('computeSnapshot builds every part in one call', () => {
  it('quota from the server, the session with its context, the queue with ended?, the diagnostics', () => {
    const snapshot = computeSnapshot(busyInputs(NOW));
    expect(snapshot.generatedAt).toBe(new Date(NOW).toISOString());
    expect(snapshot.quota).toMatchObject({ source: 'statusline', percentUsed: 41, weeklyLimitReached: false });
    expect(snapshot.quota.currentWindow?.messages).toBe(24);
    expect(snapshot.session).toEqual(snapshot.sessions[0]);
    expect(snapshot.session).toMatchObject({ sessionId: BUSY_SESSION, cwd: '/work/api', detectedBy: 'transcript' });
    expect(snapshot.context).toMatchObject({ sessionId: BUSY_SESSION, cwd: '/work/api' });
    expect(snapshot.queue.summary).toMatchObject({ total: 3, ready: 1, inProgress: 1, blocked: 1 });
    expect(snapshot.queue.entries.map((entry) => [entry.id, entry.state])).toEqual([
      ['s1', 'ready'],
      ['s2', 'ended'],
      ['s3', 'waiting'],
    ]);
    const launchedWrite = busyInputs(NOW).transcripts.listing.files.find((file) => file.path.includes(BUSY_LAUNCHED))?.mtimeMs ?? 0;
    expect(snapshot.queue.entries[1]?.lastActivity).toBe(new Date(launchedWrite).toISOString());
    expect(snapshot.diagnostics).toMatchObject({
      filesSeen: 2,
      linesRead: 60,
      linesSkipped: 2,
      duplicatesDropped: 5,
      statusLineRejected: { count: 2, last: 'rate_limits.five_hour.used_percentage: 140' },
    });
    expect(snapshot.diagnostics.warnings).toEqual(['usage-history.json was corrupt; moved aside', '2 transcript events are stamped in the future (clock skew?); not counted yet']);
  });

  it('a launched session that wrote recently is running, not ended', () => {
    const inputs = busyInputs(NOW);
    const files = inputs.transcripts.listing.files.map((file) => (file.path.includes(BUSY_LAUNCHED) ? { ...file, mtimeMs: NOW - 5 * MINUTE } : file));
    const snapshot = computeSnapshot({ ...inputs, transcripts: { ...inputs.transcripts, listing: { ...inputs.transcripts.listing, files } } });
    expect(snapshot.queue.entries[1]).toMatchObject({ id: 's2', state: 'running', lastActivity: null });
  });

  it('events after now are clock skew only when now is the present, not in a report of the past', () => {
    const inputs = busyInputs(NOW);
    const past = computeSnapshot({ ...inputs, wallClock: NOW + 24 * 60 * MINUTE });
    expect(past.diagnostics.warnings).toEqual(['usage-history.json was corrupt; moved aside']);
  });
});
