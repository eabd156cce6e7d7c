/**
 * The spec's `/context-status` panel (USAGE SUMMARY, CONTEXT BREAKDOWN, COMPACTION OPPORTUNITIES,
 * RECOMMENDATIONS), the `cco compact` brief, and the CONTEXT WINDOW section of `/session-status`,
 * rendered from the Snapshot's `context` part. Pure: no clock, no files.
 */
import { contextLevelInfo, contextLevelTone } from '../../../shared/context-levels.js';
import type { AutoCompactSource, ContextAutoCompact, ContextBreakdown, ContextSnapshot } from '../../../shared/context-snapshot.js';
import { formatCompactTokens, formatDuration, formatLocalDateTime, formatPercent, formatTokens, progressBar, shortId } from '../../../shared/format.js';
import { visibleLine } from '../../../shared/sanitize.js';
import { compactionBriefText, compactionOpportunityLines, CONTEXT_RULE, contextStatusText, labelled as field } from '../../core/context/brief-text.js';
import { createStyle, type Style } from './terminal.js';

export interface ContextPanelOptions {
  color: boolean;
  /** BCP 47 locale for numbers and dates; default 'en-US'. */
  locale?: string;
  /** IANA zone for the times shown; the runtime's zone when omitted. */
  timeZone?: string;
}

const SECTION_LABEL_WIDTH = 14;

interface Ctx {
  context: ContextSnapshot;
  style: Style;
  tokens: (n: number) => string;
  time: (iso: string) => string;
}

function makeCtx(context: ContextSnapshot, opts: ContextPanelOptions): Ctx {
  const locale = opts.locale ?? 'en-US';
  return {
    context,
    style: createStyle(opts.color),
    tokens: (n) => formatTokens(n, locale),
    time: (iso) => formatLocalDateTime(iso, { locale, ...(opts.timeZone === undefined ? {} : { timeZone: opts.timeZone }) }),
  };
}

function plural(n: number, one: string, many: string, tokens: (n: number) => string): string {
  return `${tokens(n)} ${n === 1 ? one : many}`;
}

/** "Claude Opus 4.6" from "claude-opus-4-6" (dated ids lose their date); unknown ids as they are, made safe (a transcript names them). */
export function modelDisplayName(model: string | null): string {
  if (!model) return 'unknown';
  const match = /^claude-([a-z]+)-(\d+)(?:-(\d{1,2}))?(?:-\d{8})?(\[1m\])?$/.exec(model);
  if (!match) return visibleLine(model);
  const [, family = '', major, minor] = match;
  return `Claude ${family.charAt(0).toUpperCase()}${family.slice(1)} ${minor ? `${major}.${minor}` : major}`;
}

function timeLeft(context: ContextSnapshot): string | null {
  const minutes = context.growth.minutesLeft;
  if (minutes === null) return null;
  return `~${formatDuration(minutes * 60_000)} at the current pace`;
}

const AUTO_COMPACT_SOURCE: Record<AutoCompactSource, string> = {
  'env-percent': 'from CLAUDE_AUTOCOMPACT_PCT_OVERRIDE',
  'env-window': 'from CLAUDE_CODE_AUTO_COMPACT_WINDOW',
  setting: 'your contextAutoCompactAt setting',
  default: 'default; set contextAutoCompactAt to yours',
};

/** "auto-compact in 42,000 tokens", or "due" once past the point; null when the context is unknown. */
export function autoCompactText(auto: ContextAutoCompact, tokens: (n: number) => string): string | null {
  if (auto.tokensLeft === null) return null;
  return auto.tokensLeft > 0 ? `auto-compact in ${tokens(auto.tokensLeft)} tokens` : 'auto-compact due now';
}

