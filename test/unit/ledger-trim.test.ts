/**
 * A long-running ledger keeps only the events its queries reach (issue 15.1): after appends that
 * span days, what it holds is bounded, and every figure equals a fresh full read's.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import { loadSettings } from '../../main/core/settings.js';
import { collectStatus } from '../../main/core/status.js';
import { TranscriptLedger } from '../../main/core/transcripts/ledger.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-03-02T06:00:00.000Z');

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

/** The figures, without what says how much was read (which differs by design). */
function figures(s: Snapshot): string {
  return JSON.stringify({ ...s, generatedAt: '', diagnostics: { ...s.diagnostics, bytesRead: 0, filesRead: 0, filesSkippedOld: 0, linesRead: 0 } });
}

/**
 * Three hours of work every nine (a response every 5 minutes), for `days`: the ledger is
 * refreshed and trimmed after each append, as the Engine does, and compared with a fresh read.
 */
function soak(plan: 'max20' | 'auto', days: number): { retained: number[]; total: number } {
  const root = tempRoot('cco-trim-');
  roots.push(root);
  fs.writeFileSync(`${root}/cco-settings.json`, `${JSON.stringify({ plan })}\n`);
  const settings = loadSettings(root).settings;
  const ledger = new TranscriptLedger();
  const file = writeTranscript(root, 'long', []);
  const retained: number[] = [];
  let total = 0;
  for (let t = T0; t < T0 + days * 24 * HOUR; t += 5 * MINUTE) {
    if ((t - T0) % (9 * HOUR) >= 3 * HOUR) continue;
    total += 1;
    const stamp = new Date(t);
    fs.appendFileSync(file, `${assistantLine({ messageId: `msg_${total}`, timestamp: stamp.toISOString(), input: 1000, output: 10 * total })}\n`);
    fs.utimesSync(file, stamp, stamp);
    const now = t + MINUTE;
    const kept = collectStatus({ roots: [root], settings, now, persist: true, ledger });
    ledger.trimToQueries();
    retained.push(ledger.retainedEvents);
    if (total % 24 === 0) {
      const fresh = collectStatus({ roots: [root], settings, now, persist: false });
      expect(figures(kept)).toBe(figures(fresh));
    }
  }
  return { retained, total };
}

describe('TranscriptLedger.trimToQueries', () => {
  it('holds a bounded number of events over days of appends, with the figures of a fresh read', () => {
    const { retained, total } = soak('max20', 3);
    expect(total).toBeGreaterThan(250);
    // The queries reach back at most 20 hours here: no more than three work periods (36 lines each).
    expect(Math.max(...retained)).toBeLessThanOrEqual(3 * 36);
    expect(retained.at(-1)).toBeLessThan(total / 2);
  });

  it('keeps the bound with the usage history (plan auto), whose horizon it follows', () => {
    const { retained, total } = soak('auto', 3);
    expect(Math.max(...retained)).toBeLessThanOrEqual(3 * 36);
    expect(retained.at(-1)).toBeLessThan(total / 2);
  });

  it('drops nothing while no query was made since the last trim, nor when one needed every event', () => {
    const ledger = new TranscriptLedger();
    expect(ledger.trimToQueries()).toBe(0);
    const root = tempRoot('cco-trim-');
    roots.push(root);
    const file = writeTranscript(root, 'one', [assistantLine({ messageId: 'msg_a', timestamp: new Date(T0).toISOString(), input: 5 })]);
    const stat = fs.statSync(file);
    ledger.refresh([{ path: file, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino }], Number.NEGATIVE_INFINITY);
    expect(ledger.trimToQueries()).toBe(0);
    expect(ledger.retainedEvents).toBe(1);
  });
});
