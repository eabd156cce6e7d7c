/**
 * The burn-rate sparkline's data, from what the Snapshot has. With a per-interval series
 * (`quota.burnRate.series`) each interval is drawn; without one the window splits in two: the
 * rate before the last hour (from the window's total and the last hour's rate) and the last hour.
 */
import type { Snapshot } from '../../shared/snapshot.js';
import type { BurnChartInput, BurnSegment } from './charts.js';
import { burnSeriesOf } from './model.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export function burnInput(snapshot: Snapshot): BurnChartInput | null {
  const window = snapshot.quota.currentWindow;
  if (!window) return null;
  const start = Date.parse(window.startTime);
  const end = Date.parse(window.resetTime);
  const now = Math.min(Date.parse(snapshot.generatedAt), end);
  if (![start, end, now].every(Number.isFinite) || end <= start) return null;

  const rate = snapshot.quota.burnRate;
  const series = burnSeriesOf(snapshot);
  let segments: BurnSegment[];
  if (series) {
    segments = series.map((point, index) => {
      const next = series[index + 1];
      return { from: Date.parse(point.at), to: next ? Date.parse(next.at) : now, tokensPerMinute: point.tokensPerMinute };
    });
  } else if (now - start > HOUR_MS) {
    const lastHourStart = now - HOUR_MS;
    const before = window.tokensUsed - rate.lastHourTokensPerMinute * 60;
    const earlier = Math.max(0, before / ((lastHourStart - start) / MINUTE_MS));
    segments = [
      { from: start, to: lastHourStart, tokensPerMinute: earlier },
      { from: lastHourStart, to: now, tokensPerMinute: rate.lastHourTokensPerMinute },
    ];
  } else {
    segments = [{ from: start, to: now, tokensPerMinute: rate.lastHourTokensPerMinute || rate.tokensPerMinute }];
  }
  const minutesLeft = (end - now) / MINUTE_MS;
  const pace = minutesLeft > 0 ? window.remaining / minutesLeft : null;
  return { segments, start, end, now, pace };
}
