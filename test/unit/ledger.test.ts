import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TranscriptFile } from '../../main/core/paths.js';
import { dedupeTools, dedupeUsage, tokenTotal } from '../../main/core/transcripts/dedup.js';
import { TranscriptLedger } from '../../main/core/transcripts/ledger.js';
import type { ToolEvent, UsageEvent } from '../../shared/events.js';
import { assistantLine, toolUse, userLine } from '../fixtures/make-transcript.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-01-15T12:00:00.000Z');
const iso = (minute: number): string => new Date(T0 + minute * MINUTE).toISOString();
/** A query horizon well before every fixture line (and every fixture file's mtime). */
const SINCE = T0 - 24 * 60 * MINUTE;

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-ledger-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, lines: string[], opts: { newline?: boolean } = {}): string {
  const full = path.join(dir, name);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, lines.join('\n') + (opts.newline === false ? '' : '\n'));
  return full;
}

function stat(file: string): TranscriptFile {
  const s = fs.statSync(file);
  return { path: file, size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
}

function listing(...files: string[]): TranscriptFile[] {
  return files.filter((file) => fs.existsSync(file)).map(stat);
}

function all(ledger: TranscriptLedger) {
  return ledger.events(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
}

function summary(events: readonly UsageEvent[]) {
  return events.map((event) => ({ key: event.key, output: event.tokens.output, total: tokenTotal(event.tokens), sidechain: event.sidechain, timestamp: event.timestamp }));
}

describe('TranscriptLedger: deduplication', () => {
  it('streaming lines with a placeholder output: one event, keeping the max (500, not 5), stamped at the first copy', () => {
    const file = write('s.jsonl', [
      assistantLine({ messageId: 'msg_A', timestamp: iso(0), input: 1000, output: 5, version: '2.1.90', content: [{ type: 'thinking', thinking: 'x' }] }),
      assistantLine({ messageId: 'msg_A', timestamp: iso(0.02), input: 1000, output: 5, version: '2.1.90', content: [{ type: 'text', text: 'y' }] }),
      assistantLine({ messageId: 'msg_A', timestamp: iso(0.05), input: 1000, output: 500, version: '2.1.90', content: [toolUse('Read', 'toolu_1')] }),
    ]);
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(file), SINCE);
    const events = all(ledger);
    expect(summary(events.usage)).toEqual([{ key: 'msg_A:req_A', output: 500, total: 1500, sidechain: false, timestamp: T0 }]);
    expect(events.duplicatesDropped).toBe(2);
    expect(events.tools.map((tool) => tool.id)).toEqual(['toolu_1']);
  });

  it('the final copy first, placeholder later: still the max', () => {
    const file = write('s.jsonl', [
      assistantLine({ messageId: 'msg_A', timestamp: iso(1), input: 10, output: 500 }),
      assistantLine({ messageId: 'msg_A', timestamp: iso(0), input: 10, output: 5 }),
    ]);
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(file), SINCE);
    expect(summary(all(ledger).usage)).toEqual([{ key: 'msg_A:req_A', output: 500, total: 510, sidechain: false, timestamp: T0 }]);
  });

  it('a sidechain copy and a non-sidechain copy of the same message: counted once, reported non-sidechain', () => {
    const file = write('s.jsonl', [
      assistantLine({ messageId: 'msg_S', timestamp: iso(0), input: 300, output: 30, sidechain: true }),
      assistantLine({ messageId: 'msg_S', timestamp: iso(0), input: 300, output: 30, sidechain: false }),
      assistantLine({ messageId: 'msg_T', timestamp: iso(1), input: 50, output: 5, sidechain: true }),
    ]);
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(file), SINCE);
    const events = all(ledger);
    expect(summary(events.usage)).toEqual([
      { key: 'msg_S:req_S', output: 30, total: 330, sidechain: false, timestamp: T0 },
      { key: 'msg_T:req_T', output: 5, total: 55, sidechain: true, timestamp: T0 + MINUTE },
    ]);
    expect(events.duplicatesDropped).toBe(1);
  });

  it('the same message in two files (a resumed session) is counted once', () => {
    const original = write('p/old-session.jsonl', [
      assistantLine({ messageId: 'msg_1', timestamp: iso(0), sessionId: 'old', input: 100, output: 10 }),
      assistantLine({ messageId: 'msg_2', timestamp: iso(5), sessionId: 'old', input: 200, output: 20 }),
    ]);
    const resumed = write('p/new-session.jsonl', [
      assistantLine({ messageId: 'msg_1', timestamp: iso(0), sessionId: 'new', input: 100, output: 10 }),
      assistantLine({ messageId: 'msg_2', timestamp: iso(5), sessionId: 'new', input: 200, output: 20 }),
      assistantLine({ messageId: 'msg_3', timestamp: iso(60), sessionId: 'new', input: 400, output: 40 }),
    ]);
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(original, resumed), SINCE);
    const events = all(ledger);
    expect(events.usage.map((event) => event.key)).toEqual(['msg_1:req_1', 'msg_2:req_2', 'msg_3:req_3']);
    expect(events.usage.reduce((sum, event) => sum + tokenTotal(event.tokens), 0)).toBe(770);
    expect(events.duplicatesDropped).toBe(2);
  });

  it('events() keeps only [fromMs, toMs]', () => {
    const file = write('s.jsonl', [0, 10, 20, 30].map((minute) => assistantLine({ messageId: `msg_${minute}`, timestamp: iso(minute), input: 1 })));
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(file), SINCE);
    expect(ledger.events(T0 + 10 * MINUTE, T0 + 20 * MINUTE).usage.map((event) => event.key)).toEqual(['msg_10:req_10', 'msg_20:req_20']);
    expect(ledger.countAfter(T0 + 15 * MINUTE)).toBe(2);
    expect(ledger.countAfter(T0 + 30 * MINUTE)).toBe(0);
  });
});

