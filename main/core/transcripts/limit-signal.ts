/**
 * The usage-limit-reached line: a free, exact reset signal (claude-code-facts.md §2).
 * Older: "Claude AI usage limit reached|1736200800" (Unix seconds).
 * Newer: "You've hit your limit · resets 8pm (Europe/Paris)", also "your session limit",
 * "your weekly limit", and dated weekly resets: "resets Jan 30, 11:30am (Asia/Calcutta)",
 * "resets Apr 23 at 4pm (America/Recife)".
 */

const OLD_FORM = /usage limit reached\|(\d{9,11})/i;
const NEW_FORM =
  /hit your (?:[a-z0-9-]+ ){0,2}limit[^"\n]*?resets\s+(?:at\s+|on\s+)?(?:([A-Z][a-z]{2})[a-z]*\.?\s+(\d{1,2}),?\s+(?:at\s+)?)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*(?:\(([A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*)\))?/i;
const LIMIT_HIT = /hit your (?:[a-z0-9-]+ ){0,2}limit/i;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** True when a raw line may hold a limit message (cheap test before any parsing). */
export function mayHoldLimitSignal(line: string): boolean {
  if (line.includes('limit reached|')) return true;
  const at = line.indexOf('hit your ');
  return at !== -1 && line.indexOf('limit', at) !== -1 && line.indexOf('limit', at) - at < 40;
}

export interface LimitSignal {
  resetsAt: number | null;
  text: string;
}

/** Reads a limit message out of a text; `observedAt` anchors the newer form's wall-clock hour. */
export function parseLimitSignal(text: string, observedAt: number): LimitSignal | null {
  const old = OLD_FORM.exec(text);
  if (old?.[1]) return { resetsAt: Number(old[1]) * 1000, text: old[0] };
  const fresh = NEW_FORM.exec(text);
  if (!fresh?.[3]) {
    // A limit message whose reset we cannot read is still a limit signal.
    const hit = LIMIT_HIT.exec(text);
    return hit ? { resetsAt: null, text: hit[0] } : null;
  }
  const [, monthName, dayText, hourText, minuteText, meridiemText, zoneText] = fresh;
  let hour = Number(hourText);
  const minute = minuteText ? Number(minuteText) : 0;
  const meridiem = meridiemText?.toLowerCase();
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  const found = fresh[0].trim();
  if (hour > 23 || minute > 59) return { resetsAt: null, text: found };
  const zone = zoneText ?? 'UTC';
  if (monthName && dayText) {
    const month = MONTHS.indexOf(monthName.toLowerCase());
    if (month === -1) return { resetsAt: null, text: found };
    return { resetsAt: nextDatedWallClock(observedAt, month, Number(dayText), hour, minute, zone), text: found };
  }
  return { resetsAt: nextWallClock(observedAt, hour, minute, zone), text: found };
}

/** The instant the wall clock in `timeZone` reads the given local date and time. */
function wallClockInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number | null {
  const wallAsUtc = Date.UTC(year, month, day, hour, minute);
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
