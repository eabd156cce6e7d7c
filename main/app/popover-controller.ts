/**
 * Showing, hiding and placing the popover, after max-mapper/menubar's controller: the window and
 * the screen come in as small interfaces, so the tests drive it with fakes and popover-window.ts
 * stays a constructor. Placement is position.ts.
 */
import { popoverPosition, usableBounds, type Position, type Rect } from './position.js';

/** The slice of BrowserWindow the controller uses. */
export interface PopoverWindowLike {
  isVisible(): boolean;
  isDestroyed(): boolean;
  show(): void;
  hide(): void;
  focus(): void;
  getSize(): number[];
  setPosition(x: number, y: number): void;
}

export interface PopoverScreen {
  platform: string;
  /** The tray icon's bounds now (zeros on Linux). */
  trayBounds(): Rect | null;
  /** The work area of the display holding `bounds`, or of the display under the cursor when null. */
  workArea(bounds: Rect | null): Rect;
  now(): number;
}

/** Where the tray icon last was, kept across restarts (the app store's `popover.trayBounds`). */
export interface TrayBoundsMemory {
  load(): Rect | null;
  save(bounds: Rect): void;
}

/**
 * On Windows, clicking the tray while the popover is open blurs (and so hides) the popover before
 * the click arrives, which would show it again (max-mapper/menubar#274): a click this soon after a
 * blur-hide leaves it hidden.
 */
const CLICK_AFTER_BLUR_MS = 300;
/** A blur right after showing comes from the tray click that showed it (Windows): ignored. */
const BLUR_AFTER_SHOW_MS = 150;

export class PopoverController {
  private cachedBounds: Rect | null;
  private blurHiddenAt = Number.NEGATIVE_INFINITY;
  private shownAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly window: PopoverWindowLike,
    private readonly screen: PopoverScreen,
    private readonly memory: TrayBoundsMemory | null = null,
  ) {
    const remembered = memory?.load() ?? null;
    this.cachedBounds = usableBounds(remembered) ? { ...remembered } : null;
  }

  /** Places the popover next to the tray (or its fallbacks) and shows it focused. */
  show(clickBounds: Rect | null = null): Position | null {
    if (this.window.isDestroyed()) return null;
    const current = usableBounds(clickBounds) ? clickBounds : this.screen.trayBounds();
    if (usableBounds(current) && !sameRect(current, this.cachedBounds)) {
      this.cachedBounds = { ...current };
      this.memory?.save(this.cachedBounds);
    }
    const [width = 0, height = 0] = this.window.getSize();
    const anchor = usableBounds(current) ? current : this.cachedBounds;
    const position = popoverPosition({
      platform: this.screen.platform,
      window: { width, height },
      trayBounds: usableBounds(current) ? current : null,
      cachedTrayBounds: this.cachedBounds,
      workArea: this.screen.workArea(anchor),
    });
    this.window.setPosition(position.x, position.y);
    this.window.show();
    this.window.focus();
    this.shownAt = this.screen.now();
    return position;
  }

  hide(): void {
    if (!this.window.isDestroyed() && this.window.isVisible()) this.window.hide();
  }

  /** A tray click: show when hidden, hide when shown. */
  toggle(clickBounds: Rect | null = null): void {
    if (this.window.isDestroyed()) return;
    if (this.window.isVisible()) {
      this.hide();
      return;
    }
    if (this.screen.now() - this.blurHiddenAt < CLICK_AFTER_BLUR_MS) return;
    this.show(clickBounds);
  }

  /** The popover lost focus: hide it, as a menu would. */
  blurred(): void {
    if (this.screen.now() - this.shownAt < BLUR_AFTER_SHOW_MS) return;
    if (this.window.isDestroyed() || !this.window.isVisible()) return;
    this.window.hide();
    this.blurHiddenAt = this.screen.now();
  }
}

function sameRect(a: Rect, b: Rect | null): boolean {
  return b !== null && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}
