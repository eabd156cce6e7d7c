/**
 * Incremental transcript reading. Files reach hundreds of MB (claude-code-facts.md §1), so a file
 * is never read into one string: bytes are read in chunks from a byte offset, split on newlines,
 * and only complete lines are handed on. A torn last line (no newline yet) stays unread: the
 * returned offset stops before it, so the next read picks it up whole once its newline arrives.
 */
import fs from 'node:fs';
import type { ParseCounters, TranscriptEvent } from '../../../shared/events.js';
import { openRegularFileSync } from '../regular-file.js';
import { rawTimestamp, skippableWithoutParse } from './line.js';
import { parseTranscriptLine } from './parser.js';

const NEWLINE = 0x0a;
const CHUNK = 1 << 20;

export interface ReadResult {
  /** Offset just past the last complete line: where the next read starts. */
  endOffset: number;
  bytesRead: number;
}

/** One complete line, without its newline or CR (forEachLine strips both); skipped unparsed when the decoder says it can be. */
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

/**
 * The longest line we hold: 64 MiB. The API refuses requests over 32 MB, so no message (a tool
 * result with base64 images or a PDF, the largest real lines: several MB) exceeds that, and a
 * transcript line holds one message plus, on tool results, `toolUseResult`, a second copy of the
 * same content: 2 x 32 MB. A longer line is not Claude Code's: it is skipped while streaming
 * (counted as oversized), never held whole, so memory stays bounded whatever a file holds.
 */
export const MAX_LINE_BYTES = 64 << 20;

export interface LineReadOptions {
  /** Lines longer than this (without the newline) are skipped; tests make it small. */
  maxLineBytes?: number;
  /** Called for each skipped line (its start offset and length); it is not handed to `onLine`. */
  onOversized?: (offset: number, length: number) => void;
  /**
   * Filled in as the read goes: the most bytes held at once for lines in progress, and all the
   * bytes copied to hold them (linear reading copies each byte of a long line about once, twice at
   * most for the line's join). For tests: structural checks instead of timing.
   */
  probe?: { peakHeld: number; copied: number };
}

/**
 * The pieces of one line that spans reads, held as a list and joined once when the line is whole
 * (concatenating on every read would copy a long line's bytes again per chunk: quadratic). Past
 * `max` bytes the pieces are dropped and the line only counted on to its end.
 */
class LineParts {
  private parts: Buffer[] = [];
  /** Bytes of the line so far (still counted after it went over the cap). */
  length = 0;
  constructor(
    private readonly max: number,
    private readonly probe: LineReadOptions['probe'],
  ) {}

  get oversized(): boolean {
    return this.length > this.max;
  }

  /**
   * Adds `piece` (at the front when reading backwards). `copy` when its buffer is reused for the
   * next read: copied only if kept, so the bytes of a line over the cap are never copied.
   */
  add(piece: Buffer, atFront = false, copy = false): void {
    this.length += piece.length;
    if (this.oversized) {
      this.parts = [];
      return;
    }
    const kept = copy ? Buffer.from(piece) : piece;
    if (copy && this.probe) this.probe.copied += piece.length;
    if (atFront) this.parts.unshift(kept);
    else this.parts.push(kept);
    if (this.probe) this.probe.peakHeld = Math.max(this.probe.peakHeld, this.length);
  }

