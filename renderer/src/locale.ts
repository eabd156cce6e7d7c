/**
 * Numbers, times and durations in the user's locale (navigator.language), for the popover only.
 * The shared formatters (shared/format.ts) stay en-US for the terminal; here every figure a user
 * reads goes through Intl with their language.
 */
import { UNKNOWN } from '../../shared/format.js';

export interface Locale {
  tag: string;
  /** 84000 → "84,000" */
  integer(n: number): string;
  /** 84000 → "84K" */
  compact(n: number): string;
  /** 42.4 → "42%" (the argument is in percent, not a fraction). */
  percent(p: number): string;
  /** An instant as a short local time: "14:30" / "2:30 PM". */
  time(iso: string): string;
  /** An instant with its weekday: "Mon 2:30 PM". */
  dayTime(iso: string): string;
}

function safe(format: (n: number) => string): (n: number) => string {
  return (n) => (Number.isFinite(n) ? format(n) : UNKNOWN);
}

function safeDate(format: Intl.DateTimeFormat): (iso: string) => string {
  return (iso) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? UNKNOWN : format.format(date);
  };
}

/** Falls back to en-US when the runtime rejects the tag (an odd LANG value). */
function supported(tag: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0 ? tag : 'en-US';
  } catch {
    return 'en-US';
  }
}

export function makeLocale(requested: string): Locale {
  const tag = supported(requested);
  const integer = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat(tag, { notation: 'compact', maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  return {
    tag,
    integer: safe((n) => integer.format(Math.round(n) === 0 ? 0 : Math.round(n))),
    compact: safe((n) => compact.format(n)),
    // Clamped like shared formatPercent, so an overrun stays readable.
    percent: safe((p) => percent.format(Math.round(Math.min(999, Math.max(0, p))) / 100)),
    time: safeDate(new Intl.DateTimeFormat(tag, { hour: 'numeric', minute: '2-digit' })),
    dayTime: safeDate(new Intl.DateTimeFormat(tag, { weekday: 'short', hour: 'numeric', minute: '2-digit' })),
  };
}

/**
 * A ticking countdown: "2h 05m 09s", "4m 30s", "12s"; "0s" once passed. Seconds are shown because
 * the popover ticks every second; from a day on they are dropped ("3d 4h").
 */
export function formatTicking(ms: number, locale: Locale): string {
  if (Number.isNaN(ms)) return UNKNOWN;
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  const n = locale.integer;
  const two = (value: number) => (value < 10 ? `${n(0)}${n(value)}` : n(value));
  if (days > 0) return hours > 0 ? `${n(days)}d ${n(hours)}h` : `${n(days)}d`;
  if (hours > 0) return `${n(hours)}h ${two(minutes)}m ${two(seconds)}s`;
  if (minutes > 0) return `${n(minutes)}m ${two(seconds)}s`;
  return `${n(seconds)}s`;
}

/** A duration without seconds, as shared formatDuration shows it ("2h 45m", "45m", "3d 4h", "<1m"), with localized digits. */
export function formatSpan(ms: number, locale: Locale): string {
  if (Number.isNaN(ms)) return UNKNOWN;
  if (ms === Number.POSITIVE_INFINITY) return '∞';
  if (ms <= 0) return `${locale.integer(0)}m`;
  if (ms < 60_000) return `<${locale.integer(1)}m`;
  const totalMinutes = Math.floor(ms / 60_000);
  const n = locale.integer;
  if (totalMinutes >= 1_440) {
    const days = Math.floor(totalMinutes / 1_440);
    const hours = Math.floor((totalMinutes % 1_440) / 60);
    return hours === 0 ? `${n(days)}d` : `${n(days)}d ${n(hours)}h`;
  }
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return `${n(minutes)}m`;
  return minutes === 0 ? `${n(hours)}h` : `${n(hours)}h ${n(minutes)}m`;
}
