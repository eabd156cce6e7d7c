/**
 * The prompt-cache rule, in one place: Claude Code on a subscription writes its prompt cache with
 * the 1-hour lifetime, and the cache lives that long after the session's last response (each
 * response refreshes it). Once paid usage credits are drawn the writes are said to fall back to
 * the 5-minute lifetime; nothing we read says when that happens (the transcripts' per-response
 * `ephemeral_5m`/`ephemeral_1h` split would be the place to look), so 1 hour is assumed. A resume
 * after expiry re-writes the whole context as cache writes: that is the cold cost.
 */
import { formatDuration } from './format.js';

export const PROMPT_CACHE_TTL_MS = 60 * 60_000;

/** When the cache of a session whose last main-chain response was at `lastResponseMs` goes cold. */
export function cacheExpiresAt(lastResponseMs: number | null): string | null {
  return lastResponseMs === null || !Number.isFinite(lastResponseMs) ? null : new Date(lastResponseMs + PROMPT_CACHE_TTL_MS).toISOString();
}

/** "cache cold in 12m", "cache cold", or null when unknown (no response yet). */
export function cacheColdText(expiresAt: string | null, now: number): string | null {
  if (expiresAt === null) return null;
  const left = Date.parse(expiresAt) - now;
  if (!Number.isFinite(left)) return null;
  return left > 0 ? `cache cold in ${formatDuration(left)}` : 'cache cold';
}
