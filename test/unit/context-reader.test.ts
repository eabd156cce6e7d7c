import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countCompactBoundaries, findCompactBoundaries, forEachLine } from '../../main/core/context/session-reader.js';
import { compactBoundaryLine, userLine } from '../fixtures/make-transcript.js';
import { tempDirs } from '../fixtures/context/session.js';

const CHUNK = 1 << 20;
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function file(content: string | Buffer): string {
  const full = path.join(dirs.make(), 'session.jsonl');
  fs.writeFileSync(full, content);
  return full;
}

function lines(target: string, from = 0): { lines: string[]; offsets: number[]; endOffset: number } {
  const out: string[] = [];
  const offsets: number[] = [];
  const read = forEachLine(target, from, (line, offset) => {
    out.push(line.toString('utf8'));
    offsets.push(offset);
  });
  return { lines: out, offsets, endOffset: read.endOffset };
}

describe('the streaming session reader', () => {
  it('hands on complete lines with their offsets, strips CR, and leaves a torn last line', () => {
    const target = file('{"a":1}\r\n{"b":2}\n\n{"c":');
    const read = lines(target);
    expect(read.lines).toEqual(['{"a":1}', '{"b":2}', '']);
    expect(read.offsets).toEqual([0, 9, 17]);
    expect(read.endOffset).toBe(18);
    expect(lines(target, 9).lines).toEqual(['{"b":2}', '']);
  });

  it('joins lines longer than a chunk and multi-byte characters split across chunks', () => {
    const long = `{"t":"${'é'.repeat(CHUNK)}"}`;
    const target = file(`${long}\n{"next":true}\n`);
    const read = lines(target);
    expect(read.lines).toHaveLength(2);
    expect(read.lines[0]).toBe(long);
    expect(read.offsets[1]).toBe(Buffer.byteLength(long) + 1);
  });

  it('stops when the handler says so, and honours a byte budget', () => {
    const target = file('1\n2\n3\n');
    const seen: string[] = [];
    const read = forEachLine(target, 0, (line) => {
      seen.push(line.toString());
      return seen.length < 2;
    });
    expect(seen).toEqual(['1', '2']);
    expect(read).toMatchObject({ stopped: true, endOffset: 4 });
  });
});

describe('finding compaction boundaries from the end', () => {
  it('finds the last boundaries, newest first, and ignores a prompt that mentions the word', () => {
    const t = '2026-03-02T09:00:00.000Z';
    const content = [
      userLine({ timestamp: t, text: 'start' }),
      compactBoundaryLine({ timestamp: t, postTokens: 1 }),
      userLine({ timestamp: t, text: 'middle' }),
      compactBoundaryLine({ timestamp: t, postTokens: 2 }),
      userLine({ timestamp: t, text: 'what is a "subtype":"compact_boundary" line?' }),
    ];
    const target = file(`${content.join('\n')}\n`);
    const offsets = content.map((_, i) => content.slice(0, i).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0));
    expect(findCompactBoundaries(target, 1)).toEqual([offsets[3]]);
    expect(findCompactBoundaries(target, 5)).toEqual([offsets[3], offsets[1]]);
    expect(countCompactBoundaries(target, fs.statSync(target).size)).toBe(2);
    expect(countCompactBoundaries(target, offsets[3] as number)).toBe(1);
    expect(findCompactBoundaries(file(`${userLine({ timestamp: t })}\n`), 1)).toEqual([]);
  });

  it('finds a boundary on the first line and one across chunk borders', () => {
    const t = '2026-03-02T09:00:00.000Z';
    const boundary = compactBoundaryLine({ timestamp: t });
    expect(findCompactBoundaries(file(boundary), 1)).toEqual([0]);
    const filler = userLine({ timestamp: t, text: 'f'.repeat(CHUNK - 200) });
    const target = file(`${filler}\n${boundary}\n${filler}\n${boundary}\n`);
    expect(findCompactBoundaries(target, 2)).toHaveLength(2);
    expect(countCompactBoundaries(target, fs.statSync(target).size)).toBe(2);
  });
});
