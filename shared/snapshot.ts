/**
 * The Snapshot: the one view model every face consumes (tray, notifier, popover, `cco status --json`).
 * Plain JSON: times are ISO-8601 UTC strings, `null` when unknown. A feature adds its part here once.
 * Quota field names follow the spec's `TokenQuota` ("Token Quota Calculation"). Also the one rule
 * every face reads the next reset by ({@link resetInstant}).
 */
import type { ParseCounters, TokenBreakdown } from './events.js';
import type { QuotaLevel } from './levels.js';
import type { PlanName, TokenKind } from './plans.js';
import type { ContextSnapshot } from './context-snapshot.js';
import type { QueueSnapshot } from './queue-snapshot.js';
import type { SessionInfo } from './sessions.js';

export type WindowAlignment = 'first-token' | 'hour';

export interface PlanInfo {
  name: PlanName;
  /** Tokens per 5-hour window that count against the quota (an estimate: Anthropic publishes none). */
  limit: number;
  /** How the limit was obtained: a preset table value, the user's own, or learned from history. */
  limitSource: 'preset' | 'custom' | 'learned' | 'learned-fallback';
  /** For `auto`: how many completed windows the 90th percentile was taken over. */
  learnedFromWindows: number | null;
}

export interface CurrentWindow {
  /** First token of the window (or its hour, with hour alignment). */
  startTime: string;
  /** startTime + 5 hours, or the server's reset time (status line, usage-limit line) when known. */
  resetTime: string;
  /** Counted tokens (the kinds in `quota.countedKinds`). */
  tokensUsed: number;
  /** limit - tokensUsed, never below 0. */
  remaining: number;
  /** Full breakdown, always reported whatever is counted. */
  tokens: TokenBreakdown;
  /** API responses (deduplicated) in the window. */
  messages: number;
  toolCalls: number;
  lastActivity: string;
  /**
   * Responses recorded only with a streaming placeholder output (claude-code-facts.md §2) and the
   * output they are estimated to miss (their text at ~4 characters a token, beyond what was
   * recorded). Counted in `tokens` only with the setting `countPlaceholderEstimate`.
   */
  placeholderOutput: PlaceholderOutput;
}

export interface PlaceholderOutput {
  responses: number;
  /** An estimate: output tokens beyond the placeholders' own. */
  estimatedTokens: number;
}

export interface BurnRate {
  /** Counted tokens per minute since the window started. */
  tokensPerMinute: number;
  /** Counted tokens per minute over the last hour (or since the window started, if shorter). */
  lastHourTokensPerMinute: number;
  /** The rate in 15-minute buckets from the window start to now (the popover's sparkline). */
  series: { at: string; tokensPerMinute: number }[];
}

export interface Runway {
  /** Minutes until the remaining quota is spent at the current burn rate; null when not burning. */
  minutes: number | null;
  /** Tool calls the remaining quota affords. */
  toolCalls: number;
  tokensPerToolCall: number;
  /** `history`: the user's own average in this window; `estimate`: the spec's per-tool table. */
  tokensPerToolCallSource: 'history' | 'estimate';
}

/** One window's outlook at the current pace (main/core/forecast.ts). */
export interface WindowForecast {
  /**
   * When the window reaches 100% at this pace (ISO-8601); null when it does not before it resets
   * (or the pace is zero). A window already spent says `generatedAt`.
   */
  runsOutAt: string | null;
  /**
   * The percent the window would show at its reset at this pace. Not capped: above 100 says how
   * far past the limit the pace goes (the server itself stops at 100). The current percent when
   * the reset is unknown.
   */
  percentAtReset: number;
}

/** When each window runs out at the current pace, and which one stops the user first. */
export interface QuotaForecast {
  /** The window that runs out first; null when neither runs out before its reset. */
  binding: 'fiveHour' | 'sevenDay' | null;
  /** Paced by the burn rate (the runway's rate) against the plan's limit. */
  fiveHour: WindowForecast;
  /** Paced by the server's weekly percent over the observations kept; null with no server weekly figure. */
  sevenDay: WindowForecast | null;
}

export interface NextAlert {
  percent: number;
  /** Counted tokens left before that threshold. */
  tokensUntil: number;
}

export interface LimitSignal {
  /** When Claude Code wrote the usage-limit line. */
  observedAt: string;
  /** The exact reset instant of the limit that was hit, when the line gives one. */
  resetsAt: string | null;
  text: string;
  /** Which limit was hit (five_hour, seven_day, seven_day_opus, ...); null when the line does not say. */
  rateLimitType: string | null;
}

/** One of the server's windows as the status line reported it. */
export interface ServerWindow {
  usedPercent: number;
  resetsAt: string | null;
}

/** The server's own utilisation, from Claude Code's status-line payload (`rate_limits`), while fresh. */
export interface ServerQuota {
  fiveHour: ServerWindow | null;
  sevenDay: ServerWindow | null;
  observedAt: string;
}

