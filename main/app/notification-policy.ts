/**
 * Which native notifications a new Snapshot calls for: quota thresholds (standard or hyperaware),
 * context levels, session-window warnings (1 h, 30 min, 5 min), the window's reset, and scheduled
 * sessions coming due. Each has a key naming the thing it is about (`quota:<windowStart>:80`,
 * `context:<session>:<since>:danger`, ...) and is shown once: never again for the same key,
 * whatever the figures do afterwards. Buttons only where Electron can show them (macOS, Windows);
 * a click opens the popover everywhere. Pure: (previous Snapshot, Snapshot, settings, keys sent).
 * Paths and names in the texts come from transcripts and the queue: made safe (shared/sanitize.ts)
 * before a notification server or a banner shows them.
 */
import { CONTEXT_LEVELS, contextLevelInfo, type ContextLevel } from '../../shared/context-levels.js';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import { formatCountdown, formatPercent, formatTokens, shortId } from '../../shared/format.js';
import { SESSION_WARNINGS, type SessionInfo, type SessionWarningId } from '../../shared/sessions.js';
import { WINDOW_MS } from '../../shared/plans.js';
import { visibleLine } from '../../shared/sanitize.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { crossedThresholds, type ThresholdProbe } from '../core/quota.js';
import { crossedSessionWarnings } from '../core/sessions.js';
import type { AppCommand } from './commands.js';
import { resetInstant } from './snapshot-parts.js';

export type NotificationKind = 'quota' | 'context' | 'session' | 'reset' | 'queue';
export type Urgency = 'low' | 'normal' | 'critical';

export interface NotificationButton {
  label: string;
  command: AppCommand;
}

export interface PlannedNotification {
  /** Once-key: a notification with a key already sent is never shown again. */
  key: string;
  kind: NotificationKind;
  title: string;
  body: string;
  urgency: Urgency;
  /** Empty where the OS shows no buttons (Linux). */
  actions: NotificationButton[];
  /** What clicking the notification does. */
  click: AppCommand;
}

export interface NotificationToggles {
  notifyQuota: boolean;
  notifyContext: boolean;
  notifySessions: boolean;
  notifyReset: boolean;
  notifyQueue: boolean;
}

export interface NotificationPolicyInput {
  /** The Snapshot before this one; null for the first one the app sees. */
  previous: Snapshot | null;
  next: Snapshot;
  settings: NotificationToggles;
  /** Keys already shown (or deliberately skipped). */
  sent: { has(key: string): boolean };
  platform: string;
  /** While snoozed (epoch ms), only critical notifications show. */
  snoozedUntil?: number | null;
}

export interface NotificationPlan {
  show: PlannedNotification[];
  /**
   * Keys passed over without showing (a setting is off, snoozed, or superseded by a higher
   * threshold crossed at the same time): recorded as sent so they never show later.
   */
  skip: string[];
}

export const SNOOZE_MINUTES = 60;

/** Electron shows notification buttons on macOS and Windows only. */
export function supportsActions(platform: string): boolean {
  return platform === 'darwin' || platform === 'win32';
}

const OPEN: AppCommand = { kind: 'open-popover' };
const SCHEDULE: NotificationButton = { label: 'Schedule next session', command: { kind: 'schedule-next' } };
const SNOOZE: NotificationButton = { label: 'Snooze', command: { kind: 'snooze', minutes: SNOOZE_MINUTES } };
const CONTEXT_NOTIFIED: readonly ContextLevel[] = ['warning', 'danger', 'critical'];

/** The instant the current window started: the local window's start, else the server's reset minus 5 hours. */
export function windowStartOf(snapshot: Snapshot): string | null {
  const window = snapshot.quota.currentWindow;
  if (window) return window.startTime;
  const resetsAt = snapshot.quota.server?.fiveHour?.resetsAt;
  const ms = resetsAt ? Date.parse(resetsAt) : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms - WINDOW_MS).toISOString() : null;
}

function probe(snapshot: Snapshot): ThresholdProbe {
  return { windowStart: windowStartOf(snapshot), percentUsed: snapshot.quota.percentUsed };
}

