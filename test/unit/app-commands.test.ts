import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Banner, NextDecisionView } from '../../shared/ipc.js';
import { createCommandRunner, type AppCommand } from '../../main/app/commands.js';
import type { MainActions } from '../../main/app/core-actions.js';
import { fileSentKeys, SENT_FILE } from '../../main/app/sent-store.js';
import { tempRoot } from '../helpers/cli.js';

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

describe('sent notification keys', () => {
  it('survive a restart; a corrupt file is moved aside; old keys age out', () => {
    const root = tempRoot();
    let now = Date.parse('2026-03-02T09:00:00.000Z');
    const first = fileSentKeys(root, () => now);
    first.add(['quota:w1:50', 'quota:w1:80']);
    first.add(['quota:w1:50']);
    expect(fileSentKeys(root, () => now).has('quota:w1:80')).toBe(true);
    now += 9 * 24 * 3_600_000;
    const later = fileSentKeys(root, () => now);
    expect(later.has('quota:w1:80')).toBe(false);
    later.add(['quota:w2:50']);
    expect(Object.keys((JSON.parse(fs.readFileSync(path.join(root, SENT_FILE), 'utf8')) as { sent: object }).sent)).toEqual(['quota:w2:50']);

    fs.writeFileSync(path.join(root, SENT_FILE), 'not json');
    const warnings: string[] = [];
    const fresh = fileSentKeys(root, () => now, (text) => warnings.push(text));
    expect(fresh.has('quota:w2:50')).toBe(false);
    expect(warnings[0]).toMatch(/was corrupt .* moved aside/);
  });
});
