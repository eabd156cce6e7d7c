/**
 * `cco status --format waybar|plain` (main/cli/render/panel-formats.ts): fixed Snapshots rendered
 * to exact lines kept as golden files in test/fixtures/golden/. After an intended change of the
 * output, review the diff and rewrite them with UPDATE_GOLDEN=1 npx vitest run test/unit/panel-formats.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUOTA_LEVELS } from '../../shared/levels.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { PANEL_FORMATS, renderPanelLine, waybarLine, type PanelFormat } from '../../main/cli/render/panel-formats.js';
import { snapshotFixture as fixture } from '../fixtures/snapshot-fixtures.js';

const GOLDEN = path.resolve(import.meta.dirname, '../fixtures/golden');

/** live-server-context with the week spent: the week's reset is what the bar must show. */
function weeklyLimit(): Snapshot {
  const snapshot = fixture('live-server-context');
  const server = snapshot.quota.server;
  if (!server?.sevenDay) throw new Error('live-server-context lost its server figures');
  return { ...snapshot, quota: { ...snapshot.quota, weeklyLimitReached: true, server: { ...server, sevenDay: { ...server.sevenDay, usedPercent: 100 } } } };
}

const CASES: Record<string, () => Snapshot> = {
  'active-good': () => fixture('active-good'),
  'critical-limit': () => fixture('critical-limit'),
  'idle-auto': () => fixture('idle-auto'),
  // Server figures, the week, a live session whose folder and model carry markup, ESC, BEL and a bidi override.
  'live-server-context': () => fixture('live-server-context'),
  'weekly-limit': weeklyLimit,
};

function golden(name: string, format: PanelFormat, actual: string): void {
  const file = path.join(GOLDEN, `status-${name}.${format}.txt`);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

describe('panel formats: golden lines', () => {
  for (const [name, make] of Object.entries(CASES)) {
    for (const format of PANEL_FORMATS) {
      it(`${name} as ${format}`, () => {
        golden(name, format, `${renderPanelLine(make(), format, { timeZone: 'UTC' })}\n`);
      });
    }
  }
});

describe('panel formats: what a panel relies on', () => {
  it('waybar: one line of JSON with text, tooltip, class and a whole percentage 0-100', () => {
    for (const make of Object.values(CASES)) {
      const line = renderPanelLine(make(), 'waybar', { timeZone: 'UTC' });
      expect(line).not.toContain('\n');
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(parsed).sort()).toEqual(['class', 'percentage', 'text', 'tooltip']);
      expect(Number.isInteger(parsed.percentage)).toBe(true);
      expect(parsed.percentage).toBeGreaterThanOrEqual(0);
      expect(parsed.percentage).toBeLessThanOrEqual(100);
    }
  });

  it('class is the quota level for every level of the table; an overrun or NaN stays within 0-100', () => {
    const base = fixture('active-good');
    for (const level of QUOTA_LEVELS) expect(waybarLine({ ...base, quota: { ...base.quota, level } }).class).toBe(level);
    expect(waybarLine({ ...base, quota: { ...base.quota, percentUsed: 137.4 } }).percentage).toBe(100);
    expect(waybarLine({ ...base, quota: { ...base.quota, percentUsed: Number.NaN } }).percentage).toBe(0);
    expect(waybarLine({ ...base, quota: { ...base.quota, percentUsed: 49.5 } }).percentage).toBe(50);
  });

  it('untrusted text reaches neither the bar nor the tooltip as markup, escapes or bidi controls', () => {
    const line = waybarLine(fixture('live-server-context'), { timeZone: 'UTC' });
    for (const field of [line.text, line.tooltip]) {
      // eslint-disable-next-line no-control-regex
      expect(field).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069<>]/);
      expect(field.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    }
    expect(line.tooltip).toContain('&lt;b&gt;inv&amp;oice\\x1b[2J\\u202e');
    const plain = renderPanelLine(fixture('live-server-context'), 'plain');
    // eslint-disable-next-line no-control-regex
    expect(plain).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('a later `now` moves the countdown without another Snapshot', () => {
    const snapshot = fixture('active-good');
    const later = Date.parse(snapshot.generatedAt) + 46 * 60_000;
    expect(renderPanelLine(snapshot, 'plain')).toBe('◆ 43% · 2h45m');
    expect(renderPanelLine(snapshot, 'plain', { now: later })).toBe('◆ 43% · 1h59m');
  });
});
