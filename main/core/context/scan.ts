/**
 * One pass over a session transcript, collecting what the context analysis needs: the last
 * main-chain response's context, compaction boundaries, and the content since the last
 * compaction, measured in characters and attributed to the spec's breakdown parts. Contents are
 * measured and hashed, never kept, so a 500 MB transcript costs a few MB of memory.
 *
 * Lenient like the quota parser (claude-code-facts.md §2): a line that is not JSON, or not the
 * shape expected, is counted and skipped. Sidechain lines (sub-agents) never count: they are not
 * in the parent's context. Synthetic and API-error lines are not responses.
 */
import { sha1Base64 } from '../crypto.js';
import { MAX_CONTEXT_TOKENS, responseTokens, tokenCount } from '../transcripts/plausible.js';
import { forEachLine } from './session-reader.js';
import type { Segment, SessionScan, TodoItem } from './scan-types.js';
import { IMAGE_CHARS, fencedCodeChars, oneLine, promptRequest } from './text.js';

export type {
  EditedFile,
  EditRecord,
  LastCompact,
  LastResponse,
  PartChars,
  ReadRecord,
  ResponseMark,
  ResultRecord,
  Segment,
  SessionScan,
  TextRecord,
  TodoItem,
} from './scan-types.js';

type Json = Record<string, unknown>;

export const EDIT_TOOLS = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit']);
const READ_TOOLS = new Set(['Read', 'NotebookRead']);
/** Decisions kept for the handoff and the compaction brief. */
export const DECISIONS_KEPT = 3;
const DECISION_CHARS = 280;
const PROMPT_CHARS = 400;

interface ToolUseInfo {
  name: string;
  path: string | null;
  edit: boolean;
  write: boolean;
  counted: boolean;
  answered: boolean;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * input + cache writes + cache reads (cache writes from the 5m/1h breakdown when it says more); null
 * when the usage is not one a response can have (plausible.ts, the same rule as the quota's).
 */
export function contextOfUsage(usage: Json): number | null {
  const tokens = responseTokens(usage);
  return tokens === null ? null : tokens.input + tokens.cacheCreation + tokens.cacheRead;
}

function newSegment(startOrder: number | null): Segment {
  return {
    startOrder,
    systemEstimate: null,
    chars: { fileReads: 0, toolResults: 0, conversation: 0, codeGenerated: 0 },
    readFiles: new Set(),
    reads: 0,
    results: 0,
    prompts: 0,
    codeResponses: new Set(),
    images: 0,
    readRecords: [],
    resultRecords: [],
    textRecords: [],
    edits: [],
    responses: [],
    firstPrompt: null,
    latestPrompt: null,
  };
}

function segmentChars(segment: Segment): number {
  const c = segment.chars;
  return c.fileReads + c.toolResults + c.conversation + c.codeGenerated;
}

/** Text characters and images of a tool_result's or message's content (string or blocks). */
function measureContent(content: unknown): { text: string; images: number; chars: number } {
  if (typeof content === 'string') return { text: content, images: 0, chars: content.length };
  if (!Array.isArray(content)) return { text: '', images: 0, chars: 0 };
  let text = '';
  let images = 0;
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    else if (block.type === 'image' || block.type === 'document') images += 1;
  }
  return { text, images, chars: text.length + images * IMAGE_CHARS };
}

function todoList(input: Json): TodoItem[] | null {
  if (!Array.isArray(input.todos)) return null;
  const items: TodoItem[] = [];
  for (const todo of input.todos) {
    if (!isRecord(todo)) continue;
    const content = str(todo.content) || str(todo.activeForm) || str(todo.subject);
    if (content) items.push({ content: oneLine(content, 200), status: str(todo.status) || 'pending' });
  }
  return items;
}

/**
 * The scan's state machine: feed it lines in file order, read the result at any point. Kept alive
 * by {@link SessionContextTracker} so an appended line costs only its own parse.
 */
export class SessionScanner {
  readonly scan: SessionScan;
  private order = 0;
  private readonly seenUuids = new Set<string>();
  private readonly responseKeys = new Set<string>();
  private readonly tools = new Map<string, ToolUseInfo>();
  private readonly answered = new Set<string>();
  /** Text of the latest responses, by message id (one response spans several lines). */
  private readonly recentTexts = new Map<string, string>();
  private lastResponseKey: string | null = null;

