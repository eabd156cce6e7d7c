import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOffsetSince, readTranscriptFrom } from '../../main/core/transcripts/reader.js';
import { emptyCounters, type ParseCounters, type TranscriptEvent, type UsageEvent } from '../../shared/events.js';
import { assistantLine, compactBoundaryLine, toolUse, userLine } from '../fixtures/make-transcript.js';

/** The reader's chunk size (reader.ts CHUNK): lines and characters straddling it are the risk. */
const CHUNK = 1 << 20;
const MINUTE = 60_000;

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-reader-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const full = path.join(dir, name);
  fs.writeFileSync(full, content);
  return full;
}

function read(target: string, from = 0): { counters: ParseCounters; events: TranscriptEvent[]; endOffset: number; bytesRead: number } {
  const counters = emptyCounters();
  const events: TranscriptEvent[] = [];
  const result = readTranscriptFrom(target, from, counters, events);
  return { counters, events, ...result };
}

function usage(events: TranscriptEvent[]): UsageEvent[] {
  return events.filter((event): event is UsageEvent => event.kind === 'usage');
}

const line = (id: string, minute: number, input = 100, output = 10): string =>
  assistantLine({ messageId: id, timestamp: new Date(Date.parse('2026-01-15T12:00:00.000Z') + minute * MINUTE).toISOString(), input, output });

/** An assistant line padded (ASCII) so that its UTF-8 size is exactly `bytes`. */
function assistantLineOfSize(bytes: number, id: string): string {
  const base = assistantLine({ messageId: id, timestamp: '2026-01-15T12:00:00.000Z', input: 1, output: 2, content: [{ type: 'text', text: '' }] });
  const padded = assistantLine({ messageId: id, timestamp: '2026-01-15T12:00:00.000Z', input: 1, output: 2, content: [{ type: 'text', text: 'p'.repeat(bytes - Buffer.byteLength(base)) }] });
  expect(Buffer.byteLength(padded)).toBe(bytes);
  return padded;
}

describe('readTranscriptFrom: complete lines only', () => {
  it('reads every complete line and stops at the end', () => {
    const content = [line('msg_1', 0), userLine({ timestamp: '2026-01-15T12:00:30.000Z' }), line('msg_2', 1)].join('\n') + '\n';
    const target = file('a.jsonl', content);
    const result = read(target);
    expect(usage(result.events).map((event) => event.key)).toEqual(['msg_1:req_1', 'msg_2:req_2']);
    expect(result.endOffset).toBe(Buffer.byteLength(content));
    expect(result.bytesRead).toBe(Buffer.byteLength(content));
    expect(result.counters).toMatchObject({ lines: 3, parsed: 3, malformed: 0 });
  });

  it('a torn last line is not parsed, and endOffset stops before it', () => {
    const first = line('msg_1', 0);
    const second = line('msg_2', 1, 777, 77);
    const torn = second.slice(0, 90);
    const target = file('torn.jsonl', `${first}\n${torn}`);
    const result = read(target);
    expect(usage(result.events).map((event) => event.key)).toEqual(['msg_1:req_1']);
    expect(result.endOffset).toBe(Buffer.byteLength(first) + 1);
    expect(result.counters).toMatchObject({ lines: 1, malformed: 0 });

    // The writer finishes the line: reading from endOffset parses it exactly once.
    fs.appendFileSync(target, `${second.slice(90)}\n`);
    const next = read(target, result.endOffset);
    expect(usage(next.events)).toHaveLength(1);
    expect(usage(next.events)[0]?.tokens).toEqual({ input: 777, output: 77, cacheCreation: 0, cacheRead: 0 });
    expect(next.counters).toMatchObject({ lines: 1, parsed: 1, malformed: 0 });
    expect(next.endOffset).toBe(fs.statSync(target).size);

    const again = read(target, next.endOffset);
    expect(again.events).toEqual([]);
    expect(again.bytesRead).toBe(0);
    expect(again.endOffset).toBe(next.endOffset);
  });

  it('a file with no newline at all: nothing is parsed, endOffset stays at the start', () => {
    const target = file('nonl.jsonl', line('msg_1', 0));
    const result = read(target);
    expect(result.events).toEqual([]);
    expect(result.endOffset).toBe(0);
    expect(result.counters.lines).toBe(0);
    expect(result.bytesRead).toBe(fs.statSync(target).size);
  });

  it('an empty file', () => {
    const result = read(file('empty.jsonl', ''));
    expect(result).toMatchObject({ endOffset: 0, bytesRead: 0, events: [] });
    expect(result.counters.lines).toBe(0);
  });

  it('reading from the middle of a file starts at that offset', () => {
    const first = line('msg_1', 0);
    const target = file('mid.jsonl', `${first}\n${line('msg_2', 1)}\n`);
    const result = read(target, Buffer.byteLength(first) + 1);
    expect(usage(result.events).map((event) => event.key)).toEqual(['msg_2:req_2']);
  });

  it('CRLF line endings: the \\r is dropped, every line parses', () => {
    const content = [line('msg_1', 0), userLine({ timestamp: '2026-01-15T12:00:30.000Z' }), compactBoundaryLine({ timestamp: '2026-01-15T12:00:40.000Z', postTokens: 9 }), line('msg_2', 1)].join('\r\n') + '\r\n';
    const result = read(file('crlf.jsonl', content));
    expect(result.events.map((event) => event.kind)).toEqual(['usage', 'compact', 'usage']);
    expect(result.counters).toMatchObject({ lines: 4, parsed: 4, malformed: 0, empty: 0 });
    expect(result.endOffset).toBe(Buffer.byteLength(content));
  });

  it('bad lines are counted, not thrown, and do not hide good ones', () => {
    const content = Buffer.concat([
      Buffer.from(`${line('msg_1', 0)}\n`),
      Buffer.from('{"type":"assistant","message":{"id":"msg_broken"\n'),
      Buffer.from('\n   \n'),
      Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x0a]),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0x0a]),
      Buffer.from('[1,2,3]\n'),
      Buffer.from(`${line('msg_2', 1)}\n`),
    ]);
    const result = read(file('bad.jsonl', content));
    expect(usage(result.events).map((event) => event.key)).toEqual(['msg_1:req_1', 'msg_2:req_2']);
    expect(result.counters).toEqual({ lines: 8, parsed: 2, malformed: 3, unknownType: 0, empty: 2, binary: 1, synthetic: 0, apiError: 0, implausible: 0, oversized: 0 });
  });

  it('unknown line types yield no event', () => {
    const content = ['{"type":"hologram-sync","timestamp":"2026-01-15T12:00:00.000Z"}', '{"type":"assistant-v9","message":{"usage":{"input_tokens":5}}}', line('msg_1', 0)].join('\n') + '\n';
    const result = read(file('unknown.jsonl', content));
    expect(result.events.map((event) => event.kind)).toEqual(['usage']);
    expect(result.counters.lines).toBe(3);
    expect(result.counters.malformed).toBe(0);
  });
});

