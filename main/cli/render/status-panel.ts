/**
 * The spec's `/session-status` panel, rendered from a Snapshot (shared/spec/
 * quota-aware-session-management.md, "/session-status"). Pure: the clock is `generatedAt`, so a
 * panel for `--now` or a fixture renders the same text every time.
 * Sections whose data the Snapshot does not carry yet (session window, context) say so in one dim
 * line instead of showing made-up numbers.
 */
import {
  formatCountdown,
  formatDuration,
  formatLocalDateTime,
  formatPercent,
  formatTokens,
  progressBar,
  shortId,
} from '../../../shared/format.js';
import { levelTable, quotaLevelInfo, quotaLevelTone } from '../../../shared/levels.js';
import type { TokenKind } from '../../../shared/plans.js';
import type { CurrentWindow, Diagnostics, PlanInfo, QuotaSnapshot, Snapshot } from '../../../shared/snapshot.js';
import { cacheColdText } from '../../../shared/prompt-cache.js';
import { reconciliationText } from '../../../shared/reconciliation-text.js';
import { forecastSentence } from '../../../shared/forecast-text.js';
import { combinedHealth } from '../../../shared/context-levels.js';
import { visibleLine } from '../../../shared/sanitize.js';
import { contextWindowSection } from './context-panel.js';
import { createStyle, toneStyle, type Style, type StyleFn } from './terminal.js';

export interface StatusPanelOptions {
  color: boolean;
  /** IANA zone for the times shown; the runtime's zone when omitted. */
  timeZone?: string;
  /** BCP 47 locale for numbers and dates; default 'en-US'. */
  locale?: string;
  /** Show the Snapshot's warnings at the panel's end (default); false when the caller printed them first. */
  warnings?: boolean;
}

const RULE = '━'.repeat(40);
const LABEL_WIDTH = 14;

const KIND_LABELS: Readonly<Record<TokenKind, string>> = {
  input: 'input',
  output: 'output',
  cacheCreation: 'cache writes',
  cacheRead: 'cache reads',
};

const SKIP_LABELS: Readonly<Record<keyof Diagnostics['skipped'], string>> = {
  malformed: 'malformed',
  unknownType: 'unknown type',
  empty: 'empty',
  binary: 'binary',
  synthetic: 'synthetic',
  apiError: 'API error',
  implausible: 'implausible usage',
  oversized: 'oversized',
};

interface Ctx {
  snapshot: Snapshot;
  style: Style;
  tokens: (n: number) => string;
  time: (iso: string) => string;
}

export function renderStatusPanel(snapshot: Snapshot, opts: StatusPanelOptions): string {
  const locale = opts.locale ?? 'en-US';
  const ctx: Ctx = {
    snapshot,
    style: createStyle(opts.color),
    tokens: (n) => formatTokens(n, locale),
    time: (iso) => formatLocalDateTime(iso, { locale, ...(opts.timeZone === undefined ? {} : { timeZone: opts.timeZone }) }),
  };
  const { bold } = ctx.style;
  const lines = [
    bold('📊 Claude Code Session Status'),
    RULE,
    '',
    ...sessionSection(ctx),
    '',
    ...quotaSection(ctx),
    ...forecastLines(ctx),
    '',
    ...recommendationSection(ctx),
    '',
    ...contextWindowSection(snapshot.context, opts),
    '',
    ...healthSection(ctx),
    ...diagnosticsSection(ctx, opts.warnings ?? true),
  ];
  // No trailing newline: the caller ends the output (cco status appends one).
  return lines.join('\n');
}

function field(label: string, value: string): string {
  return `${`${label}:`.padEnd(LABEL_WIDTH)}${value}`;
}

function plural(n: number, one: string, many: string, tokens: (n: number) => string): string {
  return `${tokens(n)} ${n === 1 ? one : many}`;
}

/** Other live sessions whose prompt cache is listed under the current one. */
const MAX_OTHER_CACHE_LINES = 3;

