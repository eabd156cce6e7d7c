/**
 * The quota window rule (spec "Quota Tracker", "Token Quota Calculation"): a window starts at the
 * first token used when none is active and resets 5 hours later; the next token after that starts
 * the next window. With `hour` alignment a window starts on the hour of its first token, which is
 * what Anthropic's servers are observed to do (claude-code-facts.md §7) and how ccusage draws blocks.
 * Everything here is pure: events, settings and the clock (`now`) in, figures out.
 */
import type { LimitEvent, TokenBreakdown, ToolEvent, UsageEvent } from '../../shared/events.js';
import { zeroTokens } from '../../shared/events.js';
import { formatTokens } from '../../shared/format.js';
import { quotaLevelRow, thresholdTable, type QuotaLevel, type ThresholdRow } from '../../shared/levels.js';
import { WINDOW_MS, type TokenKind } from '../../shared/plans.js';
import type { WindowAlignment } from '../../shared/snapshot.js';
import { paceTokensPerMinute } from './forecast.js';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Width of one burn-rate bucket (the sparkline's resolution). */
const BUCKET_MS = 15 * MINUTE_MS;

export interface QuotaWindow {
  start: number;
  end: number;
  tokens: TokenBreakdown;
  messages: number;
  firstEvent: number;
  lastEvent: number;
}

export function windowStartFor(timestamp: number, alignment: WindowAlignment): number {
  return alignment === 'hour' ? Math.floor(timestamp / HOUR_MS) * HOUR_MS : timestamp;
}

export function addTokens(into: TokenBreakdown, add: TokenBreakdown): void {
  into.input += add.input;
  into.output += add.output;
  into.cacheCreation += add.cacheCreation;
  into.cacheRead += add.cacheRead;
}

export function countedTokens(tokens: TokenBreakdown, kinds: readonly TokenKind[]): number {
  let sum = 0;
  for (const kind of kinds) sum += tokens[kind];
  return sum;
}

/** Splits time-ordered usage events into windows. */
export function computeWindows(events: readonly UsageEvent[], alignment: WindowAlignment): QuotaWindow[] {
  const windows: QuotaWindow[] = [];
  let current: QuotaWindow | null = null;
  for (const event of events) {
    if (!current || event.timestamp >= current.end) {
      const start = windowStartFor(event.timestamp, alignment);
      current = { start, end: start + WINDOW_MS, tokens: zeroTokens(), messages: 0, firstEvent: event.timestamp, lastEvent: event.timestamp };
      windows.push(current);
    }
    addTokens(current.tokens, event.tokens);
    current.messages += 1;
    current.lastEvent = event.timestamp;
  }
  return windows;
}

/**
 * Index of the first event from which windows are certain when only events at or after
 * `knownSince` are loaded: the event after the last gap of 5 hours or more (a gap that long ends
 * any window), or null when no such gap proves where the chain of windows restarts.
 */
export function anchorIndex(events: readonly UsageEvent[], knownSince: number): number | null {
  for (let i = events.length - 1; i >= 1; i -= 1) {
    if ((events[i] as UsageEvent).timestamp - (events[i - 1] as UsageEvent).timestamp >= WINDOW_MS) return i;
  }
  if (events.length === 0) return 0;
  return (events[0] as UsageEvent).timestamp - knownSince >= WINDOW_MS ? 0 : null;
}

/** The window that holds `now`, if any. */
export function activeWindow(windows: readonly QuotaWindow[], now: number): QuotaWindow | null {
  const last = windows[windows.length - 1];
  return last && last.start <= now && now < last.end ? last : null;
}

/** The spec's per-tool token estimates ("Token Estimates (per tool call)"). */
export const TOOL_TOKEN_ESTIMATES: Readonly<Record<string, number>> = {
  Edit: 1500,
  Write: 1200,
  Read: 800,
  WebFetch: 1000,
  Task: 2000,
  Grep: 500,
  Glob: 400,
  Bash: 300,
};
const DEFAULT_TOOL_ESTIMATE = Math.round(
  Object.values(TOOL_TOKEN_ESTIMATES).reduce((a, b) => a + b, 0) / Object.keys(TOOL_TOKEN_ESTIMATES).length,
);
/** Below this many tool calls the user's own average is too noisy to trust. */
const MIN_TOOL_CALLS_FOR_HISTORY = 10;

export function toolEstimate(name: string): number {
  return TOOL_TOKEN_ESTIMATES[name] ?? DEFAULT_TOOL_ESTIMATE;
}

export interface QuotaInput {
  usage: readonly UsageEvent[];
  tools: readonly ToolEvent[];
  limits: readonly LimitEvent[];
  /** Index into `usage` where windows are certain (see anchorIndex). */
  anchor: number;
  limit: number;
  countedKinds: readonly TokenKind[];
  alignment: WindowAlignment;
  hyperaware: boolean;
  now: number;
  /**
   * The server's own 5-hour figure from the status line, while fresh. It wins over the local
   * estimate for the percentage, the reset time and everything derived from them.
   */
  server?: { usedPercent: number; resetsAt: number | null } | null;
}

export interface QuotaFigures {
  window: QuotaWindow | null;
  resetTime: number | null;
  tokensUsed: number;
  remaining: number;
  percentUsed: number;
  level: QuotaLevel;
  toolCalls: number;
  burnRate: { tokensPerMinute: number; lastHourTokensPerMinute: number; series: { at: number; tokensPerMinute: number }[] };
  runway: { minutes: number | null; toolCalls: number; tokensPerToolCall: number; tokensPerToolCallSource: 'history' | 'estimate' };
  nextAlert: { percent: number; tokensUntil: number } | null;
  limitReached: LimitEvent | null;
  recommendation: string;
  lastActivity: number | null;
}


export function computeQuota(input: QuotaInput): QuotaFigures {
  const { now, limit, countedKinds } = input;
  const past = input.usage.slice(input.anchor).filter((event) => event.timestamp <= now);
  const window = activeWindow(computeWindows(past, input.alignment), now);
  const inWindow = window ? past.filter((event) => event.timestamp >= window.firstEvent) : [];
  const tokensUsed = window ? countedTokens(window.tokens, countedKinds) : 0;

  const limitReached = activeLimit(input.limits, window, input.usage, now);
  const server = input.server ?? null;
  let percentUsed = server ? server.usedPercent : limit > 0 ? (tokensUsed / limit) * 100 : 0;
  // Claude Code said the limit is reached: that is the server's word, whatever our estimate says.
  if (limitReached) percentUsed = Math.max(percentUsed, 100);
  const remaining = limitReached
    ? 0
    : server
      ? Math.max(0, Math.round((limit * (100 - server.usedPercent)) / 100))
      : Math.max(0, limit - tokensUsed);
  let resetTime = window ? window.end : null;
  if (server?.resetsAt) resetTime = server.resetsAt;
  if (limitReached?.resetsAt && resetsFiveHourWindow(limitReached)) resetTime = limitReached.resetsAt;

  const tools = window ? input.tools.filter((tool) => tool.timestamp >= window.start && tool.timestamp <= now) : [];
  const elapsedMin = window ? Math.max(1, (now - window.start) / MINUTE_MS) : 0;
  const tokensPerMinute = window ? tokensUsed / elapsedMin : 0;
  const hourStart = Math.max(now - HOUR_MS, window?.start ?? now);
  const lastHourTokens = inWindow
    .filter((event) => event.timestamp >= hourStart)
    .reduce((sum, event) => sum + countedTokens(event.tokens, countedKinds), 0);
  const lastHourMin = Math.max(1, (now - hourStart) / MINUTE_MS);
  const lastHourTokensPerMinute = window ? lastHourTokens / lastHourMin : 0;

  const series: { at: number; tokensPerMinute: number }[] = [];
  if (window) {
    for (let at = window.start; at < now; at += BUCKET_MS) {
      const end = Math.min(now, at + BUCKET_MS);
      const tokens = inWindow.filter((e) => e.timestamp >= at && e.timestamp < end).reduce((sum, e) => sum + countedTokens(e.tokens, countedKinds), 0);
      series.push({ at, tokensPerMinute: tokens / Math.max(1, (end - at) / MINUTE_MS) });
    }
  }

  const rate = paceTokensPerMinute({ tokensPerMinute, lastHourTokensPerMinute });
  const fromHistory = tools.length >= MIN_TOOL_CALLS_FOR_HISTORY && tokensUsed > 0;
  const tokensPerToolCall = fromHistory
    ? Math.max(1, Math.round(tokensUsed / tools.length))
    : tools.length > 0
      ? Math.round(tools.reduce((sum, tool) => sum + toolEstimate(tool.name), 0) / tools.length)
      : DEFAULT_TOOL_ESTIMATE;
  const runway = {
    minutes: rate > 0 ? Math.floor(remaining / rate) : null,
    toolCalls: Math.floor(remaining / tokensPerToolCall),
    tokensPerToolCall,
    tokensPerToolCallSource: fromHistory ? ('history' as const) : ('estimate' as const),
  };

  const row = quotaLevelRow(percentUsed, input.hyperaware);
  const next = nextThreshold(percentUsed, input.hyperaware);
  const usedEquivalent = server ? limit - remaining : tokensUsed;
  const nextAlert = next ? { percent: next.percent, tokensUntil: Math.max(0, Math.ceil((limit * next.percent) / 100 - usedEquivalent)) } : null;
  const percentLeft = Math.max(0, Math.round(100 - percentUsed));
  let advice = row.advice;
  if (row.level === 'danger') advice += ` About ${formatTokens(runway.toolCalls)} tool calls left.`;
  const recommendation = limitReached
    ? `🚨 LIMIT REACHED: Claude Code reports the usage limit is reached${resetTime ? ' until the reset' : ''}. Save work; schedule the next session for after the reset.`
    : `${row.emoji} ${row.label}: ${formatTokens(remaining)} tokens remaining (${percentLeft}% left). ${advice}`;

  const lastActivity = past.length > 0 ? (past[past.length - 1] as UsageEvent).timestamp : null;
  return {
    window,
    resetTime,
    tokensUsed,
    remaining,
    percentUsed,
    level: row.level,
    toolCalls: tools.length,
    burnRate: { tokensPerMinute, lastHourTokensPerMinute, series },
    runway,
    nextAlert,
    limitReached,
    recommendation,
    lastActivity,
  };
}

/**
 * True when a limit signal's reset can stand for the 5-hour window's: the line says five_hour, or
 * names no limit and resets within a day (Claude Code dates a reset further away, and only the
 * weekly and per-model limits reset that late).
 */
export function resetsFiveHourWindow(signal: Pick<LimitEvent, 'rateLimitType' | 'resetsAt' | 'timestamp'>): boolean {
  if (signal.resetsAt === null) return false;
  if (signal.rateLimitType) return signal.rateLimitType === 'five_hour';
  return signal.resetsAt - signal.timestamp <= DAY_MS;
}

/**
 * A usage-limit line still in force at `now`: its reset is ahead; or, without a reset, it falls in
 * the active window and no API response came after it (an API-key 429 passes in a minute).
 */
function activeLimit(limits: readonly LimitEvent[], window: QuotaWindow | null, usage: readonly UsageEvent[], now: number): LimitEvent | null {
  for (let i = limits.length - 1; i >= 0; i -= 1) {
    const signal = limits[i] as LimitEvent;
    if (signal.timestamp > now) continue;
    if (signal.resetsAt !== null) return signal.resetsAt > now ? signal : null;
    if (!window || signal.timestamp < window.start) return null;
    const answeredSince = usage.some((event) => event.timestamp > signal.timestamp && event.timestamp <= now);
    return answeredSince ? null : signal;
  }
  return null;
}

export function nextThreshold(percentUsed: number, hyperaware: boolean): ThresholdRow | null {
  return thresholdTable(hyperaware).find((row) => row.percent > percentUsed) ?? null;
}

/** What a notifier needs to know of a Snapshot's quota to tell which thresholds were crossed. */
export interface ThresholdProbe {
  windowStart: string | null;
  percentUsed: number;
}

/**
 * Notification thresholds crossed between two observations: those above the previous percentage
 * and at or below the new one. A new window starts from 0, so its thresholds fire afresh once.
 */
export function crossedThresholds(previous: ThresholdProbe | null, next: ThresholdProbe, hyperaware: boolean): ThresholdRow[] {
  const sameWindow = previous !== null && previous.windowStart !== null && previous.windowStart === next.windowStart;
  const from = sameWindow ? previous.percentUsed : 0;
  if (next.windowStart === null) return [];
  return thresholdTable(hyperaware).filter((row) => row.percent > from && row.percent <= next.percentUsed);
}
