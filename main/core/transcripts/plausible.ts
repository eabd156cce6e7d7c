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

/** An optional token count: absent (undefined or null) reads as 0; present but implausible is null. */
function optionalCount(value: unknown, max: number): number | null {
  return value === undefined || value === null ? 0 : tokenCount(value, max);
}

export interface ResponseTokens {
  input: number;
  output: number;
  /** Cache writes: the 5m + 1h breakdown when it says more than `cache_creation_input_tokens`. */
  cacheCreation: number;
  cacheRead: number;
}

/**
 * The token figures of one `message.usage` (claude-code-facts.md §2), or null when any present
 * figure is not a non-negative safe integer within its bound, or the input side together exceeds
 * the largest context window. Absent figures read as 0 (fields are optional across versions).
 */
export function responseTokens(usage: Record<string, unknown>): ResponseTokens | null {
  const input = optionalCount(usage.input_tokens, MAX_CONTEXT_TOKENS);
  const output = optionalCount(usage.output_tokens, MAX_OUTPUT_TOKENS);
  const created = optionalCount(usage.cache_creation_input_tokens, MAX_CONTEXT_TOKENS);
  const cacheRead = optionalCount(usage.cache_read_input_tokens, MAX_CONTEXT_TOKENS);
  if (input === null || output === null || created === null || cacheRead === null) return null;
  let cacheCreation = created;
  const breakdown = usage.cache_creation;
  if (typeof breakdown === 'object' && breakdown !== null && !Array.isArray(breakdown)) {
    const split = breakdown as Record<string, unknown>;
    const fiveMinutes = optionalCount(split.ephemeral_5m_input_tokens, MAX_CONTEXT_TOKENS);
    const oneHour = optionalCount(split.ephemeral_1h_input_tokens, MAX_CONTEXT_TOKENS);
    if (fiveMinutes === null || oneHour === null) return null;
    // A past Claude Code bug reported cache_creation_input_tokens as 0 while the breakdown was right.
    if (fiveMinutes + oneHour > 0) cacheCreation = fiveMinutes + oneHour;
  }
  if (input + cacheCreation + cacheRead > MAX_CONTEXT_TOKENS) return null;
  return { input, output, cacheCreation, cacheRead };
}


/**
 * Whether a stored window's totals can come from `messages` responses: each figure a non-negative
 * safe integer, the input side within `messages` full context windows, the output within
 * `messages` maximal outputs. For the usage history, which may predate these checks.
 */
export function plausibleTotals(tokens: ResponseTokens, messages: number): boolean {
  const figures = [tokens.input, tokens.output, tokens.cacheCreation, tokens.cacheRead, messages];
  if (!figures.every((n) => Number.isSafeInteger(n) && n >= 0)) return false;
  return tokens.input + tokens.cacheCreation + tokens.cacheRead <= messages * MAX_CONTEXT_TOKENS && tokens.output <= messages * MAX_OUTPUT_TOKENS;
}
