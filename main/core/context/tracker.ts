/**
 * Incremental context tracking of one session, for the Engine: the first refresh scans the
 * transcript (from the start, or from its last compaction boundary), later ones parse only the
 * lines appended since. A file that shrank was replaced: it is scanned again.
 */
import fs from 'node:fs';
import type { ContextSnapshot } from '../../../shared/context-snapshot.js';
import { contextFromScan, scanStart, type ContextOptions } from './analyze.js';
import { readSessionHead, SessionScanner, type SessionScan } from './scan.js';
import { countCompactBoundaries, forEachLine } from './session-reader.js';

export class SessionContextTracker {
  private scanner: SessionScanner | null = null;
  private offset = 0;
  private size = 0;
  private start = 0;
  private headPrompt: string | null = null;

  constructor(
    readonly file: string,
    private readonly from: 'start' | 'last-compact' = 'start',
  ) {}

  private reset(): void {
    const start = scanStart(this.file, this.from);
    this.scanner = new SessionScanner(this.file, start);
    this.scanner.scan.compactions = countCompactBoundaries(this.file, start);
    this.headPrompt = start > 0 ? readSessionHead(this.file).firstPrompt : null;
    this.offset = start;
    this.start = start;
  }

  /** Reads what was appended since the last call (everything the first time). Throws on I/O errors. */
  refresh(): SessionScan {
    const size = fs.statSync(this.file).size;
    if (!this.scanner || size < this.size) this.reset();
    const scanner = this.scanner as SessionScanner;
    const read = forEachLine(
      this.file,
      this.offset,
      (line) => {
        scanner.line(line);
      },
      undefined,
      undefined,
      { onOversized: () => scanner.oversizedLine() },
    );
    this.offset = read.endOffset;
    this.size = size;
    // Bytes of complete lines consumed (a torn line is read again once whole, and counted then).
    return scanner.result(this.offset - this.start);
  }

  context(opts: ContextOptions = {}): ContextSnapshot {
    const scan = this.refresh();
    return contextFromScan(scan, { ...opts, headPrompt: this.headPrompt ?? scan.firstPrompt });
  }
}
