/**
 * Display formatters shared by the CLI, the tray titles and the popover.
 * Browser-safe: plain JS and Intl only (no Node, no Electron). Every function is total: odd input
 * (NaN, negative durations, unparsable dates) gives a neutral string instead of throwing, because a
 * formatter that throws takes a whole status panel or tray title down with it.
 */

import { visibleLine } from './sanitize.js';

/** What a formatter shows for a value it cannot represent (NaN, an unparsable date). */
export const UNKNOWN = '—';

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    numberFormats.set(locale, format);
  }
  return format;
}

/** A whole token count with grouping separators: `115000` → "115,000" (en-US by default). */
export function formatTokens(n: number, locale = 'en-US'): string {
  if (!Number.isFinite(n)) return UNKNOWN;
  // Round first so that -0.4 does not print as "-0".
  const rounded = Math.round(n);
  const value = rounded === 0 ? 0 : rounded;
  // en-US by hand: the first Intl formatter costs ~20 ms of ICU start-up, paid by every
  // `cco hook`/`cco statusline` run inside the user's Claude Code session.
  if (locale === 'en-US' && Number.isSafeInteger(value)) return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return numberFormat(locale).format(value);
}

const COMPACT_UNITS = [
  { size: 1e3, suffix: 'k' },
  { size: 1e6, suffix: 'M' },
  { size: 1e9, suffix: 'B' },
] as const;

/**
 * A short token count for tight spaces (tray titles): "850", "1.5k", "115k", "1.2M".
 * One decimal below 10 of a unit, none above; a value that rounds up to the next unit moves
 * there (999,999 → "1M", not "1000k").
 */
export function formatCompactTokens(n: number): string {
  if (!Number.isFinite(n)) return UNKNOWN;
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  if (Math.round(abs) < 1000) {
    const whole = Math.round(abs);
    return whole === 0 ? '0' : `${sign}${whole}`;
  }
  for (const [index, unit] of COMPACT_UNITS.entries()) {
    const scaled = abs / unit.size;
    const shown = scaled < 9.95 ? Math.round(scaled * 10) / 10 : Math.round(scaled);
    if (shown < 1000 || index === COMPACT_UNITS.length - 1) return `${sign}${shown}${unit.suffix}`;
  }
  return UNKNOWN; // unreachable: the last unit always returns
}

const MINUTE_MS = 60_000;
const HOUR_MINUTES = 60;
const DAY_MINUTES = 24 * HOUR_MINUTES;

/**
 * A duration as the spec shows it: "2h 45m", "45m", "5h", "3d 4h" (from 24 hours on), "<1m" for
 * under a minute, "0m" for zero or negative (a reset time already passed).
 * Minutes are truncated, not rounded: a countdown must never claim more time than is left.
 */
export function formatDuration(ms: number): string {
  if (Number.isNaN(ms)) return UNKNOWN;
  if (ms <= 0) return '0m';
  if (ms === Number.POSITIVE_INFINITY) return '∞';
  if (ms < MINUTE_MS) return '<1m';
  const totalMinutes = Math.floor(ms / MINUTE_MS);
  if (totalMinutes >= DAY_MINUTES) {
    const days = Math.floor(totalMinutes / DAY_MINUTES);
    const hours = Math.floor((totalMinutes % DAY_MINUTES) / HOUR_MINUTES);
    return hours === 0 ? `${days}d` : `${days}d ${hours}h`;
  }
  const hours = Math.floor(totalMinutes / HOUR_MINUTES);
  const minutes = totalMinutes % HOUR_MINUTES;
  if (hours === 0) return `${minutes}m`;
  return minutes === 0 ? `${hours}h` : `${hours}h ${minutes}m`;
}

function toEpochMs(instant: string | number): number {
  return typeof instant === 'number' ? instant : Date.parse(instant);
}

/**
 * Time left from `from` until `target` (ISO-8601 strings or epoch ms), formatted like
 * {@link formatDuration}. Faces pass the Snapshot's `generatedAt` as `from`, never the clock, so a
 * panel rendered for `--now` agrees with itself.
 */
export function formatCountdown(target: string | number, from: string | number): string {
  return formatDuration(toEpochMs(target) - toEpochMs(from));
}

/** Hours as the queue and the planner write them: `3h`, `1.5h`, `0.33h`. */
export function hoursText(hours: number): string {
  return `${Math.round(hours * 100) / 100}h`;
}

