// Implausible numbers (issue 10, part 3) through the real CLI: hostile transcript usage and
// status-line payloads are left out of the quota, counted in `cco status --json` diagnostics, and
// `cco statusline` still exits 0 and prints.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { HOSTILE_CONTEXT_WINDOWS, HOSTILE_USAGE, hostileAssistantLine, hostileRateLimits } from '../fixtures/hostile-numbers.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { runCco, tempRoot } from '../helpers/cli.js';

function statusJson(root: string, ...extra: string[]): Snapshot {
  const result = runCco(['status', '--json', '--config-dir', root, ...extra]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Snapshot;
}

describe('hostile transcript usage', () => {
  it('one line per class: none reaches the quota, each is counted, the percent stays what the real lines say', () => {
    const root = tempRoot();
    const at = (minute: number): string => new Date(Date.parse('2026-01-06T14:00:00.000Z') + minute * 60_000).toISOString();
    writeTranscript(root, 'session-a', [
      assistantLine({ messageId: 'msg_real1', timestamp: at(5), input: 3000, output: 1000 }),
      ...HOSTILE_USAGE.map((hostile, i) => hostileAssistantLine(hostile, { messageId: `msg_bad${i}`, timestamp: at(10 + i) })),
      assistantLine({ messageId: 'msg_real2', timestamp: at(40), input: 5000, output: 1000 }),
    ]);
    const snapshot = statusJson(root, '--now', at(60), '--plan', 'pro');
    expect(snapshot.quota.currentWindow?.tokens).toEqual({ input: 8000, output: 2000, cacheCreation: 0, cacheRead: 0 });
    expect(snapshot.quota.currentWindow?.messages).toBe(2);
    expect(snapshot.quota.percentUsed).toBe(5);
    expect(snapshot.quota.level).not.toBe('critical');
    expect(snapshot.diagnostics.skipped.implausible).toBe(HOSTILE_USAGE.length);
    expect(snapshot.diagnostics.linesSkipped).toBe(HOSTILE_USAGE.length);

    const panel = runCco(['status', '--config-dir', root, '--now', at(60), '--plan', 'pro']);
    expect(panel.code).toBe(0);
    expect(panel.stdout).toContain(`(${HOSTILE_USAGE.length} implausible usage)`);

    // The planner sees the same sane quota: a session that fits starts; nothing goes to CRITICAL.
    fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ plan: 'pro' }));
    const project = tempRoot('cco-project-');
    const added = runCco(['queue', 'add', '--config-dir', root, '--project', project, '--name', 'Totals', '--tokens', '30k', '--hours', '1']);
    expect(added.code).toBe(0);
    const next = runCco(['next', '--hours', '3', '--json', '--now', at(60), '--config-dir', root]);
    expect(next.code).toBe(0);
    const decision = JSON.parse(next.stdout) as { decision: string; automatic: string | null; quota: { remaining: number; level: string } };
    expect(decision).toMatchObject({ decision: 'start', automatic: null, quota: { remaining: 190_000 } });
    expect(decision.quota.level).not.toBe('critical');
  });
});

describe('hostile status-line payloads', () => {
  it('cco statusline exits 0 and prints for each; cco status --json counts them and keeps the server figure out', () => {
    const root = tempRoot();
    const nowSeconds = Math.floor(Date.now() / 1000);
    const payloads = [
      ...hostileRateLimits(nowSeconds).map(({ rateLimits }) => ({ session_id: 'sess-1', rate_limits: rateLimits })),
      ...HOSTILE_CONTEXT_WINDOWS.map(({ contextWindow }) => ({ session_id: 'sess-1', context_window: contextWindow })),
    ];
    for (const payload of payloads) {
      const result = runCco(['statusline', '--config-dir', root], { input: JSON.stringify(payload) });
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(1);
      expect(result.stdout).not.toMatch(/\d{4,}%/);
    }
    const errors = fs.readFileSync(path.join(root, 'logs', 'cco-statusline-errors.log'), 'utf8');
    expect(errors).toContain('implausible figure left out: rate_limits.five_hour.used_percentage');

    const snapshot = statusJson(root);
    expect(snapshot.diagnostics.statusLineRejected.count).toBe(payloads.length);
    expect(snapshot.diagnostics.statusLineRejected.last).toMatch(/^context_window\./);
    expect(snapshot.quota.server).toBeNull();
    expect(snapshot.quota.source).toBe('transcripts');
    expect(snapshot.quota.percentUsed).toBe(0);

    const panel = runCco(['status', '--config-dir', root]);
    expect(panel.stdout).toContain(`Left out ${payloads.length} implausible status-line figures`);
  });
});

describe("the old window's figure after a 5-hour reset", () => {
  it('cco statusline leaves it out and cco status --json counts it, keeping the new window figure', () => {
    const root = tempRoot();
    // The old window resets in 50 s; the next one 5 hours later (the real clock: the status line checks resets against it).
    const oldReset = Math.floor(Date.now() / 1000) + 50;
    const newReset = oldReset + 5 * 3600;
    const relay = (percent: number, resetsAt: number): void => {
      const result = runCco(['statusline', '--config-dir', root], { input: JSON.stringify({ session_id: 'sess-1', rate_limits: { five_hour: { used_percentage: percent, resets_at: resetsAt } } }) });
      expect(result.code).toBe(0);
    };
    relay(87, oldReset);
    relay(3, newReset);
    relay(87, newReset);
    relay(87, oldReset);

    const snapshot = statusJson(root);
    expect(snapshot.diagnostics.statusLineRejected.count).toBe(2);
    expect(snapshot.diagnostics.statusLineRejected.last).toMatch(/^rate_limits\.five_hour\.resets_at .* is the previous window's/);
    expect(snapshot.quota.server?.fiveHour).toEqual({ usedPercent: 3, resetsAt: new Date(newReset * 1000).toISOString() });
  });
});
