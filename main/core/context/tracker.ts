/**
 * Incremental context tracking of one session, for the Engine: the first refresh scans the
 * transcript (from the start, or from its last compaction boundary), later ones parse only the
 * lines appended since. A file that shrank was replaced: it is scanned again.
 */
import fs from 'node:fs';
import type { ContextSnapshot } from '../../../shared/context-snapshot.js';
import { contextFromScan, scanStart, type ContextOptions } from './analyze.js';
import { readSessionHead, SessionScanner, type SessionScan } from './scan.js';
import { countCompactBoundaries, forEachLine, lastModelBefore } from './session-reader.js';

export class SessionContextTracker {
  private scanner: SessionScanner | null = null;
  private offset = 0;
  private size = 0;
  private start = 0;
  private headPrompt: string | null = null;
  /** The model before the scan's start (undefined: not looked up since the last reset). */
  private modelBefore: string | null | undefined = undefined;

  constructor(
    readonly file: string,
    private readonly from: 'start' | 'last-compact' = 'start',
  ) {}

  private reset(): void {
    const start = scanStart(this.file, this.from);
    this.scanner = new SessionScanner(this.file, start);
    this.scanner.scan.compactions = countCompactBoundaries(this.file, start);
    this.headPrompt = start > 0 ? readSessionHead(this.file).firstPrompt : null;
    this.modelBefore = undefined;
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
    // Read once per scan start, and only while no response since the boundary names the model.
    if (this.modelBefore === undefined) this.modelBefore = this.start > 0 && !scan.lastResponse ? lastModelBefore(this.file, this.start) : null;
    return contextFromScan(scan, { ...opts, headPrompt: this.headPrompt ?? scan.firstPrompt, modelBefore: this.modelBefore });
  }
}