describe('readTranscriptFrom: chunk boundaries', () => {
  it('a 3 MB tool_result line and a 3 MB assistant line are read whole across chunks', () => {
    const bigResult = userLine({ timestamp: '2026-01-15T12:00:10.000Z', toolResultFor: 'toolu_big', text: 'r'.repeat(3_000_000) });
    const bigAssistant = assistantLine({
      messageId: 'msg_big',
      timestamp: '2026-01-15T12:00:20.000Z',
      input: 4321,
      output: 1234,
      content: [{ type: 'text', text: 'a'.repeat(3_000_000) }, toolUse('Write', 'toolu_w')],
    });
    const content = [line('msg_1', 0), bigResult, bigAssistant, line('msg_2', 1)].join('\n') + '\n';
    expect(Buffer.byteLength(content)).toBeGreaterThan(5 * CHUNK);
    const result = read(file('big.jsonl', content));
    expect(usage(result.events).map((event) => [event.key, event.tokens.input, event.tokens.output])).toEqual([
      ['msg_1:req_1', 100, 10],
      ['msg_big:req_big', 4321, 1234],
      ['msg_2:req_2', 100, 10],
    ]);
    expect(result.events.filter((event) => event.kind === 'tool').map((event) => event.kind === 'tool' && event.name)).toEqual(['Write']);
    expect(result.counters).toMatchObject({ lines: 4, parsed: 4, malformed: 0 });
    expect(result.endOffset).toBe(Buffer.byteLength(content));
  });

  it('a multi-byte UTF-8 character straddling the chunk boundary is decoded intact', () => {
    const name = 'Wörk🙂Tool';
    const build = (pad: number) =>
      assistantLine({ messageId: 'msg_mb', timestamp: '2026-01-15T12:00:00.000Z', input: 5, output: 6, content: [{ type: 'text', text: 'x'.repeat(pad) }, toolUse(name, 'toolu_mb')] });
    const emoji = Buffer.from('🙂');
    const probe = Buffer.from(build(1000)).indexOf(emoji);
    // Put the 4-byte emoji at CHUNK-2 .. CHUNK+1: two bytes in each chunk.
    const target = build(1000 + CHUNK - 2 - probe);
    const bytes = Buffer.from(target);
    expect(bytes.indexOf(emoji)).toBe(CHUNK - 2);
    const result = read(file('utf8.jsonl', `${target}\n${line('msg_2', 1)}\n`));
    const tool = result.events.find((event) => event.kind === 'tool');
    expect(tool?.kind === 'tool' && tool.name).toBe(name);
    expect(usage(result.events).map((event) => event.key)).toEqual(['msg_mb:req_mb', 'msg_2:req_2']);
    expect(result.counters.malformed).toBe(0);
  });

  const boundaryCases: { name: string; firstLineBytes: number; eol: string }[] = [
    { name: 'newline as the last byte of the first chunk', firstLineBytes: CHUNK - 1, eol: '\n' },
    { name: 'newline as the first byte of the second chunk', firstLineBytes: CHUNK, eol: '\n' },
    { name: 'CRLF split across the boundary (\\r last, \\n first)', firstLineBytes: CHUNK - 1, eol: '\r\n' },
    { name: 'CRLF just before the boundary', firstLineBytes: CHUNK - 2, eol: '\r\n' },
  ];
  it.each(boundaryCases)('$name', ({ firstLineBytes, eol }) => {
    const first = assistantLineOfSize(firstLineBytes, 'msg_edge');
    const content = `${first}${eol}${line('msg_2', 1)}${eol}`;
    const result = read(file('edge.jsonl', content));
    expect(usage(result.events).map((event) => event.key)).toEqual(['msg_edge:req_edge', 'msg_2:req_2']);
    expect(result.counters).toMatchObject({ lines: 2, parsed: 2, malformed: 0, empty: 0 });
    expect(result.endOffset).toBe(Buffer.byteLength(content));
  });

  it('a torn line longer than a chunk stays unread until its newline arrives', () => {
    const big = assistantLineOfSize(CHUNK + 5000, 'msg_torn_big');
    const first = line('msg_1', 0);
    const target = file('torn-big.jsonl', `${first}\n${big.slice(0, CHUNK + 100)}`);
    const partial = read(target);
    expect(usage(partial.events).map((event) => event.key)).toEqual(['msg_1:req_1']);
    expect(partial.endOffset).toBe(Buffer.byteLength(first) + 1);
    fs.appendFileSync(target, `${big.slice(CHUNK + 100)}\n`);
    const rest = read(target, partial.endOffset);
    expect(usage(rest.events).map((event) => event.key)).toEqual(['msg_torn_big:req_torn_big']);
    expect(rest.counters.malformed).toBe(0);
  });
});

