/**
 * `cco history` in a terminal: a bar per local day, then the windows with the `auto` plan's P90
 * marked on each bar. Fits 80 columns; colour only when the caller says so (shouldUseColor).
 */
import { formatCompactTokens, formatTokens } from '../../../shared/format.js';
import type { HistoryWindow } from '../../../shared/snapshot.js';
import type { HistoryReport } from '../../core/sources/history-report.js';
import { createStyle, type Style } from './terminal.js';

const DAY_BAR_WIDTH = 36;
const WINDOW_BAR_WIDTH = 24;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A horizontal bar of `value / max` of `width` cells in eighth blocks, padded with spaces. */
export function blockBar(value: number, max: number, width: number): string {
  const cells = max > 0 ? Math.max(0, Math.min(1, value / max)) * width : 0;
  const eighths = Math.round(cells * 8);
  const full = Math.floor(eighths / 8);
  const text = '█'.repeat(full) + (EIGHTHS[eighths % 8] ?? '');
  // A day with any use shows at least a sliver.
  const shown = text === '' && value > 0 ? '▏' : text;
  return shown + ' '.repeat(Math.max(0, width - [...shown].length));
}

function weekday(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()] ?? '';
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Local "Mon 11-24 09:00-14:00" for a window (the process's time zone, like the day rows). */
function windowLabel(window: HistoryWindow): string {
  const start = new Date(window.start);
  const end = new Date(window.end);
  const date = `${start.getFullYear()}-${pad2(start.getMonth() + 1)}-${pad2(start.getDate())}`;
  const hm = (d: Date) => `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return `${weekday(date)} ${date.slice(5)} ${hm(start)}-${hm(end)}`;
}

/** The window's bar with the P90 marked (┊) where it falls, when it falls inside the bar. */
function windowBar(counted: number, max: number, p90: number | null, style: Style): string {
  const cells = [...blockBar(counted, max, WINDOW_BAR_WIDTH)];
  if (p90 !== null && max > 0) {
    const at = Math.min(WINDOW_BAR_WIDTH - 1, Math.round((p90 / max) * WINDOW_BAR_WIDTH));
    if (cells[at] === ' ') cells[at] = '┊';
  }
  return style.cyan(cells.join(''));
}

function p90Line(report: HistoryReport): string {
  const { p90 } = report;
  if (p90.limit === null) return `Auto plan's P90: not learned yet (${p90.windows} of 5 completed windows in 60 days)`;
  return `Auto plan's P90: ${formatTokens(p90.limit)} tokens per window (learned from ${p90.windows} windows in 60 days)`;
}

export function renderHistoryPanel(report: HistoryReport, options: { color: boolean }): string {
  const style = createStyle(options.color);
  const lines: string[] = [];
  lines.push(style.bold(`📈 USAGE HISTORY: last ${report.range.days} ${report.range.days === 1 ? 'day' : 'days'} (${report.range.from} to ${report.range.to})`));
  lines.push(`Plan: ${report.plan.name}, ${formatTokens(report.plan.limit)} tokens per 5-hour window (${report.plan.limitSource})`);
  lines.push(p90Line(report));
  lines.push('');
  lines.push(style.bold('Per day (counted tokens; a window counts on the day it started)'));
  const dayMax = Math.max(0, ...report.days.map((day) => day.counted));
  for (const day of report.days) {
    const bar = day.counted > 0 ? style.cyan(blockBar(day.counted, dayMax, DAY_BAR_WIDTH)) : style.dim(blockBar(0, dayMax, DAY_BAR_WIDTH));
    const windows = day.windows > 0 ? `${day.windows}w` : '';
    const limits = day.limitHits > 0 ? style.red(` ${day.limitHits} limit`) : '';
    lines.push(`${weekday(day.date)} ${day.date} ${bar} ${formatCompactTokens(day.counted).padStart(6)} ${windows.padStart(3)}${limits}`.trimEnd());
  }
  lines.push('');
  if (report.windows.length === 0) {
    lines.push(style.dim('No 5-hour windows in these days.'));
    return lines.join('\n');
  }
  const marker = report.p90.limit !== null ? ` (┊ marks the P90, ${formatCompactTokens(report.p90.limit)})` : '';
  lines.push(style.bold(`Windows${marker}`));
  const windowMax = Math.max(report.p90.limit ?? 0, ...report.windows.map((w) => w.counted));
  for (const window of report.windows) {
    const server = window.serverPercent === null ? '' : ` srv ${Math.round(window.serverPercent)}%`;
    const limit = window.limitHit ? style.red(' LIMIT') : '';
    const current = window.current ? style.bold(' ← now') : '';
    lines.push(
      `${windowLabel(window)} ${windowBar(window.counted, windowMax, report.p90.limit, style)} ${formatCompactTokens(window.counted).padStart(6)} ${`${Math.round(window.percent)}%`.padStart(5)}${server}${limit}${current}`,
    );
  }
  return lines.join('\n');
}