/** A whole percentage: 42.4 → "42%". Display is clamped to 0..999 so an overrun stays readable. */
export function formatPercent(p: number): string {
  if (Number.isNaN(p)) return UNKNOWN;
  return `${Math.round(clamp(p, 0, 999))}%`;
}

/**
 * The spec's bar: `[███████████           ]` with `width` cells between the brackets.
 * Any usage above 0 shows at least one cell and anything short of 100 leaves at least one empty
 * cell, so "a little used" and "not quite full" never look like "none" and "all".
 */
export function progressBar(percent: number, width = 22): string {
  const cells = Math.max(1, Math.floor(width));
  const p = Number.isNaN(percent) ? 0 : clamp(percent, 0, 100);
  let filled = Math.round((p / 100) * cells);
  if (p > 0 && filled === 0) filled = 1;
  if (p < 100 && filled === cells) filled = cells - 1;
  return `[${'█'.repeat(filled)}${' '.repeat(cells - filled)}]`;
}

export interface DateTimeOptions {
  /** IANA zone; the runtime's own zone when omitted (tests pass one to be deterministic). */
  timeZone?: string;
  /** BCP 47 locale; default 'en-US'. */
  locale?: string;
}

/**
 * One formatter per locale and zone, kept: each `new Intl.DateTimeFormat` builds ICU objects in
 * native memory (tens of KB), freed only when the GC finalizes the wrapper. A panel redrawn on
 * every transcript write (`cco status --watch`, the tray) built five per frame, and the churn grew
 * the process's malloc heap by ~7 KB per frame, never given back (issue 15.1). The key includes
 * the process's TZ variable (read where there is one: this module also runs in the popover),
 * because Node re-reads the default zone when TZ is set and a kept formatter would not follow.
 */
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
/** Distinct keys are few (a locale, a zone); the bound only keeps odd callers from growing the map. */
const MAX_DATE_TIME_FORMATS = 16;

/** The two shapes this module formats: a date with its time, and a time of day. */
const DATE_TIME_SHAPES = {
  dateTime: { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' },
  time: { hour: 'numeric', minute: '2-digit' },
  clock: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

function dateTimeFormat(locale: string, timeZone: string | undefined, shape: keyof typeof DATE_TIME_SHAPES = 'dateTime'): Intl.DateTimeFormat {
  const defaultZone = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.TZ ?? '';
  const key = `${shape}\u0000${locale}\u0000${timeZone ?? `default:${defaultZone}`}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...DATE_TIME_SHAPES[shape], ...(timeZone === undefined ? {} : { timeZone }) });
    if (dateTimeFormats.size >= MAX_DATE_TIME_FORMATS) dateTimeFormats.clear();
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** A local date and time as the spec shows it: "1/6/2025, 2:30:00 PM" (en-US). */
export function formatLocalDateTime(iso: string, options: DateTimeOptions = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return UNKNOWN;
  const text = dateTimeFormat(options.locale ?? 'en-US', options.timeZone).format(date);
  // ICU 72 (CLDR 42) put a narrow no-break space before "PM"; some ICU builds still do. Terminals
  // and copy-paste handle a plain space better, and output must not depend on the ICU version.
  return text.replace(/[\u202f\u00a0]/g, ' ');
}

/** A local time of day, "2:30 PM" (en-US), for an epoch-ms or ISO instant. */
export function formatLocalTime(instant: number | string, options: DateTimeOptions = {}): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return UNKNOWN;
  const text = dateTimeFormat(options.locale ?? 'en-US', options.timeZone, 'time').format(date);
  // The same ICU no-break space as in formatLocalDateTime.
  return text.replace(/[\u202f\u00a0]/g, ' ');
}

/** A 24-hour clock time with seconds, "14:30:05", for a live view's "updated at" line. */
export function formatClockTime(instant: number | string, options: DateTimeOptions = {}): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return UNKNOWN;
  return dateTimeFormat(options.locale ?? 'en-GB', options.timeZone, 'clock').format(date);
}

/**
 * The spec's shortened id: first 12 characters + "..."; ids of 12 characters or fewer stay whole.
 * Session ids come from transcripts: cut first, then made safe, so no escape is cut in half.
 */
export function shortId(id: string): string {
  return visibleLine(id.length <= 12 ? id : `${id.slice(0, 12)}...`);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
