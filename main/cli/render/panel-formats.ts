/**
 * `cco status --format waybar|plain`: the Snapshot as one line for a desktop panel or a status bar
 * (Waybar or i3status-rust custom modules, Polybar, tmux). Pure over the Snapshot: the clock is
 * `generatedAt` unless the caller passes `now` (the watch loop re-renders a countdown from the last
 * Snapshot as minutes pass), so a fixture renders the same text every time.
 *
 * Waybar reads `{ text, tooltip, class, percentage }` and shows text and tooltip as Pango markup:
 * untrusted text (the session's folder, the model) goes through visibleLine and then has `& < >`
 * escaped, so a folder named `<b>x` is shown as written instead of restyling the bar.
 */
import { formatCompactTokens, formatCountdown, formatLocalDateTime, formatLocalTime, formatPercent } from '../../../shared/format.js';
import { contextLevelInfo } from '../../../shared/context-levels.js';
import { levelTable, quotaLevelInfo } from '../../../shared/levels.js';
import { visibleLine } from '../../../shared/sanitize.js';
import { resetInstant, type Snapshot } from '../../../shared/snapshot.js';
import { forecastSentence } from '../../../shared/forecast-text.js';

export const PANEL_FORMATS = ['waybar', 'plain'] as const;
export type PanelFormat = (typeof PANEL_FORMATS)[number];

export function isPanelFormat(value: string): value is PanelFormat {
  return (PANEL_FORMATS as readonly string[]).includes(value);
}

export interface PanelOptions {
  /** The instant countdowns are measured from (ISO or epoch ms); default the Snapshot's `generatedAt`. */
  now?: string | number;
  /** IANA zone for the clock times in the tooltip; the runtime's zone when omitted. */
  timeZone?: string;
}

/** Waybar's custom-module JSON (https://github.com/Alexays/Waybar/wiki/Module:-Custom). */
export interface WaybarLine {
  text: string;
  tooltip: string;
  /** The quota level (fresh … critical), for the bar's CSS. */
  class: string;
  /** Percent of the 5-hour quota used, a whole number 0-100 (Waybar's format-icons pick by it). */
  percentage: number;
}

const MARK = '◆';

/** "2h 45m" → "2h45m": a panel is narrow. */
function tight(duration: string): string {
  return duration.replace(/ /g, '');
}

function wholePercent(percent: number): number {
  return Number.isFinite(percent) ? Math.round(Math.min(100, Math.max(0, percent))) : 0;
}

/** Pango markup's three special characters (Waybar renders text and tooltip as markup). */
function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function from(snapshot: Snapshot, opts: PanelOptions): string | number {
  return opts.now ?? snapshot.generatedAt;
}

/** The short text: `◆ 42% · 2h45m`; the week and its reset when the weekly limit is what stops work. */
export function panelText(snapshot: Snapshot, opts: PanelOptions = {}): string {
  const { quota } = snapshot;
  const week = quota.server?.sevenDay;
  if (quota.weeklyLimitReached && week?.resetsAt) return `${MARK} week 100% · ${tight(formatCountdown(week.resetsAt, from(snapshot, opts)))}`;
  const percent = formatPercent(quota.percentUsed);
  const reset = resetInstant(snapshot);
  return reset === null ? `${MARK} ${percent}` : `${MARK} ${percent} · ${tight(formatCountdown(reset, from(snapshot, opts)))}`;
}

/** `--format plain`: the short text, the week and the context when known; one line, no colour. */
export function renderPlainLine(snapshot: Snapshot, opts: PanelOptions = {}): string {
  const parts = [panelText(snapshot, opts)];
  const week = snapshot.quota.server?.sevenDay;
  if (week && !snapshot.quota.weeklyLimitReached) parts.push(`week ${formatPercent(week.usedPercent)}`);
  const percent = snapshot.context?.percent;
  if (typeof percent === 'number') parts.push(`ctx ${formatPercent(percent)}`);
  return parts.join(' · ');
}