interface Draft {
  key: string;
  kind: NotificationKind;
  title: string;
  body: string;
  urgency: Urgency;
  actions: NotificationButton[];
}

/** Several crossed at once: show the last (the most urgent), skip the rest. */
function newest(drafts: Draft[]): { shown: Draft[]; superseded: string[] } {
  const last = drafts[drafts.length - 1];
  return last ? { shown: [last], superseded: drafts.slice(0, -1).map((draft) => draft.key) } : { shown: [], superseded: [] };
}

function quotaDrafts(input: NotificationPolicyInput): { shown: Draft[]; superseded: string[] } {
  const { next, previous } = input;
  const windowStart = windowStartOf(next);
  if (windowStart === null) return { shown: [], superseded: [] };
  const reset = resetInstant(next);
  const crossed = crossedThresholds(previous ? probe(previous) : null, probe(next), next.quota.hyperaware);
  const drafts = crossed.map((row): Draft => {
    const resetText = reset ? ` Resets in ${formatCountdown(reset, next.generatedAt)}.` : '';
    return {
      key: `quota:${windowStart}:${row.percent}`,
      kind: 'quota',
      title: `${row.title}: ${formatPercent(next.quota.percentUsed)} of the quota used`,
      body: `${row.message}${resetText}`,
      urgency: row.percent >= 90 ? 'critical' : row.percent >= 75 ? 'normal' : 'low',
      actions: row.percent >= 75 ? [SCHEDULE, SNOOZE] : [SNOOZE],
    };
  });
  return newest(drafts.filter((draft) => !input.sent.has(draft.key)));
}

function contextEra(context: ContextSnapshot): string {
  // A compaction starts the context afresh: its levels may be reached again and are news again.
  return context.lastCompaction?.at ?? 'start';
}

function severity(level: ContextLevel | null): number {
  return level === null ? -1 : CONTEXT_LEVELS.indexOf(level);
}

function contextDrafts(input: NotificationPolicyInput): { shown: Draft[]; superseded: string[] } {
  const none = { shown: [], superseded: [] };
  const context = input.next.context;
  if (!context || context.level === null || !CONTEXT_NOTIFIED.includes(context.level)) return none;
  const previous = input.previous?.context ?? null;
  // Only the same session since the same compaction has a level to compare with.
  const previousLevel = previous && previous.sessionId === context.sessionId && contextEra(previous) === contextEra(context) ? previous.level : null;
  if (severity(context.level) <= severity(previousLevel)) return none;
  const prefix = `context:${context.sessionId}:${contextEra(context)}`;
  const key = `${prefix}:${context.level}`;
  // Lower bands jumped over at the same time are passed, never shown late.
  const superseded = CONTEXT_NOTIFIED.filter((lower) => severity(lower) < severity(context.level) && severity(lower) > severity(previousLevel)).map((lower) => `${prefix}:${lower}`);
  if (input.sent.has(key)) return { shown: [], superseded };
  const info = contextLevelInfo(context.level);
  const percent = context.percent === null ? '' : ` (${formatPercent(context.percent)})`;
  const copy: NotificationButton = { label: 'Copy /compact command', command: { kind: 'copy-compact', sessionId: context.sessionId } };
  const shown: Draft[] = [
    {
      key,
      kind: 'context',
      title: `${info.emoji} ${info.label}${percent}`,
      body: `Session ${shortId(context.sessionId)}${context.cwd ? ` in ${visibleLine(context.cwd)}` : ''}: ${info.action}`,
      urgency: context.level === 'warning' ? 'normal' : 'critical',
      actions: context.level === 'warning' ? [SNOOZE] : [copy, SNOOZE],
    },
  ];
  return { shown, superseded };
}

function sessionDrafts(input: NotificationPolicyInput): { shown: Draft[]; superseded: string[] } {
  const crossed = crossedSessionWarnings(input.previous ? input.previous.sessions : null, input.next.sessions);
  const bySession = new Map<string, SessionWarningId[]>();
  for (const { sessionId, warning } of crossed) bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), warning]);
  const shown: Draft[] = [];
  const superseded: string[] = [];
  for (const session of input.next.sessions) {
    const warnings = bySession.get(session.sessionId);
    if (!warnings) continue;
    // SESSION_WARNINGS runs 1h, 30m, 5m: the last crossed is the most urgent.
    const ordered = SESSION_WARNINGS.filter((row) => warnings.includes(row.id));
    const drafts = ordered.map((row): Draft => sessionDraft(session, row.id, row.title, input.next));
    const result = newest(drafts.filter((draft) => !input.sent.has(draft.key)));
    shown.push(...result.shown);
    superseded.push(...result.superseded);
  }
  return { shown, superseded };
}