function usageSummary(ctx: Ctx): string[] {
  const { context, style, tokens } = ctx;
  const lines = [style.bold('📊 USAGE SUMMARY'), CONTEXT_RULE];
  if (context.tokens === null) {
    lines.push(
      field('Total Context', `unknown / ${tokens(context.usableLimit)} tokens`),
      field('Status', contextStatusText(ctx.context, ctx.style)),
      `   ${style.dim(context.recommendation)}`,
    );
  } else {
    const remaining = Math.max(0, context.usableLimit - context.tokens);
    const left = timeLeft(context);
    lines.push(
      field('Total Context', `${tokens(context.tokens)} / ${tokens(context.usableLimit)} tokens`),
      field('Percentage', `${formatPercent(context.percent ?? 0)} used`),
      field('Status', contextStatusText(ctx.context, ctx.style)),
      field('Remaining', `${tokens(remaining)} tokens${left ? ` (${left})` : ''}`),
      field('Context', `${progressBar(context.percent ?? 0)} ${formatPercent(context.percent ?? 0)}`),
    );
    const auto = autoCompactText(context.autoCompact, tokens);
    if (auto) lines.push(field('Auto-compact', `${auto} (at ${tokens(context.autoCompact.at)}, ${AUTO_COMPACT_SOURCE[context.autoCompact.source]})`));
  }
  lines.push(field('Window', windowText(context, tokens)));
  const g = context.growth;
  const growth: string[] = [];
  if (g.tokensPerTurn !== null) growth.push(`~${tokens(g.tokensPerTurn)} tokens/turn`);
  if (g.tokensPerHour !== null) growth.push(`~${tokens(g.tokensPerHour)} tokens/hour`);
  if (g.turnsLeft !== null) growth.push(`~${plural(g.turnsLeft, 'turn', 'turns', tokens)} before auto-compact`);
  if (growth.length > 0) lines.push(field('Growth', growth.join(' · ')));
  if (context.lastCompaction) {
    const c = context.lastCompaction;
    const figures = c.preTokens !== null ? ` (${tokens(c.preTokens)} → ${c.postTokens !== null ? tokens(c.postTokens) : '?'} tokens)` : '';
    lines.push(field('Compacted', `${context.compactions}× · last ${c.trigger} at ${ctx.time(c.at)}${figures}`));
  }
  return lines;
}

/** The window size and where it comes from: assumed (from the model, a setting) until a status line confirms it. */
function windowText(context: ContextSnapshot, tokens: (n: number) => string): string {
  const size = `${tokens(context.windowSize)} tokens`;
  const compactAt = `auto-compact at ${tokens(context.autoCompactAt)}`;
  switch (context.windowSource) {
    case 'default':
      return `${size} (assumed: model not known yet; ${compactAt})`;
    case 'model-default':
      return `${size} (assumed from model; ${compactAt})`;
    case 'setting':
      return `${size} (assumed from your contextWindowByModel setting; ${compactAt})`;
    case 'measured':
      return `${size} (${compactAt}, extended: context above 200k seen)`;
    case 'status-line':
      return `${size} (${compactAt}, from the status line)`;
  }
}

function breakdownRow(label: string, tokens: (n: number) => string, part: { tokens: number; percent: number }, suffix: string): string {
  return field(label, `${`${tokens(part.tokens)} tokens`.padEnd(15)}(${part.percent}%)${suffix}`);
}

function breakdownSection(ctx: Ctx): string[] {
  const { context, style, tokens } = ctx;
  const b: ContextBreakdown = context.breakdown;
  const lines = [
    style.bold('📁 CONTEXT BREAKDOWN'),
    CONTEXT_RULE,
    breakdownRow('System Prompt', tokens, b.systemPrompt, ''),
    breakdownRow('File Reads', tokens, b.fileReads, ` - ${plural(b.fileReads.files, 'file', 'files', tokens)}`),
    breakdownRow('Tool Results', tokens, b.toolResults, ` - ${plural(b.toolResults.results, 'result', 'results', tokens)}`),
    breakdownRow('Conversation', tokens, b.conversation, ` - ${plural(b.conversation.exchanges, 'exchange', 'exchanges', tokens)}`),
    breakdownRow('Code Generated', tokens, b.codeGenerated, ` - ${plural(b.codeGenerated.responses, 'response', 'responses', tokens)}`),
  ];
  const images = b.images > 0 ? `; ${plural(b.images, 'image', 'images', tokens)} at a fixed estimate` : '';
  lines.push(style.dim(b.scaled
    ? `Estimated from the transcript since the last compaction, scaled to the measured ${tokens(b.total)}${images}.`
    : `Raw estimate (≈4 characters a token): the context size is not known yet${images}.`));
  return lines;
}

function nextCheckpoint(context: ContextSnapshot): string {
  const next = context.nextAlert;
  return next ? `📊 Next checkpoint: ${next.percent}% (${formatCompactTokens(next.tokens)} tokens)` : '📊 Past the last checkpoint';
}

