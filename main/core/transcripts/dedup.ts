/**
 * Deduplication of API responses (claude-code-facts.md §2). One response is written as several
 * lines sharing `message.id` + `requestId`; before v2.1.97 the earlier ones carry a streaming
 * placeholder `output_tokens`. A resumed session copies earlier lines into its new file. So: one
 * event per key, with the copy carrying the most tokens, non-sidechain if any copy is, stamped
 * with the earliest copy's time (the response start, whichever copy won).
 */
import type { ToolEvent, TokenBreakdown, UsageEvent } from '../../../shared/events.js';

export function tokenTotal(tokens: TokenBreakdown): number {
  return tokens.input + tokens.output + tokens.cacheCreation + tokens.cacheRead;
}

export interface DedupResult<T> {
  events: T[];
  dropped: number;
}

export function dedupeUsage(events: Iterable<UsageEvent>): DedupResult<UsageEvent> {
  const byKey = new Map<string, UsageEvent>();
  let seen = 0;
  for (const event of events) {
    seen += 1;
    const kept = byKey.get(event.key);
    if (!kept) {
      byKey.set(event.key, event);
      continue;
    }
    const better = tokenTotal(event.tokens) > tokenTotal(kept.tokens) || (tokenTotal(event.tokens) === tokenTotal(kept.tokens) && kept.sidechain && !event.sidechain);
    const winner = better ? event : kept;
    const merged: UsageEvent = {
      ...winner,
      timestamp: Math.min(event.timestamp, kept.timestamp),
      sidechain: event.sidechain && kept.sidechain,
    };
    // A placeholder winner (no final copy): its text may sit in another copy (one block a line).
    // The most any copy held, not the sum: a resumed file repeats copies.
    if (winner.placeholderChars !== undefined) merged.placeholderChars = Math.max(event.placeholderChars ?? 0, kept.placeholderChars ?? 0);
    byKey.set(event.key, merged);
  }
  const result = [...byKey.values()].sort((a, b) => a.timestamp - b.timestamp);
  return { events: result, dropped: seen - result.length };
}

/** Tool calls are unique by `tool_use.id`; copies in resumed files are dropped. */
export function dedupeTools(events: Iterable<ToolEvent>): ToolEvent[] {
  const byId = new Map<string, ToolEvent>();
  for (const event of events) if (!byId.has(event.id)) byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => a.timestamp - b.timestamp);
}
