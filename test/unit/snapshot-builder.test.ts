/**
 * The test Snapshots (test/fixtures/snapshot-builder.ts) are complete: the named fixtures carry
 * every field the engine emits, and the type checker refuses a part given only in part (the
 * `@ts-expect-error` lines below fail `npm run typecheck` the day the builder accepts one).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { computeSnapshot } from '../../main/core/snapshot.js';
import { busyInputs, contextWith, snapshotWith } from '../fixtures/snapshot-builder.js';
import { SNAPSHOT_FIXTURES, snapshotFixture } from '../fixtures/snapshot-fixtures.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Field paths one object has and the other lacks, at every depth where both hold an object (a
 * null part is compared once it is there), and through the first item of lists.
 */
function fieldGaps(value: unknown, reference: unknown, at = ''): string[] {
  if (Array.isArray(value) && Array.isArray(reference)) return value.length > 0 && reference.length > 0 ? fieldGaps(value[0], reference[0], `${at}[0]`) : [];
  if (!isObject(value) || !isObject(reference)) return [];
  const gaps: string[] = [];
  for (const key of new Set([...Object.keys(value), ...Object.keys(reference)])) {
    const where = at ? `${at}.${key}` : key;
    if (!(key in value)) gaps.push(`missing ${where}`);
    else if (!(key in reference)) gaps.push(`extra ${where}`);
    else gaps.push(...fieldGaps(value[key], reference[key], where));
  }
  return gaps;
}

/** What the engine emits with every part filled: the reference for "complete". */
const ENGINE = computeSnapshot(busyInputs(Date.parse('2025-01-06T16:45:00.000Z')));

describe('snapshot builder', () => {
  it.each(SNAPSHOT_FIXTURES)('%s has every field the engine emits, and no other', (name) => {
    expect(fieldGaps(snapshotFixture(name), ENGINE)).toEqual([]);
  });

  it('a fixture with a gap is caught (the old JSON fixtures lacked queue.entries)', () => {
    const { entries: _entries, ...queue } = snapshotFixture('active-good').queue;
    expect(fieldGaps({ ...snapshotFixture('active-good'), queue }, ENGINE)).toEqual(['missing queue.entries']);
  });

  it('contexts are the engine\'s own, complete, with the fields asked for', () => {
    const context = contextWith({ sessionId: 'abc', percent: 84.2, compaction: { command: '/compact keep' } });
    expect(fieldGaps(context, ENGINE.context)).toEqual([]);
    expect(context).toMatchObject({ sessionId: 'abc', percent: 84.2, compaction: { command: '/compact keep' } });
    expect(context.compaction.keep.filesEdited.length).toBeGreaterThan(0);
  });

  it('merges always-present parts field by field and gives a fresh copy each time', () => {
    const snapshot = snapshotWith({ quota: { percentUsed: 61, level: 'moderate' }, diagnostics: { filesSeen: 4 } });
    expect(snapshot.quota).toMatchObject({ percentUsed: 61, level: 'moderate', source: 'transcripts', currentWindow: null });
    expect(snapshot.diagnostics).toMatchObject({ filesSeen: 4, filesRead: 0, warnings: [] });
    snapshot.quota.countedKinds.push('cacheRead');
    snapshot.diagnostics.warnings.push('changed');
    expect(snapshotWith().quota.countedKinds).toEqual(['input', 'output']);
    expect(snapshotFixture('active-good').diagnostics.warnings).toEqual([]);
  });

  it('the type checker refuses a part given in part', () => {
    expectTypeOf(snapshotWith()).toEqualTypeOf<Snapshot>();
    expectTypeOf(contextWith()).toEqualTypeOf<ContextSnapshot>();
    // Each line below must be a type error; the calls run, and only their types matter.
    // @ts-expect-error a window (a part that may be null) is given whole: a new field is a compile error here
    snapshotWith({ quota: { currentWindow: { startTime: '2025-01-06T14:30:00.000Z', tokensUsed: 1 } } });
    // @ts-expect-error no field the Snapshot does not have
    snapshotWith({ quota: { percentUsedd: 3 } });
    // @ts-expect-error list items are given whole
    snapshotWith({ sessions: [{ sessionId: 'a' }] });
    // @ts-expect-error the last compaction (may be null) is given whole
    contextWith({ lastCompaction: { at: '2025-01-06T14:30:00.000Z' } });
  });
});
