import { describe, expect, it } from 'vitest';
import { renderStatusPanel } from '../../main/cli/render/status-panel.js';
import { computeSnapshot } from '../../main/core/snapshot.js';
import { calibrationText, reconciliationText } from '../../shared/reconciliation-text.js';
import { busyInputs, FIXTURE_NOW } from '../fixtures/snapshot-builder.js';

const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe('the reconciliation in the Snapshot and the status panel', () => {
  const inputs = busyInputs(FIXTURE_NOW);
  const resetsAt = inputs.statusLine?.latest?.rateLimits.fiveHour?.resetsAt ?? null;
  const since = FIXTURE_NOW - 100 * MIN;
  const until = FIXTURE_NOW - 10 * MIN;
  const withLog = {
    ...inputs,
    statusLine: inputs.statusLine && { ...inputs.statusLine, fiveHourLog: [{ observedAt: iso(since), usedPercent: 20, resetsAt }, { observedAt: iso(until), usedPercent: 41, resetsAt }] },
  };

  it('is built from the status line log and the transcripts by computeSnapshot', () => {
    const snapshot = computeSnapshot(withLog);
    // This machine's counted tokens between the two figures, at the plan's 100% per limit (one pair: not enough to learn from).
    const local = inputs.transcripts.events.usage
      .filter((event) => event.timestamp > since && event.timestamp <= until)
      .reduce((sum, event) => sum + event.tokens.input + event.tokens.output, 0);
    const localPercent = Math.round((local / snapshot.plan.limit) * 1000) / 10;
    expect(localPercent).toBeGreaterThan(0);
    expect(snapshot.quota.reconciliation).toEqual({
      since: iso(since),
      until: iso(until),
      serverDeltaPercent: 21,
      localPercent,
      elsewherePercent: Math.round((21 - localPercent) * 10) / 10,
      calibration: { source: 'plan-limit', pairs: 1 },
    });
    expect(computeSnapshot(inputs).quota.reconciliation).toBeNull();
  });

  it('is one line of the panel, in whole points that add up', () => {
    const snapshot = computeSnapshot(withLog);
    const reconciliation = snapshot.quota.reconciliation;
    if (!reconciliation) throw new Error('expected a reconciliation');
    const lines = renderStatusPanel(snapshot, { color: false, timeZone: 'UTC' }).split('\n');
    const local = Math.round(reconciliation.localPercent);
    expect(lines).toContain(`Reconciled:   Server +21% since 1/6/2025, 3:05:00 PM: ${local}% from this machine, ${21 - local}% elsewhere`);
    expect(renderStatusPanel(computeSnapshot(inputs), { color: false, timeZone: 'UTC' })).not.toContain('Reconciled:');
  });

  it('words the calibration for the popover’s tooltip', () => {
    const base = { since: iso(since), until: iso(until), serverDeltaPercent: 30, localPercent: 0, elsewherePercent: 30 };
    expect(calibrationText({ ...base, calibration: { source: 'observations', pairs: 5 } })).toContain('learned from 5 server observation pairs');
    expect(calibrationText({ ...base, calibration: { source: 'plan-limit', pairs: 1 } })).toContain("the plan's limit per window");
    expect(reconciliationText({ ...base, serverDeltaPercent: 21, localPercent: 14.5, elsewherePercent: 6.5, calibration: { source: 'plan-limit', pairs: 0 } }, { time: () => '14:02', percent: (p) => `${p}%` })).toBe(
      'Server +21% since 14:02: 15% from this machine, 6% elsewhere',
    );
  });
});
