import { describe, expect, it } from 'vitest';
import { PopoverController, type PopoverWindowLike, type TrayBoundsMemory } from '../../main/app/popover-controller.js';
import type { Rect } from '../../main/app/position.js';

function setup(platform = 'darwin', tray: Rect | null = { x: 1100, y: 0, width: 30, height: 24 }, memory: TrayBoundsMemory | null = null) {
  const state = { visible: false, destroyed: false, position: [0, 0], now: 1_000, tray };
  const window: PopoverWindowLike = {
    isVisible: () => state.visible,
    isDestroyed: () => state.destroyed,
    show: () => {
      state.visible = true;
    },
    hide: () => {
      state.visible = false;
    },
    focus: () => {},
    getSize: () => [380, 600],
    setPosition: (x, y) => {
      state.position = [x, y];
    },
  };
  const controller = new PopoverController(window, {
    platform,
    trayBounds: () => state.tray,
    workArea: () => ({ x: 0, y: 25, width: 1440, height: 875 }),
    now: () => state.now,
  }, memory);
  return { state, controller };
}

describe('PopoverController', () => {
  it('a click shows the popover under the tray; a second click hides it', () => {
    const { state, controller } = setup();
    controller.toggle();
    expect(state.visible).toBe(true);
    expect(state.position).toEqual([925, 25]);
    state.now += 1_000;
    controller.toggle();
    expect(state.visible).toBe(false);
  });

  it('hides on blur, but a click right after that blur does not reopen it (menubar#274)', () => {
    const { state, controller } = setup('win32');
    controller.toggle();
    state.now += 2_000;
    controller.blurred();
    expect(state.visible).toBe(false);
    state.now += 50;
    controller.toggle();
    expect(state.visible).toBe(false);
    state.now += 1_000;
    controller.toggle();
    expect(state.visible).toBe(true);
  });

  it('ignores the blur that comes with the click that showed it', () => {
    const { state, controller } = setup('win32');
    controller.show();
    state.now += 20;
    controller.blurred();
    expect(state.visible).toBe(true);
  });

  it('remembers the last real tray bounds for when the tray stops giving them (Linux)', () => {
    const { state, controller } = setup('linux', { x: 1200, y: 0, width: 24, height: 24 });
    expect(controller.show()?.anchor).toBe('tray');
    controller.hide();
    state.tray = { x: 0, y: 0, width: 0, height: 0 };
    expect(controller.show()?.anchor).toBe('cached');
    expect(state.position).toEqual([1022, 25]);
  });

  it('uses the bounds a click carries over the tray getter, and does nothing once destroyed', () => {
    const { state, controller } = setup('win32', null);
    expect(controller.show({ x: 1000, y: 860, width: 24, height: 30 })?.anchor).toBe('tray');
    state.destroyed = true;
    state.visible = false;
    expect(controller.show()).toBeNull();
    controller.toggle();
    expect(state.visible).toBe(false);
  });

  it('remembers the last tray bounds across a restart, so a Linux popover (no bounds) opens by the icon, not in a corner', () => {
    let saved: Rect | null = null;
    let saves = 0;
    const memory: TrayBoundsMemory = { load: () => saved, save: (bounds) => ((saved = bounds), (saves += 1)) };
    const first = setup('linux', null, memory);
    first.controller.show({ x: 1100, y: 0, width: 30, height: 24 });
    first.controller.show({ x: 1100, y: 0, width: 30, height: 24 });
    expect(saved).toEqual({ x: 1100, y: 0, width: 30, height: 24 });
    // Written when the bounds change, not on every show.
    expect(saves).toBe(1);
    const placed = first.state.position;

    const restarted = setup('linux', null, memory);
    expect(restarted.controller.show()?.anchor).toBe('cached');
    expect(restarted.state.position).toEqual(placed);
    const forgetful = setup('linux', null, { load: () => null, save: () => {} });
    expect(forgetful.controller.show()?.anchor).toBe('corner');
  });
});
