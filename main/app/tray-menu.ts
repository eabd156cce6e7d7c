/**
 * The tray's context menu as plain data: status lines, then every action (open, start next
 * session, start a due session, schedule, copy /compact command, save handoff, export calendar,
 * snooze, settings, quit). The menu carries them all because on Linux a tray may deliver no click
 * at all (AppIndicator shows only the menu), and Linux notifications show no buttons: every
 * notification button is also an item here. Pure; the items carry AppCommands that commands.ts carries out.
 */
import { contextLevelInfo } from '../../shared/context-levels.js';
import { formatCountdown, formatPercent, formatTokens, shortId } from '../../shared/format.js';
import { visibleLine } from '../../shared/sanitize.js';
import { quotaLevelInfo } from '../../shared/levels.js';
import { PLAN_NAMES, type PlanName } from '../../shared/plans.js';
import { resetInstant, type Snapshot } from '../../shared/snapshot.js';
import { APP_NAME } from './app-info.js';
import type { AppCommand } from './commands.js';
import { SNOOZE_MINUTES } from './notification-policy.js';
import { canScheduleNext, snapshotContext } from './snapshot-parts.js';

export type TrayMenuItem =
  | { type: 'status'; label: string }
  | { type: 'separator' }
  | { type: 'action'; label: string; command: AppCommand; enabled: boolean }
  | { type: 'checkbox'; label: string; checked: boolean; command: AppCommand; enabled: boolean }
  | { type: 'radio'; label: string; checked: boolean; command: AppCommand; enabled: boolean }
  | { type: 'submenu'; label: string; items: TrayMenuItem[]; enabled: boolean };

/** The settings the menu's Settings submenu shows (ticks and radio marks). */
export interface TraySettings {
  plan: PlanName;
  /** The custom plan needs a limit first (the CLI refuses plan custom without one). */
  customLimit: number | null;
  hyperaware: boolean;
  launchAtLogin: boolean;
  notifyQuota: boolean;
  notifyContext: boolean;
  notifySessions: boolean;
  notifyReset: boolean;
  notifyQueue: boolean;
  /** The auto-start at the reset is on: its notification's Stop is offered here too (Linux has no buttons). */
  autoStartAtReset?: boolean;
}

/** Hours offered by "Start next session" (the popover has a finer picker). */
export const START_HOURS = [1, 2, 3, 4, 5] as const;

/** The disabled lines at the top of the menu: what a glance at the popover would show. */
export function statusLines(snapshot: Snapshot | null): string[] {
  if (!snapshot) return ['Reading Claude Code usage…'];
  const { quota, plan } = snapshot;
  const row = quotaLevelInfo(quota.level);
  const lines = [`${row.emoji} ${row.label} · ${formatPercent(quota.percentUsed)} of ${formatTokens(plan.limit)} tokens (${plan.name})`];
  const reset = resetInstant(snapshot);
  if (quota.limitReached) lines.push(`⛔ Usage limit reached${reset ? ` · resets in ${formatCountdown(reset, snapshot.generatedAt)}` : ''}`);
  else if (reset !== null) lines.push(`Resets in ${formatCountdown(reset, snapshot.generatedAt)}`);
  else lines.push('No window running: the full quota is available');
  if (quota.currentWindow) {
    const runway = quota.runway.minutes === null ? 'not burning' : `runway ${formatCountdown(quota.runway.minutes * 60_000, 0)}`;
    lines.push(`${formatTokens(quota.currentWindow.remaining)} tokens left · ${runway}`);
  }
  const weekly = quota.server?.sevenDay;
  if (weekly) lines.push(`Week: ${formatPercent(weekly.usedPercent)} used${quota.weeklyLimitReached ? ' (limit reached)' : ''}`);
  const session = snapshot.session;
  if (session) lines.push(`Session ${shortId(session.sessionId)}: ${formatCountdown(session.windowEnd, snapshot.generatedAt)} left in its window`);
  const context = snapshotContext(snapshot);
  if (context && context.level !== null && context.percent !== null) {
    const info = contextLevelInfo(context.level);
    lines.push(`Context: ${formatPercent(context.percent)} · ${info.emoji} ${info.label}`);
  }
  const s = snapshot.queue.summary;
  lines.push(`Queue: ${s.done}/${s.total} done · ${s.ready} ready · ${s.scheduled} scheduled`);
  return lines;
}

