/**
 * Reconciliation: where the server's 5-hour percent went. Between the status line's observations
 * of the server's percent in its current window, the rise is compared with what this machine's
 * transcripts explain; the rest was used elsewhere. The rule is documented once, on the
 * `Reconciliation` type (shared/snapshot.ts). Pure: observations, events and the clock in.
 */
import type { UsageEvent } from '../../shared/events.js';
import { WINDOW_MS, type TokenKind } from '../../shared/plans.js';
import type { Reconciliation } from '../../shared/snapshot.js';
import { countedTokens } from './quota.js';
import type { FiveHourSeen } from './sources/statusline-store.js';

/** Observation pairs with local usage needed before the rate is learned from them. */
export const MIN_CALIBRATION_PAIRS = 3;
/** A pair counts when the local tokens between its two figures are at least this share of the plan's limit (the server rounds to 0.1%). */
const MIN_PAIR_SHARE = 0.01;
/** The learned rate stays within this factor of the plan's (a bad pair run cannot make it absurd). */
const RATE_BOUND = 10;
/** Clocks may disagree this much: an observation this far before its window began is still in it. */
const CLOCK_TOLERANCE_MS = 60_000;

export interface ReconcileInput {
  /** The status line's 5-hour log (statusline-store.ts's `fiveHourLog`), in any order, possibly hostile. */
  observations: readonly FiveHourSeen[];
  /** This machine's responses, deduplicated, in time order, complete from `loadedSince` to `now`. */
  usage: readonly UsageEvent[];
  loadedSince: number;
  countedKinds: readonly TokenKind[];
  /** The plan's counted tokens per window: the rate before enough pairs are seen. */
  limit: number;
  now: number;
}

interface Observation {
  at: number;
  percent: number;
}

/** Round to 0.1 percentage point, never -0. */
function tenth(value: number): number {
  return Math.round(value * 10) / 10 + 0;
}

/**
 * The believable observations, grouped by server window (its reset instant), each group in time
 * order and never going down: the longest such run is kept, so one wild figure, high or low,
 * drops out instead of hiding the others.
 */
export function observationsByWindow(log: readonly FiveHourSeen[], now: number): Map<number, Observation[]> {
  const groups = new Map<number, Observation[]>();
  for (const entry of log) {
    const at = Date.parse(entry.observedAt);
    const resets = entry.resetsAt === null ? Number.NaN : Date.parse(entry.resetsAt);
    const percent = entry.usedPercent;
    if (!Number.isFinite(at) || !Number.isFinite(resets) || !Number.isFinite(percent)) continue;
    if (percent < 0 || percent > 100 || at > now || at >= resets || at < resets - WINDOW_MS - CLOCK_TOLERANCE_MS) continue;
    const group = groups.get(resets) ?? [];
    group.push({ at, percent });
    groups.set(resets, group);
  }
  for (const [resets, group] of groups) groups.set(resets, longestNonDecreasing(group.sort((a, b) => a.at - b.at)));
  return groups;
}

/** The longest subsequence whose percent never goes down (O(n²): a log holds at most a few hundred). */
function longestNonDecreasing(list: readonly Observation[]): Observation[] {
  const length: number[] = [];
  const previous: number[] = [];
  let best = -1;
  for (let i = 0; i < list.length; i += 1) {
    length[i] = 1;
    previous[i] = -1;
    for (let j = 0; j < i; j += 1) {
      if ((list[j] as Observation).percent <= (list[i] as Observation).percent && (length[j] as number) + 1 > (length[i] as number)) {
        length[i] = (length[j] as number) + 1;
        previous[i] = j;
      }
    }
    if (best === -1 || (length[i] as number) >= (length[best] as number)) best = i;
  }
  const kept: Observation[] = [];
  for (let i = best; i !== -1; i = previous[i] as number) kept.push(list[i] as Observation);
  return kept.reverse();
}

/** Counted tokens of responses stamped in (from, to]: prefix sums over the events' times. */
function tokenCounter(usage: readonly UsageEvent[], kinds: readonly TokenKind[]): (from: number, to: number) => number {
  const times = usage.map((event) => event.timestamp);
  const sums = [0];
  for (const event of usage) sums.push((sums[sums.length - 1] as number) + countedTokens(event.tokens, kinds));
  // Index of the first event stamped after `t`.
  const after = (t: number): number => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((times[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (from, to) => (to <= from ? 0 : (sums[after(to)] as number) - (sums[after(from)] as number));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Percent of the window per counted token: learned from observation pairs, else the plan's. */
export function percentPerToken(
  groups: ReadonlyMap<number, readonly Observation[]>,
  tokensBetween: (from: number, to: number) => number,
  input: Pick<ReconcileInput, 'limit' | 'loadedSince'>,
): { rate: number; source: 'observations' | 'plan-limit'; pairs: number } {
  const planRate = 100 / input.limit;
  const ratios: number[] = [];
  for (const group of groups.values()) {
    for (let i = 1; i < group.length; i += 1) {
      const a = group[i - 1] as Observation;
      const b = group[i] as Observation;
      // Before the loaded transcripts began, this machine's usage is unknown, not zero.
      if (a.at < input.loadedSince) continue;
      const tokens = tokensBetween(a.at, b.at);
      if (tokens >= input.limit * MIN_PAIR_SHARE) ratios.push((b.percent - a.percent) / tokens);
    }
  }
  if (ratios.length < MIN_CALIBRATION_PAIRS) return { rate: planRate, source: 'plan-limit', pairs: ratios.length };
  const rate = Math.min(planRate * RATE_BOUND, Math.max(planRate / RATE_BOUND, median(ratios)));
  return { rate, source: 'observations', pairs: ratios.length };
}

/** The reconciliation at `now`; null with fewer than two believable observations in the current server window. */
export function reconcile(input: ReconcileInput): Reconciliation | null {
  if (!(Number.isFinite(input.limit) && input.limit > 0)) return null;
  const groups = observationsByWindow(input.observations, input.now);
  // The current window: its reset still ahead (and within a window of now); the latest such if a log names several.
  let current: Observation[] | null = null;
  for (const [resets, group] of groups) {
    if (resets <= input.now || resets > input.now + WINDOW_MS + CLOCK_TOLERANCE_MS) continue;
    const last = group[group.length - 1] as Observation;
    if (current === null || last.at > (current[current.length - 1] as Observation).at) current = group;
  }
  if (current === null || current.length < 2) return null;
  const first = current[0] as Observation;
  const last = current[current.length - 1] as Observation;
  const tokensBetween = tokenCounter(input.usage, input.countedKinds);
  const calibration = percentPerToken(groups, tokensBetween, input);
  const serverDeltaPercent = tenth(last.percent - first.percent);
  // Clamped: what the transcripts explain is never more than the rise itself, so elsewhere is never negative.
  const localPercent = tenth(Math.min(serverDeltaPercent, tokensBetween(first.at, last.at) * calibration.rate));
  return {
    since: new Date(first.at).toISOString(),
    until: new Date(last.at).toISOString(),
    serverDeltaPercent,
    localPercent,
    elsewherePercent: tenth(Math.max(0, serverDeltaPercent - localPercent)),
    calibration: { source: calibration.source, pairs: calibration.pairs },
  };
}