/** The tooltip's lines, plain text (the caller escapes for markup). */
export function panelTooltipLines(snapshot: Snapshot, opts: PanelOptions = {}): string[] {
  const { quota, plan } = snapshot;
  const now = from(snapshot, opts);
  const zone = opts.timeZone === undefined ? {} : { timeZone: opts.timeZone };
  // The 5-hour reset is within the day: its time of day; the week's reset gets its date too.
  const time = (iso: string): string => formatLocalTime(iso, zone);
  const dateTime = (iso: string): string => formatLocalDateTime(iso, zone);
  // The label of the table in use (standard and hyperaware name some bands differently).
  const row = levelTable(quota.hyperaware).find((candidate) => candidate.level === quota.level) ?? quotaLevelInfo(quota.level);
  const source = quota.source === 'statusline' ? "Claude's servers" : 'estimate from transcripts';
  const lines = [`Claude Code: ${formatPercent(quota.percentUsed)} of the 5-hour quota used (${row.label}, ${plan.name} plan, ${source})`];

  const reset = resetInstant(snapshot);
  if (quota.limitReached) lines.push(reset ? `Usage limit reached: resets at ${time(reset)} (in ${formatCountdown(reset, now)})` : 'Usage limit reached: reset time unknown');
  else if (reset) lines.push(`Resets at ${time(reset)} (in ${formatCountdown(reset, now)})`);
  else lines.push('No window running: the next message starts one');

  const window = quota.currentWindow;
  if (window && !quota.limitReached) {
    const minutes = quota.runway.minutes;
    const rate = `${formatCompactTokens(quota.burnRate.tokensPerMinute)} tokens/min`;
    if (window.remaining <= 0) lines.push('Runway: none, the quota is spent');
    else if (minutes === null || !Number.isFinite(minutes)) lines.push('Runway: not burning');
    // Truncated like every countdown: never promise more time than is left.
    else lines.push(`Runway: ${formatCountdown(Math.floor(minutes) * 60_000, 0)} at ${rate}`);
  }

  const week = quota.server?.sevenDay;
  if (week) {
    const resets = week.resetsAt ? `, resets ${dateTime(week.resetsAt)} (in ${formatCountdown(week.resetsAt, now)})` : '';
    lines.push(`Week: ${formatPercent(week.usedPercent)} used${resets}${quota.weeklyLimitReached ? ': weekly limit reached' : ''}`);
  }
  const forecast = forecastSentence(quota.forecast, snapshot.generatedAt, dateTime);
  if (forecast !== null) lines.push(forecast);

  const context = snapshot.context;
  if (context) {
    // The folder and the model come from the transcript: made safe before they are shown.
    const folder = context.cwd ? visibleLine(context.cwd.split(/[\\/]/).filter(Boolean).pop() ?? context.cwd) : null;
    const model = context.model ? visibleLine(context.model) : null;
    const where = [folder, model].filter((part): part is string => part !== null).join(', ');
    const level = context.level ? ` (${contextLevelInfo(context.level).label})` : '';
    const used = context.percent === null ? 'unknown' : formatPercent(context.percent);
    lines.push(`Context: ${used} of ${formatCompactTokens(context.usableLimit)}${level}${where ? ` · ${where}` : ''}`);
  } else {
    lines.push('Context: no live session');
  }
  return lines;
}

export function waybarLine(snapshot: Snapshot, opts: PanelOptions = {}): WaybarLine {
  return {
    text: escapeMarkup(panelText(snapshot, opts)),
    tooltip: escapeMarkup(panelTooltipLines(snapshot, opts).join('\n')),
    class: snapshot.quota.level,
    percentage: wholePercent(snapshot.quota.percentUsed),
  };
}

/** One line of output for `format`, without the newline. JSON.stringify keeps the tooltip's newlines escaped. */
export function renderPanelLine(snapshot: Snapshot, format: PanelFormat, opts: PanelOptions = {}): string {
  return format === 'waybar' ? JSON.stringify(waybarLine(snapshot, opts)) : renderPlainLine(snapshot, opts);
}
