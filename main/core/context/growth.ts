/**
 * Context growth since the last compaction, pure: tokens per turn (a user prompt), per response
 * and per hour, and how many turns / how long until the auto-compact point at that pace.
 */
import type { ContextGrowth } from '../../../shared/context-snapshot.js';
import type { ResponseMark } from './scan.js';

/** Below this span an hourly rate is noise. */
const MIN_SPAN_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;

export function computeGrowth(responses: readonly ResponseMark[], tokens: number | null, autoCompactAt: number): ContextGrowth {
  const first = responses[0];
  const last = responses[responses.length - 1];
  const growth: ContextGrowth = {
    since: first ? new Date(first.timestamp).toISOString() : null,
    responses: responses.length,
    turns: first && last ? last.prompts - first.prompts : 0,
    tokensPerTurn: null,
    tokensPerResponse: null,
    tokensPerHour: null,
    turnsLeft: null,
    minutesLeft: null,
  };
  if (!first || !last || responses.length < 2) return growth;
  const grown = last.context - first.context;
  if (grown <= 0) return growth;
  growth.tokensPerResponse = Math.round(grown / (responses.length - 1));
  if (growth.turns > 0) growth.tokensPerTurn = Math.round(grown / growth.turns);
  const span = last.timestamp - first.timestamp;
  if (span >= MIN_SPAN_MS) growth.tokensPerHour = Math.round((grown / span) * HOUR_MS);
  if (tokens !== null) {
    const left = Math.max(0, autoCompactAt - tokens);
    if (growth.tokensPerTurn) growth.turnsLeft = Math.floor(left / growth.tokensPerTurn);
    if (growth.tokensPerHour) growth.minutesLeft = Math.floor((left / growth.tokensPerHour) * 60);
  }
  return growth;
}
