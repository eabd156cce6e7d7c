import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Banner, NextDecisionView } from '../../shared/ipc.js';
import { createCommandRunner, type AppCommand } from '../../main/app/commands.js';
import type { MainActions } from '../../main/app/core-actions.js';
import { APP_STORE_NAME, openAppStore } from '../../main/app/app-store.js';
import { storedSentKeys } from '../../main/app/sent-store.js';
import { tempRoot } from '../helpers/cli.js';

// The app store is the real electron-store, which imports electron.
vi.mock('electron', () => import('../fakes/electron.js'));

function rig(overrides: Partial<MainActions> = {}) {
  const reports: Banner[] = [];
  const ui: string[] = [];
  const view: NextDecisionView = { decision: 'schedule', reason: '"Docs" is scheduled for the quota reset.', sessions: [], scheduledFor: '2026-03-02T14:00:00.000Z' };
  const actions = {
    carryOutNext: async () => ({ decision: 'start', reason: 'fits', sessions: [{ id: 's1', name: 'Docs', estimatedTokens: 1, estimatedHours: 1 }], scheduledFor: null }),
    scheduleAtReset: async () => view,
    copyCompactCommand: async () => ({ command: '/compact x', brief: '' }),
    writeHandoff: async () => ({ path: '/r/handoffs/a.md' }),
    exportCalendar: async () => ({ dir: '/r/calendar', files: [], events: 2 }),
    startQueued: async () => ({ started: false, message: 's1 waits for s0' }),
    setSetting: async () => ({}),
    ...overrides,
  } as unknown as MainActions;
  const run = createCommandRunner(actions, {
    showPopover: () => ui.push('show'),
    quit: () => ui.push('quit'),
    report: (banner) => reports.push(banner),
    snooze: (minutes) => ui.push(`snooze ${minutes}`),
    openSettingsFile: async () => {
      ui.push('settings-file');
    },
  });
  return { run, reports, ui };
}

describe('command runner', () => {
  it('carries out each command and reports how it went', async () => {
    const { run, reports, ui } = rig();
    const commands: AppCommand[] = [
      { kind: 'open-popover' },
      { kind: 'carry-out-next', hours: 2 },
      { kind: 'schedule-at-reset' },
      { kind: 'copy-compact', sessionId: 'abc' },
      { kind: 'save-handoff' },
      { kind: 'export-calendar' },
      { kind: 'start-queued', id: 's1' },
      { kind: 'snooze', minutes: 60 },
      { kind: 'set-setting', key: 'hyperaware', value: 'true' },
      { kind: 'open-settings-file' },
      { kind: 'quit' },
    ];
    for (const command of commands) await run(command);
    expect(ui).toEqual(['show', 'snooze 60', 'settings-file', 'quit']);
    expect(reports).toEqual([
      { level: 'info', text: 'Starting Docs.' },
      { level: 'info', text: '"Docs" is scheduled for the quota reset.' },
      { level: 'info', text: 'Copied the /compact command: paste it into the Claude Code session.' },
      { level: 'info', text: 'Handoff saved: /r/handoffs/a.md' },
      { level: 'info', text: 'Calendar exported: 2 events in /r/calendar' },
      { level: 'warning', text: 's1 waits for s0' },
      { level: 'info', text: 'Notifications snoozed for 60 minutes (critical ones still show).' },
    ]);
  });

  it('a failing action is an error banner, never a thrown error', async () => {
    const { run, reports } = rig({ writeHandoff: async () => Promise.reject(new Error('no Claude Code sessions found')) });
    await expect(run({ kind: 'save-handoff' })).resolves.toBeUndefined();
    expect(reports).toEqual([{ level: 'error', text: 'no Claude Code sessions found' }]);
  });
});

describe('sent notification keys (in the app store)', () => {
  const keysIn = (dir: string, now: () => number) => storedSentKeys(openAppStore({ cwd: dir, version: '0.1.0', legacyRoot: null }).store, now);

  it('survive a restart; old keys age out', () => {
    const dir = tempRoot();
    let now = Date.parse('2026-03-02T09:00:00.000Z');
    const first = keysIn(dir, () => now);
    first.add(['quota:w1:50', 'quota:w1:80']);
    first.add(['quota:w1:50']);
    expect(keysIn(dir, () => now).has('quota:w1:80')).toBe(true);
    now += 9 * 24 * 3_600_000;
    const later = keysIn(dir, () => now);
    expect(later.has('quota:w1:80')).toBe(false);
    later.add(['quota:w2:50']);
    const file = JSON.parse(fs.readFileSync(path.join(dir, `${APP_STORE_NAME}.json`), 'utf8')) as { notifications: { sent: object } };
    expect(Object.keys(file.notifications.sent)).toEqual(['quota:w2:50']);
  });

  it('a snooze survives a restart', () => {
    const dir = tempRoot();
    const now = Date.parse('2026-03-02T09:00:00.000Z');
    keysIn(dir, () => now).snooze(now + 3_600_000);
    expect(keysIn(dir, () => now).snoozedUntil()).toBe(now + 3_600_000);
  });
});