function sessionSection(ctx: Ctx): string[] {
  const { snapshot, style, tokens, time } = ctx;
  const lines = [style.bold('📅 SESSION WINDOW (5-hour limit)'), RULE];
  const session = snapshot.session;
  if (!session) {
    lines.push(field('Status', 'No active session'));
    lines.push(style.dim(`Sessions are seen from the transcripts; ${style.cyan('cco install')} adds hooks that report starts and ends at once.`));
    return lines;
  }
  const elapsed = formatDuration(session.elapsedMinutes * 60_000);
  lines.push(
    field('Status', session.status === 'idle' ? '🟡 Idle' : '🟢 Active'),
    field('Session ID', shortId(session.sessionId)),
    field('Started', time(session.startedAt)),
    field('Expires', time(session.windowEnd)),
    field('Elapsed', `${elapsed} / 5h`),
    field('Remaining', formatDuration(session.remainingMinutes * 60_000)),
    field('Progress', `${progressBar(session.progressPercent)} ${formatPercent(session.progressPercent)}`),
  );
  // Agent and cwd come from transcripts and hook payloads: made safe before they are shown.
  if (session.agent) lines.push(field('Agent', visibleLine(session.agent.split(/[\\/]/).pop() ?? session.agent)));
  if (session.cwd) lines.push(field('Working Dir', visibleLine(session.cwd.split(/[\\/]/).filter(Boolean).pop() ?? session.cwd)));
  const source = session.tokens.source === 'transcript' ? `${tokens(session.tokens.messages)} responses` : 'estimated from tool calls';
  lines.push(field('Tokens', `${tokens(session.tokens.counted)} (${source}, ${tokens(session.toolCalls)} tool calls)`));
  if (session.nextWarning) lines.push(field('Next warning', `${session.nextWarning.id} left, at ${time(session.nextWarning.at)}`));
  const now = Date.parse(snapshot.generatedAt);
  const cache = cacheColdText(session.cacheExpiresAt, now);
  if (cache !== null) lines.push(field('Prompt cache', `${cache}${session.cacheColdCost !== null ? ` · resuming cold re-writes ${tokens(session.cacheColdCost)} tokens` : ''}`));
  const others = snapshot.sessions.filter((other) => other.sessionId !== session.sessionId);
  if (others.length > 0) lines.push(style.dim(`${others.length} other live session${others.length === 1 ? '' : 's'}: cco status --json lists them.`));
  for (const other of others.slice(0, MAX_OTHER_CACHE_LINES)) {
    const text = cacheColdText(other.cacheExpiresAt, now);
    if (text !== null) lines.push(style.dim(`  ${shortId(other.sessionId)}: ${text}`));
  }
  return lines;
}

function planLine(plan: PlanInfo, tokens: (n: number) => string): string {
  const windows = (n: number | null): string => plural(n ?? 0, 'window', 'windows', tokens);
  let source: string;
  switch (plan.limitSource) {
    case 'preset':
      source = 'estimate';
      break;
    case 'custom':
      source = 'your setting';
      break;
    case 'learned':
      source = `learned from ${windows(plan.learnedFromWindows)}`;
      break;
    case 'learned-fallback':
      source = plan.learnedFromWindows
        ? `estimate: only ${windows(plan.learnedFromWindows)} to learn from`
        : 'estimate: no completed windows to learn from yet';
      break;
  }
  return field('Plan', `${plan.name.toUpperCase()} (${tokens(plan.limit)} tokens per 5h, ${source})`);
}

/**
 * Whole percents used and left. Left is rounded the way the engine's recommendation text rounds it,
 * so the two lines of the panel agree; used is its complement, so they add up to 100 (the spec shows
 * 42% / 58% for 42.5%). Past the limit, used is its own rounding (104%) and left is 0%.
 */
function percents(percentUsed: number): { used: string; left: string } {
  const left = Math.min(100, Math.max(0, Math.round(100 - percentUsed)));
  const used = percentUsed > 100 ? Math.round(percentUsed) : 100 - left;
  return { used: formatPercent(used), left: formatPercent(left) };
}

function limitReachedLines(ctx: Ctx): string[] {
  const { quota, plan, generatedAt } = ctx.snapshot;
  if (!quota.limitReached) return [];
  const resetsAt = quota.limitReached.resetsAt ?? quota.currentWindow?.resetTime ?? null;
  const text = resetsAt
    ? `Usage limit reached; resets at ${ctx.time(resetsAt)} (in ${formatCountdown(resetsAt, generatedAt)})`
    : 'Usage limit reached; reset time unknown';
  const lines = [ctx.style.bold(ctx.style.red(text))];
  // The server's limit came first: the user's limit figure is too high to warn them in time.
  const used = quota.currentWindow?.tokensUsed ?? 0;
  if (used > 0 && used < plan.limit) {
    lines.push(
      ctx.style.dim(`Claude Code hit the limit at ${ctx.tokens(used)} tokens, below this plan's ${ctx.tokens(plan.limit)}: try \`cco config set plan auto\`.`),
    );
  }
  return lines;
}

