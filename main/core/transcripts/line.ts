/**
 * The transcript line schema, declared once (claude-code-facts.md §2), and the one decoder the quota
 * parser (parser.ts) and the context scan (context/scan.ts) read lines through. Anthropic says the
 * format is internal and changes between releases, so every field is optional and checked here.
 *
 * Cost: transcripts reach hundreds of MB, so a line that cannot matter is skipped before any
 * JSON.parse (`skippableWithoutParse`), a line is parsed once (`decodeLine`), and its views are
 * getters and small functions over the parsed record, computed only when a consumer asks: the
 * quota parser reads usage and tool names, the context scan reads every content block (blocks.ts).
 */
import type { CompactEvent } from '../../../shared/events.js';
import { isRecord } from '../store.js';
import { MAX_CONTEXT_TOKENS, tokenCount, type ResponseTokens } from './plausible.js';
import { responseKey, responseTokens } from './usage.js';

export type JsonRecord = Record<string, unknown>;

/** A string field, or '' when absent or not a string. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// ---- The skip test: substrings tested on the raw line, text or bytes, before any JSON.parse.

/**
 * Substrings one of which every line that can carry a quota event holds: responses, tool calls and
 * API errors (limit fields included) are `"assistant"` lines; compactions are `compact_boundary`
 * (and `microcompact_boundary`) system lines. A line quoting a limit message's text is parsed too.
 */
/**
 * Markers of the limit messages' text forms (limit-signal.ts): the old "…limit reached|<seconds>"
 * and the current "hit your … limit". Any line may quote them. Declared here, not there, so that
 * decoding a line does not load the limit rule (the hooks' bundle stays small).
 */
export const LIMIT_TEXT_NEEDLES: readonly string[] = ['limit reached|', 'hit your '];
const BOUNDARY = 'compact_boundary';
const EVENT_NEEDLES = ['"assistant"', BOUNDARY, ...LIMIT_TEXT_NEEDLES];
const EVENT_NEEDLE_BYTES = EVENT_NEEDLES.map((needle) => Buffer.from(needle));
const BOUNDARY_BYTES = Buffer.from(BOUNDARY);
const TYPE_KEY = '"type":';
const TYPE_KEY_BYTES = Buffer.from(TYPE_KEY);
/** The field only a real compaction boundary has unescaped (inside a JSON string a quote is escaped). */
export const COMPACT_BOUNDARY_FIELD = `"subtype":"${BOUNDARY}"`;

/** True when a raw line (text or bytes) may carry a quota event (usage, tool call, compaction, limit). */
export function mayCarryEvent(line: string | Buffer): boolean {
  if (typeof line === 'string') {
    for (const needle of EVENT_NEEDLES) if (line.includes(needle)) return true;
  } else {
    for (const needle of EVENT_NEEDLE_BYTES) if (line.includes(needle)) return true;
  }
  return false;
}

/**
 * A line that cannot carry a quota event and is well-formed enough to need no JSON.parse: one
 * JSON object (braces at both ends, a `"type":` key, no NUL byte). This keeps tool results and
 * prompts, most of a transcript's bytes, off the parser. Anything else goes to `decodeLine`, which
 * counts what it cannot read.
 */
export function skippableWithoutParse(line: string | Buffer): boolean {
  if (typeof line === 'string') {
    if (!line.startsWith('{') || !line.endsWith('}') || line.includes('\u0000')) return false;
    return !mayCarryEvent(line) && line.includes(TYPE_KEY);
  }
  if (line.length < 2 || line[0] !== 0x7b || line[line.length - 1] !== 0x7d || line.indexOf(0) !== -1) return false;
  return !mayCarryEvent(line) && line.includes(TYPE_KEY_BYTES);
}

const TIMESTAMP_KEY = Buffer.from('"timestamp":"');

/**
 * The `timestamp` of a raw line, epoch ms, read without a JSON.parse: the first such key, usually
 * the envelope's; null when absent or unreadable. For reading a file backwards to the hours wanted
 * (reader.ts `findOffsetSince`, whose slack absorbs the odd line that answers wrong).
 */
export function rawTimestamp(line: Buffer): number | null {
  const at = line.indexOf(TIMESTAMP_KEY);
  if (at === -1) return null;
  const start = at + TIMESTAMP_KEY.length;
  const end = line.indexOf(0x22, start);
  if (end === -1 || end - start > 40) return null;
  const ms = Date.parse(line.toString('latin1', start, end));
  return Number.isFinite(ms) ? ms : null;
}

// ---- Decoding.

/** Line types Claude Code writes (claude-code-facts.md §2); others are skipped as unknown. */
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

/** A compaction boundary (`system` line, subtype `compact_boundary` or `microcompact_boundary`). */
export interface CompactBoundary {
  micro: boolean;
  trigger: CompactEvent['trigger'];
  preTokens: number | null;
  postTokens: number | null;
}

/** What a `message.usage` says: no usage object, usage no response can have, or its figures. */
export type UsageReading = ResponseTokens | 'none' | 'implausible';

/** One JSON-parsed line (an object with a string `type`): the envelope as getters, the rest as methods. */
export class TranscriptLine {
  /** The message (user and assistant lines), read once: most views go through it. */
  readonly message: JsonRecord | null;

  constructor(
    readonly record: JsonRecord,
    readonly type: string,
  ) {
    const message = record.message;
    this.message = isRecord(message) ? message : null;
  }

