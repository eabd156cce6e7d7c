/**
 * `quota.reconciliation` through the real CLI: the status line's 5-hour figures (written by hand
 * at a fixed instant, and by the real `cco statusline` from two payloads) and a transcript, then
 * `cco status --json` and the panel say how much of the server's rise was this machine's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { runCco, tempRoot } from '../helpers/cli.js';

const NOW = '2026-11-30T16:00:00.000Z';
const MIN = 60_000;
const RESETS = '2026-11-30T18:00:00.000Z';
/** The pro plan's tokens per window (shared/plans.ts): 1% is 2,000 counted tokens. */
const PRO_LIMIT = 200_000;
const ago = (minutes: number, from = Date.parse(NOW)): string => new Date(from - minutes * MIN).toISOString();

function rootWith(figures: [string, number][], responses: [string, number][]): string {
  const root = tempRoot('cco-reconcile-');
  const log = figures.map(([observedAt, usedPercent]) => ({ observedAt, usedPercent, resetsAt: RESETS }));
  const last = log[log.length - 1];
  fs.writeFileSync(
    path.join(root, 'statusline-state.json'),
    JSON.stringify({ version: 1, latest: last ? { observedAt: last.observedAt, sessionId: null, rateLimits: { fiveHour: { usedPercent: last.usedPercent, resetsAt: RESETS }, sevenDay: null } } : null, sessions: {}, fiveHourLog: log }),
  );
  writeTranscript(root, 'session-a', responses.map(([timestamp, input], i) => assistantLine({ messageId: `msg_${i}`, timestamp, input, output: 0 })));
  return root;
}

function status(root: string, args: string[] = ['--now', NOW]): Snapshot {
  const result = runCco(['status', '--json', '--plan', 'pro', '--config-dir', root, ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Snapshot;
}

describe('cco status: where the server percent went', () => {
  it('10% then 40% with this machine idle in between: 30 points elsewhere', () => {
    // This machine worked before the first figure only.
    const root = rootWith([[ago(120), 10], [ago(60), 40]], [[ago(150), 50_000]]);
    expect(status(root).quota.reconciliation).toEqual({
      since: ago(120),
      until: ago(60),
      serverDeltaPercent: 30,
      localPercent: 0,
      elsewherePercent: 30,
      calibration: { source: 'plan-limit', pairs: 0 },
    });
    const panel = runCco(['status', '--plan', 'pro', '--config-dir', root, '--now', NOW], { env: { TZ: 'UTC' } });
    expect(panel.stdout).toContain('Reconciled:   Server +30% since 11/30/2026, 2:00:00 PM: 0% from this machine, 30% elsewhere');
  });

  it('splits the rise when this machine used some of it: 20,000 tokens are 10 points of a pro window', () => {
    const root = rootWith([[ago(120), 10], [ago(60), 40]], [[ago(100), 12_000], [ago(70), 8_000]]);
    expect(status(root).quota.reconciliation).toMatchObject({ serverDeltaPercent: 30, localPercent: 10, elsewherePercent: 20 });
    // Before the second figure was seen, there is nothing to compare.
    expect(status(root, ['--now', ago(90)]).quota.reconciliation).toBeNull();
  });

  it('from figures the real status line stored and a transcript written between them', () => {
    const root = tempRoot('cco-reconcile-live-');
    const resets = Math.floor((Date.now() + 3 * 60 * MIN) / 1000);
    const payload = (percent: number) => JSON.stringify({ session_id: 'live-1', rate_limits: { five_hour: { used_percentage: percent, resets_at: resets } } });
    expect(runCco(['statusline', '--config-dir', root], { input: payload(10) }).code).toBe(0);
    // 6,000 counted tokens after the first figure: 3 points of a pro window.
    const written = Date.now() + 5;
    writeTranscript(root, 'session-live', [assistantLine({ messageId: 'msg_live', timestamp: new Date(written).toISOString(), input: 5_000, output: 1_000 })]);
    // The second figure must be stamped after the response (starting the child takes longer anyway).
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    expect(runCco(['statusline', '--config-dir', root], { input: payload(40) }).code).toBe(0);
    const state = JSON.parse(fs.readFileSync(path.join(root, 'statusline-state.json'), 'utf8')) as { fiveHourLog: { observedAt: string; usedPercent: number }[] };
    expect(state.fiveHourLog.map((entry) => entry.usedPercent)).toEqual([10, 40]);
    const reconciliation = status(root, []).quota.reconciliation;
    expect(reconciliation).toEqual({
      since: state.fiveHourLog[0]?.observedAt,
      until: state.fiveHourLog[1]?.observedAt,
      serverDeltaPercent: 30,
      localPercent: Math.round((6_000 / PRO_LIMIT) * 1000) / 10,
      elsewherePercent: 27,
      calibration: { source: 'plan-limit', pairs: 1 },
    });
  });
});
