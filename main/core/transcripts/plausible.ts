/**
 * What one API response can report, and the test every token figure passes before it reaches the
 * quota or the context: transcripts and status-line payloads are untrusted, and one line with
 * `input_tokens: 1e308` would otherwise read as a 999 % quota and send every planned session to
 * CRITICAL. A figure outside these bounds is rejected (and counted), never clamped: a clamped
 * garbage figure still looks real.
 */

/**
 * The largest context window of any model: 1,000,000 tokens (claude-code-facts.md §3). Everything
 * a request sends (input + cache writes + cache reads) fits in it, so no input-side figure of one
 * response, nor their sum, can exceed it; nor can a compaction's pre/post tokens or a status line's
 * window size. Raise it here when a model gets a larger window.
 */
export const MAX_CONTEXT_TOKENS = 1_000_000;

/**
 * The largest `max_tokens` any model accepts: 128K output tokens (Opus 4.6 and later), read
 * generously as 2^17 so either reading of "128K" passes. A response cannot write more. Raise it
 * here when a model's output limit grows.
 */
export const MAX_OUTPUT_TOKENS = 131_072;

/** A token count: a non-negative safe integer no larger than `max`. Null for anything else. */
export function tokenCount(value: unknown, max: number): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max ? value : null;
}

export interface ResponseTokens {
  input: number;
  output: number;
  /** Cache writes (usage.ts `cacheWrites`: the 5m + 1h breakdown when present, else `cache_creation_input_tokens`). */
  cacheCreation: number;
  cacheRead: number;
}

/**
 * The context a request sent: input + cache writes + cache reads, output excluded (the official
 * definition, claude-code-facts.md §3). No more than the largest window for one response.
 */
export function contextSize(tokens: ResponseTokens): number {
  return tokens.input + tokens.cacheCreation + tokens.cacheRead;
}

/**
 * Whether a stored window's totals can come from `messages` responses: each figure a non-negative
 * safe integer, the input side within `messages` full context windows, the output within
 * `messages` maximal outputs. For the usage history, which may predate these checks.
 */
export function plausibleTotals(tokens: ResponseTokens, messages: number): boolean {
  const figures = [tokens.input, tokens.output, tokens.cacheCreation, tokens.cacheRead, messages];
  if (!figures.every((n) => Number.isSafeInteger(n) && n >= 0)) return false;
  return contextSize(tokens) <= messages * MAX_CONTEXT_TOKENS && tokens.output <= messages * MAX_OUTPUT_TOKENS;
}