  constructor(file: string, fromOffset: number) {
    this.scan = {
      file,
      fromOffset,
      sessionId: null,
      cwd: null,
      gitBranch: null,
      firstTimestamp: null,
      lastTimestamp: null,
      lastResponse: null,
      lastCompact: null,
      compactions: 0,
      maxContext: 0,
      lastSystemEstimate: null,
      segment: newSegment(null),
      firstPrompt: null,
      latestPrompt: null,
      edited: new Map(),
      lastTodos: null,
      decisions: [],
      counters: { lines: 0, malformed: 0, sidechain: 0, skipped: 0, thinking: 0, toolUsesWithoutResult: 0, implausible: 0, oversized: 0 },
      bytesRead: 0,
    };
  }

  /** A line over the reader's cap, skipped unread (its place in the order still counts). */
  oversizedLine(): void {
    this.scan.counters.lines += 1;
    this.scan.counters.oversized += 1;
    this.order += 1;
  }

  line(raw: Buffer): void {
    const counters = this.scan.counters;
    counters.lines += 1;
    this.order += 1;
    if (raw.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      counters.malformed += 1;
      return;
    }
    if (!isRecord(value) || typeof value.type !== 'string') {
      counters.malformed += 1;
      return;
    }
    const type = value.type;
    if (type !== 'user' && type !== 'assistant' && type !== 'system') {
      counters.skipped += 1;
      return;
    }
    if (value.isSidechain === true) {
      counters.sidechain += 1;
      return;
    }
    const uuid = str(value.uuid);
    if (uuid) {
      // A resumed session's file starts with copies of the earlier lines.
      if (this.seenUuids.has(uuid)) return;
      this.seenUuids.add(uuid);
    }
    this.envelope(value);
    if (type === 'system') this.system(value);
    else if (type === 'user') this.user(value);
    else this.assistant(value);
  }

  private envelope(line: Json): void {
    const s = this.scan;
    if (!s.sessionId && str(line.sessionId)) s.sessionId = str(line.sessionId);
    if (str(line.cwd)) s.cwd = str(line.cwd);
    if (str(line.gitBranch)) s.gitBranch = str(line.gitBranch);
    const ms = typeof line.timestamp === 'string' ? Date.parse(line.timestamp) : Number.NaN;
    if (Number.isFinite(ms)) {
      if (s.firstTimestamp === null) s.firstTimestamp = ms;
      s.lastTimestamp = s.lastTimestamp === null ? ms : Math.max(s.lastTimestamp, ms);
    }
  }

  private timestamp(line: Json): number {
    const ms = typeof line.timestamp === 'string' ? Date.parse(line.timestamp) : Number.NaN;
    return Number.isFinite(ms) ? ms : (this.scan.lastTimestamp ?? 0);
  }

  private system(line: Json): void {
    if (line.subtype !== 'compact_boundary') return;
    const meta = isRecord(line.compactMetadata) ? line.compactMetadata : {};
    const s = this.scan;
    const trigger = meta.trigger === 'manual' || meta.trigger === 'auto' ? meta.trigger : 'unknown';
    const preTokens = tokenCount(meta.preTokens, MAX_CONTEXT_TOKENS);
    s.lastCompact = { order: this.order, timestamp: this.timestamp(line), trigger, preTokens, postTokens: tokenCount(meta.postTokens, MAX_CONTEXT_TOKENS) };
    s.compactions += 1;
    if (preTokens !== null) s.maxContext = Math.max(s.maxContext, preTokens);
    if (s.segment.systemEstimate !== null) s.lastSystemEstimate = s.segment.systemEstimate;
    s.segment = newSegment(this.order);
  }

  private prompt(text: string): void {
    const request = promptRequest(text);
    if (request === null) return;
    const shown = oneLine(request, PROMPT_CHARS);
    const s = this.scan;
    s.segment.prompts += 1;
    if (s.segment.firstPrompt === null) s.segment.firstPrompt = shown;
    s.segment.latestPrompt = shown;
    if (s.firstPrompt === null) s.firstPrompt = shown;
    s.latestPrompt = shown;
  }

  private user(line: Json): void {
    const message = isRecord(line.message) ? line.message : null;
    if (!message) return;
    const segment = this.scan.segment;
    const content = message.content;
    const summaryOrMeta = line.isCompactSummary === true || line.isMeta === true;
    if (typeof content === 'string') {
      segment.chars.conversation += content.length;
      segment.textRecords.push({ chars: content.length, response: segment.responses.length });
      if (!summaryOrMeta) this.prompt(content);
      return;
    }
    if (!Array.isArray(content)) return;
    let promptText = '';
    let conversation = 0;
    for (const block of content) {
      if (!isRecord(block)) continue;
      if (block.type === 'tool_result') this.toolResult(block);
      else if (block.type === 'text' && typeof block.text === 'string') {
        promptText += (promptText ? '\n' : '') + block.text;
        conversation += block.text.length;
      } else if (block.type === 'image' || block.type === 'document') {
        segment.images += 1;
        conversation += IMAGE_CHARS;
      }
    }
    if (conversation > 0) {
      segment.chars.conversation += conversation;
      segment.textRecords.push({ chars: conversation, response: segment.responses.length });
    }
    if (!summaryOrMeta && promptText) this.prompt(promptText);
  }