function recommendations(ctx: Ctx): string[] {
  const { context, style } = ctx;
  const command = context.compaction.command;
  switch (context.level) {
    case null:
      return [`ℹ️  ${context.recommendation}`];
    case 'fresh':
    case 'healthy':
      return ['✅ Context is healthy - no action needed', '✅ Continue normal operation', nextCheckpoint(context), '', style.dim('Compaction available if needed: /compact-context (cco compact)')];
    case 'moderate':
      return ['💡 Prefer edits over re-reading files', '💡 Keep tool output small (grep or head rather than whole files and logs)', nextCheckpoint(context), '', style.dim('Compaction available if needed: /compact-context (cco compact)')];
    case 'warning':
      return ['⚠️  Plan compaction: finish the current step, then compact', '⚠️  /compact-context (cco compact) gives a ready /compact line', nextCheckpoint(context)];
    case 'danger':
      return [style.red('🔴 COMPACT NOW to continue. Paste this into Claude Code:'), '', command, '', '🔴 Or save and restart: /save-and-restart (cco handoff)'];
    case 'critical':
      return [style.red(`🚨 Claude Code auto-compacts at ${ctx.tokens(context.autoCompactAt)} tokens: it may compact any moment`), '🚨 Save a handoff now: /save-and-restart (cco handoff)', '🚨 Or compact with this brief:', '', command];
  }
}

export function renderContextPanel(context: ContextSnapshot, opts: ContextPanelOptions): string {
  const ctx = makeCtx(context, opts);
  const { style } = ctx;
  const where = [shortId(context.sessionId), context.cwd ?? undefined, context.gitBranch ?? undefined].filter(Boolean).map((part) => visibleLine(part as string)).join(' · ');
  const lines = [
    style.bold('📝 Context Window Analysis'),
    CONTEXT_RULE,
    field('Session', where),
    field('Model', modelDisplayName(context.model)),
    '',
    ...usageSummary(ctx),
    '',
    ...breakdownSection(ctx),
    '',
    style.bold('🧹 COMPACTION OPPORTUNITIES'),
    CONTEXT_RULE,
    ...compactionOpportunityLines(ctx.context, ctx.tokens),
    '',
    style.bold('💡 RECOMMENDATIONS'),
    CONTEXT_RULE,
    ...recommendations(ctx),
  ];
  return lines.join('\n');
}

/** `cco compact`: the brief core builds (core/context/brief-text.ts), in the terminal's styles. */
export function renderCompactionBrief(context: ContextSnapshot, opts: ContextPanelOptions): string {
  return compactionBriefText(context, { style: createStyle(opts.color), ...(opts.locale === undefined ? {} : { locale: opts.locale }) });
}

/**
 * The `/session-status` CONTEXT WINDOW section (for the status panel), including its
 * "Status & Recommendation" and "Next Alert" lines. `context` null: no session found.
 */
export function contextWindowSection(context: ContextSnapshot | null, opts: ContextPanelOptions): string[] {
  const header = ['📝 CONTEXT WINDOW (Session)', '━'.repeat(40)];
  if (!context) {
    const style = createStyle(opts.color);
    return [style.bold(header[0] as string), header[1] as string, style.dim('No Claude Code session found yet.')];
  }
  const ctx = makeCtx(context, opts);
  const { style, tokens } = ctx;
  const f = (label: string, value: string) => field(label, value, SECTION_LABEL_WIDTH);
  const lines = [style.bold(header[0] as string), header[1] as string, f('Model', modelDisplayName(context.model)), f('Limit', `${tokens(context.usableLimit)} tokens (usable)`)];
  if (context.tokens === null || context.level === null) {
    lines.push(f('Used', 'unknown'), f('Status', contextStatusText(ctx.context, ctx.style)), '', style.bold('📋 Status & Recommendation:'), `   ${context.recommendation}`);
    return lines;
  }
  const remaining = Math.max(0, context.usableLimit - context.tokens);
  const usedPct = Math.round(context.percent ?? 0);
  const row = contextLevelInfo(context.level);
  const tone = style[contextLevelTone(context.level)];
  lines.push(
    f('Used', `${tokens(context.tokens)} tokens (${formatPercent(usedPct)})`),
    f('Remaining', `${tokens(remaining)} tokens (${formatPercent(Math.max(0, 100 - usedPct))})`),
    f('Context', `${progressBar(context.percent ?? 0)} ${formatPercent(usedPct)}`),
    f('Status', `${contextStatusText(ctx.context, ctx.style)}`),
    ...(context.growth.minutesLeft !== null ? [f('Est. Time', `~${formatDuration(context.growth.minutesLeft * 60_000)} before auto-compact`)] : []),
    '',
    style.bold('📋 Status & Recommendation:'),
    `   ${tone(style.bold(`${row.emoji} ${row.label}:`))} ${tokens(remaining)} tokens context remaining.`,
    `   ${row.action}`,
    '',
    `📢 Next Alert:   ${context.nextAlert ? `${context.nextAlert.percent}% context (~${tokens(context.nextAlert.tokens)} tokens)` : 'none (all thresholds passed)'}`,
  );
  return lines;
}
