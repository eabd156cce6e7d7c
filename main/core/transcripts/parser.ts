/**
 * Lenient transcript line parser (claude-code-facts.md §2): one JSONL line in, zero or more typed
 * quota events out. It never throws: malformed, unknown, empty and binary lines are counted and
 * skipped. The line schema and its rules (skip test, dedup key, usage, compaction, limits) are the
 * decoder's (line.ts); this module turns its views into events and counts.
 */
import type { ParseCounters, TranscriptEvent } from '../../../shared/events.js';
import { decodeBlock } from './blocks.js';
import { decodeLine, mayCarryEvent, skippableWithoutParse, type TranscriptLine } from './line.js';
import { lineLimitSignal, mayHoldLimitSignal } from './limit-signal.js';
import { isPlaceholderCopy } from './placeholder.js';

/** True when the raw line is worth a JSON.parse for quota purposes (the decoder's cheap substring test). */
export function isInterestingLine(line: string): boolean {
  return mayCarryEvent(line);
}

/**
 * Parses one line and appends its events to `out`. `fastSkip` lets the caller skip JSON.parse of
 * well-formed lines that cannot carry an event (user prompts, tool results, snapshots...); the
 * reader passes false after the same test on the line's bytes.
 */
export function parseTranscriptLine(line: string, counters: ParseCounters, out: TranscriptEvent[], fastSkip = true): void {
  counters.lines += 1;
  const trimmed = line.trim();
  if (trimmed.length === 0) {
    counters.empty += 1;
    return;
  }
  if (trimmed.includes('\u0000')) {
    counters.binary += 1;
    return;
  }
  if (fastSkip && skippableWithoutParse(trimmed)) {
    counters.parsed += 1;
    return;
  }
  const decoded = decodeLine(trimmed);
  if (decoded === null) {
    counters.malformed += 1;
    return;
  }
  if (!decoded.known) {
    counters.unknownType += 1;
    return;
  }
  if (decoded.type === 'assistant') parseAssistant(decoded, trimmed, counters, out);
  else if (decoded.type === 'system') parseSystem(decoded, counters, out);
  else counters.parsed += 1;
}

function parseAssistant(line: TranscriptLine, raw: string, counters: ParseCounters, out: TranscriptEvent[]): void {
  const timestamp = line.timestamp;
  if (line.message === null || timestamp === null) {
    counters.malformed += 1;
    return;
  }
  const sessionId = line.sessionId;
  if (!line.isResponse) {
    if (mayHoldLimitSignal(raw)) {
      const signal = lineLimitSignal(line, timestamp);
      if (signal) out.push({ kind: 'limit', timestamp, sessionId, resetsAt: signal.resetsAt, text: signal.text, rateLimitType: signal.rateLimitType });
    }
    if (line.synthetic) counters.synthetic += 1;
    else counters.apiError += 1;
    return;
  }
  // A response whose usage no response can have is dropped whole (its tool calls too): the line is garbage.
  const usage = line.usage();
  if (usage === 'implausible') {
    counters.implausible += 1;
    return;
  }
  counters.parsed += 1;
  const sidechain = line.isSidechain;
  for (const item of line.content()) {
    const block = decodeBlock(item);
    if (block?.type === 'tool_use' && !block.server) {
      out.push({ kind: 'tool', id: block.id || `${line.messageId}#${out.length}`, name: block.name, timestamp, sessionId, sidechain });
    }
  }
  if (usage === 'none') return;
  // Without a message id or uuid, the line's length stands in: distinct lines stay distinct.
  const key = line.key ?? `uuid:${raw.length}`;
  // Only a copy that looks like a streaming placeholder has its text measured (placeholder.ts).
  if (isPlaceholderCopy(line.stopReason, usage.output)) {
    out.push({ kind: 'usage', key, timestamp, sessionId, model: line.model, sidechain, tokens: usage, placeholderChars: line.outputTextChars() });
  } else {
    out.push({ kind: 'usage', key, timestamp, sessionId, model: line.model, sidechain, tokens: usage });
  }
}

function parseSystem(line: TranscriptLine, counters: ParseCounters, out: TranscriptEvent[]): void {
  counters.parsed += 1;
  const compaction = line.compaction();
  const timestamp = line.timestamp;
  if (compaction === null || timestamp === null) return;
  out.push({ kind: 'compact', timestamp, sessionId: line.sessionId, trigger: compaction.trigger, preTokens: compaction.preTokens, postTokens: compaction.postTokens, micro: compaction.micro });
}