/** Where the percentage comes from, and the weekly window wherever the 5-hour one is shown. */
function serverLines(ctx: Ctx): string[] {
  const { quota, generatedAt } = ctx.snapshot;
  const server = quota.server;
  if (!server) return [field('Source', 'local estimate from your transcripts')];
  const lines = [field('Source', `Claude's servers via the status line (seen ${formatCountdown(generatedAt, server.observedAt)} ago)`)];
  const week = server.sevenDay;
  if (week) {
    const resets = week.resetsAt ? `, resets ${ctx.time(week.resetsAt)} (in ${formatCountdown(week.resetsAt, generatedAt)})` : '';
    const text = `${formatPercent(week.usedPercent)} of the week used${resets}`;
    lines.push(field('Week', quota.weeklyLimitReached ? ctx.style.red(`${text}: weekly limit reached`) : text));
  }
  const reconciliation = quota.reconciliation;
  if (reconciliation !== null) lines.push(field('Reconciled', reconciliationText(reconciliation, { time: ctx.time, percent: formatPercent })));
  return lines;
}

/** Which window stops the user first at this pace (shared/forecast-text.ts), when one does before its reset. */
function forecastLines(ctx: Ctx): string[] {
  const { quota, generatedAt } = ctx.snapshot;
  const sentence = forecastSentence(quota.forecast, generatedAt, ctx.time);
  return sentence === null ? [] : [field('Forecast', ctx.style.yellow(sentence))];
}

function quotaSection(ctx: Ctx): string[] {
  const { snapshot, style, tokens, time } = ctx;
  const { quota, plan, generatedAt } = snapshot;
  const lines = [style.bold('🎯 TOKEN QUOTA (Rolling 5-hour window)'), RULE];
  lines.push(...limitReachedLines(ctx), planLine(plan, tokens), ...serverLines(ctx));

  const window = quota.currentWindow;
  if (!window && quota.source === 'statusline') {
    // Usage from claude.ai or another machine: the server counts it, our transcripts do not.
    lines.push(field('Usage', `${progressBar(quota.percentUsed)} ${formatPercent(quota.percentUsed)} (server)`));
    if (quota.server?.fiveHour?.resetsAt) lines.push(field('Resets in', `${formatCountdown(quota.server.fiveHour.resetsAt, generatedAt)} (server)`));
    return lines;
  }
  if (window && quota.source === 'statusline') return [...lines, ...serverWindowLines(ctx, window)];
  if (!window) {
    lines.push(
      field('Window', 'No active window: the next message starts a new 5-hour window.'),
      field('Remaining', `${tokens(plan.limit)} tokens (100%, full quota available)`),
      field('Usage', `${progressBar(0)} ${formatPercent(0)}`),
    );
    if (quota.lastActivity) lines.push(field('Last active', time(quota.lastActivity)));
    return lines;
  }

  const pct = percents(quota.percentUsed);
  lines.push(
    field('Used', `${tokens(window.tokensUsed)} tokens (${pct.used})`),
    field('Remaining', `${tokens(window.remaining)} tokens (${pct.left})`),
    field('Usage', `${progressBar(quota.percentUsed)} ${pct.used}`),
    field('Burn Rate', burnRate(quota, tokens)),
    field('Est. Runway', runway(quota, window.remaining, tokens)),
    field('Window start', time(window.startTime)),
    field('Resets at', time(window.resetTime)),
    field('Resets in', formatCountdown(window.resetTime, generatedAt)),
    field(
      'Tokens',
      (['input', 'output', 'cacheCreation', 'cacheRead'] as const)
        .map((kind) => `${tokens(window.tokens[kind])} ${KIND_LABELS[kind]}`)
        .join(' · '),
    ),
    field('Counted', quota.countedKinds.map((kind) => KIND_LABELS[kind]).join(' + ') || 'nothing'),
    field('Messages', `${tokens(window.messages)} (${plural(window.toolCalls, 'tool call', 'tool calls', tokens)})`),
  );
  lines.push(...placeholderLines(window, tokens));
  return lines;
}