interface BuiltFile {
  path: string;
  size: number;
  /** Byte offset of each line start, and one past the end (size). */
  offsets: number[];
  /** Each line's timestamp (null for lines without one). */
  stamps: (number | null)[];
  /** Assistant message ids by line index. */
  ids: (string | null)[];
}

const BASE = Date.parse('2026-01-10T00:00:00.000Z');

/** A transcript over 4 MB: a line a minute, every 10th an assistant response, every 97th with no timestamp. */
function buildLargeFile(name: string, lineCount: number): BuiltFile {
  const lines: string[] = [];
  const stamps: (number | null)[] = [];
  const ids: (string | null)[] = [];
  const pad = 'lorem ipsum dolor sit amet '.repeat(70);
  for (let i = 0; i < lineCount; i += 1) {
    const ts = BASE + i * MINUTE;
    if (i % 97 === 50) {
      lines.push(`{"type":"summary","summary":"title ${i}","leafUuid":"u${i}"}`);
      stamps.push(null);
      ids.push(null);
    } else if (i % 10 === 0) {
      lines.push(assistantLine({ messageId: `msg_${i}`, requestId: `req_${i}`, timestamp: new Date(ts).toISOString(), input: i, output: 1, content: [{ type: 'text', text: pad }] }));
      stamps.push(ts);
      ids.push(`msg_${i}`);
    } else {
      lines.push(userLine({ timestamp: new Date(ts).toISOString(), toolResultFor: `toolu_${i}`, text: pad }));
      stamps.push(ts);
      ids.push(null);
    }
  }
  const offsets: number[] = [0];
  for (const text of lines) offsets.push((offsets[offsets.length - 1] as number) + Buffer.byteLength(text) + 1);
  const target = file(name, lines.join('\n') + '\n');
  const size = fs.statSync(target).size;
  expect(offsets[offsets.length - 1]).toBe(size);
  return { path: target, size, offsets, stamps, ids };
}

/** Independent expectation: just past the last line stamped before `limit` (0 if none). */
function expectedOffset(built: BuiltFile, limit: number): number {
  let offset = 0;
  built.stamps.forEach((stamp, i) => {
    if (stamp !== null && stamp < limit) offset = built.offsets[i + 1] as number;
  });
  return offset;
}

