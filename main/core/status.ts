/**
 * One status computation, the same for the CLI and the Engine: the Snapshot, with the optimizer's
 * own records kept in step (usage-history.json for the `auto` plan, quota-tracker.json in the
 * spec's shape). `persist: false` (a `--now` report) computes the same figures and writes nothing.
 */
import type { Snapshot } from '../../shared/snapshot.js';
import { historyExists, learnedLimit, updateHistory } from './history.js';
import { listTranscriptFiles, type TranscriptListing } from './paths.js';
import { readQuotaTracker, writeQuotaTracker, writeSessionTracker } from './quota-tracker.js';
import { computeSnapshot, type LearnedLimit, type QuotaSettings } from './snapshot.js';
import { readLiveSessionFiles, SessionLogFollower } from './sessions.js';
import { freshServerQuota, readStatusLineState } from './statusline-store.js';
import { errorMessage } from './store.js';
import { TranscriptLedger } from './transcripts/ledger.js';

export interface StatusInput {
  roots: string[];
  settings: QuotaSettings;
  now: number;
  persist: boolean;
  ledger?: TranscriptLedger;
  listing?: TranscriptListing;
  /** Keeps the hooks' session log read position across calls (the Engine). */
  sessionLog?: SessionLogFollower;
  warnings?: string[];
}

export function collectStatus(input: StatusInput): Snapshot {
  const root = input.roots[0] as string;
  const ledger = input.ledger ?? new TranscriptLedger();
  const listing = input.listing ?? listTranscriptFiles(input.roots);
  const warnings = [...(input.warnings ?? [])];
  const tracker = readQuotaTracker(root);
  if (tracker.warning) warnings.push(tracker.warning);

  // The history costs one full read the first time, so it is kept only once the user asked for
  // the learned plan; from then on it is updated on every status, cheaply.
  let learned: LearnedLimit | undefined;
  if (input.settings.plan === 'auto' || historyExists(root)) {
    try {
      const update = updateHistory(root, ledger, listing.files, input.now, input.settings.windowAlignment, input.persist);
      if (update.warning) warnings.push(update.warning);
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
