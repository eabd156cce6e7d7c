/**
 * Typed events the transcript parser produces from Claude Code's JSONL lines
 * (see shared/spec/claude-code-facts.md §2). Times are epoch milliseconds (UTC) so that the
 * engine compares numbers, never strings; the Snapshot turns them back into ISO-8601.
 */

/** Token counts by kind, as Claude Code's `message.usage` reports them. */
export interface TokenBreakdown {
  input: number;
  output: number;
  /** Cache writes: `cache_creation.ephemeral_5m + ephemeral_1h` when present, else `cache_creation_input_tokens`. */
  cacheCreation: number;
  cacheRead: number;
}

/** One API response (deduplicated across its several transcript lines). */
export interface UsageEvent {
  kind: 'usage';
  /** Dedup key: `message.id` + ':' + `requestId` (or `message.id` alone when there is no requestId). */
  key: string;
  timestamp: number;
  sessionId: string;
  model: string;
  sidechain: boolean;
  tokens: TokenBreakdown;
  /**
   * Characters of text (and thinking) in a copy whose usage looks like a streaming placeholder
   * (no `stop_reason`, tiny output); after dedup, the most any copy held. Absent on other copies.
   * main/core/transcripts/placeholder.ts turns it into an output estimate.
   */
  placeholderChars?: number;
}

/** One `tool_use` content block. */
export interface ToolEvent {
  kind: 'tool';
  id: string;
  name: string;
  timestamp: number;
  sessionId: string;
  sidechain: boolean;
}

/** A `system` line with `subtype: "compact_boundary"` (or `microcompact_boundary`). */
export interface CompactEvent {
  kind: 'compact';
  timestamp: number;
  sessionId: string;
  trigger: 'manual' | 'auto' | 'unknown';
  preTokens: number | null;
  postTokens: number | null;
  micro: boolean;
}

/** An API-error line's rate-limit fields, or its text: "You've hit your limit · resets 8pm (Zone)", "...limit reached|<unix-seconds>". */
export interface LimitEvent {
  kind: 'limit';
  timestamp: number;
  sessionId: string;
  /** Exact reset instant when the line says it; null when it only names an hour we could not resolve. */
  resetsAt: number | null;
  text: string;
  /** Which limit: the API-error line's `rateLimitType` (five_hour, seven_day, ...) or the message's label; null when unknown. */
  rateLimitType: string | null;
}

export type TranscriptEvent = UsageEvent | ToolEvent | CompactEvent | LimitEvent;

/** Why lines were skipped; counted, never thrown. */
export interface ParseCounters {
  lines: number;
  parsed: number;
  malformed: number;
  unknownType: number;
  empty: number;
  binary: number;
  synthetic: number;
  apiError: number;
  /** Assistant lines whose usage no response can have (1e308, negative, fractional, strings...): not counted. */
  implausible: number;
  /** Lines longer than any real line can be (reader.ts MAX_LINE_BYTES): skipped while streaming, never held whole. */
  oversized: number;
}

export function emptyCounters(): ParseCounters {
  return { lines: 0, parsed: 0, malformed: 0, unknownType: 0, empty: 0, binary: 0, synthetic: 0, apiError: 0, implausible: 0, oversized: 0 };
}

export function zeroTokens(): TokenBreakdown {
  return { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 };
}