/**
 * Responses the transcripts kept only as streaming placeholders (transcripts/placeholder.ts):
 * their output is an estimate, shown as one and said to be one. A Snapshot from before the field
 * existed has none.
 */
function placeholderLines(window: CurrentWindow, tokens: (n: number) => string): string[] {
  const placeholder = window.placeholderOutput as CurrentWindow['placeholderOutput'] | undefined;
  if (!placeholder || placeholder.responses === 0) return [];
  return [
    field(
      'Est. output',
      `~${tokens(placeholder.estimatedTokens)} more output tokens (estimate) in ${plural(placeholder.responses, 'response', 'responses', tokens)} recorded only with a streaming placeholder; counted only with countPlaceholderEstimate`,
    ),
  ];
}

const FIVE_HOURS_MS = 5 * 60 * 60 * 1000;

/**
 * The window with the server's figures: the server gives a percentage and a reset, this machine's
 * transcripts give tokens (and miss claude.ai and other devices). Each line names its source, and
 * figures side by side share one: the percentages with the server's reset and the window start it
 * implies; this machine's tokens, rate and messages on lines of their own.
 */
function serverWindowLines(ctx: Ctx, window: CurrentWindow): string[] {
  const { snapshot, tokens, time } = ctx;
  const { quota, generatedAt } = snapshot;
  const pct = percents(quota.percentUsed);
  const serverReset = quota.server?.fiveHour?.resetsAt ?? null;
  const here = '(this machine)';
  const lines = [
    field('Used', `${pct.used} of the 5-hour limit (server)`),
    field('Remaining', `${pct.left} (server)`),
    field('Usage', `${progressBar(quota.percentUsed)} ${pct.used} (server)`),
  ];
  if (serverReset) {
    lines.push(
      field('Window start', `${time(new Date(Date.parse(serverReset) - FIVE_HOURS_MS).toISOString())} (server)`),
      field('Resets at', `${time(serverReset)} (server)`),
      field('Resets in', `${formatCountdown(serverReset, generatedAt)} (server)`),
    );
  } else {
    lines.push(field('Window start', `${time(window.startTime)} ${here}`), field('Resets at', `${time(window.resetTime)} ${here}`), field('Resets in', `${formatCountdown(window.resetTime, generatedAt)} ${here}`));
  }
  lines.push(
    field('Tokens used', `${tokens(window.tokensUsed)} since ${time(window.startTime)} ${here}; claude.ai and other devices not counted`),
    field('Burn Rate', `${burnRate(quota, tokens)} ${here}`),
    field('Est. Runway', `${runway(quota, window.remaining, tokens)} (estimate: the server's ${pct.left} left at this machine's rate)`),
    field('Tokens', `${(['input', 'output', 'cacheCreation', 'cacheRead'] as const).map((kind) => `${tokens(window.tokens[kind])} ${KIND_LABELS[kind]}`).join(' · ')} ${here}`),
    field('Counted', quota.countedKinds.map((kind) => KIND_LABELS[kind]).join(' + ') || 'nothing'),
    field('Messages', `${tokens(window.messages)} (${plural(window.toolCalls, 'tool call', 'tool calls', tokens)}) ${here}`),
  );
  lines.push(...placeholderLines(window, tokens));
  return lines;
}

function burnRate(quota: QuotaSnapshot, tokens: (n: number) => string): string {
  const overall = Math.round(quota.burnRate.tokensPerMinute);
  const lastHour = Math.round(quota.burnRate.lastHourTokensPerMinute);
  const text = `${tokens(overall)} tokens/min`;
  return lastHour === overall ? text : `${text} (last hour: ${tokens(lastHour)} tokens/min)`;
}

function runway(quota: QuotaSnapshot, remaining: number, tokens: (n: number) => string): string {
  const { minutes, toolCalls } = quota.runway;
  if (remaining <= 0) return 'none (quota spent)';
  if (minutes === null || !Number.isFinite(minutes)) return '— (not burning)';
  // Truncated like every countdown here: never promise more time than is left.
  const shown = minutes < 1 ? '<1 minute' : `~${plural(Math.floor(minutes), 'minute', 'minutes', tokens)}`;
  return `${shown} (${plural(Math.floor(toolCalls), 'tool call', 'tool calls', tokens)})`;
}

