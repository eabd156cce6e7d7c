/**
 * Builds the Snapshot (shared/snapshot.ts): the one place where the quota, the live sessions, the
 * current session's context and the queue become the view model every face reads. Pure: every
 * input, the clock included, is a parameter, so the same inputs give the same Snapshot. The I/O
 * (listing and reading the transcripts, the state files, the context tracker) is
 * main/core/status.ts's job, which gathers these inputs and calls {@link computeSnapshot}.
 */

import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import type { ParseCounters } from '../../shared/events.js';
import { queueSnapshot, type SessionQueue } from '../../shared/queue-snapshot.js';
import { PLAN_LIMITS, type PlanName, type TokenKind } from '../../shared/plans.js';
import type { SessionInfo } from '../../shared/sessions.js';
import type { Diagnostics, HistorySnapshot, PlanInfo, Snapshot, WindowAlignment } from '../../shared/snapshot.js';
import type { TranscriptListing } from './paths.js';
import { endedSessions } from './planner/progress.js';
import { fiveHourPercentPerMinute, quotaForecast } from './forecast.js';
import { computeQuota } from './quota.js';
import { reconcile } from './reconciliation.js';
import { freshServerQuota, type StatusLineState } from './sources/statusline-store.js';
import type { RecentEvents } from './transcripts/ledger.js';
import { placeholderOutput, withPlaceholderEstimate } from './transcripts/placeholder.js';

/** The settings the quota part depends on (a subset of main/core/settings-schema.ts's Settings). */
export interface QuotaSettings {
  plan: PlanName;
  customLimit: number | null;
  hyperaware: boolean;
  windowAlignment: WindowAlignment;
  countedKinds: TokenKind[];
  /** Count the estimated output of placeholder-only responses (transcripts/placeholder.ts); default false. */
  countPlaceholderEstimate?: boolean;
}

/** Completed windows' counted sums, for the `auto` plan (kept by main/core/sources/history.ts). */
export interface LearnedLimit {
  limit: number | null;
  windows: number;
}

/** What the ledger loaded for the active window (main/core/status.ts's loadRecent), as plain values. */
export interface TranscriptFacts {
  events: RecentEvents;
  /** Index in `events.usage` of the response that began the current chain of windows. */
  anchor: number;
  listing: TranscriptListing;
  /** `events` hold every response from this instant to `now` (what came before is not loaded). */
  loadedSince: number;
  /** The ledger's reading figures for this load (a copy: the ledger's own change with its next read). */
  stats: { filesRead: number; filesSkippedOld: number; bytesRead: number; unreadable: { path: string; error: string }[]; counters: ParseCounters };
  /** Events stamped after `now`, never counted. */
  eventsAfterNow: number;
}

export interface SnapshotInputs {
  /** The instant the Snapshot describes. */
  now: number;
  /**
   * The real clock when the inputs were gathered. Events stamped after `now` are reported as clock
   * skew only when `now` is the present: a `--now` report in the past expects them.
   */
  wallClock: number;
  roots: readonly string[];
  settings: QuotaSettings;
  /** The `auto` plan's learned limit; null without a usage history. */
  learned: LearnedLimit | null;
  transcripts: TranscriptFacts;
  /** Claude Code's status-line state (statusline-state.json); null when there is none. */
  statusLine: StatusLineState | null;
  /** The live sessions at `now`, most recently active first (main/core/sources/sessions.ts's monitorSessions). */
  sessions: SessionInfo[];
  /** The context window of the current session ({@link currentSession}); null when unknown. */
  context: ContextSnapshot | null;
  queue: Pick<SessionQueue, 'sessions'>;
  /** The last week's usage per day (main/core/sources/history-report.ts); null until the usage history is kept. */
  history: HistorySnapshot | null;
  /** One-line messages from gathering the inputs (a corrupt state file moved aside, ...). */
  warnings: string[];
}

export function resolvePlan(settings: QuotaSettings, learned: LearnedLimit | null): PlanInfo {
  if (settings.plan === 'custom') {
    return { name: 'custom', limit: settings.customLimit ?? PLAN_LIMITS.pro, limitSource: 'custom', learnedFromWindows: null };
  }
  if (settings.plan === 'auto') {
    if (learned?.limit) return { name: 'auto', limit: learned.limit, limitSource: 'learned', learnedFromWindows: learned.windows };
    return { name: 'auto', limit: PLAN_LIMITS.pro, limitSource: 'learned-fallback', learnedFromWindows: learned?.windows ?? 0 };
  }
  return { name: settings.plan, limit: PLAN_LIMITS[settings.plan], limitSource: 'preset', learnedFromWindows: null };
}

/** The current session: the most recently active live one (the one whose context the Snapshot carries). */
export function currentSession(sessions: readonly SessionInfo[]): SessionInfo | null {
  return sessions[0] ?? null;
}

