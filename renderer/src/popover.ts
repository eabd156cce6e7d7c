/**
 * The popover page's entry point. It talks only to `window.cco` (the preload's named methods,
 * typed by shared/ipc.ts): it asks for the Snapshot once, then redraws on every pushed Snapshot,
 * ticks its countdown every second from the Snapshot's own instant, and keeps the next-action
 * button saying what it will do.
 */
import type { Banner, CcoBridge } from '../../shared/ipc.js';
import type { Snapshot } from '../../shared/snapshot.js';
import { Actions } from './actions.js';
import { byId, fill } from './dom.js';
import { makeLocale } from './locale.js';
import { NextAction } from './next-action.js';
import { PopoverView, type Clock } from './render.js';

declare global {
  interface Window {
    cco?: CcoBridge;
  }
}

/** Time as the Snapshot sees it: its `generatedAt`, advanced by the real time since it arrived. */
class SnapshotClock implements Clock {
  private base = Date.now();
  private receivedAt = performance.now();

  set(snapshot: Snapshot): void {
    const at = Date.parse(snapshot.generatedAt);
    this.base = Number.isFinite(at) ? at : Date.now();
    this.receivedAt = performance.now();
  }

  now(): number {
    return this.base + (performance.now() - this.receivedAt);
  }
}

function showBanner(banner: Banner): void {
  const element = byId('banner');
  element.classList.remove('info', 'warning', 'error');
  element.classList.add(banner.level);
  fill(byId('banner-text'), banner.text);
  element.hidden = false;
}

function start(): void {
  const cco = window.cco;
  if (!cco) {
    showBanner({ level: 'error', text: 'The app bridge is missing: this page only works inside the Claude Code Optimizer app.' });
    return;
  }
  const locale = makeLocale(navigator.language);
  document.documentElement.lang = locale.tag;
  const clock = new SnapshotClock();
  const view = new PopoverView(locale, clock);
  const nextAction = new NextAction(cco, locale, clock);
  const actions = new Actions(cco, locale, nextAction);
  actions.wire();

  let latest = '';
  const show = (snapshot: Snapshot) => {
    // A pushed Snapshot and the first fetch can cross; the newer instant wins.
    if (snapshot.generatedAt < latest) return;
    latest = snapshot.generatedAt;
    clock.set(snapshot);
    view.render(snapshot);
    // The queue or the quota may have changed what the next action is.
    void nextAction.refresh();
  };
  cco.onSnapshot(show);
  cco.onBanner(showBanner);
  cco.getSnapshot().then(show, (error: unknown) => showBanner({ level: 'error', text: `No status yet: ${error instanceof Error ? error.message : String(error)}` }));

  window.setInterval(() => view.tick(), 1_000);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && actions.escape()) event.preventDefault();
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