  private toolResult(block: Json): void {
    const id = str(block.tool_use_id);
    if (id) {
      if (this.answered.has(id)) return;
      this.answered.add(id);
    }
    const tool = id ? this.tools.get(id) : undefined;
    if (tool) tool.answered = true;
    const segment = this.scan.segment;
    const measured = measureContent(block.content);
    segment.images += measured.images;
    const response = segment.responses.length;
    const hash = sha1Base64([tool?.name ?? '', '\0', measured.text, `\0${measured.images}`]);
    if (tool && READ_TOOLS.has(tool.name)) {
      segment.chars.fileReads += measured.chars;
      segment.reads += 1;
      const file = tool.path ?? '(unknown file)';
      segment.readFiles.add(file);
      segment.readRecords.push({ path: file, chars: measured.chars, order: this.order, response });
      segment.resultRecords.push({ chars: measured.chars, hash, order: this.order, response, read: true });
      return;
    }
    segment.chars.toolResults += measured.chars;
    segment.results += 1;
    segment.resultRecords.push({ chars: measured.chars, hash, order: this.order, response, read: false });
    if (tool?.counted && block.is_error === true && tool.path) this.uncountEdit(tool);
  }

  /** A failed Edit/Write changed nothing: it does not make the file "edited". */
  private uncountEdit(tool: ToolUseInfo): void {
    const entry = tool.path ? this.scan.edited.get(tool.path) : undefined;
    if (!entry) return;
    if (tool.write) entry.writes = Math.max(0, entry.writes - 1);
    else entry.edits = Math.max(0, entry.edits - 1);
    if (entry.edits + entry.writes === 0) this.scan.edited.delete(entry.path);
    const edits = this.scan.segment.edits;
    for (let i = edits.length - 1; i >= 0; i--) {
      if (edits[i]?.path === tool.path) {
        edits.splice(i, 1);
        break;
      }
    }
    tool.counted = false;
  }