  /** The whole line with `last` added (at the front when reading backwards); empties the parts. */
  take(last: Buffer, atFront = false): Buffer | null {
    this.add(last, atFront);
    const parts = this.parts;
    const oversized = this.oversized;
    this.parts = [];
    this.length = 0;
    if (oversized) return null;
    if (parts.length === 1) return parts[0] as Buffer;
    if (this.probe) this.probe.copied += parts.reduce((n, part) => n + part.length, 0);
    return Buffer.concat(parts);
  }
}

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
 * `chunkSize` (default 1 MB) is smaller for reads that expect to stop early (a file's head). Memory
 * is one chunk plus at most `maxLineBytes` of a line in progress; time is linear in the bytes read.
 */
export function forEachLine(
  file: string,
  fromOffset: number,
  onLine: LineHandler,
  maxBytes = Number.POSITIVE_INFINITY,
  chunkSize = CHUNK,
  options: LineReadOptions = {},
): LinesRead {
  // Paths come from outside (hook payloads, the status line): a FIFO or device must not hang us.
  const { fd } = openRegularFileSync(file);
  try {
    // No bigger than what is left to read: most reads are a few appended lines, and a 1 MB buffer
    // per read showed up as garbage-collection time in `cco status` profiles. (Below 1 KB only when
    // asked for: tests put chunk boundaries everywhere.)
    const left = fs.fstatSync(fd).size - fromOffset;
    const size = Math.max(1, Math.min(CHUNK, chunkSize, Math.max(1024, left + 1)));
    const buffer = Buffer.allocUnsafe(size);
    const held = new LineParts(options.maxLineBytes ?? MAX_LINE_BYTES, options.probe);
    let position = fromOffset;
    let lineStart = fromOffset;
    let bytesRead = 0;
    while (bytesRead < maxBytes) {
      const n = fs.readSync(fd, buffer, 0, size, position);
      if (n <= 0) break;
      bytesRead += n;
      const chunk = buffer.subarray(0, n);
      let start = 0;
      let newline = chunk.indexOf(NEWLINE, start);
      while (newline !== -1) {
        const whole = held.length + newline - start;
        let line = held.take(chunk.subarray(start, newline));
        const offset = lineStart;
        lineStart = position + newline + 1;
        start = newline + 1;
        newline = chunk.indexOf(NEWLINE, start);
        if (line === null) {
          options.onOversized?.(offset, whole);
          continue;
        }
        if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
        if (onLine(line, offset) === false) return { endOffset: lineStart, bytesRead, stopped: true };
      }
      // The start of a line that goes on in the next read (`buffer` is reused: copied if kept).
      if (start < n) held.add(chunk.subarray(start), false, true);
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
export function readTranscriptFrom(file: string, fromOffset: number, counters: ParseCounters, out: TranscriptEvent[], options: LineReadOptions = {}): ReadResult {
  const onOversized = (offset: number, length: number): void => {
    counters.lines += 1;
    counters.oversized += 1;
    options.onOversized?.(offset, length);
  };
  const read = forEachLine(
    file,
    fromOffset,
    (line) => {
      handleLine(line, counters, out);
    },
    Number.POSITIVE_INFINITY,
    CHUNK,
    { ...options, onOversized },
  );
  return { endOffset: read.endOffset, bytesRead: read.bytesRead };
}

/**
 * Hands the lines of `file` before byte `size` to `onLine`, newest first, with each line's start
 * offset, reading the file backwards in chunks; stops when `onLine` returns true. For queries
 * about the end of a file (the last hours, the last compaction) that must not read all of it.
 * Lines over the cap are skipped as in {@link forEachLine}; a line's pieces are joined once.
 */
export function forEachLineBackward(
  file: string,
  size: number,
  onLine: (line: Buffer, offset: number) => boolean,
  options: LineReadOptions & { chunkSize?: number } = {},
): void {
  const { fd } = openRegularFileSync(file);
  try {
    const chunkSize = Math.max(1, options.chunkSize ?? CHUNK);
    const held = new LineParts(options.maxLineBytes ?? MAX_LINE_BYTES, options.probe);
    // Each chunk is a fresh buffer, so the pieces held can be views of it, never copies.
    const emit = (piece: Buffer, offset: number): boolean => {
      const whole = held.length + piece.length;
      const line = held.take(piece, true);
      if (line === null) {
        options.onOversized?.(offset, whole);
        return false;
      }
      return onLine(line, offset);
    };
    let position = size;
    while (position > 0) {
      const start = Math.max(0, position - chunkSize);
      const chunk = Buffer.allocUnsafe(position - start);
      fs.readSync(fd, chunk, 0, chunk.length, start);
      // Lines whose start lies in this chunk: after each newline, and at 0 when at the file start.
      let end = chunk.length;
      let newline = chunk.lastIndexOf(NEWLINE, end - 1);
      // The bytes after the file's last newline (before `size`): a line like any other.
      while (newline !== -1) {
        if (emit(chunk.subarray(newline + 1, end), start + newline + 1)) return;
        end = newline;
        newline = end > 0 ? chunk.lastIndexOf(NEWLINE, end - 1) : -1;
      }
      position = start;
      if (position === 0) {
        emit(chunk.subarray(0, end), 0);
        return;
      }
      held.add(chunk.subarray(0, end), true);
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
    const ts = rawTimestamp(line);
    if (ts === null || ts >= limit) return false;
    // Start after this old line (and its newline).
    offset = Math.min(size, start + line.length + 1);
    return true;
  });
  return offset;
}
