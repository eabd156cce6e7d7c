/**
 * The usage-limit signals a transcript carries (claude-code-facts.md §2): free, exact reset times.
 *
 * Current clients (2.1.33x) put structured fields on the API-error line: `error: "rate_limit"`,
 * `apiErrorStatus: 429`, `apiErrorType`, and for subscribers `quotaLimits{status, resetsAt (epoch
 * s), rateLimitType, utilization}`, sometimes `apiError: "usage_limit_reached"` with
 * `apiErrorParams.rate_limit_info`. These win over the text (`limitFromApiErrorLine`). The text
 * forms (`parseLimitSignal`):
 * - old: "Claude AI usage limit reached|1736200800" (Unix seconds; no longer written);
 * - "You've hit your limit · resets 8pm (Europe/Paris)", with a label ("your 5-hour / weekly /
 *   Opus / Sonnet / Fable / usage credit / session limit") and, for a reset more than a day away,
 *   a date and, when it differs, a year: "resets Jan 2, 2027, 2pm (UTC)"; also "resets Apr 23 at
 *   4pm (America/Recife)" and minutes ("2:30pm");
 * - API-key 429s: "API Error: Request rejected (429) · ..." (rate limited, no reset).
 * Every reset goes through `plausibleReset`: after the line, at most a week after it.
 */
import { isRecord } from '../store.js';
import { LIMIT_TEXT_NEEDLES, type TranscriptLine } from './line.js';