/** How far behind the real clock `now` may be and still be taken as the present. */
const PRESENT_SLACK_MS = 60_000;

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function diagnosticsOf(input: SnapshotInputs): Diagnostics {
  const { transcripts, now } = input;
  const { lines: _lines, parsed: _parsed, ...skipped } = transcripts.stats.counters;
  const warnings = [...input.warnings];
  const future = transcripts.eventsAfterNow;
  if (future > 0 && now >= input.wallClock - PRESENT_SLACK_MS) {
    warnings.push(`${future} transcript ${future === 1 ? 'event is' : 'events are'} stamped in the future (clock skew?); not counted yet`);
  }
  const rejected = input.statusLine?.rejected;
  return {
    roots: [...input.roots],
    filesSeen: transcripts.listing.files.length,
    filesRead: transcripts.stats.filesRead,
    filesSkippedOld: transcripts.stats.filesSkippedOld,
    bytesRead: transcripts.stats.bytesRead,
    linesRead: transcripts.stats.counters.lines,
    linesSkipped: Object.values(skipped).reduce((a, b) => a + b, 0),
    skipped,
    duplicatesDropped: transcripts.events.duplicatesDropped,
    unreadable: [...transcripts.listing.unreadable, ...transcripts.stats.unreadable],
    statusLineRejected: rejected ? { count: rejected.count, last: rejected.last, lastAt: rejected.lastAt } : { count: 0, last: null, lastAt: null },
    warnings,
  };
}

/** The whole Snapshot at `input.now`. Pure: reads no clock, no file, and changes none of its inputs. */
export function computeSnapshot(input: SnapshotInputs): Snapshot {
  const { settings, now, transcripts } = input;
  // Placeholder-only responses (transcripts/placeholder.ts) count their estimated output only when asked.
  const events = settings.countPlaceholderEstimate === true ? { ...transcripts.events, usage: withPlaceholderEstimate(transcripts.events.usage) } : transcripts.events;
  const plan = resolvePlan(settings, input.learned);
  const server = freshServerQuota(input.statusLine, now);
  const fiveHour = server?.fiveHour ?? null;
  const figures = computeQuota({
    server: fiveHour ? { usedPercent: fiveHour.usedPercent, resetsAt: fiveHour.resetsAt ? Date.parse(fiveHour.resetsAt) : null } : null,
    usage: events.usage,
    tools: events.tools,
    limits: events.limits,
    anchor: transcripts.anchor,
    limit: plan.limit,
    countedKinds: settings.countedKinds,
    alignment: settings.windowAlignment,
    hyperaware: settings.hyperaware,
    now,
  });
  const window = figures.window;
  const context = input.context;
  // A session seen only in its transcript learns its directory from the transcript's lines.
  const sessions = input.sessions.map((session, index) => (index === 0 && !session.cwd && context?.cwd ? { ...session, cwd: context.cwd } : session));
  return {
    version: 1,
    generatedAt: new Date(now).toISOString(),
    plan,
    quota: {
      source: fiveHour ? 'statusline' : 'transcripts',
      server,
      // The server's seven-day figure at 100%, or an API-error line saying the weekly limit was hit.
      weeklyLimitReached: (server?.sevenDay?.usedPercent ?? 0) >= 100 || figures.limitReached?.rateLimitType === 'seven_day',
      windowAlignment: settings.windowAlignment,
      countedKinds: [...settings.countedKinds],
      hyperaware: settings.hyperaware,
      currentWindow: window
        ? {
            startTime: new Date(window.start).toISOString(),
            resetTime: new Date(figures.resetTime ?? window.end).toISOString(),
            tokensUsed: figures.tokensUsed,
            remaining: figures.remaining,
            tokens: { ...window.tokens },
            messages: window.messages,
            toolCalls: figures.toolCalls,
            lastActivity: new Date(window.lastEvent).toISOString(),
            placeholderOutput: placeholderOutput(transcripts.events.usage.filter((event) => event.timestamp >= window.start && event.timestamp <= now)),
          }
        : null,
      percentUsed: Math.round(figures.percentUsed * 10) / 10,
      level: figures.level,
      burnRate: {
        tokensPerMinute: Math.round(figures.burnRate.tokensPerMinute),
        lastHourTokensPerMinute: Math.round(figures.burnRate.lastHourTokensPerMinute),
        series: figures.burnRate.series.map((point) => ({ at: new Date(point.at).toISOString(), tokensPerMinute: Math.round(point.tokensPerMinute) })),
      },
      runway: figures.runway,
      forecast: quotaForecast({
        now,
        fiveHour: { percentUsed: figures.percentUsed, resetsAt: figures.resetTime, percentPerMinute: fiveHourPercentPerMinute(figures.burnRate, plan.limit) },
        sevenDay: server?.sevenDay ? { ...server.sevenDay, observedAt: server.observedAt } : null,
        sevenDaySeen: input.statusLine?.sevenDaySeen ?? [],
      }),
      recommendation: figures.recommendation,
      nextAlert: figures.nextAlert,
      limitReached: figures.limitReached
        ? { observedAt: new Date(figures.limitReached.timestamp).toISOString(), resetsAt: iso(figures.limitReached.resetsAt), text: figures.limitReached.text, rateLimitType: figures.limitReached.rateLimitType ?? null }
        : null,
      lastActivity: iso(figures.lastActivity),
      reconciliation: reconcile({
        observations: input.statusLine?.fiveHourLog ?? [],
        usage: events.usage,
        loadedSince: transcripts.loadedSince,
        countedKinds: settings.countedKinds,
        limit: plan.limit,
        now,
      }),
    },
    sessions,
    session: currentSession(sessions),
    context,
    queue: queueSnapshot(input.queue, now, endedSessions(input.queue, transcripts.listing.files, now)),
    history: input.history,
    diagnostics: diagnosticsOf(input),
  };
}
