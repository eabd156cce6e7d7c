/**
 * One colour per quota level: each face (terminal panel, status line, popover, tray icon) paints
 * the tone of the level's row in shared/levels.ts, in its own palette.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { drawTrayIcon, TONE_COLOURS } from '../../main/app/icon-art.js';
import { renderStatusPanel } from '../../main/cli/render/status-panel.js';
import { createStyle, stripAnsi, toneStyle } from '../../main/cli/render/terminal.js';
import { renderStatusLine } from '../../main/cli/statusline.js';
import { parseStatusLinePayload } from '../../main/core/sources/statusline-payload.js';
import { HYPERAWARE_LEVELS, QUOTA_LEVELS, quotaLevelInfo, quotaLevelRow, STANDARD_LEVELS, type QuotaLevelRow, type Tone } from '../../shared/levels.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { quotaRingTone, weeklyTone } from '../../renderer/src/model.js';
import { snapshotFixture } from '../fixtures/snapshot-fixtures.js';

const NOW = Date.parse('2026-04-10T12:00:00.000Z');
const STYLE = createStyle(true);
const TABLES: readonly [string, boolean, readonly QuotaLevelRow[]][] = [
  ['standard', false, STANDARD_LEVELS],
  ['hyperaware', true, HYPERAWARE_LEVELS],
];
const ROWS = TABLES.flatMap(([name, hyperaware, rows]) => rows.map((row) => ({ name, hyperaware, row })));

/** The escape code a terminal face opens `tone` with. */
function terminalOpen(tone: Tone): string {
  return toneStyle(STYLE, tone)('x').split('x')[0] as string;
}

function snapshotAt(row: QuotaLevelRow, hyperaware: boolean): Snapshot {
  const snapshot = snapshotFixture('active-good');
  snapshot.quota = { ...snapshot.quota, level: row.level, percentUsed: row.from, hyperaware, limitReached: null, weeklyLimitReached: false };
  return snapshot;
}

/** RGBA of pixel (x, y) of one of our PNGs (IHDR then a single IDAT of filter-0 rows). */
function pixel(png: Buffer, x: number, y: number): number[] {
  const width = png.readUInt32BE(16);
  const idatLength = png.readUInt32BE(33);
  expect(png.toString('ascii', 37, 41)).toBe('IDAT');
  const raw = zlib.inflateSync(png.subarray(41, 41 + idatLength));
  const start = y * (width * 4 + 1) + 1 + x * 4;
  return [...raw.subarray(start, start + 4)];
}

describe('quota level tones', () => {
  it('a level has the same tone in both tables', () => {
    for (const row of STANDARD_LEVELS) expect(row.tone, row.level).toBe(quotaLevelInfo(row.level).tone);
  });

  it.each(ROWS.map(({ name, hyperaware, row }) => [`${name} ${row.level}`, hyperaware, row] as const))('%s: every face paints the row’s tone', (_name, hyperaware, row) => {
    // Terminal panel: the "Status & Recommendation" headline.
    const lines = renderStatusPanel(snapshotAt(row, hyperaware), { color: true, timeZone: 'UTC' }).split('\n');
    const headline = lines[lines.findIndex((line) => stripAnsi(line) === '📋 Status & Recommendation:') + 1] ?? '';
    expect(headline.startsWith(`   ${terminalOpen(row.tone)}`), JSON.stringify(headline)).toBe(true);

    // Status line: the 5-hour figure, the week figure and the mark (it uses the standard table,
    // which the terminal paints the same as the hyperaware one).
    const window = { usedPercent: row.from, resetsAt: null };
    const line = renderStatusLine({ payload: parseStatusLinePayload(null, NOW), server: { fiveHour: window, sevenDay: window, observedAt: new Date(NOW).toISOString() }, tracker: null, now: NOW, color: true });
    const open = terminalOpen(row.tone);
    expect(line.startsWith(`${open}◆`), JSON.stringify(line)).toBe(true);
    expect(line).toContain(`${open}${row.from}%\u001b[39m of 5h`);
    expect(line).toContain(`week ${open}${row.from}%`);

    // Popover: the ring and the weekly bar.
    expect(quotaRingTone(snapshotAt(row, hyperaware).quota)).toBe(row.tone);
    expect(weeklyTone(snapshotAt(row, hyperaware).quota, row.from)).toBe(row.tone);

    // Tray icon (Linux/Windows): the background colour.
    expect(pixel(drawTrayIcon({ level: row.level, template: false, text: '1' }, 32), 16, 1)).toEqual([...TONE_COLOURS[row.tone], 255]);
  });

  it('the popover’s weekly bar follows the table in use at every percentage', () => {
    const quota = snapshotAt(STANDARD_LEVELS[0] as QuotaLevelRow, false).quota;
    for (const [, hyperaware] of TABLES) {
      for (let percent = 0; percent <= 100; percent++) {
        expect(weeklyTone({ ...quota, hyperaware }, percent), `${percent}%`).toBe(quotaLevelRow(percent, hyperaware).tone);
      }
    }
    expect(weeklyTone({ ...quota, weeklyLimitReached: true }, 10)).toBe('red');
  });

  it('a limit reached turns the ring red whatever the level', () => {
    const quota = snapshotAt(HYPERAWARE_LEVELS[0] as QuotaLevelRow, true).quota;
    for (const level of QUOTA_LEVELS) expect(quotaRingTone({ ...quota, level, limitReached: { at: new Date(NOW).toISOString() } as never })).toBe('red');
  });
});