const OLD_FORM = /usage limit reached\|(\d{9,11})/i;
const NEW_FORM =
  /hit your ((?:[a-z0-9-]+ ){0,2})limit[^"\n]*?resets\s+(?:at\s+|on\s+)?(?:([A-Z][a-z]{2})[a-z]*\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?,?\s+(?:at\s+)?)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*(?:\(([A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*)\))?/i;
const LIMIT_HIT = /hit your ((?:[a-z0-9-]+ ){0,2})limit/i;
const API_KEY_429 = /Request rejected \(429\)/i;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A reset further than this after the line is a misreading (the longest window is a week). */
export const MAX_RESET_AHEAD_MS = 7 * 24 * 3_600_000;

/**
 * The message's label as the API's `rateLimitType`, where the two are known to correspond. Other
 * labels (Fable, usage credit, plain "usage") leave the type unknown rather than guess a name.
 */
const LABEL_TYPES: Readonly<Record<string, string>> = {
  '5-hour': 'five_hour',
  session: 'five_hour',
  weekly: 'seven_day',
  opus: 'seven_day_opus',
  sonnet: 'seven_day_sonnet',
};

/** Markers of the structured fields and the API-key 429 text, written on API-error (assistant) lines only. */
const LIMIT_FIELD_NEEDLES = ['"rate_limit', 'quotaLimits', '(429)', 'usage_limit_reached'];
/** "hit your" and "limit" this close: "hit your 5-hour limit", "hit your usage credit limit". */
const HIT_SPAN = 40;

/** True when a raw line may hold a limit message or limit fields (cheap test before any parsing). */
export function mayHoldLimitSignal(line: string): boolean {
  const [reached, hit] = LIMIT_TEXT_NEEDLES as [string, string];
  if (line.includes(reached)) return true;
  for (const needle of LIMIT_FIELD_NEEDLES) if (line.includes(needle)) return true;
  const at = line.indexOf(hit);
  if (at === -1) return false;
  const limit = line.indexOf('limit', at);
  return limit !== -1 && limit - at < HIT_SPAN;
}

export interface LimitSignal {
  resetsAt: number | null;
  text: string;
  /** Which limit was hit: the API's `rateLimitType` (five_hour, seven_day, seven_day_opus...); null when unknown. */
  rateLimitType: string | null;
}

/** `resetsAt` when it can be true for a line written at `observedAt`: after it, and within a week. */
export function plausibleReset(resetsAt: number | null, observedAt: number): number | null {
  if (resetsAt === null || !Number.isFinite(resetsAt)) return null;
  return resetsAt > observedAt && resetsAt - observedAt <= MAX_RESET_AHEAD_MS ? resetsAt : null;
}

function labelType(label: string | undefined): string | null {
  return LABEL_TYPES[(label ?? '').trim().toLowerCase()] ?? null;
}

/** Reads a limit message out of a text; `observedAt` (the line's time) anchors wall-clock resets. */
export function parseLimitSignal(text: string, observedAt: number): LimitSignal | null {
  const old = OLD_FORM.exec(text);
  if (old?.[1]) return { resetsAt: plausibleReset(Number(old[1]) * 1000, observedAt), text: old[0], rateLimitType: null };
  const fresh = NEW_FORM.exec(text);
  if (!fresh?.[5]) {
    // A limit message whose reset we cannot read is still a limit signal.
    const hit = LIMIT_HIT.exec(text);
    if (hit) return { resetsAt: null, text: hit[0], rateLimitType: labelType(hit[1]) };
    const rejected = API_KEY_429.exec(text);
    return rejected ? { resetsAt: null, text: rejected[0], rateLimitType: null } : null;
  }
  const [, label, monthName, dayText, yearText, hourText, minuteText, meridiemText, zoneText] = fresh;
  const found = fresh[0].trim();
  const rateLimitType = labelType(label);
  const unread = { resetsAt: null, text: found, rateLimitType };
  let hour = Number(hourText);
  const minute = minuteText ? Number(minuteText) : 0;
  const meridiem = meridiemText?.toLowerCase();
  if (meridiem && (hour < 1 || hour > 12)) return unread;
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return unread;
  const zone = zoneText ?? 'UTC';
  let resetsAt: number | null;
  if (monthName && dayText) {
    const month = MONTHS.indexOf(monthName.toLowerCase());
    if (month === -1) return unread;
    const day = Number(dayText);
    resetsAt = yearText
      ? wallClockInstant(Number(yearText), month, day, hour, minute, zone)
      : nextDatedWallClock(observedAt, month, day, hour, minute, zone);
  } else {
    resetsAt = nextWallClock(observedAt, hour, minute, zone);
  }
  return { resetsAt: plausibleReset(resetsAt, observedAt), text: found, rateLimitType };
}

/** An epoch given in seconds (the API's unit) or, leniently, milliseconds or ISO-8601. */
function epochMs(value: unknown): number | null {
  if (typeof value === 'string' && value.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(value.trim())) return epochMs(Number(value));
    const parsed = Date.parse(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  return value < 1e11 ? Math.round(value * 1000) : Math.round(value);
}

function typeName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const name = value.trim().toLowerCase();
  return /^[a-z0-9_-]{1,40}$/.test(name) ? name : null;
}

/** The rate-limit record of an API-error line: `quotaLimits`, else `apiErrorParams.rate_limit_info`. */
function quotaRecord(line: Record<string, unknown>): Record<string, unknown> | null {
  if (isRecord(line.quotaLimits)) return line.quotaLimits;
  const params = line.apiErrorParams;
  if (isRecord(params) && isRecord(params.rate_limit_info)) return params.rate_limit_info;
  return null;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * The limit signal of an API-error transcript line (already JSON-parsed), its message text given
 * separately. The structured fields win: their reset (when plausible) and their rateLimitType; the
 * text fills what they lack. Null when the line says nothing of a rate limit.
 */
export function limitFromApiErrorLine(line: Record<string, unknown>, text: string, observedAt: number): LimitSignal | null {
  const quota = quotaRecord(line);
  const status = quota ? quota.status : undefined;
  const limited =
    line.error === 'rate_limit' ||
    line.apiErrorStatus === 429 ||
    line.apiError === 'usage_limit_reached' ||
    (typeof line.apiErrorType === 'string' && /rate_limit/i.test(line.apiErrorType)) ||
    status === 'rejected';
  const fromText = parseLimitSignal(text, observedAt);
  if (!limited) return fromText;
  const reset = quota ? plausibleReset(epochMs(quota.resetsAt ?? quota.resets_at ?? quota.reset_at), observedAt) : null;
  const type = quota ? typeName(quota.rateLimitType ?? quota.rate_limit_type) : null;
  const described = `API error ${typeof line.apiErrorStatus === 'number' ? line.apiErrorStatus : 429} (${typeName(line.error) ?? typeName(line.apiErrorType) ?? 'rate_limit'})`;
  return {
    resetsAt: reset ?? fromText?.resetsAt ?? null,
    text: fromText?.text ?? (firstLine(text) || described),
    rateLimitType: type ?? fromText?.rateLimitType ?? null,
  };
}

/**
 * The limit signal of a decoded transcript line (line.ts): a `<synthetic>` or API-error line's
 * fields and message text, at `observedAt` (the line's time). Null for any other line.
 */
export function lineLimitSignal(line: TranscriptLine, observedAt: number): LimitSignal | null {
  if (line.message === null || !(line.synthetic || line.apiError)) return null;
  return limitFromApiErrorLine(line.record, line.messageText(), observedAt);
}

/** The instant the wall clock in `timeZone` reads the given local date and time; null for a date that does not exist. */
function wallClockInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number | null {
  const wallAsUtc = Date.UTC(year, month, day, hour, minute);
  if (new Date(wallAsUtc).getUTCDate() !== day) return null;
  const first = zoneOffset(wallAsUtc, timeZone);
  if (first === null) return null;
  const corrected = zoneOffset(wallAsUtc - first, timeZone);
  return wallAsUtc - (corrected ?? first);
}

/** A dated reset ("Jan 30, 11:30am"): this year's date, or next year's when that has passed. */
function nextDatedWallClock(after: number, month: number, day: number, hour: number, minute: number, timeZone: string): number | null {
  const offset = zoneOffset(after, timeZone);
  if (offset === null) return null;
  const year = new Date(after + offset).getUTCFullYear();
  for (const candidateYear of [year, year + 1]) {
    const instant = wallClockInstant(candidateYear, month, day, hour, minute, timeZone);
    if (instant !== null && instant > after) return instant;
  }
  return null;
}

/** Offset (ms) of `timeZone` from UTC at `instant`; null for an unknown zone. */
function zoneOffset(instant: number, timeZone: string): number | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(instant));
  } catch {
    return null;
  }
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The first instant after `after` at which the wall clock in `timeZone` reads hour:minute. */
export function nextWallClock(after: number, hour: number, minute: number, timeZone: string): number | null {
  const offset = zoneOffset(after, timeZone);
  if (offset === null) return null;
  const local = new Date(after + offset);
  for (let day = 0; day <= 2; day += 1) {
    const wallAsUtc = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + day, hour, minute);
    // Two passes settle the offset across a DST change between `after` and the target.
    let candidate = wallAsUtc - offset;
    const corrected = zoneOffset(candidate, timeZone);
    if (corrected !== null) candidate = wallAsUtc - corrected;
    if (candidate > after) return candidate;
  }
  return null;
}
