import { describe, expect, it } from 'vitest';
import { QUOTA_LEVELS, type QuotaLevel } from '../../shared/levels.js';
import type { QueueSnapshot } from '../../shared/queue-snapshot.js';
import { resetInstant, type Snapshot } from '../../shared/snapshot.js';
import type { AppCommand } from '../../main/app/commands.js';
import { settingsFromSnapshot, statusLines, type TrayMenuItem } from '../../main/app/tray-menu.js';
import { contextMenuMode, trayIcon, trayIconSize, trayView } from '../../main/app/tray-policy.js';
import { contextWith } from '../fixtures/snapshot-builder.js';
import { snapshotFixture as fixture } from '../fixtures/snapshot-fixtures.js';

/** active-good: 42.5% of pro, window reset 2h45m after generatedAt. */
function at(level: QuotaLevel, percentUsed: number): Snapshot {
  const snapshot = fixture('active-good');
  return { ...snapshot, quota: { ...snapshot.quota, level, percentUsed } };
}

/** Every item of a menu, submenus flattened. */
function flatten(items: readonly TrayMenuItem[]): TrayMenuItem[] {
  return items.flatMap((item) => (item.type === 'submenu' ? [item, ...flatten(item.items)] : [item]));
}

function commands(items: readonly TrayMenuItem[]): AppCommand[] {
  return flatten(items).flatMap((item) => ('command' in item ? [item.command] : []));
}

const PLATFORMS = ['darwin', 'linux', 'win32'] as const;
const PERCENT_FOR: Record<QuotaLevel, number> = { fresh: 3, excellent: 12, good: 42.5, moderate: 60, high: 80, danger: 92, critical: 97 };

describe('tray policy: icon and title per platform and level', () => {
  const rows = PLATFORMS.flatMap((platform) => QUOTA_LEVELS.map((level) => ({ platform, level, percent: PERCENT_FOR[level] })));

  it.each(rows)('$platform / $level', ({ platform, level, percent }) => {
    const view = trayView(at(level, percent), platform);
    const shown = String(Math.round(percent));
    if (platform === 'darwin') {
      expect(view.icon).toEqual({ name: `tray-${level}Template`, level, template: true, text: null });
      expect(view.title).toBe(`${shown}% · 2h45m`);
    } else {
      expect(view.icon).toEqual({ name: `tray-${level}-${shown}`, level, template: false, text: shown });
      expect(view.title).toBe('');
    }
    expect(view.tooltip).toContain(`${shown}% used`);
    expect(view.tooltip).toContain('resets in 2h 45m');
    expect(view.tooltip.length).toBeLessThanOrEqual(127);
  });

  it.each(PLATFORMS)('%s: before the first Snapshot the icon is idle and the menu still offers Quit', (platform) => {
    const view = trayView(null, platform);
    expect(view.icon.level).toBe('idle');
    expect(view.icon.text).toBeNull();
    expect(view.title).toBe(platform === 'darwin' ? '…' : '');
    expect(view.tooltip).toMatch(/reading Claude Code usage/);
    expect(commands(view.menu)).toContainEqual({ kind: 'quit' });
  });

  it('macOS title: the limit signal reset wins; no window shows the percentage only; weekly limit shows the week', () => {
    expect(trayView(fixture('critical-limit'), 'darwin').title).toMatch(/^100% · \d+h\d+m$/);
    const idle = fixture('active-good');
    const noWindow: Snapshot = { ...idle, quota: { ...idle.quota, currentWindow: null, percentUsed: 0, level: 'good' } };
    expect(trayView(noWindow, 'darwin').title).toBe('0%');
    const weekly: Snapshot = {
      ...idle,
      quota: { ...idle.quota, weeklyLimitReached: true, server: { fiveHour: null, sevenDay: { usedPercent: 100, resetsAt: '2025-01-08T18:45:00.000Z' }, observedAt: idle.generatedAt } },
    };
    expect(trayView(weekly, 'darwin').title).toBe('week 100% · 2d2h');
  });

  it('the percentage drawn in the icon is clamped to 0..999 and whole', () => {
    expect(trayIcon(at('critical', 1234.4), 'linux').text).toBe('999');
    expect(trayIcon(at('fresh', -3), 'win32').text).toBe('0');
    expect(trayIcon(at('good', 49.5), 'win32').text).toBe('50');
  });

  it('picks icon sizes and menu modes per platform', () => {
    expect(PLATFORMS.map(trayIconSize)).toEqual([18, 22, 16]);
    expect(PLATFORMS.map(contextMenuMode)).toEqual(['on-right-click', 'attached', 'on-right-click']);
  });
});

