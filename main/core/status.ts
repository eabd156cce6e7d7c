/**
 * One status computation, the same for the CLI and the Engine: the Snapshot, with the optimizer's
 * own records kept in step (usage-history.json for the `auto` plan, quota-tracker.json in the
 * spec's shape). `persist: false` (a `--now` report) computes the same figures and writes nothing.
 */
import path from 'node:path';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import type { SessionInfo } from '../../shared/sessions.js';
import { queueSnapshot } from '../../shared/queue-snapshot.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { contextSettings } from './context/context.js';
import { isSubagentTranscript } from './context/find-session.js';
import { endedSessions } from './planner/progress.js';
import { readQueue } from './planner/queue.js';
import { SessionContextTracker } from './context/tracker.js';
import { historyExists, learnedLimit, updateHistory, type UsageHistory } from './history.js';
import { snapshotHistory } from './history-report.js';
import { listTranscriptFiles, type TranscriptListing } from './paths.js';
import { readQuotaTracker, writeQuotaTracker, writeSessionTracker } from './quota-tracker.js';
import type { Settings } from './settings.js';
import { computeSnapshot, type LearnedLimit } from './snapshot.js';
import { readLiveSessionFiles, SessionLogFollower } from './sessions.js';
import { freshServerQuota, readStatusLineState, statusLineContextOf, type StatusLineState } from './statusline-store.js';
import { errorMessage } from './store.js';
import { TranscriptLedger } from './transcripts/ledger.js';

export interface StatusInput {
  roots: string[];
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
}

const QUICK_LISTING_MS = 24 * 60 * 60 * 1000;

export function collectStatus(input: StatusInput): Snapshot {
  const root = input.roots[0] as string;
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

  let learned: LearnedLimit | undefined;
  let history: UsageHistory | null = null;
  if (useHistory) {
    try {
      const update = updateHistory(root, ledger, listing.files, input.now, input.settings.windowAlignment, input.persist);
      if (update.warning) warnings.push(update.warning);
      history = update.history;
      learned = learnedLimit(update.history, input.settings.countedKinds, input.now);
    } catch (error) {
      warnings.push(`usage history not updated: ${errorMessage(error)}`);
    }
  }

  const statusLine = readStatusLineState(root);
  if (statusLine.warning) warnings.push(statusLine.warning);
  const server = freshServerQuota(statusLine.value, input.now);

  const follower = input.sessionLog ?? new SessionLogFollower(root);
  let log: ReturnType<SessionLogFollower['read']> = [];
  try {
    log = follower.read(input.now);
  } catch (error) {
    warnings.push(`session log not read: ${errorMessage(error)}`);
  }
  const sessionSources = { log, liveFiles: readLiveSessionFiles(input.roots) };

  const snapshot = computeSnapshot({ roots: input.roots, settings: input.settings, now: input.now, ledger, listing, warnings, server, sessionSources, ...(learned ? { learned } : {}) });
  const rejected = statusLine.value?.rejected;
  if (rejected) snapshot.diagnostics.statusLineRejected = { count: rejected.count, last: rejected.last, lastAt: rejected.lastAt };
  if (history && learned) snapshot.history = snapshotHistory(history, ledger, learned, { settings: input.settings, now: input.now, limit: snapshot.plan.limit, serverPercent: server?.fiveHour?.usedPercent ?? null });
  try {
    snapshot.context = currentContext(snapshot, listing, input, statusLine.value);
    // A session seen only in its transcript learns its directory from the transcript's lines.
    if (snapshot.session && !snapshot.session.cwd && snapshot.context?.cwd) snapshot.session.cwd = snapshot.context.cwd;
  } catch (error) {
    snapshot.diagnostics.warnings.push(`context of the current session not read: ${errorMessage(error)}`);
  }
  try {
    const queue = readQueue(root);
    if (queue.warning) snapshot.diagnostics.warnings.push(...queue.warning.split('\n'));
    snapshot.queue = queueSnapshot(queue.queue, input.now, endedSessions(queue.queue, listing.files, input.now));
  } catch (error) {
    snapshot.diagnostics.warnings.push(`session queue not read: ${errorMessage(error)}`);
  }
  if (input.persist) {
    try {
      writeQuotaTracker(root, snapshot);
      writeSessionTracker(root, snapshot);
    } catch (error) {
      snapshot.diagnostics.warnings.push(`could not write the tracker files: ${errorMessage(error)}`);
    }
  }
  return snapshot;
}

/** The transcript of a session: the hook's transcript_path, else `<sessionId>.jsonl` in the listing. */
function transcriptOf(session: SessionInfo, listing: TranscriptListing): string | null {
  if (session.transcriptPath && listing.files.some((file) => file.path === session.transcriptPath)) return session.transcriptPath;
  const name = `${session.sessionId}.jsonl`;
  return listing.files.find((file) => path.basename(file.path) === name && !isSubagentTranscript(file.path))?.path ?? null;
}

function currentContext(snapshot: Snapshot, listing: TranscriptListing, input: StatusInput, statusLine: StatusLineState | null): ContextSnapshot | null {
  const session = snapshot.session;
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
  for (const key of trackers.keys()) if (key !== file && !snapshot.sessions.some((s) => transcriptOf(s, listing) === key)) trackers.delete(key);
  return tracker.context({
    settings: contextSettings(input.settings),
    statusLineContext: statusLineContextOf(statusLine, session.sessionId),
  });
}
