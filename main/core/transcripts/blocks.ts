/**
 * The content blocks of a transcript message or tool result (claude-code-facts.md §2), typed once
 * for the quota parser and the context scan. A block is decoded when a consumer walks the content
 * (TranscriptLine.content(), line.ts); blocks no consumer reads decode to null.
 */
import { isRecord } from '../store.js';
import { text, type JsonRecord } from './line.js';

/** One content block of a message or of a tool result, typed; null for blocks no consumer reads. */
export type ContentBlock = { type: 'text'; text: string } | { type: 'thinking' } | { type: 'media' } | ToolUseBlock | ToolResultBlock;

/** A tool call: `id` '' when absent, `name` 'unknown' when absent, `input` {} when not an object. */
export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: JsonRecord;
  /** A `server_tool_use` (web search...): run by the API, not by Claude Code. */
  server: boolean;
}

/** A tool's answer (in a user line): its content as written (string or blocks), and whether the call failed. */
export interface ToolResultBlock {
  type: 'tool_result';
  toolUseId: string;
  content: unknown;
  isError: boolean;
}

const THINKING: ContentBlock = { type: 'thinking' };
const MEDIA: ContentBlock = { type: 'media' };

/**
 * A content block's typed view: text (with its text), thinking (`thinking`, `redacted_thinking`),
 * media (`image`, `document`), tool_use (also `server_tool_use`; name 'unknown' when missing), tool_result.
 */
export function decodeBlock(block: unknown): ContentBlock | null {
  if (!isRecord(block)) return null;
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? { type: 'text', text: block.text } : null;
    case 'thinking':
    case 'redacted_thinking':
      return THINKING;
    case 'image':
    case 'document':
      return MEDIA;
    case 'tool_use':
    case 'server_tool_use':
      return { type: 'tool_use', id: text(block.id), name: text(block.name) || 'unknown', input: isRecord(block.input) ? block.input : {}, server: block.type === 'server_tool_use' };
    case 'tool_result':
      return { type: 'tool_result', toolUseId: text(block.tool_use_id), content: block.content, isError: block.is_error === true };
    default:
      return null;
  }
}
