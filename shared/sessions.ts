/**
 * The Snapshot's session part (spec "Session Monitor", "Session Detection"): each live Claude Code
 * session with its 5-hour session window, its tokens and the warnings before that window ends.
 */
import type { TokenBreakdown } from './events.js';

/** Warnings before a session window ends (spec: "Sends warnings at 1h, 30m, 5m marks"). */
export const SESSION_WARNINGS = [
  { id: '1h', minutes: 60, title: '1 hour left in this session window' },
  { id: '30m', minutes: 30, title: '30 minutes left in this session window' },
  { id: '5m', minutes: 5, title: '5 minutes left: save your work' },
] as const;
export type SessionWarningId = (typeof SESSION_WARNINGS)[number]['id'];

export interface SessionInfo {
  sessionId: string;
  cwd: string | null;
  /** The agent file the session runs as, when the SessionStart hook said. */
  agent: string | null;
  transcriptPath: string | null;
  /** How we know it: the hooks' session log, Claude Code's live-session file, or transcript activity. */
  detectedBy: 'hook' | 'pid-file' | 'transcript';
  startedAt: string;
  /** startedAt + 5 hours. */
  windowEnd: string;
  elapsedMinutes: number;
  remainingMinutes: number;
  progressPercent: number;
  lastActivity: string;
  /** `busy`/`idle` from Claude Code's live-session file when present. */
  status: 'busy' | 'idle' | 'unknown';
  tokens: {
    /** Exact usage from the transcript when it has any; else estimated from tool calls (spec table). */
    source: 'transcript' | 'estimate';
    breakdown: TokenBreakdown;
    /** Counted kinds, as in the quota. */
    counted: number;
    messages: number;
  };
  toolCalls: number;
  /**
   * When the session's prompt cache expires: its last main-chain response plus the cache's
   * lifetime (shared/prompt-cache.ts); null before its first response.
   */
  cacheExpiresAt: string | null;
  /**
   * What resuming after that costs: the context of the last response (input + cache writes +
   * cache reads), all re-written as cache writes; null before the first response.
   */
  cacheColdCost: number | null;
  /** Warnings whose mark has been passed (remaining at or below it). */
  warningsPassed: SessionWarningId[];
  nextWarning: { id: SessionWarningId; at: string } | null;
}
