/**
 * Which native notifications a new Snapshot calls for: quota thresholds (standard or hyperaware),
 * context levels, the approach of Claude Code's auto-compaction, session-window warnings (1 h, 30 min, 5 min), the window's reset, and scheduled
 * sessions coming due. Each has a key naming the thing it is about (`quota:<windowStart>:80`,
 * `context:<session>:<since>:danger`, ...) and is shown once: never again for the same key,
 * whatever the figures do afterwards. Buttons only where Electron can show them (macOS, Windows);
 * a click opens the popover everywhere. Pure: (previous Snapshot, Snapshot, settings, keys sent).
 * The ones tied to an instant (warnings, the reset, a session coming due) go through the shared
 * due rule (core/due-check.ts): what came due while the machine slept or the clock jumped is
 * summed up in one "missed" notification instead of replayed as a burst.
 * Paths and names in the texts come from transcripts and the queue: made safe (shared/sanitize.ts)
 * before a notification server or a banner shows them.
 */
import { CONTEXT_LEVELS, contextLevelInfo, type ContextLevel } from '../../shared/context-levels.js';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import { formatCountdown, formatLocalTime, formatPercent, formatTokens, shortId } from '../../shared/format.js';
import { SESSION_WARNINGS, type SessionInfo, type SessionWarningId } from '../../shared/sessions.js';
import { WINDOW_MS } from '../../shared/plans.js';
import { visibleLine } from '../../shared/sanitize.js';
import { resetInstant, type Snapshot } from '../../shared/snapshot.js';
import { checkDue } from '../core/due-check.js';
import type { AutoStartReport } from '../core/planner/auto-start-follow.js';
import { crossedThresholds, type ThresholdProbe } from '../core/quota.js';
import { crossedSessionWarnings } from '../core/sources/sessions.js';
import type { AppCommand } from './commands.js';
import { canScheduleNext } from './snapshot-parts.js';

export type NotificationKind = 'quota' | 'context' | 'session' | 'reset' | 'queue' | 'missed' | 'auto-start';
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
  /**
   * When the previous check ran (epoch ms; kept across restarts), null if never: what came due
   * after it and is late now was missed (asleep, a clock jump, the app closed).
   */
  lastCheck?: number | null;
  /** Why there was a gap, for the missed summary's wording (null: unknown, e.g. a clock change). */
  gap?: 'asleep' | 'closed' | null;
  /** IANA zone for the times in the missed summary; the runtime's own when omitted (tests pass one). */
  timeZone?: string;
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
const SCHEDULE: NotificationButton = { label: 'Schedule next session', command: { kind: 'schedule-at-reset' } };
const SNOOZE: NotificationButton = { label: 'Snooze', command: { kind: 'snooze', minutes: SNOOZE_MINUTES } };

/** Schedule and Snooze, or Snooze alone when nothing is ready to schedule (the tray's item is disabled then too). */
function scheduleOrSnooze(snapshot: Snapshot): NotificationButton[] {
  return canScheduleNext(snapshot) ? [SCHEDULE, SNOOZE] : [SNOOZE];
}
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

