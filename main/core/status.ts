/**
 * One status computation, the same for the CLI and the Engine: gathers what the Snapshot is built
 * from (the transcripts through the ledger, the usage history, the status-line state, the hooks'
 * session log and live-session files, the current session's context, the queue), then builds it
 * with the pure {@link computeSnapshot}, and keeps the optimizer's own records in step
 * (usage-history.json for the `auto` plan, quota-tracker.json in the spec's shape). `persist:
 * false` (a `--now` report) computes the same figures and writes nothing.
 */
import path from 'node:path';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import { WINDOW_MS } from '../../shared/plans.js';
import { emptyQueue, type SessionQueue } from '../../shared/queue-snapshot.js';
import type { SessionInfo } from '../../shared/sessions.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { contextSettings } from './context/context.js';
import { isSubagentTranscript } from './context/find-session.js';
import { readQueue } from './planner/queue.js';
import { SessionContextTracker } from './context/tracker.js';
import { historyExists, learnedLimit, updateHistory, type UsageHistory } from './sources/history.js';
import { snapshotHistory } from './sources/history-report.js';
import { listTranscriptFiles, type RootList, type TranscriptFile, type TranscriptListing } from './paths.js';
import { anchorIndex } from './quota.js';
import { readQuotaTracker, writeQuotaTracker, writeSessionTracker } from './sources/quota-tracker.js';
import type { Settings } from './settings-schema.js';
import { computeSnapshot, currentSession, resolvePlan, type LearnedLimit, type TranscriptFacts } from './snapshot.js';
import { monitorSessions, readLiveSessionFiles, SessionLogFollower } from './sources/sessions.js';
import { freshServerQuota, readStatusLineState, statusLineContextOf, type StatusLineState } from './sources/statusline-store.js';
import { errorMessage } from './store.js';
import { TranscriptLedger, type RecentEvents } from './transcripts/ledger.js';

export interface StatusInput {
  roots: RootList;
  settings: Settings;
  now: number;
  persist: boolean;
  ledger?: TranscriptLedger;
  listing?: TranscriptListing;
  /** Keeps the hooks' session log read position across calls (the Engine). */
  sessionLog?: SessionLogFollower;
  /** Per-transcript context trackers kept across calls (the Engine), so only appended lines are parsed. */
  contextTrackers?: Map<string, SessionContextTracker>;
  warnings?: string[];
  /** The real clock, read when absent (see SnapshotInputs.wallClock). */
  wallClock?: number;
}

const QUICK_LISTING_MS = 24 * 60 * 60 * 1000;
const FIRST_LOOKBACK_MS = 2 * WINDOW_MS;

/**
 * Loads as little history as the active window needs: the last 10 hours, doubled until a gap of
 * 5 hours proves where the current chain of windows began (or every file is loaded).
 */
export function loadRecent(
  ledger: TranscriptLedger,
  listing: TranscriptListing,
  now: number,
  relist?: () => TranscriptListing,
): { events: RecentEvents; anchor: number; listing: TranscriptListing; loadedSince: number } {
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
    if (anchor !== null || since <= oldest - WINDOW_MS) return { events, anchor: anchor ?? 0, listing, loadedSince: since };
    lookback *= 2;
  }
}

/** The transcripts' part of the inputs: the recent events and the ledger's figures for this load. */
function readTranscripts(ledger: TranscriptLedger, listing: TranscriptListing, roots: readonly string[], now: number): TranscriptFacts {
  const loaded = loadRecent(ledger, listing, now, () => listTranscriptFiles(roots));
  const { filesRead, filesSkippedOld, bytesRead, unreadable, counters } = ledger.stats;
  return { ...loaded, stats: { filesRead, filesSkippedOld, bytesRead, unreadable: [...unreadable], counters }, eventsAfterNow: ledger.countAfter(now) };
}