/**
 * The engine composes its recommendation as "💡 MODERATE: 115,000 tokens remaining (58% left).
 * Medium tasks OK ...". The spec shows that headline sentence on one line and the advice below it,
 * so the text is split at its first sentence and the "💡 MODERATE:" part coloured. A recommendation
 * without such a headline (plain advice, or none) gets one built from the level and the figures.
 */
function recommendationLines(ctx: Ctx, tone: StyleFn): string[] {
  const { quota, plan } = ctx.snapshot;
  const { bold } = ctx.style;
  const text = quota.recommendation.trim().replace(/\s+/g, ' ');
  const end = text.search(/\.\s/);
  const first = end === -1 ? text : text.slice(0, end + 1);
  const rest = end === -1 ? '' : text.slice(end + 1).trim();
  const colon = first.indexOf(':');
  if (colon > 0 && !/^[\p{L}\p{N}]/u.test(first)) {
    const headline = `   ${tone(bold(first.slice(0, colon + 1)))}${first.slice(colon + 1)}`;
    return rest ? [headline, `   ${rest}`] : [headline];
  }
  const info = quotaLevelInfo(quota.level);
  const window = quota.currentWindow;
  const remaining = window ? window.remaining : plan.limit;
  const left = window ? percents(quota.percentUsed).left : formatPercent(100);
  // The advice of the table in use (standard and hyperaware word some levels differently).
  const advice = text || (levelTable(quota.hyperaware).find((row) => row.level === quota.level) ?? info).advice;
  return [`   ${tone(bold(`${info.emoji} ${info.label}:`))} ${ctx.tokens(remaining)} tokens remaining (${left} left).`, `   ${advice}`];
}

function recommendationSection(ctx: Ctx): string[] {
  const { snapshot, style, tokens } = ctx;
  const { quota } = snapshot;
  const next = quota.nextAlert
    ? `${formatPercent(quota.nextAlert.percent)} usage (~${tokens(quota.nextAlert.tokensUntil)} tokens)`
    : 'none (all thresholds passed)';
  return [
    style.bold('📋 Status & Recommendation:'),
    ...recommendationLines(ctx, toneStyle(style, quotaLevelTone(quota.level))),
    '',
    `📢 Next Alert:   ${next}`,
  ];
}

/** COMBINED HEALTH (spec): the worse of quota and context, naming which one. */
function healthSection({ snapshot, style }: Ctx): string[] {
  const h = combinedHealth({ level: snapshot.quota.level, limitReached: snapshot.quota.limitReached !== null }, snapshot.context?.level ?? null);
  const lines = [`${style.bold('⚡ COMBINED HEALTH:')} ${style.bold(style[h.tone](h.label))}`, `   ${h.advice}`];
  if (!snapshot.context) lines.push(style.dim('   Based on the token quota only: no current session to measure the context of.'));
  return lines;
}

function diagnosticsSection({ snapshot, style, tokens }: Ctx, withWarnings: boolean): string[] {
  const d = snapshot.diagnostics;
  const notes: string[] = [];
  if (d.linesSkipped > 0) {
    const reasons = (Object.keys(SKIP_LABELS) as (keyof Diagnostics['skipped'])[])
      .filter((key) => d.skipped[key] > 0)
      .map((key) => `${tokens(d.skipped[key])} ${SKIP_LABELS[key]}`);
    const of = d.linesRead >= d.linesSkipped ? ` of ${tokens(d.linesRead)}` : '';
    const why = reasons.length > 0 ? ` (${reasons.join(', ')})` : '';
    notes.push(`Skipped ${tokens(d.linesSkipped)}${of} transcript ${d.linesSkipped === 1 && !of ? 'line' : 'lines'}${why}`);
  }
  const rejected = d.statusLineRejected;
  if (rejected.count > 0) {
    const last = rejected.last !== null ? ` (latest: ${visibleLine(rejected.last)})` : '';
    notes.push(`Left out ${tokens(rejected.count)} implausible status-line ${rejected.count === 1 ? 'figure' : 'figures'}${last}`);
  }
  // File names and error texts can carry anything a directory or a payload held.
  for (const file of d.unreadable) notes.push(`Could not read ${visibleLine(file.path)}: ${visibleLine(file.error)}`);
  if (withWarnings) for (const warning of d.warnings) notes.push(visibleLine(warning));
  return notes.length === 0 ? [] : ['', ...notes.map((note) => style.dim(note))];
}

