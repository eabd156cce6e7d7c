/**
 * Issue 3's "done when" scenario, end to end with real child processes: a config root with the
 * user's own hook and status line; `cco install` twice; a SessionStart payload through the
 * registered hook command and a status-line payload with rate_limits through the registered
 * status-line command (both run by a real shell, as Claude Code runs them); then `cco status
 * --json` reports the server's figures, and `cco uninstall` restores the original settings.json.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { runCco, tempRoot } from '../helpers/cli.js';

interface HookGroup {
  matcher?: string;
  hooks: { type: string; command: string; timeout?: number }[];
}
interface ClaudeSettings {
  hooks?: Record<string, HookGroup[]>;
  statusLine?: { type: string; command: string };
  [key: string]: unknown;
}

function runShell(command: string, stdin: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('sh', ['-c', command], { input: stdin, encoding: 'utf8', cwd: '/', env: { ...process.env, NO_COLOR: '1' }, timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('Claude Code integration, end to end', () => {
  it('install, hook, status line, status with server figures, uninstall', () => {
    const root = tempRoot('cco-scenario-');
    const original = `${JSON.stringify(
      {
        model: 'opus',
        permissions: { allow: ['Bash(npm test:*)'] },
        hooks: { SessionStart: [{ matcher: '', hooks: [{ type: 'command', command: 'echo my-own-hook' }] }] },
        statusLine: { type: 'command', command: 'echo THEIRS' },
      },
      null,
      2,
    )}\n`;
    const settingsFile = path.join(root, 'settings.json');
    fs.writeFileSync(settingsFile, original);

    const first = runCco(['install', '--config-dir', root]);
    expect(first.code).toBe(0);
    const afterFirst = fs.readFileSync(settingsFile, 'utf8');
    const second = runCco(['install', '--config-dir', root]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already installed/i);
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe(afterFirst);

    const settings = JSON.parse(afterFirst) as ClaudeSettings;
    expect(settings.model).toBe('opus');
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test:*)'] });
    const sessionStart = settings.hooks?.SessionStart ?? [];
    const commands = sessionStart.flatMap((group) => group.hooks.map((hook) => hook.command));
    expect(commands).toContain('echo my-own-hook');
    const ours = commands.find((command) => / hook --config-dir /.test(command));
    expect(ours).toBeDefined();
    for (const name of ['session-status', 'context-status', 'compact-context', 'save-and-restart', 'start-next-session', 'create-calendar-events']) {
      expect(fs.existsSync(path.join(root, 'commands', `${name}.md`))).toBe(true);
    }

    const hook = runShell(ours as string, JSON.stringify({ hook_event_name: 'SessionStart', session_id: 'sess-42', transcript_path: path.join(root, 'x.jsonl'), cwd: '/work/app', source: 'startup' }));
    expect(hook.code).toBe(0);
    expect(hook.stdout).toBe('');
    const log = fs.readFileSync(path.join(root, 'logs', 'sessions.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ type: 'session_start', session_id: 'sess-42', cwd: '/work/app', source: 'startup' });

    const now = Math.floor(Date.now() / 1000);
    const resetsAt = (Math.floor(now / 3600) + 3) * 3600;
    const weekResets = resetsAt + 4 * 86_400;
    const statusLine = runShell(
      settings.statusLine?.command as string,
      JSON.stringify({
        session_id: 'sess-42',
        cwd: '/work/app',
        model: { id: 'claude-opus-4-6', display_name: 'Opus' },
        context_window: { context_window_size: 200_000, used_percentage: 38 },
        rate_limits: { five_hour: { used_percentage: 63, resets_at: resetsAt }, seven_day: { used_percentage: 21, resets_at: weekResets } },
      }),
    );
    expect(statusLine.code).toBe(0);
    const printed = statusLine.stdout.trim().split('\n');
    expect(printed[0]).toBe('THEIRS');
    expect(printed[1]).toContain('63%');

    const status = runCco(['status', '--json', '--config-dir', root]);
    expect(status.code).toBe(0);
    const snapshot = JSON.parse(status.stdout) as Snapshot;
    expect(snapshot.quota.source).toBe('statusline');
    expect(snapshot.quota.percentUsed).toBe(63);
    expect(snapshot.quota.server?.fiveHour).toEqual({ usedPercent: 63, resetsAt: new Date(resetsAt * 1000).toISOString() });
    expect(snapshot.quota.server?.sevenDay).toEqual({ usedPercent: 21, resetsAt: new Date(weekResets * 1000).toISOString() });
    expect(snapshot.session?.sessionId).toBe('sess-42');

    const uninstall = runCco(['uninstall', '--config-dir', root]);
    expect(uninstall.code).toBe(0);
    expect(fs.readFileSync(settingsFile, 'utf8')).toBe(original);
    expect(fs.existsSync(path.join(root, 'commands', 'session-status.md'))).toBe(false);
  });
});
