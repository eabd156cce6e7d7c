/**
 * What a scan of a session transcript collects (main/core/context/scan.ts): sizes, counts and
 * positions, never the contents themselves.
 */
import type { CompactBoundary } from '../transcripts/line.js';

export interface ResponseMark {
  timestamp: number;
  /** input + cache writes + cache reads (transcripts/plausible.ts `contextSize`). */
  context: number;
  /** User prompts seen before this response (in the segment). */
  prompts: number;
}

export interface ReadRecord {
  path: string;
  chars: number;
  order: number;
  /** Responses seen in the segment when the result arrived: the age of the read. */
  response: number;
}

export interface ResultRecord {
  chars: number;
  hash: string;
  order: number;
  response: number;
  read: boolean;
}

export interface TextRecord {
  chars: number;
  response: number;
}

export interface EditRecord {
  path: string;
  order: number;
}

export interface EditedFile {
  path: string;
  edits: number;
  writes: number;
  lastOrder: number;
}

export interface TodoItem {
  content: string;
  status: string;
}

/** Characters attributed to each breakdown part. */
export interface PartChars {
  fileReads: number;
  toolResults: number;
  conversation: number;
  codeGenerated: number;
}

/** Everything since the last compaction (or the start of the scan). */
export interface Segment {
  /** The compaction that started it (line order), or null at the start of the scan. */
  startOrder: number | null;
  /** Tokens before the segment's first response that its content does not explain: system prompt, tools, memory. */
  systemEstimate: number | null;
  chars: PartChars;
  readFiles: Set<string>;
  reads: number;
  results: number;
  prompts: number;
  codeResponses: Set<string>;
  images: number;
  readRecords: ReadRecord[];
  resultRecords: ResultRecord[];
  textRecords: TextRecord[];
  edits: EditRecord[];
  responses: ResponseMark[];
  firstPrompt: string | null;
  latestPrompt: string | null;
}

export interface LastResponse {
  order: number;
  timestamp: number;
  context: number;
  model: string;
}

/** The last compaction boundary (transcripts/line.ts reads it): where it stands and when. */
export interface LastCompact extends Omit<CompactBoundary, 'micro'> {
  order: number;
  timestamp: number;
}

export interface SessionScan {
  file: string;
  fromOffset: number;
  sessionId: string | null;
  cwd: string | null;
  gitBranch: string | null;
  firstTimestamp: number | null;
  lastTimestamp: number | null;
  lastResponse: LastResponse | null;
  lastCompact: LastCompact | null;
  compactions: number;
  /** The largest context seen: a response's, or a boundary's preTokens (proves a 1M window). */
  maxContext: number;
  /** The system estimate of the latest segment that had a response (fallback for one that has none). */
  lastSystemEstimate: number | null;
  segment: Segment;
  /** Across the whole scan. */
  firstPrompt: string | null;
  latestPrompt: string | null;
  edited: Map<string, EditedFile>;
  lastTodos: TodoItem[] | null;
  decisions: string[];
  counters: {
    lines: number;
    malformed: number;
    sidechain: number;
    skipped: number;
    thinking: number;
    toolUsesWithoutResult: number;
    /** Responses whose usage no response can have (transcripts/plausible.ts): not counted as context. */
    implausible: number;
    /** Lines over the reader's size cap, skipped unread (transcripts/reader.ts). */
    oversized: number;
  };
  bytesRead: number;
}
