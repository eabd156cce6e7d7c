/**
 * Streaming access to ONE session transcript for context analysis. Unlike the quota reader
 * (main/core/transcripts/reader.ts), which skips the JSON.parse of prompts and tool results, the
 * context analysis needs every line's content; it uses the same chunked reading (a file is never
 * read into one string: transcripts reach hundreds of MB, claude-code-facts.md §1) and hands each
 * complete line on as a Buffer. A torn last line (no newline yet) is left out.
 */
import fs from 'node:fs';
import { openRegularFileSync } from '../regular-file.js';
import { isRecord } from '../store.js';
import { COMPACT_BOUNDARY_FIELD, isCompactBoundaryLine } from '../transcripts/line.js';
import { forEachLine, forEachLineBackward } from '../transcripts/reader.js';

const CHUNK = 1 << 20;

export { forEachLine };
export type { LineHandler, LinesRead } from '../transcripts/reader.js';

/**
 * Offsets of the last `count` `compact_boundary` lines, newest first, found by reading the file
 * backwards (a prompt that merely mentions the word is parsed and rejected). Empty when there is
 * none. Only the bytes after the oldest boundary wanted are read, plus a substring scan of the rest.
 */
export function findCompactBoundaries(file: string, count = 1): number[] {
  const found: number[] = [];
  if (count <= 0) return found;
  forEachLineBackward(file, fs.statSync(file).size, (line, offset) => {
    if (isCompactBoundaryLine(line)) found.push(offset);
    return found.length >= count;
  });
  return found;
}

const BOUNDARY_KEY = Buffer.from(COMPACT_BOUNDARY_FIELD);

/**
 * How many compaction boundaries lie before `endOffset`, by substring count (inside a JSON string a
 * quote is escaped, so the unescaped key only occurs as a real boundary's field). For the count a
 * scan from the last boundary does not see.
 */
export function countCompactBoundaries(file: string, endOffset: number): number {
  if (endOffset <= 0) return 0;
  const { fd } = openRegularFileSync(file);
  try {
    const overlap = BOUNDARY_KEY.length - 1;
    const buffer = Buffer.allocUnsafe(CHUNK + overlap);
    let kept = 0;
    let position = 0;
    let found = 0;
    while (position < endOffset) {
      const n = fs.readSync(fd, buffer, kept, Math.min(CHUNK, endOffset - position), position);
      if (n <= 0) break;
      const view = buffer.subarray(0, kept + n);
      for (let at = view.indexOf(BOUNDARY_KEY); at !== -1; at = view.indexOf(BOUNDARY_KEY, at + 1)) found += 1;
      position += n;
      // Keep the tail so a key split across two reads is still seen (and never counted twice:
      // the tail is shorter than the key).
      kept = Math.min(overlap, view.length);
      view.copy(buffer, 0, view.length - kept);
    }
    return found;
  } finally {
    fs.closeSync(fd);
  }
}

const ASSISTANT_NEEDLE = Buffer.from('"assistant"');
/** How far back the status line looks for the last response (tool results can be large). */
export const LAST_RESPONSE_TAIL_BYTES = 4 * 1024 * 1024;

/**
 * The model of the last main-chain response before `endOffset` (a compaction boundary), read
 * backwards: a scan from the boundary sees no response until the next one, and the model did not
 * change because the context was compacted. Null when there is none.
 */
export function lastModelBefore(file: string, endOffset: number): string | null {
  let model: string | null = null;
  if (endOffset <= 0) return model;
  forEachLineBackward(file, endOffset, (line) => {
    if (line.indexOf(ASSISTANT_NEEDLE) === -1) return false;
    try {
      const value: unknown = JSON.parse(line.toString('utf8'));
      if (typeof value !== 'object' || value === null || !('message' in value) || !('type' in value) || value.type !== 'assistant') return false;
      if ('isSidechain' in value && value.isSidechain === true) return false;
      if ('isApiErrorMessage' in value && value.isApiErrorMessage === true) return false;
      const message = value.message;
      const found = typeof message === 'object' && message !== null && 'model' in message && typeof message.model === 'string' ? message.model : '';
      if (found !== '' && found !== '<synthetic>') model = found;
    } catch {
      // a line that is not JSON: keep looking
    }
    return model !== null;
  });
  return model;
}

/**
 * When the last main-chain response in `file` was written (epoch ms), read backwards from the end:
 * the status line's prompt-cache countdown, which must stay fast: it looks at the last
 * `maxBytes` only. Null when there is none there, the file is missing or not a regular file.
 */
export function lastMainResponseAt(file: string, maxBytes = LAST_RESPONSE_TAIL_BYTES): number | null {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return null;
  }
  let at: number | null = null;
  try {
    forEachLineBackward(file, size, (line, offset) => {
      if (size - offset > maxBytes) return true;
      if (line.indexOf(ASSISTANT_NEEDLE) === -1) return false;
      try {
        const value: unknown = JSON.parse(line.toString('utf8'));
        if (!isRecord(value) || value.type !== 'assistant' || value.isSidechain === true || value.isApiErrorMessage === true) return false;
        const ms = typeof value.timestamp === 'string' ? Date.parse(value.timestamp) : Number.NaN;
        if (Number.isFinite(ms)) at = ms;
      } catch {
        // a line that is not JSON: keep looking
      }
      return at !== null;
    }, { chunkSize: 64 * 1024 });
  } catch {
    return null;
  }
  return at;
}
