/**
 * Very long lines (issue 10, part 4): a line over the cap is skipped while streaming, counted, and
 * never held whole; lines under it are read exactly, wherever the chunk boundaries fall; reading
 * stays linear (checked structurally through the reader's probe, never by timing).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findCompactBoundaries } from '../../main/core/context/session-reader.js';
import { scanSession } from '../../main/core/context/scan.js';
import { MAX_LINE_BYTES, findOffsetSince, forEachLine, forEachLineBackward, readTranscriptFrom } from '../../main/core/transcripts/reader.js';
import { emptyCounters, type TranscriptEvent } from '../../shared/events.js';
import { assistantLine, compactBoundaryLine, userLine } from '../fixtures/make-transcript.js';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-long-lines-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const full = path.join(dir, name);
  fs.writeFileSync(full, content);
  return full;
}

interface Expected {
  lines: { offset: number; text: string }[];
  oversized: { offset: number; length: number }[];
}

/** Lines of the given lengths ('a', 'b', ... repeated), each with its newline, and what a reader with `cap` must report. */
function layout(lengths: number[], cap: number): { content: string; expected: Expected } {
  const expected: Expected = { lines: [], oversized: [] };
  let content = '';
  lengths.forEach((length, i) => {
    const text = String.fromCharCode(97 + (i % 26)).repeat(length);
    if (length > cap) expected.oversized.push({ offset: content.length, length });
    else expected.lines.push({ offset: content.length, text });
    content += `${text}\n`;
  });
  return { content, expected };
}

const LENGTHS = [0, 3, 7, 8, 1, 20, 6, 0, 7, 15, 2];

describe('forEachLine: a line over the cap', () => {
  it.each([4, 7])('cap %i: every chunk size from 1 byte to the whole file gives the same lines, and skips the long ones', (cap) => {
    const { content, expected } = layout(LENGTHS, cap);
    const target = file('lines.txt', content);
    for (let chunk = 1; chunk <= content.length + 1; chunk += 1) {
      const lines: Expected['lines'] = [];
      const oversized: Expected['oversized'] = [];
      const probe = { peakHeld: 0, copied: 0 };
      const read = forEachLine(target, 0, (line, offset) => {
        lines.push({ offset, text: line.toString('latin1') });
      }, undefined, chunk, { maxLineBytes: cap, onOversized: (offset, length) => oversized.push({ offset, length }), probe });
      expect({ lines, oversized }, `chunk ${chunk}`).toEqual(expected);
      expect(read.endOffset).toBe(content.length);
      expect(probe.peakHeld, `chunk ${chunk}`).toBeLessThanOrEqual(cap);
    }
  });

  it('a torn line over the cap at the end is neither handed on nor reported, and the next read starts at it', () => {
    const content = `abc\n${'x'.repeat(50)}`;
    const target = file('torn.txt', content);
    const lines: string[] = [];
    const oversized: number[] = [];
    const read = forEachLine(target, 0, (line) => {
      lines.push(line.toString());
    }, undefined, 8, { maxLineBytes: 10, onOversized: (offset) => oversized.push(offset) });
    expect(lines).toEqual(['abc']);
    expect(oversized).toEqual([]);
    expect(read.endOffset).toBe(4);
    // Once its newline arrives, the next read reports it (and hands on what follows).
    fs.appendFileSync(target, '\ndef\n');
    const next = forEachLine(target, read.endOffset, (line) => {
      lines.push(line.toString());
    }, undefined, 8, { maxLineBytes: 10, onOversized: (offset) => oversized.push(offset) });
    expect(lines).toEqual(['abc', 'def']);
    expect(oversized).toEqual([4]);
    expect(next.endOffset).toBe(content.length + 5);
  });

  it('stays linear: a line 64x the chunk size is copied about once, and one over the cap is never held past it', () => {
    const chunk = 64 << 10;
    const long = 'y'.repeat(64 * chunk);
    const target = file('long.txt', `short\n${long}\nafter\n`);
    const probe = { peakHeld: 0, copied: 0 };
    const lengths: number[] = [];
    forEachLine(target, 0, (line) => {
      lengths.push(line.length);
    }, undefined, chunk, { probe });
    expect(lengths).toEqual([5, long.length, 5]);
    // Concatenating the carry on every read would copy ~32x the line here (64 reads, each the carry so far).
    expect(probe.copied).toBeLessThanOrEqual(2 * long.length + chunk);

    const capped = { peakHeld: 0, copied: 0 };
    const skipped: number[] = [];
    const kept: number[] = [];
    forEachLine(target, 0, (line) => {
      kept.push(line.length);
    }, undefined, chunk, { maxLineBytes: 4 * chunk, onOversized: (_offset, length) => skipped.push(length), probe: capped });
    expect(kept).toEqual([5, 5]);
    expect(skipped).toEqual([long.length]);
    expect(capped.peakHeld).toBeLessThanOrEqual(4 * chunk);
    expect(capped.copied).toBeLessThanOrEqual(4 * chunk);
  });
});

