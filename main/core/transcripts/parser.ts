/**
 * Lenient transcript line parser (claude-code-facts.md §2): one JSONL line in, zero or more typed
 * events out. It never throws: malformed, unknown, empty and binary lines are counted and skipped.
 * Anthropic says the format is internal and changes between releases, so every field is optional
 * here and checked before use.
 */
import type { ParseCounters, TranscriptEvent, UsageEvent } from '../../../shared/events.js';
import { isRecord } from '../store.js';
import { limitFromApiErrorLine, mayHoldLimitSignal } from './limit-signal.js';
import { MAX_CONTEXT_TOKENS, responseTokens, tokenCount } from './plausible.js';

type Json = Record<string, unknown>;

const KNOWN_TYPES = new Set([
  'user',
  'assistant',
  'system',
  'summary',
  'file-history-snapshot',
  'attachment',
  'progress',
  'queue-operation',
  'custom-title',
  'tag',
  'agent-name',
  'pr-link',
  'last-prompt',
]);


function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** True when the raw line is worth a JSON.parse for quota purposes (the cheap substring test). */
export function isInterestingLine(line: string): boolean {
  return line.includes('"assistant"') || line.includes('compact_boundary') || mayHoldLimitSignal(line);
}

/**
 * Parses one line and appends its events to `out`. `fastSkip` lets the caller skip JSON.parse of
 * well-formed lines that cannot carry an event (user prompts, tool results, snapshots...).
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
  if (fastSkip && !isInterestingLine(trimmed) && trimmed.startsWith('{') && trimmed.endsWith('}') && trimmed.includes('"type":')) {
    counters.parsed += 1;
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    counters.malformed += 1;
    return;
  }
  if (!isRecord(value) || typeof value.type !== 'string') {
    counters.malformed += 1;
    return;
  }
  if (!KNOWN_TYPES.has(value.type)) {
    counters.unknownType += 1;
    return;
  }
  if (value.type === 'assistant') parseAssistant(value, trimmed, counters, out);
  else if (value.type === 'system') parseSystem(value, counters, out);
  else counters.parsed += 1;
}

function timestampOf(line: Json): number | null {
  const raw = line.timestamp;
  if (typeof raw !== 'string') return null;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? ms : null;
}

function parseAssistant(line: Json, raw: string, counters: ParseCounters, out: TranscriptEvent[]): void {
  const message = line.message;
  const timestamp = timestampOf(line);
  if (!isRecord(message) || timestamp === null) {
    counters.malformed += 1;
    return;
  }
  const sessionId = text(line.sessionId);
  const synthetic = message.model === '<synthetic>';
  // Current clients mark the error line with `apiErrorStatus` too (claude-code-facts.md §2).
  const apiError = line.isApiErrorMessage === true || typeof line.apiErrorStatus === 'number';
  if (synthetic || apiError) {
    if (mayHoldLimitSignal(raw)) {
      const signal = limitFromApiErrorLine(line, messageText(message), timestamp);
      if (signal) out.push({ kind: 'limit', timestamp, sessionId, resetsAt: signal.resetsAt, text: signal.text, rateLimitType: signal.rateLimitType });
    }
    if (synthetic) counters.synthetic += 1;
    else counters.apiError += 1;
    return;
  }
  // A response whose usage no response can have is dropped whole (its tool calls too): the line is garbage.
  const usage = isRecord(message.usage) ? message.usage : null;
  const tokens = usage ? responseTokens(usage) : null;
  if (usage && tokens === null) {
    counters.implausible += 1;
    return;
  }
  counters.parsed += 1;
  const sidechain = line.isSidechain === true;
  const content = Array.isArray(message.content) ? message.content : [];
  for (const block of content) {
    if (isRecord(block) && block.type === 'tool_use') {
      out.push({
        kind: 'tool',
        id: text(block.id) || `${text(message.id)}#${out.length}`,
        name: text(block.name) || 'unknown',
        timestamp,
        sessionId,
        sidechain,
      });
    }
  }
  if (tokens === null) return;
  const messageId = text(message.id);
  const requestId = text(line.requestId);
  const event: UsageEvent = {
    kind: 'usage',
    key: messageId ? (requestId ? `${messageId}:${requestId}` : messageId) : `uuid:${text(line.uuid) || raw.length}`,
    timestamp,
    sessionId,
    model: text(message.model),
    sidechain,
    tokens,
  };
  out.push(event);
}

function messageText(message: Json): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) => (isRecord(block) && typeof block.text === 'string' ? block.text : ''))
    .join('\n');
}

function parseSystem(line: Json, counters: ParseCounters, out: TranscriptEvent[]): void {
  counters.parsed += 1;
  const subtype = line.subtype;
  if (subtype !== 'compact_boundary' && subtype !== 'microcompact_boundary') return;
  const timestamp = timestampOf(line);
  if (timestamp === null) return;
  const meta = isRecord(line.compactMetadata) ? line.compactMetadata : isRecord(line.microcompactMetadata) ? line.microcompactMetadata : {};
  const trigger = meta.trigger === 'manual' || meta.trigger === 'auto' ? meta.trigger : 'unknown';
  const pre = meta.preTokens;
  const post = meta.postTokens;
  out.push({
    kind: 'compact',
    timestamp,
    sessionId: text(line.sessionId),
    trigger,
    preTokens: tokenCount(pre, MAX_CONTEXT_TOKENS),
    postTokens: tokenCount(post, MAX_CONTEXT_TOKENS),
    micro: subtype === 'microcompact_boundary',
  });
}
