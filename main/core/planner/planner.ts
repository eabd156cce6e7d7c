/**
 * The spec's Smart Session Planner ("Scheduling Logic"): does the next ready session fit the
 * remaining quota and the hours the user has? If not, the smaller ready sessions that fit; if
 * none, schedule it for the quota reset. Every decision says why. Pure: the queue, the quota
 * figures and the clock are parameters, so any situation can be replayed at any instant.
 */
import { formatTokens, hoursText } from '../../../shared/format.js';
import type { QuotaLevel } from '../../../shared/levels.js';
import { WINDOW_MS } from '../../../shared/plans.js';
import { readySessions, sessionIndex, unmetDependencies, type QueuedSession, type SessionQueue } from '../../../shared/queue-snapshot.js';
import type { Snapshot } from '../../../shared/snapshot.js';
import { isRecord } from '../store.js';

/** The quota as the planner needs it, taken from a Snapshot by {@link quotaFromSnapshot}. */
export interface QuotaFigures {
  limit: number;
  used: number;
  /** Tokens the user can still spend in this window (0 when a limit was hit). */
  remaining: number;
  percentUsed: number;
  level: QuotaLevel;
  /** When the 5-hour window resets; null when no window is running (a new one starts at the first token). */
  resetTime: string | null;
  resetSource: 'server' | 'limit-signal' | 'window' | null;
  /**
   * The server's weekly window, when the status line reported it. `runsOutAt`: when the week runs
   * out at this pace (the Snapshot's `quota.forecast`); null or absent when it does not before its reset.
   */
  weekly: { usedPercent: number; resetsAt: string | null; exhausted: boolean; runsOutAt?: string | null } | null;
}

interface ServerWindowLike {
  usedPercent: number;
  resetsAt: string | null;
}

/** `resetsAt` as ISO text, whether it came as ISO text or as epoch seconds. */
function instant(value: unknown): string | null {
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return new Date(value < 1e12 ? value * 1000 : value).toISOString();
  return null;
}

function serverWindow(value: unknown): ServerWindowLike | null {
  if (!isRecord(value) || typeof value.usedPercent !== 'number' || !Number.isFinite(value.usedPercent)) return null;
  return { usedPercent: value.usedPercent, resetsAt: instant(value.resetsAt) };
}

/**
 * Quota figures from a Snapshot. The server's word wins where the Snapshot carries it
 * (`quota.server.fiveHour/sevenDay`, read optionally: older Snapshots lack it), then the
 * usage-limit line Claude Code wrote, then the local window estimate.
 */
export function quotaFromSnapshot(snapshot: Snapshot): QuotaFigures {
  const now = Date.parse(snapshot.generatedAt);
  const quota = snapshot.quota;
  const window = quota.currentWindow;
  const limit = snapshot.plan.limit;
  let remaining = window ? window.remaining : limit;
  let resetTime: string | null = window ? window.resetTime : null;
  let resetSource: QuotaFigures['resetSource'] = window ? 'window' : null;

  const limitReset = instant(quota.limitReached?.resetsAt ?? null);
  if (quota.limitReached && (limitReset === null || Date.parse(limitReset) > now)) {
    remaining = 0;
    if (limitReset !== null) {
      resetTime = limitReset;
      resetSource = 'limit-signal';
    }
  }

  // Read structurally: Snapshots written before the server fields existed lack them.
  const loose = quota as unknown as Record<string, unknown>;
  const server: unknown = loose.server;
  const fiveHour = isRecord(server) ? serverWindow(server.fiveHour) : null;
  const sevenDay = isRecord(server) ? serverWindow(server.sevenDay) : null;
  if (fiveHour && fiveHour.resetsAt !== null && Date.parse(fiveHour.resetsAt) > now) {
    resetTime = fiveHour.resetsAt;
    resetSource = 'server';
    if (fiveHour.usedPercent >= 100) remaining = 0;
  }
  let weekly: QuotaFigures['weekly'] = null;
  if (sevenDay) {
    const current = sevenDay.resetsAt === null || Date.parse(sevenDay.resetsAt) > now;
    const forecast: unknown = loose.forecast;
    const runsOutAt = isRecord(forecast) && isRecord(forecast.sevenDay) ? instant(forecast.sevenDay.runsOutAt) : null;
    weekly = { usedPercent: sevenDay.usedPercent, resetsAt: sevenDay.resetsAt, exhausted: current && sevenDay.usedPercent >= 100, runsOutAt };
  }
  if (loose.weeklyLimitReached === true) {
    // Without the status line's weekly figure, the API-error line's weekly reset is the one to wait for.
    const weeklySignal = quota.limitReached?.rateLimitType === 'seven_day' ? limitReset : null;
    weekly = { usedPercent: Math.max(100, weekly?.usedPercent ?? 100), resetsAt: weekly?.resetsAt ?? weeklySignal, exhausted: true };
  }
  return {
    limit,
    used: window ? window.tokensUsed : 0,
    remaining: Math.max(0, remaining),
    percentUsed: quota.percentUsed,
    level: quota.level,
    resetTime,
    resetSource,
    weekly,
  };
}

