/**
 * Builds the Snapshot (shared/snapshot.ts) from the transcripts: the one place where discovery,
 * reading, the window rule and the plan come together. The CLI calls it once; the Engine calls it
 * on every change with the same ledger, so only appended bytes are read.
 */

import { emptyQueue, queueSnapshot } from '../../shared/queue-snapshot.js';
import { PLAN_LIMITS, WINDOW_MS, type PlanName, type TokenKind } from '../../shared/plans.js';
import type { Diagnostics, PlanInfo, ServerQuota, Snapshot, WindowAlignment } from '../../shared/snapshot.js';
import { listTranscriptFiles, type TranscriptFile, type TranscriptListing } from './paths.js';
import { anchorIndex, computeQuota } from './quota.js';
import type { SessionLogEvent } from './session-log.js';
import { monitorSessions, type LiveSessionFile } from './sessions.js';
import { TranscriptLedger, type RecentEvents } from './transcripts/ledger.js';
import { placeholderOutput, withPlaceholderEstimate } from './transcripts/placeholder.js';

/** The settings the quota part depends on (a subset of main/core/settings.ts's Settings). */
export interface QuotaSettings {
  plan: PlanName;
  customLimit: number | null;
  hyperaware: boolean;
  windowAlignment: WindowAlignment;
  countedKinds: TokenKind[];
  /** Count the estimated output of placeholder-only responses (transcripts/placeholder.ts); default false. */
  countPlaceholderEstimate?: boolean;
}

/** Completed windows' counted sums, for the `auto` plan (kept by main/core/history.ts). */
export interface LearnedLimit {
  limit: number | null;
  windows: number;
}

export interface SnapshotInput {
  roots: string[];
  settings: QuotaSettings;
  now: number;
  /** Reuse across calls (the Engine) so unchanged files are not read again. */
  ledger?: TranscriptLedger;
  /** Pre-made listing (the Engine keeps one); listed afresh when absent. */
  listing?: TranscriptListing;
  learned?: LearnedLimit;
  /** What the session monitor needs besides the transcripts (hooks' log, live pid files). */
  sessionSources?: { log: readonly SessionLogEvent[]; liveFiles: readonly LiveSessionFile[] };
  /** The server's figures from the status line, already checked for freshness. */
  server?: ServerQuota | null;
  warnings?: string[];
}

const FIRST_LOOKBACK_MS = 2 * WINDOW_MS;

export function resolvePlan(settings: QuotaSettings, learned: LearnedLimit | undefined): PlanInfo {
  if (settings.plan === 'custom') {
    return { name: 'custom', limit: settings.customLimit ?? PLAN_LIMITS.pro, limitSource: 'custom', learnedFromWindows: null };
  }
  if (settings.plan === 'auto') {
    if (learned?.limit) return { name: 'auto', limit: learned.limit, limitSource: 'learned', learnedFromWindows: learned.windows };
    return { name: 'auto', limit: PLAN_LIMITS.pro, limitSource: 'learned-fallback', learnedFromWindows: learned?.windows ?? 0 };
  }
  return { name: settings.plan, limit: PLAN_LIMITS[settings.plan], limitSource: 'preset', learnedFromWindows: null };
}

/**
 * Loads as little history as the active window needs: the last 10 hours, doubled until a gap of
 * 5 hours proves where the current chain of windows began (or every file is loaded).
 */
