/**
 * Incremental transcript reading. Files reach hundreds of MB (claude-code-facts.md §1), so a file
 * is never read into one string: bytes are read in chunks from a byte offset, split on newlines,
 * and only complete lines are handed on. A torn last line (no newline yet) stays unread: the
 * returned offset stops before it, so the next read picks it up whole once its newline arrives.
 */
import fs from 'node:fs';
import type { ParseCounters, TranscriptEvent } from '../../../shared/events.js';
import { openRegularFileSync } from '../regular-file.js';
import { parseTranscriptLine } from './parser.js';

const NEWLINE = 0x0a;
const CHUNK = 1 << 20;
const NEEDLES = ['"assistant"', 'compact_boundary', 'limit reached|', 'hit your limit', 'hit your usage limit'].map((s) => Buffer.from(s));
const TYPE_KEY = Buffer.from('"type":');
const TIMESTAMP_KEY = Buffer.from('"timestamp":"');

export interface ReadResult {
  /** Offset just past the last complete line: where the next read starts. */
  endOffset: number;
  bytesRead: number;
}

/**
 * A line that cannot carry a quota event and is well-formed enough to need no JSON.parse: the
 * cheap test that keeps tool results and prompts (most of a transcript's bytes) off the parser.
 */
function skippableWithoutParse(line: Buffer): boolean {
  if (line.length < 2 || line[0] !== 0x7b || line[line.length - 1] !== 0x7d) return false;
  if (line.indexOf(0) !== -1) return false;
  for (const needle of NEEDLES) if (line.indexOf(needle) !== -1) return false;
  return line.indexOf(TYPE_KEY) !== -1;
}

/** One complete line, without its newline or CR (forEachLine strips both). */
function handleLine(line: Buffer, counters: ParseCounters, out: TranscriptEvent[]): void {
  if (skippableWithoutParse(line)) {
    counters.lines += 1;
    counters.parsed += 1;
    return;
  }
  parseTranscriptLine(line.toString('utf8'), counters, out, false);
}

/** Return `false` to stop reading. */
export type LineHandler = (line: Buffer, offset: number) => boolean | void;

export interface LinesRead {
  /** Offset just past the last complete line handed on. */
  endOffset: number;
  bytesRead: number;
  /** True when the handler stopped the read early. */
  stopped: boolean;
}

/**
 * Hands each complete line of `file` from `fromOffset` (a line start) to `onLine`, in order,
 * without its newline (and without a CR before it). Reads at most `maxBytes` bytes when given;
 * `chunkSize` (default 1 MB) is smaller for reads that expect to stop early (a file's head).
 */
export function forEachLine(file: string, fromOffset: number, onLine: LineHandler, maxBytes = Number.POSITIVE_INFINITY, chunkSize = CHUNK): LinesRead {
  // Paths come from outside (hook payloads, the status line): a FIFO or device must not hang us.
  const { fd } = openRegularFileSync(file);
  try {
    // No bigger than what is left to read: most reads are a few appended lines, and a 1 MB buffer
    // per read showed up as garbage-collection time in `cco status` profiles.
    const left = fs.fstatSync(fd).size - fromOffset;
    const size = Math.max(1024, Math.min(CHUNK, chunkSize, left + 1));
    const buffer = Buffer.allocUnsafe(size);
    let position = fromOffset;
    let lineStart = fromOffset;
    let carry: Buffer | null = null;
    let bytesRead = 0;
    while (bytesRead < maxBytes) {
      const n = fs.readSync(fd, buffer, 0, size, position);
      if (n <= 0) break;
      bytesRead += n;
      const chunk = buffer.subarray(0, n);
      let start = 0;
      let newline = chunk.indexOf(NEWLINE, start);
      while (newline !== -1) {
        const piece = chunk.subarray(start, newline);
        let line: Buffer = carry ? Buffer.concat([carry, piece]) : piece;
        carry = null;
        if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
        const offset = lineStart;
        lineStart = position + newline + 1;
        if (onLine(line, offset) === false) return { endOffset: lineStart, bytesRead, stopped: true };
        start = newline + 1;
        newline = chunk.indexOf(NEWLINE, start);
      }
      if (start < n) {
        // Copy: `buffer` is reused for the next chunk.
        const rest = Buffer.from(chunk.subarray(start));
        carry = carry ? Buffer.concat([carry, rest]) : rest;
      }
      position += n;
    }
    return { endOffset: lineStart, bytesRead, stopped: false };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads the complete lines of `file` from `fromOffset` to its current end, parsing each into
 * `out`. Throws only for I/O errors (the caller reports them); bad lines are counted.
 */
export function readTranscriptFrom(file: string, fromOffset: number, counters: ParseCounters, out: TranscriptEvent[]): ReadResult {
  const read = forEachLine(file, fromOffset, (line) => {
    handleLine(line, counters, out);
  });
  return { endOffset: read.endOffset, bytesRead: read.bytesRead };
}

function lineTimestamp(line: Buffer): number | null {
  const at = line.indexOf(TIMESTAMP_KEY);
  if (at === -1) return null;
  const start = at + TIMESTAMP_KEY.length;
  const end = line.indexOf(0x22, start);
  if (end === -1 || end - start > 40) return null;
  const ms = Date.parse(line.toString('latin1', start, end));
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Hands the lines of `file` before byte `size` to `onLine`, newest first, with each line's start
 * offset, reading the file backwards in chunks; stops when `onLine` returns true. For queries
 * about the end of a file (the last hours, the last compaction) that must not read all of it.
 */
export function forEachLineBackward(file: string, size: number, onLine: (line: Buffer, offset: number) => boolean): void {
  const { fd } = openRegularFileSync(file);
  try {
    let position = size;
    let carry: Buffer = Buffer.alloc(0);
    while (position > 0) {
      const start = Math.max(0, position - CHUNK);
      const chunk = Buffer.allocUnsafe(position - start);
      fs.readSync(fd, chunk, 0, chunk.length, start);
      const buffer = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
      // Lines whose start lies in this buffer: after each newline, and at 0 when at the file start.
      let end = buffer.length;
      let newline = buffer.lastIndexOf(NEWLINE, end - 1);
      while (newline !== -1) {
        if (onLine(buffer.subarray(newline + 1, end), start + newline + 1)) return;
        end = newline;
        newline = end > 0 ? buffer.lastIndexOf(NEWLINE, end - 1) : -1;
      }
      carry = Buffer.from(buffer.subarray(0, end));
      position = start;
      if (position === 0 && onLine(carry, 0)) return;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The offset of the first line that may hold an event at or after `sinceMs`, found by reading the
 * file backwards from `size` until a line stamped before `sinceMs - slackMs`. Transcripts are
 * appended in time order, so a query about the last hours of a 500 MB file reads only its tail.
 * The slack absorbs small disorder (sidechain lines, clock corrections).
 */
export function findOffsetSince(file: string, size: number, sinceMs: number, slackMs = 15 * 60_000): number {
  const limit = sinceMs - slackMs;
  let offset = 0;
  forEachLineBackward(file, size, (line, start) => {
    const ts = lineTimestamp(line);
    if (ts === null || ts >= limit) return false;
    // Start after this old line (and its newline).
    offset = Math.min(size, start + line.length + 1);
    return true;
  });
  return offset;
}
