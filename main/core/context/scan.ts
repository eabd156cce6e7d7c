/**
 * One pass over a session transcript, collecting what the context analysis needs: the last
 * main-chain response's context, compaction boundaries, and the content since the last
 * compaction, measured in characters and attributed to the spec's breakdown parts. Contents are
 * measured and hashed, never kept, so a 500 MB transcript costs a few MB of memory.
 *
 * Lines are read through the transcript decoder (transcripts/line.ts), as the quota parser reads
 * them: a line that is not JSON, or not the shape expected, is counted and skipped. Sidechain lines
 * (sub-agents) never count: they are not in the parent's context. Synthetic and API-error lines are
 * not responses. Lines of one response share the decoder's response key.
 */
import { sha1Base64 } from '../crypto.js';
import { isRecord } from '../store.js';
import { decodeBlock, type ToolResultBlock, type ToolUseBlock } from '../transcripts/blocks.js';
import { decodeLine, text as str, type JsonRecord, type TranscriptLine } from '../transcripts/line.js';
import { contextSize } from '../transcripts/plausible.js';
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
  for (const item of content) {
    const block = decodeBlock(item);
    if (block?.type === 'text') text += block.text;
    else if (block?.type === 'media') images += 1;
  }
  return { text, images, chars: text.length + images * IMAGE_CHARS };
}