describe('findOffsetSince', () => {
  const SLACK = 15 * MINUTE;
  let built: BuiltFile;
  beforeEach(() => {
    built = buildLargeFile('large.jsonl', 2600);
  });

  it('the fixture is larger than the tail-read threshold (4 MB)', () => {
    expect(built.size).toBeGreaterThan(4 << 20);
  });

  const lastStamp = BASE + 2599 * MINUTE;
  const sinceCases: { name: string; since: number }[] = [
    { name: '1 hour before the end', since: lastStamp - 60 * MINUTE },
    { name: '10 hours before the end (crosses chunk boundaries)', since: lastStamp - 600 * MINUTE },
    { name: '30 hours before the end', since: lastStamp - 1800 * MINUTE },
    { name: 'a since between two lines', since: lastStamp - 123 * MINUTE - 30_000 },
    { name: 'before the first line', since: BASE - 60 * MINUTE },
    { name: 'after the last line', since: lastStamp + 60 * MINUTE },
  ];

  it.each(sinceCases)('$name: a line start, and every event at/after since is read from it', ({ since }) => {
    const offset = findOffsetSince(built.path, built.size, since);
    expect(offset).toBe(expectedOffset(built, since - SLACK));
    expect(built.offsets).toContain(offset);

    const counters = emptyCounters();
    const events: TranscriptEvent[] = [];
    const result = readTranscriptFrom(built.path, offset, counters, events);
    expect(result.bytesRead).toBe(built.size - offset);
    expect(counters.malformed).toBe(0);
    const read = new Set(usage(events).map((event) => event.key));
    const wanted = built.ids.filter((id, i) => id !== null && (built.stamps[i] as number) >= since).map((id) => `${id}:req_${(id as string).slice(4)}`);
    for (const key of wanted) expect(read.has(key), key).toBe(true);
    // Nothing stamped before since - slack is read again.
    for (const event of usage(events)) expect(event.timestamp).toBeGreaterThanOrEqual(since - SLACK);
  });

  it('reads only the tail of the file for a recent since', () => {
    const offset = findOffsetSince(built.path, built.size, lastStamp - 60 * MINUTE);
    expect(offset).toBeGreaterThan(0);
    expect(built.size - offset).toBeLessThan(built.size / 20);
  });

  it('honours a custom slack', () => {
    const since = lastStamp - 60 * MINUTE;
    expect(findOffsetSince(built.path, built.size, since, 0)).toBe(expectedOffset(built, since));
  });

  it('only looks at the first `size` bytes (bytes appended after the listing are ignored)', () => {
    const since = lastStamp + 60 * MINUTE;
    fs.appendFileSync(built.path, `${line('msg_later', 99_999)}\n`);
    expect(findOffsetSince(built.path, built.size, since)).toBe(built.size);
  });
});

describe('findOffsetSince: small files', () => {
  const stamp = (minute: number) => new Date(BASE + minute * MINUTE).toISOString();
  const cases: { name: string; lines: string[]; since: number; expectedLine: number | 'end' }[] = [
    { name: 'all lines recent → 0', lines: [userLine({ timestamp: stamp(100) }), userLine({ timestamp: stamp(101) })], since: BASE + 90 * MINUTE, expectedLine: 0 },
    { name: 'only the first line old → the second line', lines: [userLine({ timestamp: stamp(0) }), userLine({ timestamp: stamp(100) }), userLine({ timestamp: stamp(101) })], since: BASE + 90 * MINUTE, expectedLine: 1 },
    { name: 'all lines old → the end', lines: [userLine({ timestamp: stamp(0) }), userLine({ timestamp: stamp(1) })], since: BASE + 90 * MINUTE, expectedLine: 'end' },
    { name: 'lines without timestamps are not a stop', lines: [userLine({ timestamp: stamp(0) }), '{"type":"summary","summary":"t"}', userLine({ timestamp: stamp(100) })], since: BASE + 90 * MINUTE, expectedLine: 1 },
    { name: 'a line within the slack is kept', lines: [userLine({ timestamp: stamp(0) }), userLine({ timestamp: stamp(80) }), userLine({ timestamp: stamp(100) })], since: BASE + 90 * MINUTE, expectedLine: 1 },
  ];
  it.each(cases)('$name', ({ lines, since, expectedLine }) => {
    const content = lines.join('\n') + '\n';
    const target = file('small.jsonl', content);
    const size = Buffer.byteLength(content);
    const expected = expectedLine === 'end' ? size : lines.slice(0, expectedLine).reduce((sum, text) => sum + Buffer.byteLength(text) + 1, 0);
    expect(findOffsetSince(target, size, since)).toBe(expected);
  });

  it('an empty file → 0', () => {
    expect(findOffsetSince(file('empty.jsonl', ''), 0, BASE)).toBe(0);
  });
});