function settingsMenu(settings: TraySettings, platform: string): TrayMenuItem {
  const toggle = (label: string, key: keyof TraySettings, checked: boolean, enabled = true): TrayMenuItem => ({
    type: 'checkbox',
    label,
    checked,
    enabled,
    command: { kind: 'set-setting', key, value: checked ? 'false' : 'true' },
  });
  const loginSupported = platform === 'darwin' || platform === 'win32';
  return {
    type: 'submenu',
    label: 'Settings',
    enabled: true,
    items: [
      {
        type: 'submenu',
        label: `Plan: ${settings.plan}`,
        enabled: true,
        items: PLAN_NAMES.map((name) => {
          const blocked = name === 'custom' && settings.customLimit === null;
          return {
            type: 'radio',
            label: blocked ? 'custom (set customLimit first)' : name,
            checked: name === settings.plan,
            enabled: !blocked,
            command: { kind: 'set-setting', key: 'plan', value: name },
          };
        }),
      },
      toggle('Hyperaware mode (10/25/50/75/90/95%)', 'hyperaware', settings.hyperaware),
      {
        type: 'submenu',
        label: 'Notifications',
        enabled: true,
        items: [
          toggle('Quota thresholds', 'notifyQuota', settings.notifyQuota),
          toggle('Context levels', 'notifyContext', settings.notifyContext),
          toggle('Session window warnings', 'notifySessions', settings.notifySessions),
          toggle('Window reset', 'notifyReset', settings.notifyReset),
          toggle('Scheduled session due', 'notifyQueue', settings.notifyQueue),
        ],
      },
      toggle(loginSupported ? 'Launch at login' : 'Launch at login (not on Linux)', 'launchAtLogin', settings.launchAtLogin && loginSupported, loginSupported),
      { type: 'separator' },
      { type: 'action', label: 'Open settings file', command: { kind: 'open-settings-file' }, enabled: true },
    ],
  };
}

/** Settings as far as the Snapshot tells them, for callers that have nothing better. */
export function settingsFromSnapshot(snapshot: Snapshot | null): TraySettings {
  return {
    plan: snapshot?.plan.name ?? 'pro',
    customLimit: snapshot?.plan.limitSource === 'custom' ? snapshot.plan.limit : null,
    hyperaware: snapshot?.quota.hyperaware ?? false,
    launchAtLogin: false,
    notifyQuota: true,
    notifyContext: true,
    notifySessions: true,
    notifyReset: true,
    notifyQueue: true,
  };
}

export function trayMenu(snapshot: Snapshot | null, platform: string, settings: TraySettings): TrayMenuItem[] {
  const hasSession = snapshot !== null && (snapshot.session !== null || snapshotContext(snapshot) !== null);
  const sessionId = snapshot?.session?.sessionId ?? (snapshot ? snapshotContext(snapshot)?.sessionId : undefined);
  const sessionCommand = sessionId === undefined ? {} : { sessionId };
  // Before the first Snapshot nothing says the queue is empty: Start stays offered.
  const canStart = snapshot === null || canScheduleNext(snapshot);
  const reset = snapshot ? resetInstant(snapshot) : null;

  const items: TrayMenuItem[] = statusLines(snapshot).map((label) => ({ type: 'status', label }));
  items.push({ type: 'separator' });
  items.push({ type: 'action', label: `Open ${APP_NAME}`, command: { kind: 'open-popover' }, enabled: true });
  items.push({
    type: 'submenu',
    label: canStart ? 'Start next session' : 'Start next session (none ready)',
    enabled: snapshot !== null && canStart,
    items: START_HOURS.map((hours) => ({ type: 'action', label: `I have ${hours} hour${hours === 1 ? '' : 's'}`, command: { kind: 'carry-out-next', hours }, enabled: true })),
  });
  const queue = snapshot?.queue ?? null;
  if (queue?.nextReady) {
    items.push({ type: 'action', label: `Start "${visibleLine(queue.nextReady.name)}"`, command: { kind: 'start-queued', id: queue.nextReady.id }, enabled: true });
  }
  // Each session that came due has a notification with a Start button; Linux shows no buttons, so
  // each is one click away here too.
  for (const item of queue?.due ?? []) {
    if (item.id === queue?.nextReady?.id) continue;
    items.push({ type: 'action', label: `Start "${visibleLine(item.name)}" (due)`, command: { kind: 'start-queued', id: item.id }, enabled: true });
  }
  items.push({
    type: 'action',
    label: reset && snapshot ? `Schedule next session for the reset (in ${formatCountdown(reset, snapshot.generatedAt)})` : 'Schedule next session for the reset',
    command: { kind: 'schedule-at-reset' },
    enabled: snapshot !== null && canStart,
  });
  items.push({ type: 'action', label: hasSession ? 'Copy /compact command' : 'Copy /compact command (no session)', command: { kind: 'copy-compact', ...sessionCommand }, enabled: hasSession });
  items.push({ type: 'action', label: hasSession ? 'Save handoff' : 'Save handoff (no session)', command: { kind: 'save-handoff', ...sessionCommand }, enabled: hasSession });
  items.push({ type: 'action', label: 'Export calendar', command: { kind: 'export-calendar' }, enabled: snapshot !== null });
  items.push({ type: 'separator' });
  // The notifications' Snooze button, for Linux where notifications have none.
  items.push({ type: 'action', label: `Snooze notifications (${formatCountdown(SNOOZE_MINUTES * 60_000, 0)})`, command: { kind: 'snooze', minutes: SNOOZE_MINUTES }, enabled: true });
  // The auto-start notification's Stop button, for Linux where notifications have none.
  if (settings.autoStartAtReset === true) items.push({ type: 'action', label: 'Stop auto-start at the reset for a day', command: { kind: 'pause-auto-start' }, enabled: true });
  items.push(settingsMenu(settings, platform));
  items.push({ type: 'action', label: `Quit ${APP_NAME}`, command: { kind: 'quit' }, enabled: true });
  return items;
}
