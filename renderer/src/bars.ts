/** Tones and progress bars shared by the popover's sections. */
import { TONES, type Tone } from '../../shared/levels.js';
import { h } from './dom.js';

const TONE_CLASSES: readonly string[] = TONES.map((tone) => `tone-${tone}`);

export function setTone(element: Element, tone: Tone): void {
  element.classList.remove(...TONE_CLASSES);
  element.classList.add(`tone-${tone}`);
}

export function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** Fills an existing `.bar` to `percent` (clamped to 0..100) in `tone`. */
export function setBar(element: HTMLElement, percent: number, tone: Tone): void {
  const p = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
  element.hidden = false;
  // CSSOM, not a style attribute: allowed by the strict CSP.
  element.style.setProperty('--fill', `${p}%`);
  element.setAttribute('aria-valuenow', String(Math.round(p)));
  setTone(element, tone);
}

/** A slim progress bar with its accessible name. */
export function bar(percent: number, tone: Tone, label: string): HTMLElement {
  const element = h('div', { class: 'bar slim', role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100 }, h('span', { class: 'bar-fill' }));
  setBar(element, percent, tone);
  return element;
}
