/**
 * The reconciliation (`quota.reconciliation`, shared/snapshot.ts) in words, the same sentence in
 * the terminal panel and the popover: each face passes its own time and percent formatters.
 */
import type { Reconciliation } from './snapshot.js';

export interface ReconciliationFormat {
  time(iso: string): string;
  percent(points: number): string;
}

/**
 * "Server +30% since 14:02: 0% from this machine, 30% elsewhere", in whole points that add up:
 * the rise and this machine's share are rounded, elsewhere is what is left (14.5 + 6.5 of 21 reads
 * 15 + 6, not 15 + 7).
 */
export function reconciliationText(reconciliation: Reconciliation, format: ReconciliationFormat): string {
  const rise = Math.round(reconciliation.serverDeltaPercent);
  const local = Math.min(rise, Math.round(reconciliation.localPercent));
  return `Server +${format.percent(rise)} since ${format.time(reconciliation.since)}: ${format.percent(local)} from this machine, ${format.percent(rise - local)} elsewhere`;
}

/** How this machine's share was worked out, for a tooltip or a dim line. */
export function calibrationText(reconciliation: Reconciliation): string {
  const { source, pairs } = reconciliation.calibration;
  return source === 'observations'
    ? `This machine's share: its tokens at the rate learned from ${pairs} server observation pairs`
    : `This machine's share: its tokens at the plan's limit per window, until enough server observations with local usage are seen (${pairs} so far)`;
}