describe('dedupeUsage / dedupeTools', () => {
  const ev = (key: string, minute: number, input: number, output: number, sidechain = false): UsageEvent => ({
    kind: 'usage',
    key,
    timestamp: T0 + minute * MINUTE,
    sessionId: 's',
    model: 'm',
    sidechain,
    tokens: { input, output, cacheCreation: 0, cacheRead: 0 },
  });
  const cases: { name: string; events: UsageEvent[]; expected: { key: string; output: number; sidechain: boolean; minute: number }[]; dropped: number }[] = [
    { name: 'no duplicates', events: [ev('a', 1, 1, 1), ev('b', 0, 1, 1)], expected: [{ key: 'b', output: 1, sidechain: false, minute: 0 }, { key: 'a', output: 1, sidechain: false, minute: 1 }], dropped: 0 },
    { name: 'placeholder then final', events: [ev('a', 0, 10, 5), ev('a', 1, 10, 500)], expected: [{ key: 'a', output: 500, sidechain: false, minute: 0 }], dropped: 1 },
    { name: 'equal copies: non-sidechain wins', events: [ev('a', 0, 10, 5, true), ev('a', 0, 10, 5, false)], expected: [{ key: 'a', output: 5, sidechain: false, minute: 0 }], dropped: 1 },
    { name: 'bigger sidechain copy: its tokens, but non-sidechain', events: [ev('a', 0, 10, 5, false), ev('a', 0, 10, 50, true)], expected: [{ key: 'a', output: 50, sidechain: false, minute: 0 }], dropped: 1 },
    { name: 'all copies sidechain: sidechain', events: [ev('a', 0, 10, 5, true), ev('a', 0, 10, 50, true)], expected: [{ key: 'a', output: 50, sidechain: true, minute: 0 }], dropped: 1 },
    { name: 'three copies', events: [ev('a', 2, 1, 1), ev('a', 0, 1, 7), ev('a', 1, 1, 3)], expected: [{ key: 'a', output: 7, sidechain: false, minute: 0 }], dropped: 2 },
  ];
  it.each(cases)('$name', ({ events, expected, dropped }) => {
    const result = dedupeUsage(events);
    expect(result.events.map((event) => ({ key: event.key, output: event.tokens.output, sidechain: event.sidechain, minute: (event.timestamp - T0) / MINUTE }))).toEqual(expected);
    expect(result.dropped).toBe(dropped);
  });

  it('tools are unique by id, in time order', () => {
    const tool = (id: string, minute: number): ToolEvent => ({ kind: 'tool', id, name: 'Read', timestamp: T0 + minute * MINUTE, sessionId: 's', sidechain: false });
    expect(dedupeTools([tool('t2', 2), tool('t1', 1), tool('t2', 2), tool('t1', 1)]).map((t) => t.id)).toEqual(['t1', 't2']);
  });
});