export type DecisionKind = 'start' | 'smaller' | 'schedule' | 'none';

export interface PlanRequest {
  queue: SessionQueue;
  now: number;
  /** Hours the user can work; null when they did not say (no time limit is applied). */
  hours: number | null;
  quota: QuotaFigures;
  /** The spec's "Auto-schedule all future sessions" at CRITICAL (a setting, on by default). */
  autoScheduleAtCritical: boolean;
}

export interface SessionChoice {
  session: QueuedSession;
  reason: string;
}

export interface ScheduledSlot {
  id: string;
  at: string;
}

export interface PlanDecision {
  decision: DecisionKind;
  /** One or two sentences for the user. */
  reason: string;
  /** start: the session to start; smaller/schedule: the session that was first in line. */
  session: QueuedSession | null;
  /** smaller: the ready sessions that fit, in queue order. */
  options: SessionChoice[];
  /** schedule: when `session` should run (the quota reset). */
  scheduledFor: string | null;
  /** schedule: the scheduled times carrying the decision out would set (at CRITICAL: every ready session, back to back). */
  slots: ScheduledSlot[];
  /** 'critical': the spec's auto-schedule, carried out without asking (the user is told). */
  automatic: 'critical' | null;
  /** Scheduled sessions whose time has come (they are among the candidates). */
  due: string[];
  hours: number | null;
  quota: QuotaFigures;
}

const tokens = (n: number): string => formatTokens(n);

interface Fit {
  ok: boolean;
  tokensOk: boolean;
  hoursOk: boolean;
  /** It ends before the week runs out at this pace. */
  weekOk: boolean;
}

/** What a session must fit in: the tokens left in this window, the user's hours, and the week at this pace. */
interface Room {
  remaining: number;
  hours: number | null;
  now: number;
  /** When the week runs out at this pace (the forecast); null when it does not before its reset. */
  weekRunsOutAt: string | null;
}

function fit(session: QueuedSession, room: Room): Fit {
  const tokensOk = session.estimatedTokens <= room.remaining;
  const hoursOk = room.hours === null || session.estimatedHours <= room.hours + 1e-9;
  // A session that fits the 5-hour window but would still run when the week runs out does not fit.
  const weekOk = room.weekRunsOutAt === null || room.now + session.estimatedHours * 3_600_000 <= Date.parse(room.weekRunsOutAt);
  return { ok: tokensOk && hoursOk && weekOk, tokensOk, hoursOk, weekOk };
}

/** Why `session` does not fit, in the spec's words: "needs 65,000, have 18,000". */
function misfit(session: QueuedSession, f: Fit, room: Room): string {
  const parts: string[] = [];
  if (!f.tokensOk) parts.push(`needs ${tokens(session.estimatedTokens)} tokens, have ${tokens(room.remaining)}`);
  if (!f.hoursOk && room.hours !== null) parts.push(`needs ${hoursText(session.estimatedHours)}, you have ${hoursText(room.hours)}`);
  if (!f.weekOk && room.weekRunsOutAt !== null) parts.push(`needs ${hoursText(session.estimatedHours)}, the weekly limit runs out at this pace at ${room.weekRunsOutAt}`);
  return parts.join('; ');
}

/**
 * Slots for `sessions` starting at `from`, back to back by estimated hours, moving to the next
 * 5-hour window whenever the next session would overrun this window's limit.
 */
export function packSlots(sessions: readonly QueuedSession[], from: number, limit: number): ScheduledSlot[] {
  const slots: ScheduledSlot[] = [];
  let at = from;
  let windowStart = from;
  let used = 0;
  for (const session of sessions) {
    if (used > 0 && used + session.estimatedTokens > limit) {
      at = Math.max(at, windowStart + WINDOW_MS);
      windowStart = at;
      used = 0;
    }
    slots.push({ id: session.id, at: new Date(at).toISOString() });
    at += Math.round(session.estimatedHours * 3_600_000);
    used += session.estimatedTokens;
  }
  return slots;
}

function emptyReason(queue: SessionQueue, now: number): string {
  if (queue.sessions.length === 0) return 'The session queue is empty: add sessions with cco queue add or cco queue import PLAN.md.';
  const byId = sessionIndex(queue);
  const blocked = queue.sessions.filter((s) => s.status === 'ready' && unmetDependencies(s, byId).length > 0);
  const scheduled = queue.sessions
    .filter((s) => s.status === 'scheduled' && s.scheduledTime !== null && Date.parse(s.scheduledTime) > now)
    .sort((a, b) => Date.parse(a.scheduledTime ?? '') - Date.parse(b.scheduledTime ?? ''));
  const inProgress = queue.sessions.filter((s) => s.status === 'in-progress');
  const parts: string[] = ['No session is ready to start.'];
  if (inProgress.length > 0) parts.push(`In progress: ${inProgress.map((s) => `${s.id} "${s.name}"`).join(', ')} (cco queue done ID when finished).`);
  if (scheduled[0]) parts.push(`Next scheduled: ${scheduled[0].id} "${scheduled[0].name}" at ${scheduled[0].scheduledTime}.`);
  if (blocked[0]) parts.push(`${blocked[0].id} "${blocked[0].name}" waits for ${unmetDependencies(blocked[0], byId).join(', ')}.`);
  if (inProgress.length === 0 && scheduled.length === 0 && blocked.length === 0) parts.push('Every session is done or skipped.');
  return parts.join(' ');
}

