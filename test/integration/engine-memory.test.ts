/**
 * Issue 15.1: what a long-running Engine keeps per transcript write must not grow with the writes.
 * Structural checks, no timing: objects counted in a heap snapshot of a child process running the
 * built Engine, and Intl formatter constructions counted while the watch panel is redrawn.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '../helpers/engine-timers-child.mjs');

describe('Engine memory across many writes', () => {
  it('keeps a bounded number of Node timer lists however often it recomputes (no list left per write)', () => {
    const root = tempRoot();
    const file = writeTranscript(root, 'soak', [assistantLine({ messageId: 'msg_0', timestamp: new Date(Date.now() - 60_000).toISOString(), input: 10, output: 5 })]);
    const rounds = 150;
    const run = spawnSync(process.execPath, [CHILD, root, file, String(rounds)], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim()) as { timerLists: number; messages: number };
    // Every append was read (the rounds really recomputed with new figures).
    expect(result.messages).toBe(rounds + 1);
    // Before the fix: one list per recompute (>= 150). Node's own and chokidar's are a handful.
    expect(result.timerLists).toBeLessThan(20);
  });
});
