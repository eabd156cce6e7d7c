import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { assistantLine, toolUse, userLine, writeTranscript } from '../fixtures/make-transcript.js';
import { runCco, tempRoot } from '../helpers/cli.js';
import { PLACEHOLDER_EXPECTED, placeholderSessionLines } from '../fixtures/placeholder-lines.js';

function statusJson(root: string, ...extra: string[]): Snapshot {
  const result = runCco(['status', '--json', '--config-dir', root, ...extra]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Snapshot;
}

/** A window with known figures: two responses, the first written as two streaming lines. */
function knownRoot(): string {
  const root = tempRoot();
  writeTranscript(root, 'session-a', [
    userLine({ timestamp: '2026-01-06T14:05:00.000Z', text: 'Add invoice totals' }),
    assistantLine({ messageId: 'msg_A', timestamp: '2026-01-06T14:05:23.456Z', input: 1000, output: 5, cacheWrite1h: 200, version: '2.1.90', content: [{ type: 'thinking', thinking: 'plan' }] }),
    assistantLine({ messageId: 'msg_A', timestamp: '2026-01-06T14:05:24.000Z', input: 1000, output: 500, cacheWrite1h: 200, version: '2.1.90', content: [toolUse('Read', 'toolu_1', { file_path: 'src/a.ts' })] }),
    userLine({ timestamp: '2026-01-06T14:05:25.000Z', toolResultFor: 'toolu_1', text: 'export const a = 1;' }),
    assistantLine({ messageId: 'msg_B', timestamp: '2026-01-06T15:00:00.000Z', input: 2000, output: 1000, cacheRead: 5000 }),
  ]);
  return root;
}

describe('cco status', () => {
  it('reports responses kept only as streaming placeholders, and counts their estimate only when set', () => {
    const root = tempRoot();
    writeTranscript(root, 'ph-session', placeholderSessionLines());
    const now = ['--now', '2026-01-06T15:00:00.000Z', '--plan', 'pro'];
    const shown = statusJson(root, ...now).quota.currentWindow;
    expect(shown?.placeholderOutput).toEqual({ responses: PLACEHOLDER_EXPECTED.responses, estimatedTokens: PLACEHOLDER_EXPECTED.estimatedTokens });
    expect(shown?.tokens.output).toBe(PLACEHOLDER_EXPECTED.recordedOutput);
    const panel = runCco(['status', '--config-dir', root, ...now]).stdout;
    expect(panel).toContain('Est. output:  ~6,992 more output tokens (estimate) in 1 response recorded only with a streaming placeholder');
    fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ countPlaceholderEstimate: true }));
    const counted = statusJson(root, ...now).quota.currentWindow;
    expect(counted?.tokens.output).toBe(PLACEHOLDER_EXPECTED.recordedOutput + PLACEHOLDER_EXPECTED.estimatedTokens);
    expect(counted?.tokensUsed).toBe((shown?.tokensUsed ?? 0) + PLACEHOLDER_EXPECTED.estimatedTokens);
    expect(counted?.placeholderOutput).toEqual(shown?.placeholderOutput);
  });


  it('reports the active window of a fixture to the token', () => {
    const snapshot = statusJson(knownRoot(), '--now', '2026-01-06T16:05:23.456Z', '--plan', 'pro');
    const window = snapshot.quota.currentWindow;
    expect(window).not.toBeNull();
    expect(window?.startTime).toBe('2026-01-06T14:05:23.456Z');
    expect(window?.resetTime).toBe('2026-01-06T19:05:23.456Z');
    expect(window?.tokens).toEqual({ input: 3000, output: 1500, cacheCreation: 200, cacheRead: 5000 });
    expect(window?.tokensUsed).toBe(4500);
    expect(window?.remaining).toBe(195_500);
    expect(window?.messages).toBe(2);
    expect(window?.toolCalls).toBe(1);
    expect(snapshot.quota.percentUsed).toBe(2.3);
    expect(snapshot.plan).toEqual({ name: 'pro', limit: 200_000, limitSource: 'preset', learnedFromWindows: null });
    expect(snapshot.diagnostics.duplicatesDropped).toBe(1);
  });

  it('has no active window once the reset time has passed', () => {
    const snapshot = statusJson(knownRoot(), '--now', '2026-01-06T19:05:23.456Z');
    expect(snapshot.quota.currentWindow).toBeNull();
    expect(snapshot.quota.percentUsed).toBe(0);
  });

  it('prints the panel with the quota figures', () => {
    const result = runCco(['status', '--config-dir', knownRoot(), '--now', '2026-01-06T16:05:23.456Z', '--limit', '10000']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('TOKEN QUOTA');
    expect(result.stdout).toContain('4,500');
    expect(result.stdout.includes("\u001b[")).toBe(false);
  });

  it('answers a bare cco and cco status alike (status has its own bundle; the whole CLI keeps the other commands)', () => {
    const root = knownRoot();
    const env = { CLAUDE_CONFIG_DIR: root };
    const bare = runCco([], { env });
    const status = runCco(['status'], { env });
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('TOKEN QUOTA');
    // The panel's own clock line aside, the two are the same panel.
    const steady = (text: string): string => text.replace(/\d{1,2}:\d{2}(:\d{2})?( ?[AP]M)?/g, 'T');
    expect(steady(bare.stdout)).toBe(steady(status.stdout));
    // A first argument that is an option is not a command: the whole CLI says so, as before.
    const option = runCco(['--config-dir', root]);
    expect(option.code).toBe(2);
    expect(option.stderr.trim()).toBe('cco: unknown command "--config-dir" (see cco help)');
  });

  it('fails with one clear line for a missing config dir, bad options and bad values', () => {
    const missing = runCco(['status', '--config-dir', path.join(tempRoot(), 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('config directory not found');

    const unknown = runCco(['status', '--frobnicate', '--config-dir', tempRoot()]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('cco: unknown option --frobnicate for "cco status" (see cco status --help)');

    const badPlan = runCco(['status', '--plan', 'prp', '--config-dir', tempRoot()]);
    expect(badPlan.code).toBe(2);
    expect(badPlan.stderr).toContain('unknown plan "prp"');

    const badNow = runCco(['status', '--now', 'yesterday', '--config-dir', tempRoot()]);
    expect(badNow.code).toBe(2);
    expect(badNow.stderr).toContain('--now must be an ISO-8601 time');
  });

  it('writes quota-tracker.json in the spec TokenQuota shape, and moves a corrupt one aside', () => {
    const root = knownRoot();
    fs.writeFileSync(path.join(root, 'quota-tracker.json'), '{"plan": "pro", "limit": 2000');
    const result = runCco(['status', '--json', '--config-dir', root]);
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as Snapshot;
    expect(snapshot.diagnostics.warnings.join('\n')).toMatch(/quota-tracker\.json.*corrupt/);
    const aside = fs.readdirSync(root).filter((name) => name.startsWith('quota-tracker.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(root, aside[0] as string), 'utf8')).toBe('{"plan": "pro", "limit": 2000');
    const tracker = JSON.parse(fs.readFileSync(path.join(root, 'quota-tracker.json'), 'utf8')) as Record<string, unknown>;
    expect(tracker).toMatchObject({ plan: 'pro', limit: 200_000, currentWindow: null });
  });
});