function todoList(input: JsonRecord): TodoItem[] | null {
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
  /** Text of the latest responses, by response key (one response spans several lines). */
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
    const line = decodeLine(raw.toString('utf8'));
    if (line === null) {
      counters.malformed += 1;
      return;
    }
    const type = line.type;
    if (type !== 'user' && type !== 'assistant' && type !== 'system') {
      counters.skipped += 1;
      return;
    }
    if (line.isSidechain) {
      counters.sidechain += 1;
      return;
    }
    const uuid = line.uuid;
    if (uuid) {
      // A resumed session's file starts with copies of the earlier lines.
      if (this.seenUuids.has(uuid)) return;
      this.seenUuids.add(uuid);
    }
    this.envelope(line);
    if (type === 'system') this.system(line);
    else if (type === 'user') this.user(line);
    else this.assistant(line);
  }

  private envelope(line: TranscriptLine): void {
    const s = this.scan;
    if (!s.sessionId && line.sessionId) s.sessionId = line.sessionId;
    if (line.cwd) s.cwd = line.cwd;
    if (line.gitBranch) s.gitBranch = line.gitBranch;
    const ms = line.timestamp;
    if (ms !== null) {
      if (s.firstTimestamp === null) s.firstTimestamp = ms;
      s.lastTimestamp = s.lastTimestamp === null ? ms : Math.max(s.lastTimestamp, ms);
    }
  }

  private timestamp(line: TranscriptLine): number {
    return line.timestamp ?? this.scan.lastTimestamp ?? 0;
  }

  private system(line: TranscriptLine): void {
    const compaction = line.compaction();
    // A microcompaction trims old tool results in place: the segment goes on.
    if (compaction === null || compaction.micro) return;
    const s = this.scan;
    const { trigger, preTokens, postTokens } = compaction;
    s.lastCompact = { order: this.order, timestamp: this.timestamp(line), trigger, preTokens, postTokens };
    s.compactions += 1;
    if (preTokens !== null) s.maxContext = Math.max(s.maxContext, preTokens);
    if (s.segment.systemEstimate !== null) s.lastSystemEstimate = s.segment.systemEstimate;
    s.segment = newSegment(this.order);
    // Nothing from before a boundary is matched after it (a scan from the last boundary, as the
    // Engine's trackers start, has never seen it either): the dedup sets and the answered tool
    // calls go, so a long session's scanner holds one segment's ids, not every line's (issue 15.1).
    this.seenUuids.clear();
    this.responseKeys.clear();
    this.answered.clear();
    for (const [id, tool] of this.tools) if (tool.answered) this.tools.delete(id);
  }

  /** How many line ids, response keys and tool calls the scanner holds (what it grows with). */
  get retainedIds(): number {
    return this.seenUuids.size + this.responseKeys.size + this.answered.size + this.tools.size;
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

  private user(line: TranscriptLine): void {
    const message = line.message;
    if (!message) return;
    const segment = this.scan.segment;
    const content = message.content;
    const summaryOrMeta = line.isCompactSummary || line.isMeta;
    if (typeof content === 'string') {
      segment.chars.conversation += content.length;
      segment.textRecords.push({ chars: content.length, response: segment.responses.length });
      if (!summaryOrMeta) this.prompt(content);
      return;
    }
    if (!Array.isArray(content)) return;
    let promptText = '';
    let conversation = 0;
    for (const item of content) {
      const block = decodeBlock(item);
      if (block === null) continue;
      if (block.type === 'tool_result') this.toolResult(block);
      else if (block.type === 'text') {
        promptText += (promptText ? '\n' : '') + block.text;
        conversation += block.text.length;
      } else if (block.type === 'media') {
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

  private toolResult(block: ToolResultBlock): void {
    const id = block.toolUseId;
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
    if (tool?.counted && block.isError && tool.path) this.uncountEdit(tool);
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

  private assistant(line: TranscriptLine): void {
    if (!line.isResponse) return;
    const s = this.scan;
    // The quota's dedup key (one response's lines share it; a resumed copy was dropped by uuid above).
    const key = line.key ?? 'uuid:';
    const timestamp = this.timestamp(line);
    const usage = line.usage();
    if (usage === 'implausible') {
      // Garbage usage: the line is dropped whole, as the quota parser drops it.
      s.counters.implausible += 1;
      return;
    }
    if (usage !== 'none') {
      const context = contextSize(usage);
      const segment = s.segment;
      if (!this.responseKeys.has(key)) {
        this.responseKeys.add(key);
        if (segment.responses.length === 0) {
          // The first response's context is everything it was sent: what the segment's content does not explain is the system prompt, tools and memory.
          segment.systemEstimate = Math.max(0, context - Math.round(segmentChars(segment) / 4));
          s.lastSystemEstimate = segment.systemEstimate;
        }
        segment.responses.push({ timestamp, context, prompts: segment.prompts });
      }
      // One response spans several lines with the same input-side usage: the latest line's order
      // (a boundary must come after all of them) and the largest figure of its copies.
      const same = s.lastResponse !== null && this.lastResponseKey === key;
      s.lastResponse = {
        order: this.order,
        timestamp: same && s.lastResponse ? Math.max(s.lastResponse.timestamp, timestamp) : timestamp,
        context: same && s.lastResponse ? Math.max(s.lastResponse.context, context) : context,
        model: line.model,
      };
      this.lastResponseKey = key;
      s.maxContext = Math.max(s.maxContext, context);
    }
    for (const item of line.content()) {
      const block = decodeBlock(item);
      if (block?.type === 'text') this.assistantText(key, block.text);
      else if (block?.type === 'thinking') s.counters.thinking += 1;
      else if (block?.type === 'tool_use') this.toolUse(key, block);
    }
  }

  private assistantText(key: string, text: string): void {
    const segment = this.scan.segment;
    const code = fencedCodeChars(text);
    segment.chars.codeGenerated += code;
    segment.chars.conversation += text.length - code;
    segment.textRecords.push({ chars: text.length - code, response: segment.responses.length });
    if (code > 0) segment.codeResponses.add(key);
    const trimmed = text.trim();
    if (!trimmed) return;
    const previous = this.recentTexts.get(key);
    this.recentTexts.delete(key);
    this.recentTexts.set(key, previous ? `${previous}\n${trimmed}` : trimmed);
    while (this.recentTexts.size > DECISIONS_KEPT) {
      const oldest = this.recentTexts.keys().next().value;
      if (oldest === undefined) break;
      this.recentTexts.delete(oldest);
    }
  }

  private toolUse(key: string, block: ToolUseBlock): void {
    const { id, name, input } = block;
    if (id && this.tools.has(id)) return;
    const segment = this.scan.segment;
    const chars = JSON.stringify(input).length + name.length;
    const filePath = str(input.file_path) || str(input.notebook_path) || null;
    const info: ToolUseInfo = { name, path: filePath, edit: EDIT_TOOLS.has(name), write: name === 'Write', counted: false, answered: false };
    if (id) this.tools.set(id, info);
    if (READ_TOOLS.has(name)) segment.chars.fileReads += chars;
    else if (info.edit) {
      segment.chars.codeGenerated += chars;
      segment.codeResponses.add(key);
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
      const line = decodeLine(raw.toString('utf8'));
      if (line === null || line.isSidechain) return true;
      if (!head.sessionId && line.sessionId) head.sessionId = line.sessionId;
      if (!head.cwd && line.cwd) head.cwd = line.cwd;
      const message = line.message;
      if (wantPrompt && head.firstPrompt === null && line.type === 'user' && !line.isMeta && !line.isCompactSummary && message) {
        const content = message.content;
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
