/**
 * The `message.usage` schema (claude-code-facts.md §2) and the rules read off it, each in one place:
 * which fields are cache writes, and which key names one API response. Transcript lines
 * (line.ts) and the status line's `context_window.current_usage` (statusline-store.ts) share the
 * shape, so both read it here; the bounds every figure must pass are plausible.ts's.
 */
import { MAX_CONTEXT_TOKENS, MAX_OUTPUT_TOKENS, contextSize, tokenCount, type ResponseTokens } from './plausible.js';

/** An optional token count: absent (undefined or null) reads as 0 (fields come and go across versions); present but implausible is null. */
function optionalCount(value: unknown, max: number): number | null {
  return value === undefined || value === null ? 0 : tokenCount(value, max);
}

/**
 * Cache writes: the `cache_creation` breakdown (5m + 1h) when it is present and says anything,
 * else `cache_creation_input_tokens`. A past Claude Code bug reported `cache_creation_input_tokens`
 * as 0 while the breakdown was right; when both are 0 the answer is 0 either way.
 */
export function cacheWrites(created: number, fiveMinutes: number | null, oneHour: number | null): number {
  const split = (fiveMinutes ?? 0) + (oneHour ?? 0);
  return split > 0 ? split : created;
}

/**
 * The token figures of one usage record, or null when any present figure is not a non-negative
 * safe integer within its bound, or the input side (the context it sent) exceeds the largest
 * context window: such a record is garbage and is rejected whole, never clamped.
 */
export function responseTokens(usage: Record<string, unknown>): ResponseTokens | null {
  const input = optionalCount(usage.input_tokens, MAX_CONTEXT_TOKENS);
  const output = optionalCount(usage.output_tokens, MAX_OUTPUT_TOKENS);
  const created = optionalCount(usage.cache_creation_input_tokens, MAX_CONTEXT_TOKENS);
  const cacheRead = optionalCount(usage.cache_read_input_tokens, MAX_CONTEXT_TOKENS);
  if (input === null || output === null || created === null || cacheRead === null) return null;
  let fiveMinutes: number | null = null;
  let oneHour: number | null = null;
  const breakdown = usage.cache_creation;
  if (typeof breakdown === 'object' && breakdown !== null && !Array.isArray(breakdown)) {
    const split = breakdown as Record<string, unknown>;
    fiveMinutes = optionalCount(split.ephemeral_5m_input_tokens, MAX_CONTEXT_TOKENS);
    oneHour = optionalCount(split.ephemeral_1h_input_tokens, MAX_CONTEXT_TOKENS);
    if (fiveMinutes === null || oneHour === null) return null;
  }
  const tokens: ResponseTokens = { input, output, cacheCreation: cacheWrites(created, fiveMinutes, oneHour), cacheRead };
  return contextSize(tokens) > MAX_CONTEXT_TOKENS ? null : tokens;
}

/**
 * The key of one API response: `message.id` + `requestId` (or `message.id` alone when the line has
 * no requestId). Every line of a response carries both (one line per content block, and resumed
 * sessions copy them), so quota dedup (dedup.ts) and context accounting (context/scan.ts) group
 * lines by it. Null without a `message.id`: the caller says what identifies such a line.
 */
export function responseKey(messageId: string, requestId: string): string | null {
  if (!messageId) return null;
  // Joined, not a template: a template makes a rope of two joins that holds both parsed strings,
  // ~2.5x the bytes of the flat text join builds, and the long-running Engine keeps a key per
  // response of the current window (issue 15.1).
  return requestId ? [messageId, requestId].join(':') : messageId;
}