describe('TranscriptLedger: files that change while tracked', () => {
  it('an appended file: only the appended bytes are read', () => {
    const file = write('s.jsonl', [assistantLine({ messageId: 'msg_1', timestamp: iso(0), input: 1 })]);
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(file), SINCE);
    const before = ledger.stats.bytesRead;
    const added = `${assistantLine({ messageId: 'msg_2', timestamp: iso(1), input: 2 })}\n`;
    fs.appendFileSync(file, added);
    ledger.refresh(listing(file), SINCE);
    expect(ledger.stats.bytesRead - before).toBe(Buffer.byteLength(added));
    expect(all(ledger).usage.map((event) => event.key)).toEqual(['msg_1:req_1', 'msg_2:req_2']);
    // Nothing changed: nothing read.
    ledger.refresh(listing(file), SINCE);
    expect(ledger.stats.bytesRead - before).toBe(Buffer.byteLength(added));
  });

  it('a torn last line is picked up once complete, counted once', () => {
    const whole = assistantLine({ messageId: 'msg_2', timestamp: iso(1), input: 2, output: 3 });
    const file = write('s.jsonl', [assistantLine({ messageId: 'msg_1', timestamp: iso(0), input: 1 }), whole.slice(0, 50)], { newline: false });
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(file), SINCE);
    expect(all(ledger).usage.map((event) => event.key)).toEqual(['msg_1:req_1']);
    fs.appendFileSync(file, `${whole.slice(50)}\n`);
    ledger.refresh(listing(file), SINCE);
    ledger.refresh(listing(file), SINCE);
    const events = all(ledger);
    expect(events.usage.map((event) => event.key)).toEqual(['msg_1:req_1', 'msg_2:req_2']);
    expect(events.duplicatesDropped).toBe(0);
    expect(ledger.counters.malformed).toBe(0);
  });

  it('a file truncated while tracked is read again: its old events are gone', () => {
    const file = write('s.jsonl', [1, 2, 3].map((n) => assistantLine({ messageId: `msg_${n}`, timestamp: iso(n), input: 100 * n })));
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(file), SINCE);
    expect(all(ledger).usage).toHaveLength(3);
    const inode = fs.statSync(file).ino;
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, `${assistantLine({ messageId: 'msg_new', timestamp: iso(9), input: 7 })}\n`);
    expect(fs.statSync(file).ino).toBe(inode);
    ledger.refresh(listing(file), SINCE);
    expect(summary(all(ledger).usage)).toEqual([{ key: 'msg_new:req_new', output: 0, total: 7, sidechain: false, timestamp: T0 + 9 * MINUTE }]);
  });

  it('a file deleted while tracked: its events disappear', () => {
    const kept = write('kept.jsonl', [assistantLine({ messageId: 'msg_k', timestamp: iso(0), input: 1 })]);
    const gone = write('gone.jsonl', [assistantLine({ messageId: 'msg_g', timestamp: iso(0), input: 1 })]);
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(kept, gone), SINCE);
    expect(all(ledger).usage).toHaveLength(2);
    fs.rmSync(gone);
    ledger.refresh(listing(kept, gone), SINCE);
    expect(all(ledger).usage.map((event) => event.key)).toEqual(['msg_k:req_k']);
    expect(ledger.countAfter(Number.NEGATIVE_INFINITY)).toBe(1);
    expect(ledger.stats.unreadable).toEqual([]);
  });

  it('a file deleted between listing and reading: reported unreadable, its events gone, no throw', () => {
    const file = write('s.jsonl', [assistantLine({ messageId: 'msg_1', timestamp: iso(0), input: 1 })]);
    const ledger = new TranscriptLedger();
    const stale = listing(file);
    ledger.refresh(stale, SINCE);
    fs.appendFileSync(file, `${assistantLine({ messageId: 'msg_2', timestamp: iso(1), input: 1 })}\n`);
    const grown = listing(file);
    fs.rmSync(file);
    expect(() => ledger.refresh(grown, SINCE)).not.toThrow();
    expect(ledger.stats.unreadable).toEqual([{ path: file, error: 'ENOENT' }]);
    expect(all(ledger).usage).toEqual([]);
  });

  it('a file rewritten in place (same inode) to a longer content: read from the start', () => {
    const file = write('s.jsonl', [assistantLine({ messageId: 'msg_old', timestamp: iso(0), input: 1 })]);
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(file), SINCE);
    const inode = fs.statSync(file).ino;
    const oldSize = fs.statSync(file).size;
    fs.writeFileSync(
      file,
      [
        assistantLine({ messageId: 'msg_new1', timestamp: iso(1), input: 10, content: [{ type: 'text', text: 'z'.repeat(2000) }] }),
        assistantLine({ messageId: 'msg_new2', timestamp: iso(2), input: 20 }),
      ].join('\n') + '\n',
    );
    expect(fs.statSync(file).ino).toBe(inode);
    expect(fs.statSync(file).size).toBeGreaterThan(oldSize);
    ledger.refresh(listing(file), SINCE);
    expect(all(ledger).usage.map((event) => event.key)).toEqual(['msg_new1:req_new1', 'msg_new2:req_new2']);
    expect(ledger.counters.malformed).toBe(0);
  });

  it('the same listing refreshed twice (a file grew after it was taken) reads nothing twice', () => {
    const file = write('s.jsonl', [assistantLine({ messageId: 'msg_1', timestamp: iso(0), input: 1 })]);
    const staleListing = listing(file);
    fs.appendFileSync(file, `${assistantLine({ messageId: 'msg_2', timestamp: iso(1), input: 1 })}\n`);
    const ledger = new TranscriptLedger();
    ledger.refresh(staleListing, SINCE);
    const bytes = ledger.stats.bytesRead;
    ledger.refresh(staleListing, SINCE);
    expect(ledger.stats.bytesRead).toBe(bytes);
    expect(all(ledger).usage.map((event) => event.key)).toEqual(['msg_1:req_1', 'msg_2:req_2']);
    // The next, fresh listing: nothing new to read either.
    ledger.refresh(listing(file), SINCE);
    expect(ledger.stats.bytesRead).toBe(bytes);
    expect(all(ledger).usage).toHaveLength(2);
  });

  it('a file replaced by another (different inode), even a longer one: read from the start', () => {
    const file = write('s.jsonl', [assistantLine({ messageId: 'msg_old', timestamp: iso(0), input: 1 })]);
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(file), SINCE);
    const oldInode = fs.statSync(file).ino;
    const replacement = write('s.jsonl.tmp', [
      assistantLine({ messageId: 'msg_new1', timestamp: iso(1), input: 10, content: [{ type: 'text', text: 'z'.repeat(2000) }] }),
      assistantLine({ messageId: 'msg_new2', timestamp: iso(2), input: 20 }),
    ]);
    fs.renameSync(replacement, file);
    expect(fs.statSync(file).ino).not.toBe(oldInode);
    ledger.refresh(listing(file), SINCE);
    expect(all(ledger).usage.map((event) => event.key)).toEqual(['msg_new1:req_new1', 'msg_new2:req_new2']);
    expect(ledger.counters.malformed).toBe(0);
  });
});