  /** A type Claude Code writes (the rest is skipped, counted as unknown). */
  get known(): boolean {
    return KNOWN_TYPES.has(this.type);
  }

  // The envelope (user/assistant/system lines; '' or false when absent).
  get subtype(): string {
    return text(this.record.subtype);
  }
  get sessionId(): string {
    return text(this.record.sessionId);
  }
  get uuid(): string {
    return text(this.record.uuid);
  }
  get cwd(): string {
    return text(this.record.cwd);
  }
  get gitBranch(): string {
    return text(this.record.gitBranch);
  }
  get version(): string {
    return text(this.record.version);
  }
  get requestId(): string {
    return text(this.record.requestId);
  }
  /** A sub-agent's line: never in the parent's context; its usage counts for the quota. */
  get isSidechain(): boolean {
    return this.record.isSidechain === true;
  }
  /** Text the client injected (command output, caveats): not the user's prompt. */
  get isMeta(): boolean {
    return this.record.isMeta === true;
  }
  /** The summary a compaction wrote as the next user line: not the user's prompt. */
  get isCompactSummary(): boolean {
    return this.record.isCompactSummary === true;
  }
  /** Epoch ms of the ISO-8601 `timestamp`; null when absent or unreadable. */
  get timestamp(): number | null {
    const raw = this.record.timestamp;
    if (typeof raw !== 'string') return null;
    const ms = Date.parse(raw);
    return Number.isFinite(ms) ? ms : null;
  }

  // The message's fields.
  get messageId(): string {
    return text(this.message?.id);
  }
  get model(): string {
    return text(this.message?.model);
  }
  get synthetic(): boolean {
    return this.message?.model === '<synthetic>';
  }
  /** An API-error line; current clients mark it with `apiErrorStatus` too (claude-code-facts.md §2). */
  get apiError(): boolean {
    return this.record.isApiErrorMessage === true || typeof this.record.apiErrorStatus === 'number';
  }
  /** An assistant line that is an API response: not `<synthetic>`, not an API error (those carry no real usage). */
  get isResponse(): boolean {
    return this.type === 'assistant' && this.message !== null && !this.synthetic && !this.apiError;
  }

  /** The response's dedup key (usage.ts `responseKey`), `uuid:<uuid>` without a message id, null without either. */
  get key(): string | null {
    const key = responseKey(this.messageId, this.requestId);
    if (key !== null) return key;
    const uuid = this.uuid;
    return uuid ? `uuid:${uuid}` : null;
  }

  /** The message's usage, read and checked (usage.ts). */
  usage(): UsageReading {
    const usage = this.message?.usage;
    if (!isRecord(usage)) return 'none';
    return responseTokens(usage) ?? 'implausible';
  }

  /** The message's content as blocks: a string content is one text block; anything else none. */
  content(): readonly unknown[] {
    const content = this.message?.content;
    if (Array.isArray(content)) return content;
    return typeof content === 'string' ? [{ type: 'text', text: content }] : [];
  }

  /** The compaction boundary of a `system` line, or null for any other line. */
  compaction(): CompactBoundary | null {
    if (this.type !== 'system') return null;
    const subtype = this.record.subtype;
    if (subtype !== 'compact_boundary' && subtype !== 'microcompact_boundary') return null;
    const line = this.record;
    const meta = isRecord(line.compactMetadata) ? line.compactMetadata : isRecord(line.microcompactMetadata) ? line.microcompactMetadata : {};
    return {
      micro: subtype === 'microcompact_boundary',
      trigger: meta.trigger === 'manual' || meta.trigger === 'auto' ? meta.trigger : 'unknown',
      preTokens: tokenCount(meta.preTokens, MAX_CONTEXT_TOKENS),
      postTokens: tokenCount(meta.postTokens, MAX_CONTEXT_TOKENS),
    };
  }

  /** `message.stop_reason`: null on streaming copies, undefined when absent. */
  get stopReason(): unknown {
    return this.message?.stop_reason;
  }

  /** Characters of the text and thinking this line's content holds (output a placeholder copy did not count). */
  outputTextChars(): number {
    let chars = 0;
    for (const block of this.content()) {
      if (!isRecord(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') chars += block.text.length;
      else if (block.type === 'thinking' && typeof block.thinking === 'string') chars += block.thinking.length;
    }
    return chars;
  }

  /** The text of the message: its string content, or the `text` of its blocks, one per line. */
  messageText(): string {
    const content = this.message?.content;
    if (typeof content === 'string') return content;
    if (!Array.isArray(content)) return '';
    return content.map((block) => (isRecord(block) && typeof block.text === 'string' ? block.text : '')).join('\n');
  }
}

/** Parses one line (text without its newline): a {@link TranscriptLine}, or null when it is not JSON or not an object with a string `type`. */
export function decodeLine(raw: string): TranscriptLine | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.type !== 'string') return null;
  return new TranscriptLine(value, value.type);
}

/** A real `compact_boundary` line (not a prompt that merely mentions the word), from its raw bytes. */
export function isCompactBoundaryLine(line: Buffer): boolean {
  if (!line.includes(BOUNDARY_BYTES)) return false;
  const compaction = decodeLine(line.toString('utf8'))?.compaction() ?? null;
  return compaction !== null && !compaction.micro;
}