describe('tray policy: the menu carries every action', () => {
  it.each(PLATFORMS)('%s', (platform) => {
    const snapshot = fixture('active-good');
    const menu = trayView(snapshot, platform).menu;
    const kinds = commands(menu).map((command) => command.kind);
    for (const kind of ['open-popover', 'carry-out-next', 'schedule-at-reset', 'copy-compact', 'save-handoff', 'export-calendar', 'set-setting', 'open-settings-file', 'quit']) {
      expect(kinds).toContain(kind);
    }
    expect(menu[0]).toEqual({ type: 'status', label: '✅ GOOD · 43% of 200,000 tokens (pro)' });
    expect(flatten(menu).filter((item) => item.type === 'action' && item.command.kind === 'carry-out-next').map((item) => (item.type === 'action' ? item.command : null))).toEqual(
      [1, 2, 3, 4, 5].map((hours) => ({ kind: 'carry-out-next', hours })),
    );
    expect(menu[menu.length - 1]).toMatchObject({ type: 'action', command: { kind: 'quit' }, enabled: true });
  });

  it('with no session, compact and handoff are disabled and say why', () => {
    const menu = flatten(trayView(fixture('active-good'), 'linux').menu);
    const compact = menu.find((item) => item.type === 'action' && item.command.kind === 'copy-compact');
    expect(compact).toMatchObject({ enabled: false, label: 'Copy /compact command (no session)' });
  });

  it('with a live session and its context: the commands name the session; the context line shows', () => {
    const snapshot = fixture('active-good');
    const context = contextWith({ sessionId: 'abc-123', level: 'danger', percent: 84.2, compaction: { command: '/compact keep' }, lastCompaction: null });
    const withContext: Snapshot = { ...snapshot, context };
    const menu = trayView(withContext, 'darwin').menu;
    expect(commands(menu)).toContainEqual({ kind: 'copy-compact', sessionId: 'abc-123' });
    expect(commands(menu)).toContainEqual({ kind: 'save-handoff', sessionId: 'abc-123' });
    expect(statusLines(withContext)).toContain('Context: 84% · 🔴 CONTEXT DANGER');
  });

  it('with a queue part: a Start item for the next ready session; none ready disables Start next', () => {
    const snapshot = fixture('active-good');
    const queue: QueueSnapshot = {
      summary: { total: 3, done: 1, ready: 1, scheduled: 1, inProgress: 0, skipped: 0, blocked: 0 },
      nextReady: { id: 's2', name: 'Implementation', status: 'ready', estimatedTokens: 60_000, estimatedHours: 2, project: '/p', scheduledTime: null },
      ready: [],
      due: [],
      nextScheduled: null,
      inProgress: [],
      entries: [],
    };
    const withQueue: Snapshot = { ...snapshot, queue };
    const menu = trayView(withQueue, 'win32').menu;
    expect(menu).toContainEqual({ type: 'action', label: 'Start "Implementation"', command: { kind: 'start-queued', id: 's2' }, enabled: true });
    expect(statusLines(withQueue)).toContain('Queue: 1/3 done · 1 ready · 1 scheduled');
    const none: Snapshot = { ...snapshot, queue: { ...queue, summary: { ...queue.summary, ready: 0 }, nextReady: null } };
    const start = trayView(none, 'win32').menu.find((item) => item.type === 'submenu' && item.label.startsWith('Start next session'));
    expect(start).toMatchObject({ label: 'Start next session (none ready)', enabled: false });
  });

  it('settings: ticks follow the settings; a tick toggles; launch at login is not offered on Linux; custom needs a limit', () => {
    const snapshot = fixture('active-good');
    const settings = { ...settingsFromSnapshot(snapshot), hyperaware: true, notifyReset: false, launchAtLogin: true };
    const mac = flatten(trayView(snapshot, 'darwin', settings).menu);
    expect(mac.find((item) => item.type === 'checkbox' && item.label.startsWith('Hyperaware'))).toMatchObject({ checked: true, command: { kind: 'set-setting', key: 'hyperaware', value: 'false' } });
    expect(mac.find((item) => item.type === 'checkbox' && item.label === 'Window reset')).toMatchObject({ checked: false, command: { kind: 'set-setting', key: 'notifyReset', value: 'true' } });
    expect(mac.find((item) => item.type === 'checkbox' && item.label === 'Launch at login')).toMatchObject({ checked: true, enabled: true });
    const linux = flatten(trayView(snapshot, 'linux', settings).menu);
    expect(linux.find((item) => item.type === 'checkbox' && item.label.startsWith('Launch at login'))).toMatchObject({ checked: false, enabled: false });
    const radios = mac.filter((item) => item.type === 'radio');
    expect(radios.map((item) => item.label)).toEqual(['free', 'pro', 'team', 'max5', 'max20', 'custom (set customLimit first)', 'auto']);
    expect(radios.filter((item) => item.type === 'radio' && item.checked).map((item) => item.label)).toEqual(['pro']);
    expect(radios.find((item) => item.label.startsWith('custom'))).toMatchObject({ enabled: false });
  });

  it('status lines: window, runway, weekly, session', () => {
    const snapshot = fixture('active-good');
    const lines = statusLines(snapshot);
    expect(lines).toContain('Resets in 2h 45m');
    expect(lines).toContain('115,000 tokens left · runway 3h 2m');
    expect(resetInstant(snapshot)).toBe('2025-01-06T19:30:00.000Z');
    expect(statusLines(fixture('critical-limit'))[1]).toMatch(/^⛔ Usage limit reached · resets in /);
  });
});