/**
 * Where the server's 5-hour percent went since the first observation in its current window
 * (main/core/reconciliation.ts holds the rule): this machine's transcripts explain part of the
 * rise, the rest was used elsewhere (another machine, claude.ai, the desktop app).
 *
 * - Observations: the status line's 5-hour figures of the current server window (one `resetsAt`,
 *   still ahead) up to `generatedAt`. Left out: figures without a reset, stamped after their reset
 *   or before their window began, or in the future; and figures that break the longest run that
 *   never goes down (the server's percent cannot fall within a window).
 * - localPercent: this machine's counted tokens between `since` and `until` times the percent per
 *   token. That rate is the median of `(server rise) / (local tokens)` over pairs of consecutive
 *   observations in one window, within the loaded transcripts, with local usage of at least 1% of
 *   the plan's limit between them, once there are 3 such pairs, bounded to within 10x of the
 *   plan's; before that, 100 / the plan's limit per window.
 * - localPercent is at most serverDeltaPercent, and elsewherePercent = serverDeltaPercent -
 *   localPercent: never negative (when the local estimate exceeds the rise it is clamped to it).
 *   All three in percentage points, to 0.1.
 */
export interface Reconciliation {
  /** The first observation in the current server window (ISO-8601). */
  since: string;
  /** The latest observation: the rise is measured from `since` to here. */
  until: string;
  /** The server's 5-hour percent at `until` minus that at `since`. */
  serverDeltaPercent: number;
  localPercent: number;
  elsewherePercent: number;
  /** `observations`: the rate learned from `pairs` observation pairs; `plan-limit`: the plan's limit (too few pairs yet). */
  calibration: { source: 'observations' | 'plan-limit'; pairs: number };
}

export interface QuotaSnapshot {
  /**
   * Where percentUsed and resetTime come from: the server's figures relayed by the status line
   * while fresh, else the local estimate from the transcripts.
   */
  source: 'transcripts' | 'statusline';
  server: ServerQuota | null;
  /** The week is spent (server's seven-day window at 100%): nothing runs until `server.sevenDay.resetsAt`. */
  weeklyLimitReached: boolean;
  windowAlignment: WindowAlignment;
  countedKinds: TokenKind[];
  hyperaware: boolean;
  currentWindow: CurrentWindow | null;
  percentUsed: number;
  level: QuotaLevel;
  burnRate: BurnRate;
  runway: Runway;
  forecast: QuotaForecast;
  recommendation: string;
  nextAlert: NextAlert | null;
  /** The most recent usage-limit-reached line still relevant at `generatedAt`. */
  limitReached: LimitSignal | null;
  /** Last API response seen in any transcript. */
  lastActivity: string | null;
  /** Server rise vs this machine's share; null with fewer than two observations in the current server window. */
  reconciliation: Reconciliation | null;
}

export interface UnreadableFile {
  path: string;
  error: string;
}

export interface Diagnostics {
  roots: string[];
  filesSeen: number;
  /** Files opened for this Snapshot. */
  filesRead: number;
  /** Files not opened because their mtime predates what the query needed. */
  filesSkippedOld: number;
  bytesRead: number;
  linesRead: number;
  /** Lines skipped for any reason (sum of the counters below that are not `parsed`). */
  linesSkipped: number;
  skipped: Omit<ParseCounters, 'lines' | 'parsed'>;
  duplicatesDropped: number;
  unreadable: UnreadableFile[];
  /**
   * Status-line figures left out as implausible (a percentage outside 0-100, a reset in the past or
   * beyond its window, ...), counted over the state file's life; `last` names the latest one.
   */
  statusLineRejected: { count: number; last: string | null; lastAt: string | null };
  /** One-line messages about state files (a corrupt file moved aside, ...). */
  warnings: string[];
}

/** One 5-hour window in the usage history (`cco history`). */
export interface HistoryWindow {
  start: string;
  end: string;
  tokens: TokenBreakdown;
  /** The tokens the plan counts (the `countedKinds` setting). */
  counted: number;
  /** `counted` as a share of the plan's limit per window. */
  percent: number;
  /** The server's last 5-hour percentage seen in the window (status line); null when none was seen. */
  serverPercent: number | null;
  /** A usage-limit signal fell in the window; null when recorded before such signals were kept. */
  limitHit: boolean | null;
  /** The window still open now (read from the transcripts, not yet in usage-history.json). */
  current: boolean;
}

/** One local calendar day: the windows that started on it. */
export interface HistoryDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  tokens: TokenBreakdown;
  counted: number;
  windows: number;
  limitHits: number;
}

/** The Snapshot's week of history (the popover's chart). */
export interface HistorySnapshot {
  /** The last 7 local days, oldest first, today last. */
  days: HistoryDay[];
  /** The `auto` plan's learned limit: the 90th percentile of completed windows (null with fewer than 5). */
  p90: { limit: number | null; windows: number };
}

export interface Snapshot {
  version: 1;
  /** The instant the Snapshot describes (`--now`, or the clock). */
  generatedAt: string;
  plan: PlanInfo;
  quota: QuotaSnapshot;
  /** Live Claude Code sessions, most recently active first (spec "Session Monitor"). */
  sessions: SessionInfo[];
  /** The current session: the most recently active live one. */
  session: SessionInfo | null;
  /** The current session's context window (spec "Context Window Tracker"); null with no session. */
  context: ContextSnapshot | null;
  /** The planned sessions (session-queue.json): counts, what is ready, what came due. */
  queue: QueueSnapshot;
  /** The last week's usage per day; null until the usage history is kept (plan auto, or after `cco history`). */
  history: HistorySnapshot | null;
  diagnostics: Diagnostics;
}

/**
 * When the figures next change by themselves: the server's or Claude Code's reset, else the
 * window's. Shared by the tray, the notifications and the terminal panels.
 */
export function resetInstant(snapshot: Snapshot): string | null {
  const quota = snapshot.quota;
  return quota.limitReached?.resetsAt ?? quota.currentWindow?.resetTime ?? quota.server?.fiveHour?.resetsAt ?? null;
}
