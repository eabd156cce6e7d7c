/**
 * `quota-tracker.json` and `session-tracker.json`. The first: the rolling-window state in the spec's `TokenQuota` shape ("Token Quota
 * Calculation"), so other tools and the spec's troubleshooting steps keep working. It is a record
 * of what the transcripts say, rebuilt on every status: deleting it (spec "Quota seems wrong")
 * starts a fresh state and loses nothing, since the figures come from the transcripts.
 */
import type { PlanName } from '../../../shared/plans.js';
import type { Snapshot } from '../../../shared/snapshot.js';
import { statePaths } from '../paths.js';
import { isRecord, readJsonStateSync, writeJsonIfChangedSync } from '../store.js';

export interface TokenQuota {
  plan: PlanName;
  limit: number;
  currentWindow: {
    startTime: string;
    resetTime: string;
    tokensUsed: number;
    remaining: number;
  } | null;
  percentUsed: number;
  source: string;
  /** Not in the spec's shape: the status line paces its 5-hour forecast by it (main/core/forecast.ts). */
  burnRate?: { tokensPerMinute: number; lastHourTokensPerMinute: number };
}

function parseTokenQuota(raw: unknown): TokenQuota {
  if (!isRecord(raw) || typeof raw.plan !== 'string' || typeof raw.limit !== 'number') {
    throw new Error('not a TokenQuota object (needs plan and limit)');
  }
  return raw as unknown as TokenQuota;
}

export function tokenQuotaOf(snapshot: Snapshot): TokenQuota {
  const window = snapshot.quota.currentWindow;
  return {
    plan: snapshot.plan.name,
    limit: snapshot.plan.limit,
    currentWindow: window
      ? { startTime: window.startTime, resetTime: window.resetTime, tokensUsed: window.tokensUsed, remaining: window.remaining }
      : null,
    percentUsed: snapshot.quota.percentUsed,
    source: snapshot.quota.source,
    burnRate: { tokensPerMinute: snapshot.quota.burnRate.tokensPerMinute, lastHourTokensPerMinute: snapshot.quota.burnRate.lastHourTokensPerMinute },
  };
}

/** Reads the tracker to surface corruption (moved aside, one warning line); null when absent. */
export function readQuotaTracker(root: string): { value: TokenQuota | null; warning: string | null } {
  return readJsonStateSync(statePaths(root).quotaTracker, parseTokenQuota);
}

/** Writes the tracker when its content changed (atomic: temp file + rename). */
export function writeQuotaTracker(root: string, snapshot: Snapshot): void {
  writeJsonIfChangedSync(statePaths(root).quotaTracker, tokenQuotaOf(snapshot));
}

/**
 * `session-tracker.json` (spec "File Locations": active sessions): the live sessions the monitor
 * sees, each with its 5-hour session window. A record like quota-tracker.json, rebuilt each time.
 */
export function writeSessionTracker(root: string, snapshot: Snapshot): void {
  writeJsonIfChangedSync(statePaths(root).sessionTracker, {
    sessions: snapshot.sessions.map((s) => ({
      sessionId: s.sessionId,
      cwd: s.cwd,
      agent: s.agent,
      transcriptPath: s.transcriptPath,
      detectedBy: s.detectedBy,
      startedAt: s.startedAt,
      windowEnd: s.windowEnd,
      warningsPassed: s.warningsPassed,
    })),
  });
}
