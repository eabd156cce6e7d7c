/**
 * Folders we add files to again and again stay bounded: handoffs/ (one per compaction of every
 * session) and the copies of a state file moved aside as corrupt. Only our own names are touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeSession } from '../../main/core/context/analyze.js';
import { HANDOFF_MAX_AGE_MS, KEEP_HANDOFFS, KEEP_RECENT_HANDOFFS, handoffsDir, latestHandoff, writeHandoff } from '../../main/core/context/handoff.js';
import { KEEP_CORRUPT_COPIES, readJsonStateSync } from '../../main/core/store.js';
import { knownSession, tempDirs, writeLines } from '../fixtures/context/session.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const NOW = Date.parse('2026-03-02T12:30:45.678Z');
const DAY = 24 * 60 * 60_000;

/** Sets a file's mtime `ageMs` before the wall clock (file ages are judged on mtimes). */
function age(file: string, ageMs: number): void {
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(file, when, when);
}

describe('handoffs/ stays bounded', () => {
  it(`keeps the newest ${KEEP_HANDOFFS} handoffs, the one just written among them, and nothing else of ours`, () => {
    const root = dirs.make();
    const dir = handoffsDir(root);
    fs.mkdirSync(dir, { recursive: true });
    // Older handoffs of other sessions, one a minute apart, newest last.
    const old = Array.from({ length: KEEP_HANDOFFS + 20 }, (_, i) => {
      const file = path.join(dir, `sess-${i}-2026-02-01T10-${String(i % 60).padStart(2, '0')}-00Z-${i}.md`);
      fs.writeFileSync(file, '# old\n');
      age(file, (KEEP_HANDOFFS + 20 - i) * 60_000);
      return file;
    });
    // Files that are not handoffs stay whatever their age.
    const notes = path.join(dir, 'my-notes.md');
    fs.writeFileSync(notes, 'mine\n');
    age(notes, 400 * DAY);
    const analysis = analyzeSession(writeLines(dirs.make(), knownSession().lines));
    const written = writeHandoff(root, analysis, NOW);

    const left = fs.readdirSync(dir).filter((name) => name !== 'my-notes.md');
    expect(left).toHaveLength(KEEP_HANDOFFS);
    expect(fs.existsSync(written)).toBe(true);
    expect(fs.existsSync(notes)).toBe(true);
    // The oldest went, the newest stayed.
    expect(fs.existsSync(old[0] as string)).toBe(false);
    expect(fs.existsSync(old.at(-1) as string)).toBe(true);
    expect(latestHandoff(root, analysis.context.sessionId)).toBe(written);
  });

  it(`removes handoffs older than ${HANDOFF_MAX_AGE_MS / DAY} days beyond the newest ${KEEP_RECENT_HANDOFFS}`, () => {
    const root = dirs.make();
    const dir = handoffsDir(root);
    fs.mkdirSync(dir, { recursive: true });
    const stale = Array.from({ length: 15 }, (_, i) => {
      const file = path.join(dir, `s${i}-2025-12-01T10-00-00Z.md`);
      fs.writeFileSync(file, '# old\n');
      age(file, 40 * DAY + i * 60_000);
      return file;
    });
    const analysis = analyzeSession(writeLines(dirs.make(), knownSession().lines));
    writeHandoff(root, analysis, NOW);
    const left = fs.readdirSync(dir);
    // The new one and the 9 newest of the stale ones: 10 in all, however old.
    expect(left).toHaveLength(KEEP_RECENT_HANDOFFS);
    expect(fs.existsSync(stale[0] as string)).toBe(true);
    expect(fs.existsSync(stale[14] as string)).toBe(false);
  });
});

describe('corrupt copies stay bounded', () => {
  it(`keeps the newest ${KEEP_CORRUPT_COPIES} copies of a file that keeps turning corrupt, and leaves other files alone`, () => {
    const dir = dirs.make();
    const file = path.join(dir, 'quota-tracker.json');
    const other = path.join(dir, 'session-queue.json.corrupt-2020-01-01T00-00-00.000Z');
    fs.writeFileSync(other, 'x');
    const parse = (raw: unknown) => raw as object;
    const warnings: string[] = [];
    for (let i = 0; i < 12; i++) {
      fs.writeFileSync(file, `{ broken ${i}`);
      const read = readJsonStateSync(file, parse);
      if (read.warning) warnings.push(read.warning);
    }
    expect(warnings).toHaveLength(12);
    const copies = fs.readdirSync(dir).filter((name) => name.startsWith('quota-tracker.json.corrupt-'));
    expect(copies).toHaveLength(KEEP_CORRUPT_COPIES);
    // The newest corrupt content is among those kept.
    const contents = copies.map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
    expect(contents).toContain('{ broken 11');
    expect(contents).not.toContain('{ broken 0');
    expect(fs.existsSync(other)).toBe(true);
  });
});