describe('TranscriptLedger: files not worth opening, and files that cannot be opened', () => {
  it('a file whose mtime predates the query (beyond the 15 min slack) is not opened', () => {
    // The path does not exist: had the ledger opened it, it would be reported unreadable.
    const ghost: TranscriptFile = { path: path.join(dir, 'ghost.jsonl'), size: 1234, mtimeMs: SINCE - 16 * MINUTE, ino: 1 };
    const old = write('old.jsonl', [assistantLine({ messageId: 'msg_old', timestamp: iso(-48 * 60), input: 5 })]);
    fs.utimesSync(old, new Date(SINCE - 60 * MINUTE), new Date(SINCE - 60 * MINUTE));
    const recent = write('recent.jsonl', [assistantLine({ messageId: 'msg_new', timestamp: iso(0), input: 5 })]);
    const ledger = new TranscriptLedger();
    ledger.refresh([ghost, stat(old), stat(recent)], SINCE);
    expect(ledger.stats.filesSeen).toBe(3);
    expect(ledger.stats.filesSkippedOld).toBe(2);
    expect(ledger.stats.filesRead).toBe(1);
    expect(ledger.stats.bytesRead).toBe(fs.statSync(recent).size);
    expect(ledger.stats.unreadable).toEqual([]);
    expect(all(ledger).usage.map((event) => event.key)).toEqual(['msg_new:req_new']);

    // A query further back opens the old file.
    ledger.refresh([stat(old), stat(recent)], SINCE - 2 * 60 * MINUTE);
    expect(ledger.stats.filesSkippedOld).toBe(0);
    expect(all(ledger).usage.map((event) => event.key)).toEqual(['msg_old:req_old', 'msg_new:req_new']);
  });

  it('a file modified within the slack before the query is still opened', () => {
    const near = write('near.jsonl', [assistantLine({ messageId: 'msg_near', timestamp: iso(0), input: 5 })]);
    fs.utimesSync(near, new Date(SINCE - 10 * MINUTE), new Date(SINCE - 10 * MINUTE));
    const ledger = new TranscriptLedger();
    ledger.refresh([stat(near)], SINCE);
    expect(ledger.stats.filesSkippedOld).toBe(0);
    expect(all(ledger).usage).toHaveLength(1);
  });

  it('an unreadable file shows up in stats.unreadable, never throws, and other files are still read', () => {
    const good = write('good.jsonl', [assistantLine({ messageId: 'msg_good', timestamp: iso(0), input: 5 })]);
    const locked = write('locked.jsonl', [assistantLine({ messageId: 'msg_locked', timestamp: iso(0), input: 5 })]);
    fs.chmodSync(locked, 0o000);
    let chmodBlocksReads = false;
    try {
      fs.closeSync(fs.openSync(locked, 'r'));
    } catch {
      chmodBlocksReads = true;
    }
    let unreadable: TranscriptFile;
    let expectedError: string;
    if (chmodBlocksReads) {
      unreadable = stat(locked);
      expectedError = 'EACCES';
    } else {
      // Running as root: chmod 000 does not stop reads. A directory named like a transcript does.
      fs.chmodSync(locked, 0o644);
      fs.rmSync(locked);
      fs.mkdirSync(locked);
      const s = fs.statSync(locked);
      unreadable = { path: locked, size: 4096, mtimeMs: s.mtimeMs, ino: s.ino };
      expectedError = 'EISDIR';
    }
    const ledger = new TranscriptLedger();
    expect(() => ledger.refresh([unreadable, stat(good)], SINCE)).not.toThrow();
    expect(ledger.stats.unreadable).toEqual([{ path: locked, error: expectedError }]);
    expect(all(ledger).usage.map((event) => event.key)).toEqual(['msg_good:req_good']);
  });
});

