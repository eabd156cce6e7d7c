/**
 * Placeholder output (claude-code-facts.md §2): several client versions write a response only as
 * its streaming copies, each with a placeholder `output_tokens` (8, say) and `stop_reason` null,
 * and never the final copy: three copies of 8 tokens for ~28K characters of text. Every tool
 * under-counts such histories. A deduplicated response whose best copy is such a placeholder
 * (open, tiny output) while its copies hold long text is one of them; its output is estimated from
 * the text at about 4 characters a token. The estimate is reported, and counted only when the
 * user asks (setting `countPlaceholderEstimate`): it is an estimate, not what the server counted.
 */
import type { UsageEvent } from '../../../shared/events.js';
import type { PlaceholderOutput } from '../../../shared/snapshot.js';

/** A copy with at most this output and no `stop_reason` may be a streaming placeholder. */
export const PLACEHOLDER_MAX_OUTPUT = 16;
/** Text shorter than this fits a tiny output: not evidence of a missing final copy. */
export const PLACEHOLDER_MIN_CHARS = 200;
export const CHARS_PER_TOKEN = 4;

/** True when a copy's usage looks like a streaming placeholder (its text is counted by the parser then). */
export function isPlaceholderCopy(stopReason: unknown, output: number): boolean {
  return (stopReason === null || stopReason === undefined) && output <= PLACEHOLDER_MAX_OUTPUT;
}

/** The output missing from one deduplicated response: the text's estimate beyond what was recorded; 0 when not a placeholder. */
export function missingOutput(event: UsageEvent): number {
  const chars = event.placeholderChars;
  if (chars === undefined || chars < PLACEHOLDER_MIN_CHARS) return 0;
  return Math.max(0, Math.ceil(chars / CHARS_PER_TOKEN) - event.tokens.output);
}

/** The placeholder responses among `events` and the output they are estimated to miss. */
export function placeholderOutput(events: readonly UsageEvent[]): PlaceholderOutput {
  let responses = 0;
  let estimatedTokens = 0;
  for (const event of events) {
    const missing = missingOutput(event);
    if (missing === 0) continue;
    responses += 1;
    estimatedTokens += missing;
  }
  return { responses, estimatedTokens };
}

/** The events with the estimate added to their output (for `countPlaceholderEstimate`); the others as they are. */
export function withPlaceholderEstimate(events: readonly UsageEvent[]): UsageEvent[] {
  return events.map((event) => {
    const missing = missingOutput(event);
    return missing === 0 ? event : { ...event, tokens: { ...event.tokens, output: event.tokens.output + missing } };
  });
}
