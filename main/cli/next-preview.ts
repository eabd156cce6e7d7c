/**
 * `cco next --preview`: what the planner decides for each of 1 to 5 hours, and nothing else. It
 * starts nothing, schedules nothing (not even the CRITICAL auto-schedule) and writes no state, not
 * even the tracker caches: it is the line the /start-next-session slash command pre-approves, so
 * it must be safe for the model to run again unasked. The user's hours reach the model through
 * the prompt text, which picks the matching row; acting stays a person's step.
 */
import { formatLocalDateTime, formatTokens, hoursText } from '../../shared/format.js';
import { queueSnapshot, type QueuedSession, type SessionQueue } from '../../shared/queue-snapshot.js';
import { visibleLine } from '../../shared/sanitize.js';
import { planNext, quotaFromSnapshot, type PlanDecision, type QuotaFigures } from '../core/planner/planner.js';
import { readQueue } from '../core/planner/queue.js';
import { collectStatus } from '../core/status.js';
import { UsageError, resolveContext, type CommonOptions } from './command-context.js';
import type { Io } from './io.js';
import { warn } from './launch.js';
import { statusHeader } from './render/next-panel.js';

/** The rows: the spec's prompt asks for 1-5 hours. */
export const PREVIEW_HOURS: readonly number[] = [1, 2, 3, 4, 5];

export interface PreviewInput {
  queue: SessionQueue;
  now: number;
  quota: QuotaFigures;
  autoScheduleAtCritical: boolean;
}

export interface Preview {
  /** At CRITICAL the planner schedules every ready session whatever the hours: one decision, not five. */
  critical: PlanDecision | null;
  rows: { hours: number; decision: PlanDecision }[];
}

/** The planner's decisions, computed and not carried out. Pure. */
export function previewDecisions(input: PreviewInput): Preview {
  const decide = (hours: number | null): PlanDecision =>
    planNext({ queue: input.queue, now: input.now, hours, quota: input.quota, autoScheduleAtCritical: input.autoScheduleAtCritical });
  const critical = decide(null);
  if (critical.automatic === 'critical') return { critical, rows: [] };
  return { critical: null, rows: PREVIEW_HOURS.map((hours) => ({ hours, decision: decide(hours) })) };
}

// Names and reasons carry queued text (imported plans, objectives): made safe here (shared/sanitize.ts).
const named = (session: QueuedSession): string => `"${visibleLine(session.name)}" [${visibleLine(session.id)}] (${hoursText(session.estimatedHours)}, ${formatTokens(session.estimatedTokens)} tokens)`;

function row(hours: number, decision: PlanDecision): string[] {
  const head = `   ${hours}h: `;
  const session = decision.session;
  switch (decision.decision) {
    case 'start':
      return session ? [`${head}✅ start ${named(session)}`, `        ${visibleLine(decision.reason)}`] : [`${head}${visibleLine(decision.reason)}`];
    case 'smaller':
      return [`${head}⚠️  ${visibleLine(decision.reason)}`, ...decision.options.map(({ session: s }) => `        fits: ${named(s)}`)];
    case 'schedule':
      if (!session || decision.scheduledFor === null) return [`${head}${visibleLine(decision.reason)}`];
      return [`${head}⏰ schedule ${named(session)} for ${formatLocalDateTime(decision.scheduledFor)}, when quota resets`, `        ${visibleLine(decision.reason)}`];
    case 'none':
      return [`${head}ℹ️  ${visibleLine(decision.reason)}`];
  }
}

export function renderPreview(preview: Preview): string {
  const lines = ['🔎 Preview: nothing was started, scheduled or written.', ''];
  if (preview.critical) {
    lines.push(`🚨 ${visibleLine(preview.critical.reason)}`);
    for (const slot of preview.critical.slots) lines.push(`   ⏰ ${visibleLine(slot.id)} at ${formatLocalDateTime(slot.at)}`);
    lines.push('', 'Running cco next without --preview schedules these (setting autoScheduleAtCritical).');
  } else {
    lines.push('What cco next decides for the hours you have:');
    for (const { hours, decision } of preview.rows) lines.push(...row(hours, decision));
    lines.push('', 'To act on a row: cco next --hours N --yes (starts or schedules it), or cco next in a terminal to be asked step by step.');
  }
  return `${lines.join('\n')}\n`;
}

/** `cco next --preview`: hours, --yes, --json and --interactive do not apply (every row is shown, nothing is done). */
export function runNextPreview(values: CommonOptions & { hours?: string; yes?: boolean; json?: boolean; print?: boolean; interactive?: boolean }, positionals: string[], io: Io): number {
  const extra = [
    ...(positionals.length > 0 || values.hours !== undefined ? ['hours'] : []),
    ...(['yes', 'json', 'print', 'interactive'] as const).filter((flag) => values[flag] === true).map((flag) => `--${flag}`),
  ];
  if (extra.length > 0) throw new UsageError(`--preview shows every hour from 1 to 5 and acts on none: drop ${extra.join(', ')}`);
  const ctx = resolveContext(values, io.env);
  const root = ctx.roots[0];
  const snapshot = collectStatus({ roots: ctx.roots, settings: ctx.settings, now: ctx.now, persist: false, warnings: ctx.warnings });
  const read = readQueue(root);
  for (const warning of [...snapshot.diagnostics.warnings, ...(read.warning ? [read.warning] : [])]) warn(io, warning);
  const quota = quotaFromSnapshot(snapshot);
  const preview = previewDecisions({ queue: read.queue, now: ctx.now, quota, autoScheduleAtCritical: ctx.settings.autoScheduleAtCritical });
  io.stdout(`${statusHeader(quota, queueSnapshot(read.queue, ctx.now), snapshot.generatedAt)}\n${renderPreview(preview)}`);
  return 0;
}