function sessionDraft(session: SessionInfo, warning: SessionWarningId, title: string, next: Snapshot): Draft {
  const where = session.cwd ? ` in ${visibleLine(session.cwd)}` : '';
  return {
    key: `session:${session.sessionId}:${session.startedAt}:${warning}`,
    kind: 'session',
    title,
    body: `Session ${shortId(session.sessionId)}${where} ends in ${formatCountdown(session.windowEnd, next.generatedAt)}.`,
    urgency: warning === '5m' ? 'critical' : 'normal',
    actions: [SCHEDULE, SNOOZE],
  };
}

function resetDrafts(input: NotificationPolicyInput): Draft[] {
  const { previous, next } = input;
  if (!previous) return [];
  const before = windowStartOf(previous);
  const reset = resetInstant(previous);
  if (before === null || reset === null) return [];
  // The reset instant has passed and the Snapshot no longer shows that window (a settings change
  // that moves the window's start is not a reset: its instant has not passed).
  const started = windowStartOf(next);
  if (Date.parse(next.generatedAt) < Date.parse(reset) || started === before) return [];
  const key = `reset:${before}`;
  if (input.sent.has(key)) return [];
  const ready = next.queue.nextReady;
  return [
    {
      key,
      kind: 'reset',
      title: 'Quota window reset',
      body: `The full quota is available again (${formatTokens(next.plan.limit)} tokens).${ready ? ` Next in the queue: ${visibleLine(ready.name)}.` : ''}`,
      urgency: 'normal',
      actions: ready ? [{ label: 'Start session', command: { kind: 'start-queued', id: ready.id } }] : [],
    },
  ];
}

function queueDrafts(input: NotificationPolicyInput): Draft[] {
  return input.next.queue.due
    .map((item): Draft => ({
      key: `due:${item.id}:${item.scheduledTime ?? ''}`,
      kind: 'queue',
      title: `Scheduled session due: ${visibleLine(item.name)}`,
      body: `${Math.round(item.estimatedHours * 100) / 100}h · ${formatTokens(item.estimatedTokens)} tokens · ${visibleLine(item.project)}`,
      urgency: 'normal',
      actions: [{ label: 'Start session', command: { kind: 'start-queued', id: item.id } }, SNOOZE],
    }))
    .filter((draft) => !input.sent.has(draft.key));
}

/** The notifications to show for `next`, and the keys to record as passed over. */
export function planNotifications(input: NotificationPolicyInput): NotificationPlan {
  const { settings } = input;
  const now = Date.parse(input.next.generatedAt);
  const snoozed = input.snoozedUntil !== undefined && input.snoozedUntil !== null && now < input.snoozedUntil;
  const withActions = supportsActions(input.platform);
  const show: PlannedNotification[] = [];
  const skip: string[] = [];

  const consider = (enabled: boolean, drafts: Draft[]): void => {
    for (const draft of drafts) {
      if (!enabled || (snoozed && draft.urgency !== 'critical')) {
        skip.push(draft.key);
        continue;
      }
      show.push({ ...draft, actions: withActions ? draft.actions : [], click: OPEN });
    }
  };

  const quota = quotaDrafts(input);
  skip.push(...quota.superseded);
  consider(settings.notifyQuota, quota.shown);
  const context = contextDrafts(input);
  skip.push(...context.superseded);
  consider(settings.notifyContext, context.shown);
  const sessions = sessionDrafts(input);
  skip.push(...sessions.superseded);
  consider(settings.notifySessions, sessions.shown);
  consider(settings.notifyReset, resetDrafts(input));
  consider(settings.notifyQueue, queueDrafts(input));
  return { show, skip: [...new Set(skip)].filter((key) => !input.sent.has(key)) };
}
