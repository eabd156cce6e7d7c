/**
 * The ledger: what has been read of every transcript file, and the events read from it. The CLI
 * makes one per call; the Engine keeps one alive and refreshes only the files that changed, so an
 * appended line costs a read of the appended bytes only.
 */
import fs from 'node:fs';
import type { CompactEvent, LimitEvent, ParseCounters, ToolEvent, TranscriptEvent, UsageEvent } from '../../../shared/events.js';
import { emptyCounters } from '../../../shared/events.js';
import { errorCode, type TranscriptFile } from '../paths.js';
import { dedupeTools, dedupeUsage } from './dedup.js';
import { openRegularFileSync } from '../regular-file.js';
import { findOffsetSince, readTranscriptFrom } from './reader.js';

/** Files larger than this are read from the tail when the query needs only recent events. */
const TAIL_READ_MIN_BYTES = 4 << 20;
/** Lines may be stamped a little before their file's mtime says; never skip a file this close. */
const MTIME_SLACK_MS = 15 * 60_000;

interface FileEntry {
  size: number;
  mtimeMs: number;
  ino: number;
  /** Where reading began: 0, or a tail offset when only recent events were needed. */
  startOffset: number;
  /** Events at or after this instant are all loaded (−∞ when read from the start). */
  completeSince: number;
  /** Next byte to read. */
  offset: number;
  /** The bytes just before `offset`: if they change, the file was rewritten, not appended to. */
  fingerprint: Buffer;
  events: TranscriptEvent[];
  /** This file's line counts, so a re-read replaces them instead of adding to them. */
  counters: ParseCounters;
}

const FINGERPRINT_BYTES = 64;
/** Distinct texts the ledger shares at most (session ids, models, tool names); past it, sharing starts over. */
const MAX_SHARED_TEXTS = 4096;

/**
 * One copy of each text that repeats across events: JSON.parse makes a new string per line, so
 * without this every event held its own copy of its session id, model and tool name (~100 bytes
 * an event, about a third of what a long-running Engine keeps per response: issue 15.1). The
 * values are equal either way; only the copies go.
 */
class SharedTexts {
  private readonly texts = new Map<string, string>();

  get(value: string): string {
    const known = this.texts.get(value);
    if (known !== undefined) return known;
    if (this.texts.size >= MAX_SHARED_TEXTS) this.texts.clear();
    this.texts.set(value, value);
    return value;
  }

  /** Points the events' repeated fields at the shared copies. */
  share(events: TranscriptEvent[], from: number): void {
    for (let i = from; i < events.length; i += 1) {
      const event = events[i] as TranscriptEvent;
      event.sessionId = this.get(event.sessionId);
      if (event.kind === 'usage') event.model = this.get(event.model);
      else if (event.kind === 'tool') event.name = this.get(event.name);
    }
  }
}