export function loadRecent(
  ledger: TranscriptLedger,
  listing: TranscriptListing,
  now: number,
  relist?: () => TranscriptListing,
): { events: RecentEvents; anchor: number; listing: TranscriptListing } {
  let files: readonly TranscriptFile[] = listing.files;
  let complete = listing.completeSince ?? Number.NEGATIVE_INFINITY;
  const oldest = files.reduce((min, file) => Math.min(min, file.mtimeMs), now);
  let lookback = FIRST_LOOKBACK_MS;
  for (;;) {
    const since = now - lookback;
    if (since < complete && relist) {
      // A quick listing does not reach this far back: list everything.
      listing = relist();
      files = listing.files;
      complete = Number.NEGATIVE_INFINITY;
    }
    ledger.refresh(files, since);
    const events = ledger.events(since, now);
    const anchor = anchorIndex(events.usage, since);
    if (anchor !== null || since <= oldest - WINDOW_MS) return { events, anchor: anchor ?? 0, listing };
    lookback *= 2;
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function computeSnapshot(input: SnapshotInput): Snapshot {
  const { settings, now } = input;
  const ledger = input.ledger ?? new TranscriptLedger();
  const loaded = loadRecent(ledger, input.listing ?? listTranscriptFiles(input.roots), now, () => listTranscriptFiles(input.roots));
  const { anchor, listing } = loaded;
  const events = settings.countPlaceholderEstimate === true ? { ...loaded.events, usage: withPlaceholderEstimate(loaded.events.usage) } : loaded.events;
  const plan = resolvePlan(settings, input.learned);
  const server = input.server ?? null;
  const fiveHour = server?.fiveHour ?? null;
  const figures = computeQuota({
    server: fiveHour ? { usedPercent: fiveHour.usedPercent, resetsAt: fiveHour.resetsAt ? Date.parse(fiveHour.resetsAt) : null } : null,
    usage: events.usage,
    tools: events.tools,
    limits: events.limits,
    anchor,
    limit: plan.limit,
    countedKinds: settings.countedKinds,
    alignment: settings.windowAlignment,
    hyperaware: settings.hyperaware,
    now,
  });
  const window = figures.window;
  const sessions = monitorSessions({
    now,
    log: input.sessionSources?.log ?? [],
    liveFiles: input.sessionSources?.liveFiles ?? [],
    usage: events.usage,
    tools: events.tools,
    countedKinds: settings.countedKinds,
  });
  const counters = ledger.stats.counters;
  const { lines: _lines, parsed: _parsed, ...skipped } = counters;
  const future = ledger.countAfter(now);
  const warnings = [...(input.warnings ?? [])];
  if (future > 0 && input.now >= Date.now() - 60_000) {
    warnings.push(`${future} transcript ${future === 1 ? 'event is' : 'events are'} stamped in the future (clock skew?); not counted yet`);
  }
  const diagnostics: Diagnostics = {
    roots: input.roots,
    filesSeen: listing.files.length,
    filesRead: ledger.stats.filesRead,
    filesSkippedOld: ledger.stats.filesSkippedOld,
    bytesRead: ledger.stats.bytesRead,
    linesRead: counters.lines,
    linesSkipped: Object.values(skipped).reduce((a, b) => a + b, 0),
    skipped,
    duplicatesDropped: events.duplicatesDropped,
    unreadable: [...listing.unreadable, ...ledger.stats.unreadable],
    // Filled by collectStatus (main/core/status.ts), which reads the status-line state.
    statusLineRejected: { count: 0, last: null, lastAt: null },
    warnings,
  };
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
            placeholderOutput: placeholderOutput(loaded.events.usage.filter((event) => event.timestamp >= window.start && event.timestamp <= now)),
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
      recommendation: figures.recommendation,
      nextAlert: figures.nextAlert,
      limitReached: figures.limitReached
        ? { observedAt: new Date(figures.limitReached.timestamp).toISOString(), resetsAt: iso(figures.limitReached.resetsAt), text: figures.limitReached.text, rateLimitType: figures.limitReached.rateLimitType ?? null }
        : null,
      lastActivity: iso(figures.lastActivity),
    },
    sessions,
    session: sessions[0] ?? null,
    // Filled by collectStatus (main/core/status.ts), which reads the session's transcript and the queue.
    context: null,
    queue: queueSnapshot(emptyQueue(), now),
    // Filled by collectStatus when the usage history is kept.
    history: null,
    diagnostics,
  };
}

