/**
 * Issue 15.1: what a long-running Engine keeps per transcript write must not grow with the writes.
 * Structural checks, no timing: objects counted in a heap snapshot of a child process running the
 * built Engine (or its ledger), and Intl formatter constructions counted while the watch panel is redrawn.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';

const HELPERS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../helpers');
const CHILD = path.join(HELPERS, 'engine-timers-child.mjs');
const LEDGER_CHILD = path.join(HELPERS, 'ledger-strings-child.mjs');

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

  it('keeps one copy of the session id and model however many responses it holds, and one flat key per response', () => {
    const root = tempRoot();
    const file = writeTranscript(root, 'strings', [assistantLine({ messageId: 'msg_first', timestamp: new Date(Date.now() - 3_600_000).toISOString(), input: 10, output: 5 })]);
    const rounds = 200;
    const run = spawnSync(process.execPath, [LEDGER_CHILD, file, String(rounds)], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim()) as { responses: number; usage: number; retained: number; sessionId: number; model: number; keyStrings: number };
    // Every append was read, and every response is still held (a figure needs each one).
    expect(result.usage).toBe(result.responses + 1);
    expect(result.retained).toBe(result.responses + 1);
    // Before: a copy of each per response (1,000 and more): JSON.parse makes one per line.
    expect(result.sessionId).toBeLessThan(10);
    expect(result.model).toBeLessThan(10);
    // One flat key per response; before, each key was a rope over its two parsed halves (2 strings a response, and the rope).
    expect(result.keyStrings).toBeLessThan(result.responses + 50);
  });
});