function readFingerprint(path: string, offset: number): Buffer {
  const length = Math.min(FINGERPRINT_BYTES, offset);
  const buffer = Buffer.alloc(length);
  if (length === 0) return buffer;
  const { fd } = openRegularFileSync(path);
  try {
    const n = fs.readSync(fd, buffer, 0, length, offset - length);
    return buffer.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

export interface LedgerStats {
  filesSeen: number;
  filesRead: number;
  filesSkippedOld: number;
  bytesRead: number;
  unreadable: { path: string; error: string }[];
  /** Line counts over the files loaded now (each file's lines counted once, however often read). */
  readonly counters: ParseCounters;
}

export interface RecentEvents {
  usage: UsageEvent[];
  tools: ToolEvent[];
  compacts: CompactEvent[];
  limits: LimitEvent[];
  duplicatesDropped: number;
}

export class TranscriptLedger {
  private readonly files = new Map<string, FileEntry>();
  private readonly shared = new SharedTexts();
  /** The earliest instant a query asked for since the last trimToQueries (+∞: none yet). */
  private reach = Number.POSITIVE_INFINITY;
  readonly stats: LedgerStats;

  constructor() {
    const files = this.files;
    this.stats = {
      filesSeen: 0,
      filesRead: 0,
      filesSkippedOld: 0,
      bytesRead: 0,
      unreadable: [],
      get counters(): ParseCounters {
        const total = emptyCounters();
        for (const entry of files.values()) {
          for (const key of Object.keys(total) as (keyof ParseCounters)[]) total[key] += entry.counters[key];
        }
        return total;
      },
    };
  }

  /** Line counts over the files loaded now (the same as `stats.counters`). */
  get counters(): ParseCounters {
    return this.stats.counters;
  }

  /**
   * Brings the ledger up to date with `listing` for a query about events at or after `sinceMs`:
   * files last modified before then are not opened; grown files are read from where reading
   * stopped; truncated or replaced files are read again; deleted files are forgotten.
   */
  refresh(listing: readonly TranscriptFile[], sinceMs: number): void {
    this.reach = Math.min(this.reach, sinceMs);
    const present = new Set<string>();
    this.stats.filesSeen = listing.length;
    this.stats.filesSkippedOld = 0;
    this.stats.unreadable = [];
    for (const file of listing) {
      present.add(file.path);
      const entry = this.files.get(file.path);
      if (!entry && file.mtimeMs < sinceMs - MTIME_SLACK_MS) {
        this.stats.filesSkippedOld += 1;
        continue;
      }
      try {
        this.refreshFile(file, entry, sinceMs);
      } catch (error) {
        this.files.delete(file.path);
        this.stats.unreadable.push({ path: file.path, error: errorCode(error) });
      }
    }
    for (const path of this.files.keys()) if (!present.has(path)) this.files.delete(path);
  }

  private refreshFile(file: TranscriptFile, entry: FileEntry | undefined, sinceMs: number): void {
    if (entry && entry.size === file.size && entry.mtimeMs === file.mtimeMs && entry.ino === file.ino && entry.completeSince <= sinceMs) return;
    const replaced =
      entry && (entry.ino !== file.ino || file.size < entry.offset || !readFingerprint(file.path, entry.offset).equals(entry.fingerprint));
    const needsOlder = entry && entry.completeSince > sinceMs;
    if (entry && !replaced && !needsOlder) {
      if (file.size > entry.offset) this.readInto(file.path, entry, entry.offset);
      entry.size = file.size;
      entry.mtimeMs = file.mtimeMs;
      return;
    }
    const startOffset = file.size > TAIL_READ_MIN_BYTES ? findOffsetSince(file.path, file.size, sinceMs) : 0;
    const fresh: FileEntry = {
      size: file.size,
      mtimeMs: file.mtimeMs,
      ino: file.ino,
      startOffset,
      completeSince: startOffset === 0 ? Number.NEGATIVE_INFINITY : sinceMs,
      offset: startOffset,
      fingerprint: Buffer.alloc(0),
      events: [],
      counters: emptyCounters(),
    };
    this.readInto(file.path, fresh, startOffset);
    this.files.set(file.path, fresh);
  }

  private readInto(path: string, entry: FileEntry, from: number): void {
    const before = entry.events.length;
    const result = readTranscriptFrom(path, from, entry.counters, entry.events);
    this.shared.share(entry.events, before);
    entry.offset = result.endOffset;
    entry.fingerprint = readFingerprint(path, entry.offset);
    this.stats.bytesRead += result.bytesRead;
    this.stats.filesRead += 1;
  }

  /** Deduplicated events with timestamps in [fromMs, toMs], in time order. */
  events(fromMs: number, toMs: number): RecentEvents {
    this.reach = Math.min(this.reach, fromMs);
    const usage: UsageEvent[] = [];
    const tools: ToolEvent[] = [];
    const compacts: CompactEvent[] = [];
    const limits: LimitEvent[] = [];
    for (const entry of this.files.values()) {
      for (const event of entry.events) {
        if (event.timestamp < fromMs || event.timestamp > toMs) continue;
        if (event.kind === 'usage') usage.push(event);
        else if (event.kind === 'tool') tools.push(event);
        else if (event.kind === 'compact') compacts.push(event);
        else limits.push(event);
      }
    }
    const deduped = dedupeUsage(usage);
    return {
      usage: deduped.events,
      tools: dedupeTools(tools),
      compacts: compacts.sort((a, b) => a.timestamp - b.timestamp),
      limits: limits.sort((a, b) => a.timestamp - b.timestamp),
      duplicatesDropped: deduped.dropped,
    };
  }

  /**
   * Forgets files last modified before `beforeMs` (after a full history build, say), so a
   * long-running Engine keeps only what recent queries need. A later query that reaches further
   * back simply reads them again.
   */
  forgetFilesBefore(beforeMs: number): void {
    for (const [path, entry] of this.files) if (entry.mtimeMs < beforeMs) this.files.delete(path);
  }

  /**
   * Drops the events stamped before the earliest instant any query asked for since the last call
   * (a long-running Engine: the active-window search, the history's horizon), and marks each file
   * complete only from there. What a query reaches for moves forward with the clock, so the same
   * queries next time find everything they need; one that reaches further back (the chain of
   * windows grew past a lookback) has the file read again by refresh, as for a tail read. So the
   * ledger holds the hours the figures need, not every line of a file written to today, and no
   * figure changes. Queries must go through refresh before events, as they all do.
   */
  trimToQueries(): number {
    const keep = this.reach;
    this.reach = Number.POSITIVE_INFINITY;
    let dropped = 0;
    // -∞: a query needed everything (no history horizon yet); +∞: no query since the last trim.
    if (!Number.isFinite(keep)) return dropped;
    for (const entry of this.files.values()) {
      if (entry.completeSince >= keep) continue;
      const before = entry.events.length;
      if (entry.events.some((event) => event.timestamp < keep)) entry.events = entry.events.filter((event) => event.timestamp >= keep);
      dropped += before - entry.events.length;
      entry.completeSince = keep;
    }
    return dropped;
  }

  /** How many events the ledger holds (what its memory grows with). */
  get retainedEvents(): number {
    let n = 0;
    for (const entry of this.files.values()) n += entry.events.length;
    return n;
  }

  /** Events stamped after `nowMs` (clock skew, or `--now` in the past): reported, never counted. */
  countAfter(nowMs: number): number {
    let n = 0;
    for (const entry of this.files.values()) for (const event of entry.events) if (event.timestamp > nowMs) n += 1;
    return n;
  }
}
