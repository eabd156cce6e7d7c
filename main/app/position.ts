/**
 * Where the popover goes: under (or above, or beside) the tray icon, clamped to the work area of
 * the display. Pure: the platform, the window size, the tray's bounds and the display's work area
 * are parameters, so every OS and taskbar position is a table test.
 *
 * The tray's bounds are not always known: Tray.getBounds() is not implemented on Linux and gives
 * zeros (electron/electron#15003), on macOS it is wrong for a moment after the tray is created
 * (electron/electron#35984), and a click may come from the menu rather than the icon. Then the
 * last good bounds are used, and failing that a screen corner: the top right on macOS and Linux
 * (menu bars and most panels sit at the top), the bottom right on Windows (the taskbar).
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface PositionInput {
  platform: string;
  window: Size;
  /** The tray icon's bounds now (Tray.getBounds()); null or empty when the OS does not say. */
  trayBounds: Rect | null;
  /** The last non-empty tray bounds seen (the caller keeps them). */
  cachedTrayBounds: Rect | null;
  /** The work area of the display holding the tray (or the cursor): the screen minus menu bar and taskbar. */
  workArea: Rect;
  /** Gap between the popover and the screen edge when it sits in a corner (default 8). */
  margin?: number;
}

export type Anchor = 'tray' | 'cached' | 'corner';

export interface Position {
  x: number;
  y: number;
  anchor: Anchor;
}

/** Bounds that can anchor a window: finite, with some area. */
export function usableBounds(bounds: Rect | null | undefined): bounds is Rect {
  return (
    bounds !== null &&
    bounds !== undefined &&
    [bounds.x, bounds.y, bounds.width, bounds.height].every(Number.isFinite) &&
    bounds.width > 0 &&
    bounds.height > 0
  );
}

function clamp(value: number, min: number, max: number): number {
  // A window larger than the work area pins to its top-left edge rather than off screen.
  return max < min ? min : Math.min(max, Math.max(min, value));
}

function clampToWorkArea(x: number, y: number, window: Size, area: Rect): { x: number; y: number } {
  return {
    x: Math.round(clamp(x, area.x, area.x + area.width - window.width)),
    y: Math.round(clamp(y, area.y, area.y + area.height - window.height)),
  };
}

/** The window placed against the tray: centred on it, on the side of the screen away from its edge. */
function nextToTray(tray: Rect, window: Size, area: Rect): { x: number; y: number } {
  const centreX = tray.x + tray.width / 2;
  const centreY = tray.y + tray.height / 2;
  const areaRight = area.x + area.width;
  const areaBottom = area.y + area.height;
  // A vertical taskbar (Windows, some Linux panels) puts the tray left or right of the work area.
  if (centreX < area.x) return { x: tray.x + tray.width, y: tray.y + tray.height - window.height };
  if (centreX > areaRight) return { x: tray.x - window.width, y: tray.y + tray.height - window.height };
  const x = centreX - window.width / 2;
  // Tray in the top half: drop down below it; in the bottom half (Windows taskbar): pop up above.
  if (centreY < area.y + area.height / 2) return { x, y: Math.max(tray.y + tray.height, area.y) };
  return { x, y: Math.min(tray.y, areaBottom) - window.height };
}

function corner(platform: string, window: Size, area: Rect, margin: number): { x: number; y: number } {
  const x = area.x + area.width - window.width - margin;
  if (platform === 'win32') return { x, y: area.y + area.height - window.height - margin };
  return { x, y: area.y + margin };
}

/** The popover's top-left corner, and what it was anchored to. */
export function popoverPosition(input: PositionInput): Position {
  const { window, workArea } = input;
  const margin = input.margin ?? 8;
  let anchor: Anchor;
  let point: { x: number; y: number };
  if (usableBounds(input.trayBounds)) {
    anchor = 'tray';
    point = nextToTray(input.trayBounds, window, workArea);
  } else if (usableBounds(input.cachedTrayBounds)) {
    anchor = 'cached';
    point = nextToTray(input.cachedTrayBounds, window, workArea);
  } else {
    anchor = 'corner';
    point = corner(input.platform, window, workArea, margin);
  }
  return { ...clampToWorkArea(point.x, point.y, window, workArea), anchor };
}
