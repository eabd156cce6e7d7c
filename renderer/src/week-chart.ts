/** The popover's week: one bar per local day (the Snapshot's `history.days`), today last and drawn solid. */
import type { HistorySnapshot } from '../../shared/snapshot.js';
import { byId, fill, h, s, setText } from './dom.js';
import type { Locale } from './locale.js';

const W = 300;
const H = 44;
const GAP = 6;
const LABEL_H = 10;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function weekday(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()] ?? '';
}

/** Seven bars scaled to the busiest day; a day with any use keeps a visible sliver. Each bar names its day and total. */
export function weekChart(history: HistorySnapshot, locale: Locale): SVGSVGElement {
  const days = history.days;
  const max = Math.max(1, ...days.map((day) => day.counted));
  const slot = W / Math.max(1, days.length);
  const barW = slot - GAP;
  const plot = H - LABEL_H;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'week', role: 'img', 'aria-label': 'Tokens per day, last 7 days', focusable: 'false' });
  days.forEach((day, index) => {
    const height = day.counted > 0 ? Math.max(2, (day.counted / max) * (plot - 2)) : 0;
    const x = index * slot + GAP / 2;
    const limits = day.limitHits > 0 ? `, ${day.limitHits} limit ${day.limitHits === 1 ? 'hit' : 'hits'}` : '';
    const label = `${weekday(day.date)} ${day.date}: ${locale.compact(day.counted)} tokens in ${day.windows} ${day.windows === 1 ? 'window' : 'windows'}${limits}`;
    const classes = ['week-bar', index === days.length - 1 ? 'week-today' : '', day.limitHits > 0 ? 'week-limit' : ''].filter(Boolean).join(' ');
    svg.appendChild(s('rect', { class: classes, x: x.toFixed(1), y: (plot - height).toFixed(1), width: barW.toFixed(1), height: height.toFixed(1), rx: 2, 'data-date': day.date }, s('title', {}, label)));
    svg.appendChild(s('text', { class: 'week-label', x: (x + barW / 2).toFixed(1), y: H - 1, 'text-anchor': 'middle' }, weekday(day.date).slice(0, 2)));
  });
  return svg;
}

/** Fills the week card: the chart and the `auto` plan's P90 beside it. */
export function renderWeek(history: HistorySnapshot | null, locale: Locale): void {
  const chart = byId('week-chart');
  if (!history) {
    setText(byId('week-value'), '—');
    setText(byId('week-sub'), '');
    fill(chart, h('p', { class: 'empty' }, 'Kept once the usage history is on (plan auto, or run cco history).'));
    return;
  }
  const total = history.days.reduce((sum, day) => sum + day.counted, 0);
  setText(byId('week-value'), `${locale.compact(total)} tokens`);
  fill(chart, weekChart(history, locale));
  const p90 = history.p90.limit === null ? `P90 not learned yet (${history.p90.windows} of 5 windows)` : `Auto plan P90 ${locale.compact(history.p90.limit)} per window`;
  setText(byId('week-sub'), p90);
}
