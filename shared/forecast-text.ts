/**
 * The forecast (`quota.forecast`, main/core/forecast.ts) in words, for every face: the panel and
 * the popover say the sentence, the status line its short form. Each face passes its own clock
 * format; the wording lives here once.
 */
import { formatCountdown } from './format.js';
import type { QuotaForecast } from './snapshot.js';

/** The binding window and when it runs out, while that is still ahead of `generatedAt`; null otherwise. */
function ahead(forecast: QuotaForecast, generatedAt: string): { binding: 'fiveHour' | 'sevenDay'; at: string } | null {
  if (!forecast.binding) return null;
  const at = forecast[forecast.binding]?.runsOutAt ?? null;
  return at !== null && Date.parse(at) > Date.parse(generatedAt) ? { binding: forecast.binding, at } : null;
}

/**
 * "At this pace the weekly limit stops you Thu 2:00 PM, before the 5-hour window." Null when no
 * window runs out before its reset, and when the binding window is already spent (the
 * limit-reached lines say that).
 */
export function forecastSentence(forecast: QuotaForecast, generatedAt: string, time: (iso: string) => string): string | null {
  const next = ahead(forecast, generatedAt);
  if (next === null) return null;
  if (next.binding === 'sevenDay') {
    return `At this pace the weekly limit stops you ${time(next.at)}${forecast.fiveHour.runsOutAt !== null ? ', before the 5-hour window' : ''}.`;
  }
  const week = forecast.sevenDay?.runsOutAt ?? null;
  return `At this pace the 5-hour window runs out ${time(next.at)}${week !== null ? `, before the weekly limit (${time(week)})` : ''}.`;
}

/** The status line's form: "week out in 1d 4h" / "5h out in 35m"; null when nothing runs out ahead. */
export function forecastShort(forecast: QuotaForecast, generatedAt: string): string | null {
  const next = ahead(forecast, generatedAt);
  if (next === null) return null;
  return `${next.binding === 'sevenDay' ? 'week' : '5h'} out in ${formatCountdown(next.at, generatedAt)}`;
}
