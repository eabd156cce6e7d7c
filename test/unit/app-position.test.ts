import { describe, expect, it } from 'vitest';
import { popoverPosition, usableBounds, type PositionInput, type Rect } from '../../main/app/position.js';

const WINDOW = { width: 380, height: 600 };
// macOS: a 25 px menu bar; Windows: a 40 px taskbar at the bottom of 1920×1080.
const MAC_AREA: Rect = { x: 0, y: 25, width: 1440, height: 875 };
const WIN_AREA: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const LINUX_AREA: Rect = { x: 0, y: 32, width: 1920, height: 1048 };
const ZERO: Rect = { x: 0, y: 0, width: 0, height: 0 };

const cases: { name: string; input: PositionInput; expected: { x: number; y: number; anchor: string } }[] = [
  {
    name: 'macOS: under the menu-bar icon, centred on it',
    input: { platform: 'darwin', window: WINDOW, trayBounds: { x: 1100, y: 0, width: 30, height: 24 }, cachedTrayBounds: null, workArea: MAC_AREA },
    expected: { x: 925, y: 25, anchor: 'tray' },
  },
  {
    name: 'macOS: icon near the right edge: clamped inside the work area',
    input: { platform: 'darwin', window: WINDOW, trayBounds: { x: 1400, y: 0, width: 30, height: 24 }, cachedTrayBounds: null, workArea: MAC_AREA },
    expected: { x: 1060, y: 25, anchor: 'tray' },
  },
  {
    name: 'Windows: taskbar at the bottom: above the icon',
    input: { platform: 'win32', window: WINDOW, trayBounds: { x: 1700, y: 1045, width: 24, height: 30 }, cachedTrayBounds: null, workArea: WIN_AREA },
    expected: { x: 1522, y: 440, anchor: 'tray' },
  },
  {
    name: 'Windows: taskbar at the top: below the icon',
    input: { platform: 'win32', window: WINDOW, trayBounds: { x: 1700, y: 5, width: 24, height: 30 }, cachedTrayBounds: null, workArea: { x: 0, y: 40, width: 1920, height: 1040 } },
    expected: { x: 1522, y: 40, anchor: 'tray' },
  },
  {
    name: 'Windows: taskbar on the left: beside the icon, bottom-aligned with it',
    input: { platform: 'win32', window: WINDOW, trayBounds: { x: 10, y: 1000, width: 30, height: 30 }, cachedTrayBounds: null, workArea: { x: 62, y: 0, width: 1858, height: 1080 } },
    expected: { x: 62, y: 430, anchor: 'tray' },
  },
  {
    name: 'Windows: taskbar on the right: beside the icon, to its left',
    input: { platform: 'win32', window: WINDOW, trayBounds: { x: 1880, y: 1000, width: 30, height: 30 }, cachedTrayBounds: null, workArea: { x: 0, y: 0, width: 1858, height: 1080 } },
    expected: { x: 1478, y: 430, anchor: 'tray' },
  },
  {
    name: 'Linux: the tray gives zeros: the cached bounds are used',
    input: { platform: 'linux', window: WINDOW, trayBounds: ZERO, cachedTrayBounds: { x: 1800, y: 4, width: 24, height: 24 }, workArea: LINUX_AREA },
    expected: { x: 1540, y: 32, anchor: 'cached' },
  },
  {
    name: 'Linux: nothing known: top-right corner of the work area',
    input: { platform: 'linux', window: WINDOW, trayBounds: ZERO, cachedTrayBounds: null, workArea: LINUX_AREA },
    expected: { x: 1532, y: 40, anchor: 'corner' },
  },
  {
    name: 'macOS: nothing known: top-right corner',
    input: { platform: 'darwin', window: WINDOW, trayBounds: null, cachedTrayBounds: null, workArea: MAC_AREA },
    expected: { x: 1052, y: 33, anchor: 'corner' },
  },
  {
    name: 'Windows: nothing known: bottom-right corner (the taskbar)',
    input: { platform: 'win32', window: WINDOW, trayBounds: null, cachedTrayBounds: null, workArea: WIN_AREA },
    expected: { x: 1532, y: 432, anchor: 'corner' },
  },
  {
    name: 'a second display to the left (negative coordinates)',
    input: { platform: 'darwin', window: WINDOW, trayBounds: { x: -300, y: -1080, width: 30, height: 24 }, cachedTrayBounds: null, workArea: { x: -1920, y: -1055, width: 1920, height: 1055 } },
    expected: { x: -475, y: -1055, anchor: 'tray' },
  },
  {
    name: 'a window larger than the work area pins to its top-left',
    input: { platform: 'linux', window: { width: 2000, height: 1200 }, trayBounds: null, cachedTrayBounds: null, workArea: LINUX_AREA },
    expected: { x: 0, y: 32, anchor: 'corner' },
  },
  {
    name: 'NaN bounds are not bounds',
    input: { platform: 'win32', window: WINDOW, trayBounds: { x: Number.NaN, y: 0, width: 24, height: 24 }, cachedTrayBounds: null, workArea: WIN_AREA },
    expected: { x: 1532, y: 432, anchor: 'corner' },
  },
];

describe('popoverPosition', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(popoverPosition(input)).toEqual(expected);
  });

  it('always lands inside the work area, wherever the tray claims to be', () => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      for (const x of [-5000, -10, 0, 700, 1439, 5000]) {
        for (const y of [-5000, 0, 500, 899, 5000]) {
          const p = popoverPosition({ platform, window: WINDOW, trayBounds: { x, y, width: 24, height: 24 }, cachedTrayBounds: null, workArea: MAC_AREA });
          expect(p.x).toBeGreaterThanOrEqual(MAC_AREA.x);
          expect(p.y).toBeGreaterThanOrEqual(MAC_AREA.y);
          expect(p.x + WINDOW.width).toBeLessThanOrEqual(MAC_AREA.x + MAC_AREA.width);
          expect(p.y + WINDOW.height).toBeLessThanOrEqual(MAC_AREA.y + MAC_AREA.height);
          expect(Number.isInteger(p.x) && Number.isInteger(p.y)).toBe(true);
        }
      }
    }
  });

  it('usableBounds refuses empty, missing and non-finite bounds', () => {
    expect(usableBounds(null)).toBe(false);
    expect(usableBounds(undefined)).toBe(false);
    expect(usableBounds(ZERO)).toBe(false);
    expect(usableBounds({ x: 1, y: 1, width: Infinity, height: 2 })).toBe(false);
    expect(usableBounds({ x: 1, y: 1, width: 2, height: 2 })).toBe(true);
  });
});