/** The planner's decision. Pure; linear in the queue size. */
export function planNext(request: PlanRequest): PlanDecision {
  const { queue, now, hours, quota } = request;
  const candidates = readySessions(queue, now);
  const due = candidates.filter((session) => session.status === 'scheduled').map((session) => session.id);
  const base: PlanDecision = { decision: 'none', reason: '', session: null, options: [], scheduledFor: null, slots: [], automatic: null, due, hours, quota };
  const primary = candidates[0];
  if (!primary) return { ...base, reason: emptyReason(queue, now) };

  // The weekly window outranks everything: no 5-hour reset helps until it resets.
  if (quota.weekly?.exhausted) {
    if (quota.weekly.resetsAt === null) {
      return { ...base, session: primary, reason: `The weekly limit is reached (${Math.round(quota.weekly.usedPercent)}% used) and its reset time is unknown; nothing can start now.` };
    }
    const from = Math.max(now, Date.parse(quota.weekly.resetsAt));
    const slots = packSlots([primary], from, quota.limit);
    return {
      ...base,
      decision: 'schedule',
      session: primary,
      scheduledFor: slots[0]?.at ?? null,
      slots,
      reason: `The weekly limit is reached (${Math.round(quota.weekly.usedPercent)}% used): "${primary.name}" is scheduled for the weekly reset.`,
    };
  }

  const resetMs = quota.resetTime === null ? null : Date.parse(quota.resetTime);
  if (quota.level === 'critical' && request.autoScheduleAtCritical && resetMs !== null) {
    const slots = packSlots(candidates, Math.max(now, resetMs), quota.limit);
    return {
      ...base,
      decision: 'schedule',
      session: primary,
      scheduledFor: slots[0]?.at ?? null,
      slots,
      automatic: 'critical',
      reason: `Quota is CRITICAL (${Math.round(quota.percentUsed)}% used, ${tokens(quota.remaining)} tokens left): ${candidates.length === 1 ? 'the ready session is' : `all ${candidates.length} ready sessions are`} scheduled for after the reset.`,
    };
  }

  const room: Room = { remaining: quota.remaining, hours, now, weekRunsOutAt: quota.weekly?.runsOutAt ?? null };
  const primaryFit = fit(primary, room);
  if (primaryFit.ok) {
    const time = hours === null ? '' : `, ${hoursText(primary.estimatedHours)} of your ${hoursText(hours)}`;
    return {
      ...base,
      decision: 'start',
      session: primary,
      reason: `"${primary.name}" fits: ${tokens(primary.estimatedTokens)} tokens of ${tokens(quota.remaining)} available${time}.`,
    };
  }

  const why = misfit(primary, primaryFit, room);
  const options: SessionChoice[] = [];
  for (const session of candidates.slice(1)) {
    if (fit(session, room).ok) {
      options.push({ session, reason: `${tokens(session.estimatedTokens)} tokens, ${hoursText(session.estimatedHours)}` });
    }
  }
  if (options.length > 0) {
    return {
      ...base,
      decision: 'smaller',
      session: primary,
      options,
      reason: `"${primary.name}" doesn't fit (${why}); ${options.length === 1 ? 'a smaller session fits' : `${options.length} smaller sessions fit`}.`,
    };
  }

  if (primary.estimatedTokens > quota.limit) {
    return {
      ...base,
      session: primary,
      reason: `"${primary.name}" needs ${tokens(primary.estimatedTokens)} tokens, more than a whole 5-hour window (${tokens(quota.limit)}): split it (cco queue edit ${primary.id} --tokens N) and no smaller session fits.`,
    };
  }
  if (!primaryFit.tokensOk && resetMs !== null) {
    const at = new Date(Math.max(now, resetMs)).toISOString();
    return {
      ...base,
      decision: 'schedule',
      session: primary,
      scheduledFor: at,
      slots: [{ id: primary.id, at }],
      reason: `Quota insufficient (${why}) and no smaller session fits: schedule "${primary.name}" for the quota reset.`,
    };
  }
  return {
    ...base,
    session: primary,
    reason: `"${primary.name}" doesn't fit (${why}) and no ready session fits${hours === null ? '' : ` in ${hoursText(hours)}`}.`,
  };
}