export function collectStatus(input: StatusInput): Snapshot {
  const root = input.roots[0];
  const ledger = input.ledger ?? new TranscriptLedger();
  // The history costs one full read the first time, so it is kept only once the user asked for
  // the learned plan; from then on it is updated on every status, cheaply.
  const useHistory = input.settings.plan === 'auto' || historyExists(root);
  // Without the history, a status needs the last hours only: a quick listing skips the sub-agent
  // folders of sessions idle for a day (loadRecent lists everything if it must look further back).
  const listing = input.listing ?? listTranscriptFiles(input.roots, useHistory ? {} : { sessionsActiveSince: input.now - QUICK_LISTING_MS });
  const warnings = [...(input.warnings ?? [])];
  const tracker = readQuotaTracker(root);
  if (tracker.warning) warnings.push(tracker.warning);

  let learned: LearnedLimit | null = null;
  let usageHistory: UsageHistory | null = null;
  if (useHistory) {
    try {
      const update = updateHistory(root, ledger, listing.files, input.now, input.settings.windowAlignment, input.persist);
      if (update.warning) warnings.push(update.warning);
      usageHistory = update.history;
      learned = learnedLimit(update.history, input.settings.countedKinds, input.now);
    } catch (error) {
      warnings.push(`usage history not updated: ${errorMessage(error)}`);
    }
  }

  const statusLine = readStatusLineState(root);
  if (statusLine.warning) warnings.push(statusLine.warning);

  const follower = input.sessionLog ?? new SessionLogFollower(root);
  let log: ReturnType<SessionLogFollower['read']> = [];
  try {
    log = follower.read(input.now);
  } catch (error) {
    warnings.push(`session log not read: ${errorMessage(error)}`);
  }
  const liveFiles = readLiveSessionFiles(input.roots);
  const transcripts = readTranscripts(ledger, listing, input.roots, input.now);
  const sessions = monitorSessions({ now: input.now, log, liveFiles, usage: transcripts.events.usage, tools: transcripts.events.tools, countedKinds: input.settings.countedKinds });

  // The week of history reads the open window's events from the ledger, loaded just above.
  const history =
    usageHistory && learned
      ? snapshotHistory(usageHistory, ledger, learned, { settings: input.settings, now: input.now, limit: resolvePlan(input.settings, learned).limit, serverPercent: freshServerQuota(statusLine.value, input.now)?.fiveHour?.usedPercent ?? null })
      : null;
  let context: ContextSnapshot | null = null;
  try {
    context = currentContext(sessions, transcripts.listing, input, statusLine.value);
  } catch (error) {
    warnings.push(`context of the current session not read: ${errorMessage(error)}`);
  }
  let queue: SessionQueue = emptyQueue();
  try {
    const read = readQueue(root);
    if (read.warning) warnings.push(...read.warning.split('\n'));
    queue = read.queue;
  } catch (error) {
    warnings.push(`session queue not read: ${errorMessage(error)}`);
  }

  const snapshot = computeSnapshot({
    now: input.now,
    wallClock: input.wallClock ?? Date.now(),
    roots: input.roots,
    settings: input.settings,
    learned,
    transcripts,
    statusLine: statusLine.value,
    sessions,
    context,
    queue,
    history,
    warnings,
  });
  if (!input.persist) return snapshot;
  try {
    writeQuotaTracker(root, snapshot);
    writeSessionTracker(root, snapshot);
    return snapshot;
  } catch (error) {
    // The Snapshot is built once; a failed write is told in a copy, never by changing it.
    const warning = `could not write the tracker files: ${errorMessage(error)}`;
    return { ...snapshot, diagnostics: { ...snapshot.diagnostics, warnings: [...snapshot.diagnostics.warnings, warning] } };
  }
}

/** The transcript of a session: the hook's transcript_path, else `<sessionId>.jsonl` in the listing. */
function transcriptOf(session: SessionInfo, listing: TranscriptListing): string | null {
  if (session.transcriptPath && listing.files.some((file) => file.path === session.transcriptPath)) return session.transcriptPath;
  const name = `${session.sessionId}.jsonl`;
  return listing.files.find((file) => path.basename(file.path) === name && !isSubagentTranscript(file.path))?.path ?? null;
}

function currentContext(sessions: readonly SessionInfo[], listing: TranscriptListing, input: StatusInput, statusLine: StatusLineState | null): ContextSnapshot | null {
  const session = currentSession(sessions);
  if (!session) return null;
  const file = transcriptOf(session, listing);
  if (!file) return null;
  const trackers = input.contextTrackers ?? new Map<string, SessionContextTracker>();
  let tracker = trackers.get(file);
  if (!tracker) {
    tracker = new SessionContextTracker(file, 'last-compact');
    trackers.set(file, tracker);
  }
  // Trackers of sessions no longer current are dropped (the Engine keeps one per live transcript).
  for (const key of trackers.keys()) if (key !== file && !sessions.some((s) => transcriptOf(s, listing) === key)) trackers.delete(key);
  return tracker.context({
    settings: contextSettings(input.settings),
    statusLineContext: statusLineContextOf(statusLine, session.sessionId),
  });
}