/** A > 4 MB transcript: a user line a minute with an assistant line every 10 minutes. */
function writeLargeTranscript(name: string, minutes: number): { file: string; last: number } {
  const pad = 'the quick brown fox jumps over the lazy dog '.repeat(45);
  const lines: string[] = [];
  for (let m = 0; m < minutes; m += 1) {
    if (m % 10 === 0) lines.push(assistantLine({ messageId: `msg_${m}`, timestamp: iso(m), input: 1, output: 1, content: [{ type: 'text', text: pad }] }));
    else lines.push(userLine({ timestamp: iso(m), toolResultFor: `toolu_${m}`, text: pad }));
  }
  const file = write(name, lines);
  return { file, last: T0 + (minutes - 1) * MINUTE };
}

describe('TranscriptLedger: tail reads of large files', () => {
  it('reads only the tail for a recent query, and reads further back when a later query needs older events', () => {
    const { file, last } = writeLargeTranscript('big.jsonl', 2400);
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(4 << 20);
    const ledger = new TranscriptLedger();
    const recent = last - 120 * MINUTE;
    ledger.refresh([stat(file)], recent);
    expect(ledger.stats.bytesRead).toBeLessThan(size / 10);
    const wantedRecent = Array.from({ length: 2400 }, (_, m) => m).filter((m) => m % 10 === 0 && T0 + m * MINUTE >= recent);
    expect(ledger.events(recent, Number.POSITIVE_INFINITY).usage.map((event) => event.key)).toEqual(wantedRecent.map((m) => `msg_${m}:req_${m}`));

    const older = last - 30 * 60 * MINUTE;
    ledger.refresh([stat(file)], older);
    const wantedOlder = Array.from({ length: 2400 }, (_, m) => m).filter((m) => m % 10 === 0 && T0 + m * MINUTE >= older);
    expect(ledger.events(older, Number.POSITIVE_INFINITY).usage.map((event) => event.key)).toEqual(wantedOlder.map((m) => `msg_${m}:req_${m}`));
    expect(ledger.counters.malformed).toBe(0);

    // Appending to the tail-read file reads only the new bytes.
    const before = ledger.stats.bytesRead;
    const added = `${assistantLine({ messageId: 'msg_tail', timestamp: new Date(last + MINUTE).toISOString(), input: 9 })}\n`;
    fs.appendFileSync(file, added);
    ledger.refresh([stat(file)], older);
    expect(ledger.stats.bytesRead - before).toBe(Buffer.byteLength(added));
    expect(ledger.events(older, Number.POSITIVE_INFINITY).usage.at(-1)?.key).toBe('msg_tail:req_tail');
  });
});

