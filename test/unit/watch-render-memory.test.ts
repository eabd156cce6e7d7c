/**
 * Issue 15.1: `cco status --watch` redraws its panel on every transcript write. Each
 * `new Intl.DateTimeFormat` builds ICU objects in native memory that only the GC's finalizer
 * frees; built per redraw, they grew the process's malloc heap by ~7 KB a write, for good. The
 * panel must reuse its formatters: counted here, not timed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderStatusPanel } from '../../main/cli/render/status-panel.js';
import { formatClockTime, formatLocalDateTime, formatLocalTime } from '../../shared/format.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { snapshotFixture } from '../fixtures/snapshot-fixtures.js';

const Original = Intl.DateTimeFormat;
let constructed = 0;

function countConstructions(): void {
  constructed = 0;
  Intl.DateTimeFormat = new Proxy(Original, {
    construct(target, args: ConstructorParameters<typeof Intl.DateTimeFormat>, newTarget) {
      constructed += 1;
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
}

afterEach(() => {
  Intl.DateTimeFormat = Original;
});

function fixture(): Snapshot {
  return snapshotFixture('active-good');
}

describe('panel redraws reuse their date formatters', () => {
  it('builds a bounded number of Intl.DateTimeFormat over 200 redraws', () => {
    const snapshot = fixture();
    renderStatusPanel(snapshot, { color: false, timeZone: 'UTC' });
    countConstructions();
    for (let i = 0; i < 200; i += 1) {
      const frame = renderStatusPanel({ ...snapshot, generatedAt: new Date(Date.parse(snapshot.generatedAt) + i * 1000).toISOString() }, { color: false, timeZone: 'UTC' });
      expect(frame.length).toBeGreaterThan(0);
    }
    // The first redraw built what it needed; the next 199 reuse it (before: ~5 per redraw).
    expect(constructed).toBeLessThan(5);
  });

  it('keeps one formatter per locale and zone, and the output follows each', () => {
    countConstructions();
    const iso = '2026-01-06T14:30:00.000Z';
    for (let i = 0; i < 50; i += 1) {
      expect(formatLocalDateTime(iso, { timeZone: 'UTC' })).toBe('1/6/2026, 2:30:00 PM');
      expect(formatLocalDateTime(iso, { timeZone: 'Asia/Tokyo' })).toBe('1/6/2026, 11:30:00 PM');
      expect(formatLocalDateTime(iso, { timeZone: 'UTC', locale: 'de-DE' })).toBe('6.1.2026, 14:30:00');
    }
    expect(constructed).toBeLessThanOrEqual(3);
  });

  it('keeps the time-of-day formatter too (the reconciliation and forecast lines use it per redraw)', () => {
    countConstructions();
    const iso = '2026-01-06T14:30:00.000Z';
    for (let i = 0; i < 50; i += 1) {
      expect(formatLocalTime(iso, { timeZone: 'UTC' })).toBe('2:30 PM');
      expect(formatLocalTime(iso, { timeZone: 'Asia/Tokyo' })).toBe('11:30 PM');
      expect(formatClockTime(iso, { timeZone: 'UTC' })).toBe('14:30:00');
      expect(formatLocalDateTime(iso, { timeZone: 'UTC' })).toBe('1/6/2026, 2:30:00 PM');
    }
    expect(constructed).toBeLessThanOrEqual(4);
  });
});