describe('forEachLineBackward: a line over the cap', () => {
  it.each([4, 7])('cap %i: every chunk size gives the lines newest first, and skips the long ones', (cap) => {
    const { content, expected } = layout(LENGTHS, cap);
    const target = file('lines.txt', content);
    // Reading backwards from the end, the bytes after the last newline are a line too (empty here).
    const want = { lines: [{ offset: content.length, text: '' }, ...[...expected.lines].reverse()], oversized: [...expected.oversized].reverse() };
    for (let chunk = 1; chunk <= content.length + 1; chunk += 1) {
      const lines: Expected['lines'] = [];
      const oversized: Expected['oversized'] = [];
      const probe = { peakHeld: 0, copied: 0 };
      forEachLineBackward(target, content.length, (line, offset) => {
        lines.push({ offset, text: line.toString('latin1') });
        return false;
      }, { chunkSize: chunk, maxLineBytes: cap, onOversized: (offset, length) => oversized.push({ offset, length }), probe });
      expect({ lines, oversized }, `chunk ${chunk}`).toEqual(want);
      expect(probe.peakHeld, `chunk ${chunk}`).toBeLessThanOrEqual(cap);
    }
  });

  it('stops when asked, and joins a long line once', () => {
    const chunk = 64 << 10;
    const long = 'z'.repeat(64 * chunk);
    const target = file('long.txt', `first\n${long}\nlast\n`);
    const probe = { peakHeld: 0, copied: 0 };
    const seen: number[] = [];
    forEachLineBackward(target, fs.statSync(target).size, (line) => {
      seen.push(line.length);
      return line.length === long.length;
    }, { chunkSize: chunk, probe });
    expect(seen).toEqual([0, 4, long.length]);
    // Joined once (prepending the carry to every chunk would copy ~32x the line here).
    expect(probe.copied).toBe(long.length);
  });
});

describe('transcripts with a line over the cap', () => {
  const ts = (minute: number): string => new Date(Date.parse('2026-01-15T12:00:00.000Z') + minute * 60_000).toISOString();

  it('readTranscriptFrom counts it as oversized and reads the lines around it', () => {
    const huge = userLine({ timestamp: ts(1), text: 'q'.repeat(300_000) });
    const content = [assistantLine({ messageId: 'msg_1', timestamp: ts(0), input: 100, output: 10 }), huge, assistantLine({ messageId: 'msg_2', timestamp: ts(2), input: 200, output: 20 })].join('\n') + '\n';
    const target = file('t.jsonl', content);
    const counters = emptyCounters();
    const events: TranscriptEvent[] = [];
    const result = readTranscriptFrom(target, 0, counters, events, { maxLineBytes: 100_000 });
    expect(events.filter((e) => e.kind === 'usage').map((e) => (e.kind === 'usage' ? e.tokens.input : 0))).toEqual([100, 200]);
    expect(counters).toMatchObject({ lines: 3, parsed: 2, oversized: 1 });
    expect(result.endOffset).toBe(Buffer.byteLength(content));
  });

  it(`at the real cap (${MAX_LINE_BYTES} bytes): the quota reader, the context scan and the backward seeks step over it`, () => {
    const first = assistantLine({ messageId: 'msg_1', timestamp: ts(0), input: 100, output: 10 });
    const before = `${first}\n${compactBoundaryLine({ timestamp: ts(1) })}\n`;
    const after = `${assistantLine({ messageId: 'msg_2', timestamp: ts(3), input: 200, output: 20 })}\n`;
    const head = Buffer.from('{"type":"user","message":{"content":"');
    const huge = Buffer.alloc(MAX_LINE_BYTES + 1, 0x41);
    head.copy(huge);
    const target = file('huge.jsonl', Buffer.concat([Buffer.from(before), huge, Buffer.from('\n'), Buffer.from(after)]));
    const size = fs.statSync(target).size;

    const counters = emptyCounters();
    const events: TranscriptEvent[] = [];
    readTranscriptFrom(target, 0, counters, events);
    expect(counters).toMatchObject({ lines: 4, oversized: 1 });
    expect(events.filter((e) => e.kind === 'usage')).toHaveLength(2);

    const scan = scanSession(target);
    expect(scan.counters).toMatchObject({ lines: 4, oversized: 1 });
    expect(scan.lastResponse?.context).toBe(200);
    expect(scan.compactions).toBe(1);

    expect(findCompactBoundaries(target)).toEqual([first.length + 1]);
    // Every line at or after minute 2 (the oversized line has no timestamp read): the seek ends after the boundary.
    expect(findOffsetSince(target, size, Date.parse(ts(2)), 0)).toBe(before.length);
  });
});
