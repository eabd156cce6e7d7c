/**
 * The session monitor's window rule without hooks (issue 11, item 7), through the whole path a
 * user's files take: real-shaped transcripts (a prompt, then responses with their user turns)
 * written to a config root, read by collectStatus at a fixed instant. A session's 5-hour
 * window starts at its first message, wherever that lies, and a session still active when its
 * window ends starts a new window at its next message.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { collectStatus } from '../../main/core/status.js';
import { defaultSettings } from '../../main/core/settings-schema.js';
import { assistantLine, userLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';

const NOW = Date.parse('2026-03-02T19:30:00.000Z');
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const iso = (ms: number) => new Date(ms).toISOString();
const roots: string[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

/** A prompt and then `count` responses `step` apart from `from`, as Claude Code writes a turn with tool calls. */
function turn(sessionId: string, from: number, count: number, step: number, tag: string): string[] {
  const lines = [userLine({ sessionId, timestamp: iso(from - 2 * SECOND), text: `Prompt ${tag}` })];
  for (let i = 0; i < count; i++) {
    const at = from + i * step;
    lines.push(assistantLine({ sessionId, messageId: `msg_${tag}_${i}`, timestamp: iso(at), input: 100, output: 20 }));
    if (i < count - 1) lines.push(userLine({ sessionId, timestamp: iso(at + SECOND), toolResultFor: `toolu_${tag}_${i}` }));
  }
  return lines;
}

function snapshotOf(sessionId: string, lines: string[], lastLine: number) {
  const root = tempRoot();
  roots.push(root);
  writeTranscript(root, sessionId, lines, { mtime: new Date(lastLine) });
  return collectStatus({ roots: [root], settings: defaultSettings(), now: NOW, persist: false });
}

describe('session window without hooks', () => {
  it('a session resumed after a 4-hour gap keeps the window of its first message, with all 121 messages', () => {
    const id = '3a1f9c2e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
    // 71 responses 20 s apart, a 4-hour pause, then 50 responses 30 s apart ending a minute before NOW.
    const secondEnd = NOW - MINUTE;
    const secondStart = secondEnd - 49 * 30 * SECOND;
    const firstEnd = secondStart - 4 * 60 * MINUTE;
    const firstStart = firstEnd - 70 * 20 * SECOND;
    const lines = [...turn(id, firstStart, 71, 20 * SECOND, 'a'), ...turn(id, secondStart, 50, 30 * SECOND, 'b')];
    const session = snapshotOf(id, lines, secondEnd).sessions.find((s) => s.sessionId === id);
    expect(session).toBeDefined();
    expect(session?.detectedBy).toBe('transcript');
    expect(session?.startedAt).toBe(iso(firstStart));
    expect(session?.windowEnd).toBe(iso(firstStart + 300 * MINUTE));
    expect(session?.tokens.messages).toBe(121);
    expect(session?.tokens.counted).toBe(121 * 120);
    // firstStart is 4h 48m 10s before NOW: 11 minutes left, so the 1 h and 30 min marks have passed.
    expect(session?.remainingMinutes).toBe(11);
    expect(session?.warningsPassed).toEqual(['1h', '30m']);
    expect(session?.nextWarning).toEqual({ id: '5m', at: iso(firstStart + 295 * MINUTE) });
  });

  it('a session still active when its window ends starts a new window at its next message', () => {
    const id = '7c2d4e6f-8a0b-4c1d-9e2f-3a4b5c6d7e8f';
    // A response every 10 minutes for 5 h 40 m: the first window holds 30 of them (0..290 min),
    // the one at 300 min opens the second window, which holds 5 (300..340 min).
    const start = NOW - 340 * MINUTE;
    const lines: string[] = [];
    for (let i = 0; i <= 34; i++) lines.push(...turn(id, start + i * 10 * MINUTE, 1, MINUTE, `c${i}`));
    const session = snapshotOf(id, lines, NOW).sessions.find((s) => s.sessionId === id);
    expect(session?.startedAt).toBe(iso(start + 300 * MINUTE));
    expect(session?.windowEnd).toBe(iso(start + 600 * MINUTE));
    expect(session?.tokens.messages).toBe(5);
    expect(session?.elapsedMinutes).toBe(40);
    expect(session?.warningsPassed).toEqual([]);
  });

  it('a session quiet for longer than the idle limit is not live, whatever its window', () => {
    const id = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
    const start = NOW - 120 * MINUTE;
    const session = snapshotOf(id, turn(id, start, 10, MINUTE, 'd'), start + 9 * MINUTE).sessions.find((s) => s.sessionId === id);
    expect(session).toBeUndefined();
  });
});