describe('TranscriptLedger: line counts', () => {
  // Regression: the counts used to be one ledger-wide tally that only grew, so a file read again
  // (truncated, replaced, or re-read from further back) had its lines counted twice.
  it('a file read again after truncation does not keep the old skipped-line counts', () => {
    const file = write('s.jsonl', ['{"type":"assistant","message":{', assistantLine({ messageId: 'msg_1', timestamp: iso(0), input: 1 }), 'garbage line']);
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(file), SINCE);
    expect(ledger.counters).toMatchObject({ lines: 3, malformed: 2 });
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, `${assistantLine({ messageId: 'msg_2', timestamp: iso(1), input: 1 })}\n`);
    ledger.refresh(listing(file), SINCE);
    expect(all(ledger).usage.map((event) => event.key)).toEqual(['msg_2:req_2']);
    expect(ledger.counters).toMatchObject({ lines: 1, malformed: 0 });
  });

  it('a deleted file takes its counts with it', () => {
    const kept = write('kept.jsonl', [assistantLine({ messageId: 'msg_k', timestamp: iso(0), input: 1 })]);
    const gone = write('gone.jsonl', ['not json', assistantLine({ messageId: 'msg_g', timestamp: iso(0), input: 1 })]);
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(kept, gone), SINCE);
    expect(ledger.counters).toMatchObject({ lines: 3, parsed: 2, malformed: 1 });
    fs.rmSync(gone);
    ledger.refresh(listing(kept), SINCE);
    expect(ledger.counters).toMatchObject({ lines: 1, parsed: 1, malformed: 0 });
  });

  it('a tail-read file read again from further back counts each line once', () => {
    const { file, last } = writeLargeTranscript('big.jsonl', 2400);
    fs.appendFileSync(file, 'not json\n');
    const ledger = new TranscriptLedger();
    ledger.refresh([stat(file)], last - 120 * MINUTE);
    const recentLines = ledger.counters.lines;
    expect(ledger.counters.malformed).toBe(1);
    ledger.refresh([stat(file)], last - 30 * 60 * MINUTE);
    expect(ledger.counters.malformed).toBe(1);
    expect(ledger.counters.lines).toBeGreaterThan(recentLines);
    // Exactly the lines from the new start offset: the minutes of 30 h + 15 min of slack (both ends
    // included), plus the bad line.
    expect(ledger.counters.lines).toBe(30 * 60 + 15 + 1 + 1);
    ledger.refresh([stat(file)], Number.NEGATIVE_INFINITY);
    expect(ledger.counters).toMatchObject({ lines: 2401, malformed: 1 });
  });

  it('appended lines add to the counts', () => {
    const file = write('s.jsonl', [assistantLine({ messageId: 'msg_1', timestamp: iso(0), input: 1 })]);
    const ledger = new TranscriptLedger();
    ledger.refresh(listing(file), SINCE);
    fs.appendFileSync(file, '\n[1]\n');
    ledger.refresh(listing(file), SINCE);
    expect(ledger.counters).toMatchObject({ lines: 3, parsed: 1, empty: 1, malformed: 1 });
  });
});
