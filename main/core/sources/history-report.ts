/**
 * `cco history`'s data: the usage history (usage-history.json, kept past Claude Code's 30-day
 * transcript cleanup) brought up to date, plus the window still open, read from the transcripts.
 * The limit beside it is the `auto` plan's own (history.ts learnedLimit), never a second estimate.
 */
import type { PlanInfo } from '../../../shared/snapshot.js';
import type { HistoryDay, HistorySnapshot, HistoryWindow } from '../../../shared/snapshot.js';
import { completedWindowInput, historySnapshot, historyTable, localDayOf, type DayOf, type HistoryWindowInput } from './history-days.js';
import { learnedLimit, limitHitIn, updateHistory, type UsageHistory } from './history.js';
import { listTranscriptFiles, type RootList } from '../paths.js';
import { activeWindow, computeWindows } from '../quota.js';
import type { Settings } from '../settings-schema.js';
import { resolvePlan, type LearnedLimit } from '../snapshot.js';
import { freshServerQuota, readStatusLineState } from './statusline-store.js';
import { TranscriptLedger } from '../transcripts/ledger.js';

export interface HistoryReport {
  generatedAt: string;
  range: { days: number; from: string; to: string };
  plan: Pick<PlanInfo, 'name' | 'limit' | 'limitSource'>;
  /** The `auto` plan's learned limit (90th percentile of completed windows in 60 days). */
  p90: LearnedLimit;
  windows: HistoryWindow[];
  days: HistoryDay[];
  warnings: string[];
}

export interface HistoryInput {
  roots: RootList;
  settings: Settings;
  now: number;
  days: number;
  persist: boolean;
  dayOf?: DayOf;
}

/**
 * The window open at `now`, from the events after the history's horizon (those form exact
 * windows: history.ts), with the limit signals and the server's fresh 5-hour figure.
 */
export function currentWindowInput(history: UsageHistory, ledger: TranscriptLedger, now: number, serverPercent: number | null): HistoryWindowInput | null {
  const since = history.horizon ?? Number.NEGATIVE_INFINITY;
  const events = ledger.events(since, now);
  const window = activeWindow(computeWindows(events.usage, history.alignment), now);
  if (!window) return null;
  return { start: window.start, end: window.end, tokens: { ...window.tokens }, serverPercent, limitHit: limitHitIn(events.limits, window.start, window.end), current: true };
}

/** Every window of the history plus the current one, as the history's rules take them. */
export function historyWindowInputs(history: UsageHistory, current: HistoryWindowInput | null): HistoryWindowInput[] {
  const inputs = history.windows.map(completedWindowInput);
  if (current) inputs.push(current);
  return inputs;
}

export function collectHistory(input: HistoryInput): HistoryReport {
  const root = input.roots[0];
  const warnings: string[] = [];
  const listing = listTranscriptFiles(input.roots);
  const ledger = new TranscriptLedger();
  const update = updateHistory(root, ledger, listing.files, input.now, input.settings.windowAlignment, input.persist);
  if (update.warning) warnings.push(update.warning);
  const learned = learnedLimit(update.history, input.settings.countedKinds, input.now);
  const plan = resolvePlan(input.settings, learned);
  const statusLine = readStatusLineState(root);
  if (statusLine.warning) warnings.push(statusLine.warning);
  const server = freshServerQuota(statusLine.value, input.now)?.fiveHour?.usedPercent ?? null;
  const current = currentWindowInput(update.history, ledger, input.now, server);
  const table = historyTable(historyWindowInputs(update.history, current), {
    now: input.now,
    days: input.days,
    kinds: input.settings.countedKinds,
    limit: plan.limit,
    dayOf: input.dayOf ?? localDayOf,
  });
  return {
    generatedAt: new Date(input.now).toISOString(),
    range: { days: input.days, from: table.from, to: table.to },
    plan: { name: plan.name, limit: plan.limit, limitSource: plan.limitSource },
    p90: learned,
    windows: table.windows,
    days: table.days,
    warnings,
  };
}

/** The Snapshot's `history` part (collectStatus adds it in one place when the history is kept). */
export function snapshotHistory(history: UsageHistory, ledger: TranscriptLedger, learned: LearnedLimit, input: { settings: Settings; now: number; limit: number; serverPercent: number | null }): HistorySnapshot {
  const current = currentWindowInput(history, ledger, input.now, input.serverPercent);
  return historySnapshot(historyWindowInputs(history, current), learned, { now: input.now, kinds: input.settings.countedKinds, limit: input.limit, dayOf: localDayOf });
}