  private assistant(line: Json): void {
    const message = isRecord(line.message) ? line.message : null;
    if (!message) return;
    if (message.model === '<synthetic>' || line.isApiErrorMessage === true) return;
    const s = this.scan;
    const messageId = str(message.id) || `uuid:${str(line.uuid)}`;
    const timestamp = this.timestamp(line);
    const context = isRecord(message.usage) ? contextOfUsage(message.usage) : null;
    if (isRecord(message.usage) && context === null) {
      // Garbage usage: the line is dropped whole, as the quota parser drops it.
      s.counters.implausible += 1;
      return;
    }
    if (context !== null) {
      const segment = s.segment;
      if (!this.responseKeys.has(messageId)) {
        this.responseKeys.add(messageId);
        if (segment.responses.length === 0) {
          // The first response's context is everything it was sent: what the segment's content does not explain is the system prompt, tools and memory.
          segment.systemEstimate = Math.max(0, context - Math.round(segmentChars(segment) / 4));
          s.lastSystemEstimate = segment.systemEstimate;
        }
        segment.responses.push({ timestamp, context, prompts: segment.prompts });
      }
      // One response spans several lines with the same input-side usage: the latest line's order
      // (a boundary must come after all of them) and the largest figure of its copies.
      const same = s.lastResponse !== null && this.lastResponseKey === messageId;
      s.lastResponse = {
        order: this.order,
        timestamp: same && s.lastResponse ? Math.max(s.lastResponse.timestamp, timestamp) : timestamp,
        context: same && s.lastResponse ? Math.max(s.lastResponse.context, context) : context,
        model: str(message.model),
      };
      this.lastResponseKey = messageId;
      s.maxContext = Math.max(s.maxContext, context);
    }
    const content = Array.isArray(message.content) ? message.content : typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : [];
    for (const block of content) {
      if (!isRecord(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') this.assistantText(messageId, block.text);
      else if (block.type === 'thinking' || block.type === 'redacted_thinking') s.counters.thinking += 1;
      else if (block.type === 'tool_use' || block.type === 'server_tool_use') this.toolUse(messageId, block);
    }
  }

  private assistantText(messageId: string, text: string): void {
    const segment = this.scan.segment;
    const code = fencedCodeChars(text);
    segment.chars.codeGenerated += code;
    segment.chars.conversation += text.length - code;
    segment.textRecords.push({ chars: text.length - code, response: segment.responses.length });
    if (code > 0) segment.codeResponses.add(messageId);
    const trimmed = text.trim();
    if (!trimmed) return;
    const previous = this.recentTexts.get(messageId);
    this.recentTexts.delete(messageId);
    this.recentTexts.set(messageId, previous ? `${previous}\n${trimmed}` : trimmed);
    while (this.recentTexts.size > DECISIONS_KEPT) {
      const oldest = this.recentTexts.keys().next().value;
      if (oldest === undefined) break;
      this.recentTexts.delete(oldest);
    }
  }

  private toolUse(messageId: string, block: Json): void {
    const id = str(block.id);
    if (id && this.tools.has(id)) return;
    const name = str(block.name) || 'unknown';
    const input = isRecord(block.input) ? block.input : {};
    const segment = this.scan.segment;
    const chars = JSON.stringify(input).length + name.length;
    const filePath = str(input.file_path) || str(input.notebook_path) || null;
    const info: ToolUseInfo = { name, path: filePath, edit: EDIT_TOOLS.has(name), write: name === 'Write', counted: false, answered: false };
    if (id) this.tools.set(id, info);
    if (READ_TOOLS.has(name)) segment.chars.fileReads += chars;
    else if (info.edit) {
      segment.chars.codeGenerated += chars;
      segment.codeResponses.add(messageId);
      if (filePath) this.countEdit(info, filePath);
    } else segment.chars.toolResults += chars;
    if (name === 'TodoWrite') {
      const todos = todoList(input);
      if (todos) this.scan.lastTodos = todos;
    }
  }

  private countEdit(info: ToolUseInfo, filePath: string): void {
    const edited = this.scan.edited;
    const entry = edited.get(filePath) ?? { path: filePath, edits: 0, writes: 0, lastOrder: 0 };
    if (info.write) entry.writes += 1;
    else entry.edits += 1;
    entry.lastOrder = this.order;
    // Re-insert so the map's order is the order of last edit.
    edited.delete(filePath);
    edited.set(filePath, entry);
    this.scan.segment.edits.push({ path: filePath, order: this.order });
    info.counted = true;
  }

  /** The scan so far (decisions and unanswered tool calls computed now; the scanner goes on). */
  result(bytesRead: number): SessionScan {
    const s = this.scan;
    s.bytesRead = bytesRead;
    s.decisions = [...this.recentTexts.values()].map((text) => oneLine(text, DECISION_CHARS));
    let unanswered = 0;
    for (const tool of this.tools.values()) if (!tool.answered) unanswered += 1;
    s.counters.toolUsesWithoutResult = unanswered;
    return s;
  }
}

/** Scans `file` from `fromOffset` (a line start; 0 for the whole session). */
export function scanSession(file: string, fromOffset = 0): SessionScan {
  const scanner = new SessionScanner(file, fromOffset);
  const read = forEachLine(
    file,
    fromOffset,
    (line) => {
      scanner.line(line);
    },
    undefined,
    undefined,
    { onOversized: () => scanner.oversizedLine() },
  );
  return scanner.result(read.bytesRead);
}

export interface SessionHead {
  sessionId: string | null;
  cwd: string | null;
  firstPrompt: string | null;
}

/**
 * The envelope and first real prompt of a session, from the start of its file; stops as soon as it
 * has them (or after `maxBytes`). Cheap enough to run on every candidate file.
 */
export function readSessionHead(file: string, opts: { maxBytes?: number; wantPrompt?: boolean } = {}): SessionHead {
  const head: SessionHead = { sessionId: null, cwd: null, firstPrompt: null };
  const wantPrompt = opts.wantPrompt ?? true;
  forEachLine(
    file,
    0,
    (raw) => {
      let value: unknown;
      try {
        value = JSON.parse(raw.toString('utf8'));
      } catch {
        return true;
      }
      if (!isRecord(value) || value.isSidechain === true) return true;
      if (!head.sessionId && str(value.sessionId)) head.sessionId = str(value.sessionId);
      if (!head.cwd && str(value.cwd)) head.cwd = str(value.cwd);
      if (wantPrompt && head.firstPrompt === null && value.type === 'user' && value.isMeta !== true && value.isCompactSummary !== true && isRecord(value.message)) {
        const content = value.message.content;
        const text = typeof content === 'string' ? content : measureContent(content).text;
        const request = promptRequest(text);
        if (request !== null) head.firstPrompt = oneLine(request, PROMPT_CHARS);
      }
      return !(head.cwd && head.sessionId && (!wantPrompt || head.firstPrompt !== null));
    },
    opts.maxBytes ?? 4 << 20,
    64 << 10,
  );
  return head;
}
