/**
 * `cco next` in words: the quota and queue header, a queued session, and the planner's decision
 * (the non-interactive form the slash command shows). Names, projects, agents and objectives are
 * whatever was queued: made safe here.
 */
import { formatCountdown, formatLocalDateTime, formatTokens, hoursText } from '../../../shared/format.js';
import type { QueuedSession, QueueSnapshot } from '../../../shared/queue-snapshot.js';
import { visible, visibleLine } from '../../../shared/sanitize.js';
import type { PlanDecision, QuotaFigures } from '../../core/planner/planner.js';

function quotaLines(quota: QuotaFigures, generatedAt: string): string[] {
  const available = quota.limit > 0 ? Math.round((quota.remaining / quota.limit) * 100) : 0;
  const lines = [`   Token Quota: ${formatTokens(quota.remaining)} / ${formatTokens(quota.limit)} (${available}% available)`];
  if (quota.resetTime !== null) lines.push(`   Resets in: ${formatCountdown(quota.resetTime, generatedAt)} (${formatLocalDateTime(quota.resetTime)})`);
  else lines.push('   Resets in: no window running (a new one starts with your first message)');
  if (quota.weekly) lines.push(`   Weekly: ${Math.round(quota.weekly.usedPercent)}% used${quota.weekly.exhausted ? ' (limit reached)' : ''}`);
  return lines;
}

export function statusHeader(quota: QuotaFigures, queue: QueueSnapshot, generatedAt: string): string {
  const s = queue.summary;
  const lines = ['🎯 Smart Session Starter', '', '📊 Current Status:', ...quotaLines(quota, generatedAt), '', `📋 Session Queue: ${s.done}/${s.total} complete`, `   Ready: ${s.ready}`, `   Scheduled: ${s.scheduled}`];
  if (s.inProgress > 0) lines.push(`   In progress: ${s.inProgress}`);
  if (s.blocked > 0) lines.push(`   Waiting for others: ${s.blocked}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A queued session in words. Names, projects, agents and objectives are whatever was queued (a
 * slash command, an imported plan): made safe here, as the decision's reason (which quotes a name)
 * is wherever it is printed.
 */
export function sessionBlock(session: QueuedSession): string {
  const lines = [`📋 Session: ${visibleLine(session.name)} (${session.id})`, `⏱️  Duration: ${hoursText(session.estimatedHours)}`, `📁 Project: ${visibleLine(session.project)}`];
  if (session.agent) lines.push(`🤖 Agent: ${visibleLine(session.agent)}`);
  if (session.objectives.length > 0) {
    lines.push('🎯 Objectives:');
    for (const objective of session.objectives) lines.push(`   • ${visible(objective).replace(/\n/g, '\n     ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function needsHave(decision: PlanDecision): string {
  const session = decision.session;
  return session ? `(needs ${formatTokens(session.estimatedTokens)}, have ${formatTokens(decision.quota.remaining)})` : '';
}

export function optionLines(decision: PlanDecision): string[] {
  return decision.options.map(({ session }, index) => `   ${index + 1}. ${visibleLine(session.name)} (${hoursText(session.estimatedHours)}, ${formatTokens(session.estimatedTokens)} tokens) [${session.id}]`);
}

/** The decision in words, for the non-interactive form (the slash command shows this). */
export function renderDecision(decision: PlanDecision, hoursArg: string): string {
  const lines: string[] = [];
  const session = decision.session;
  const yes = `cco next${hoursArg} --yes`;
  const reason = visibleLine(decision.reason);
  switch (decision.decision) {
    case 'start':
      if (!session) break;
      lines.push(`✅ Starting: ${visibleLine(session.name)}`, `   (${formatTokens(session.estimatedTokens)} tokens, ${formatTokens(decision.quota.remaining)} available)`, '', sessionBlock(session).trimEnd(), '', `→ ${yes} starts it in a new terminal.`);
      break;
    case 'smaller':
      lines.push(`⚠️  ${reason}`, '', 'Found smaller sessions:', ...optionLines(decision), '', `→ ${yes} starts the first; cco queue start ID starts another.`);
      break;
    case 'schedule':
      if (!session || decision.scheduledFor === null) break;
      if (decision.automatic === 'critical') {
        lines.push(`🚨 ${reason}`);
        for (const slot of decision.slots) lines.push(`   ⏰ ${slot.id} at ${formatLocalDateTime(slot.at)}`);
        lines.push('', '💡 Create calendar events: cco calendar (or /create-calendar-events)');
      } else {
        lines.push(`⏰ Scheduling for ${formatLocalDateTime(decision.scheduledFor)} when quota resets`, `   ${needsHave(decision)}`, `   ${reason}`, '', `→ ${yes} schedules "${visibleLine(session.name)}"; then cco calendar creates the calendar event.`);
      }
      break;
    case 'none':
      lines.push(`ℹ️  ${reason}`);
      break;
  }
  return `${lines.join('\n')}\n`;
}
