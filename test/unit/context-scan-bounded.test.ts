/**
 * A long session's scanner holds one segment's ids, not every line's (issue 15.1): at a
 * compaction boundary it forgets the line ids, response keys and answered tool calls, and what it
 * reports for the segment is what a scan from that boundary reports.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanSession, SessionScanner } from '../../main/core/context/scan.js';
import { assistantLine, compactBoundaryLine, toolUse, userLine } from '../fixtures/make-transcript.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (i: number) => new Date(T0 + i * 1000).toISOString();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** `segments` stretches of `turns` turns (prompt, tool call, its result, answer), each closed by a boundary. */
function session(segments: number, turns: number): string[] {
  const lines: string[] = [];
  let i = 0;
  for (let s = 0; s < segments; s++) {
    for (let t = 0; t < turns; t++) {
      i += 1;
      lines.push(userLine({ timestamp: at(i), text: `step ${i}` }));
      lines.push(assistantLine({ messageId: `msg_t${i}`, timestamp: at(i), input: 10, cacheRead: 1000 * t, output: 5, content: [toolUse('Read', `toolu_${i}`, { file_path: `/src/f${i % 7}.ts` })] }));
      lines.push(userLine({ timestamp: at(i), toolResultFor: `toolu_${i}`, text: 'x'.repeat(200) }));
      lines.push(assistantLine({ messageId: `msg_a${i}`, timestamp: at(i), input: 10, cacheRead: 1000 * t + 500, output: 5 }));
    }
    if (s < segments - 1) lines.push(compactBoundaryLine({ timestamp: at(i), preTokens: 150_000 }));
  }
  return lines;
}

describe('SessionScanner across compaction boundaries', () => {
  it('holds at most one segment of ids, and reports the last segment as a scan from its boundary does', () => {
    const turns = 50;
    const lines = session(20, turns);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-scan-'));
    dirs.push(dir);
    const file = path.join(dir, 's.jsonl');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const scanner = new SessionScanner(file, 0);
    let most = 0;
    for (const line of lines) {
      scanner.line(Buffer.from(line));
      most = Math.max(most, scanner.retainedIds);
    }
    // Per turn: 4 line ids, 2 response keys, 1 tool call, 1 answered id (and the boundary's id).
    expect(most).toBeLessThanOrEqual(8 * turns + 1);
    const all = scanner.result(0);
    const lastBoundary = fs.readFileSync(file, 'utf8').lastIndexOf('compact_boundary');
    const offset = fs.readFileSync(file, 'utf8').lastIndexOf('\n', lastBoundary) + 1;
    const fresh = scanSession(file, offset);
    // Orders count lines from where each scan began; everything else must match.
    const plain = (v: unknown) => JSON.stringify(v, (key, value: unknown) => (key === 'order' || key === 'startOrder' ? 0 : value instanceof Set ? [...value] : value));
    expect(plain(all.segment)).toBe(plain(fresh.segment));
    expect(all.lastResponse?.context).toBe(fresh.lastResponse?.context);
    expect(all.counters.toolUsesWithoutResult).toBe(0);
    expect(all.compactions).toBe(19);
  });
});