/** A draft tied to an instant: shown if on time, else summed up as missed (`missed` is its phrase). */
interface TimedDraft extends Draft {
  at: number;
  /** Drafts of one group supersede each other (a session's 1 h, 30 min, 5 min). */
  group: string;
  enabled: (settings: NotificationToggles) => boolean;
  missed: (time: string) => string;
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
      actions: row.percent >= 75 ? scheduleOrSnooze(next) : [SNOOZE],
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

/** Warn before Claude Code compacts by itself once this close: a share of the session's window. */
export const AUTO_COMPACT_WARNING_SHARE = 0.1;

/**
 * Once per session and per compaction era: the context is within AUTO_COMPACT_WARNING_SHARE of
 * the window from Claude Code's auto-compact point. An auto-compaction summarises on its own
 * terms, so the action offered is a handoff saved while the whole context is still there.
 */
function autoCompactDrafts(input: NotificationPolicyInput): Draft[] {
  // The Snapshot carries the current session's context.
  const context = input.next.context;
  if (context === null) return [];
  const left = context.autoCompact.tokensLeft;
  if (left === null || left >= context.windowSize * AUTO_COMPACT_WARNING_SHARE) return [];
  const key = `autocompact:${context.sessionId}:${contextEra(context)}`;
  if (input.sent.has(key)) return [];
  const handoff: NotificationButton = { label: 'Save handoff', command: { kind: 'save-handoff', sessionId: context.sessionId } };
  return [
    {
      key,
      kind: 'context',
      title: left > 0 ? `Auto-compact in ${formatTokens(left)} tokens` : 'Auto-compact due now',
      body: `Session ${shortId(context.sessionId)}${context.cwd ? ` in ${visibleLine(context.cwd)}` : ''}: Claude Code compacts by itself at ${formatTokens(context.autoCompact.at)} tokens. Save a handoff first.`,
      urgency: 'critical',
      actions: [handoff, SNOOZE],
    },
  ];
}

function sessionDrafts(input: NotificationPolicyInput): TimedDraft[] {
  const crossed = crossedSessionWarnings(input.previous ? input.previous.sessions : null, input.next.sessions);
  const drafts: TimedDraft[] = [];
  for (const { sessionId, warning } of crossed) {
    const session = input.next.sessions.find((candidate) => candidate.sessionId === sessionId);
    const row = SESSION_WARNINGS.find((candidate) => candidate.id === warning);
    if (!session || !row) continue;
    const left = row.minutes >= 60 ? `${row.minutes / 60} hour` : `${row.minutes} minutes`;
    drafts.push({
      ...sessionDraft(session, row.id, row.title, input.next),
      // The Snapshot says the mark has passed: never later than the Snapshot's own instant.
      at: Math.min(Date.parse(session.windowEnd) - row.minutes * 60_000, Date.parse(input.next.generatedAt)),
      group: `session:${session.sessionId}:${session.startedAt}`,
      enabled: (settings) => settings.notifySessions,
      missed: (time) => `session ${shortId(session.sessionId)} had ${left} left at ${time}`,
    });
  }
  return drafts;
}

function sessionDraft(session: SessionInfo, warning: SessionWarningId, title: string, next: Snapshot): Draft {
  const where = session.cwd ? ` in ${visibleLine(session.cwd)}` : '';
  return {
    key: `session:${session.sessionId}:${session.startedAt}:${warning}`,
    kind: 'session',
    title,
    body: `Session ${shortId(session.sessionId)}${where} ends in ${formatCountdown(session.windowEnd, next.generatedAt)}.`,
    urgency: warning === '5m' ? 'critical' : 'normal',
    actions: scheduleOrSnooze(next),
  };
}

function resetDrafts(input: NotificationPolicyInput): TimedDraft[] {
  const { previous, next } = input;
  if (!previous) return [];
  const before = windowStartOf(previous);
  const reset = resetInstant(previous);
  if (before === null || reset === null) return [];
  // The reset instant has passed and the Snapshot no longer shows that window (a settings change
  // that moves the window's start is not a reset: its instant has not passed).
  const started = windowStartOf(next);
  if (started === before) return [];
  const key = `reset:${before}`;
  const ready = next.queue.nextReady;
  return [
    {
      key,
      kind: 'reset',
      title: 'Quota window reset',
      body: `The full quota is available again (${formatTokens(next.plan.limit)} tokens).${ready ? ` Next in the queue: ${visibleLine(ready.name)}.` : ''}`,
      urgency: 'normal',
      actions: ready ? [{ label: 'Start session', command: { kind: 'start-queued', id: ready.id } }] : [],
      at: Date.parse(reset),
      group: key,
      enabled: (settings) => settings.notifyReset,
      missed: (time) => `the 5-hour window reset at ${time}`,
    },
  ];
}

function queueDrafts(input: NotificationPolicyInput): TimedDraft[] {
  const now = Date.parse(input.next.generatedAt);
  return input.next.queue.due.map(
    (item): TimedDraft => ({
      key: `due:${item.id}:${item.scheduledTime ?? ''}`,
      kind: 'queue',
      title: `Scheduled session due: ${visibleLine(item.name)}`,
      body: `${Math.round(item.estimatedHours * 100) / 100}h · ${formatTokens(item.estimatedTokens)} tokens · ${visibleLine(item.project)}`,
      urgency: 'normal',
      actions: [{ label: 'Start session', command: { kind: 'start-queued', id: item.id } }, SNOOZE],
      at: item.scheduledTime === null ? now : Date.parse(item.scheduledTime),
      group: `due:${item.id}`,
      enabled: (settings) => settings.notifyQueue,
      missed: (time) => `session '${visibleLine(item.name)}' was due at ${time}`,
    }),
  );
}

/**
 * The timed drafts through the due rule, then per group only the latest: one on time shows (the
 * group's missed and earlier ones are passed over); else the latest missed joins the summary.
 */
function timedDrafts(input: NotificationPolicyInput, drafts: TimedDraft[]): { fire: TimedDraft[]; missed: TimedDraft[]; superseded: string[] } {
  const { fire, missed } = checkDue({ lastCheck: input.lastCheck ?? null, now: Date.parse(input.next.generatedAt), due: drafts, sent: input.sent });
  const latest = new Map<string, TimedDraft>();
  const fireGroups = new Set(fire.map((draft) => draft.group));
  for (const draft of [...missed.filter((draft) => !fireGroups.has(draft.group)), ...fire]) {
    const kept = latest.get(draft.group);
    if (!kept || draft.at >= kept.at) latest.set(draft.group, draft);
  }
  const chosen = new Set(latest.values());
  return {
    fire: fire.filter((draft) => chosen.has(draft)),
    missed: missed.filter((draft) => chosen.has(draft)),
    superseded: [...fire, ...missed].filter((draft) => !chosen.has(draft)).map((draft) => draft.key),
  };
}

/** What came due unseen, in one notification: "While asleep: the 5-hour window reset at 2:00 PM; ...". */
function missedSummary(input: NotificationPolicyInput, missed: TimedDraft[]): Draft | null {
  if (missed.length === 0) return null;
  const time = (at: number): string => formatLocalTime(at, input.timeZone === undefined ? {} : { timeZone: input.timeZone });
  const since =
    input.gap === 'asleep' ? 'While asleep' : input.gap === 'closed' ? 'While the app was closed' : `Since ${time(input.lastCheck ?? Date.parse(input.next.generatedAt))}`;
  const items = [...missed].sort((a, b) => a.at - b.at).map((draft) => draft.missed(time(draft.at)));
  return {
    key: `missed:${input.next.generatedAt}`,
    kind: 'missed',
    title: missed.length === 1 ? 'Missed notification' : `${missed.length} missed notifications`,
    body: `${since}: ${items.join('; ')}.`,
    urgency: 'normal',
    actions: [],
  };
}

const STOP_AUTO_START: NotificationButton = { label: 'Stop auto-start', command: { kind: 'pause-auto-start' } };
const OPEN_BUTTON: NotificationButton = { label: 'Open', command: OPEN };

/**
 * The notifications for what the auto-start at the reset did (core/planner/auto-start-follow.ts):
 * a start (with Stop and Open), a failed start, the slots passed over. Shown whatever the toggles
 * and a snooze say: something ran, or was meant to run, while nobody watched. Exactly once comes
 * from the auto-start's own record, so the keys are only names. Linux shows no buttons: both are
 * in the tray menu too.
 */
export function autoStartNotifications(report: Pick<AutoStartReport, 'started' | 'texts'>, platform: string, now: number): PlannedNotification[] {
  const withActions = supportsActions(platform);
  return report.texts.map((text, index) => {
    const isStart = index === 0 && report.started?.result.action === 'started';
    return {
      key: `auto-start:${now}:${index}`,
      kind: 'auto-start',
      title: text.title,
      body: text.body,
      urgency: isStart ? 'normal' : 'low',
      actions: withActions ? (isStart ? [STOP_AUTO_START, OPEN_BUTTON] : [OPEN_BUTTON]) : [],
      click: OPEN,
    };
  });
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
      const { key, kind, title, body, urgency } = draft;
      show.push({ key, kind, title, body, urgency, actions: withActions ? draft.actions : [], click: OPEN });
    }
  };

  const quota = quotaDrafts(input);
  skip.push(...quota.superseded);
  consider(settings.notifyQuota, quota.shown);
  const context = contextDrafts(input);
  skip.push(...context.superseded);
  consider(settings.notifyContext, context.shown);
  consider(settings.notifyContext, autoCompactDrafts(input));
  const timed = timedDrafts(input, [...sessionDrafts(input), ...resetDrafts(input), ...queueDrafts(input)]);
  skip.push(...timed.superseded);
  for (const draft of timed.fire) consider(draft.enabled(settings), [draft]);
  // Missed ones are reported once, in the summary, and recorded as sent like any shown key.
  const reported = timed.missed.filter((draft) => draft.enabled(settings));
  skip.push(...timed.missed.map((draft) => draft.key));
  const summary = missedSummary(input, reported);
  if (summary) consider(true, [summary]);
  return { show, skip: [...new Set(skip)].filter((key) => !input.sent.has(key)) };
}
