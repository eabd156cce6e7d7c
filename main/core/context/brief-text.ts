/**
 * The compaction brief as text (`cco compact`, and the popover's "Copy /compact" sheet): the
 * opportunities, what the summary should keep and drop, and the `/compact` line last. Built here,
 * in core, so the terminal (which passes ANSI styles) and the app (plain text) show the same
 * brief without the app importing the terminal renderer. Pure: no clock, no files.
 */
import { contextLevelInfo, contextLevelTone, type ContextLevel } from '../../../shared/context-levels.js';
import type { ContextSnapshot } from '../../../shared/context-snapshot.js';
import { formatPercent, formatTokens, shortId } from '../../../shared/format.js';
import { visible, visibleLine } from '../../../shared/sanitize.js';

/** The emphasis a face can give the text; the terminal passes ANSI styles, the app none. */
export interface TextStyle {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly green: (text: string) => string;
}

const same = (text: string): string => text;
export const PLAIN_TEXT: TextStyle = { bold: same, dim: same, red: same, yellow: same, green: same };

export interface BriefTextOptions {
  style?: TextStyle;
  /** BCP 47 locale for numbers; default 'en-US'. */
  locale?: string;
}

/** Section rule of the context panel and the brief. */
export const CONTEXT_RULE = '━'.repeat(41);
const LABEL_WIDTH = 18;

/** "Label:   value", the label padded to `width`. */
export function labelled(label: string, value: string, width = LABEL_WIDTH): string {
  return `${`${label}:`.padEnd(width)}${value}`;
}

/** "🟢 HEALTHY - Normal operation" in the level's tone; "unknown" dimmed. */
export function contextStatusText(context: ContextSnapshot, style: TextStyle): string {
  if (context.level === null) return style.dim('unknown');
  const row = contextLevelInfo(context.level);
  return style.bold(style[contextLevelTone(context.level)](`${row.emoji} ${row.label} - ${row.short}`));
}

function potentialNote(level: ContextLevel | null): string {
  switch (level) {
    case null:
      return '';
    case 'fresh':
    case 'healthy':
      return ' (not needed yet)';
    case 'moderate':
      return ' (optional)';
    case 'warning':
      return ' (plan a compaction)';
    case 'danger':
    case 'critical':
      return ' (compact now)';
  }
}

/** One line per compaction opportunity and their total (the panel's COMPACTION OPPORTUNITIES too). */
export function compactionOpportunityLines(context: ContextSnapshot, tokens: (n: number) => string): string[] {
  const { opportunities, potentialSavings } = context.compaction;
  if (opportunities.length === 0) return ['Nothing worth compacting yet.'];
  return [
    ...opportunities.map((o) => labelled(o.label, `-${tokens(o.tokens)} tokens (${o.detail})`)),
    '',
    labelled('Total Potential', `${tokens(potentialSavings)} tokens${potentialNote(context.level)}`),
  ];
}

/** The brief, lines joined with "\n", no trailing spaces. */
export function compactionBriefText(context: ContextSnapshot, opts: BriefTextOptions = {}): string {
  const style = opts.style ?? PLAIN_TEXT;
  const locale = opts.locale ?? 'en-US';
  const tokens = (n: number): string => formatTokens(n, locale);
  // Everything kept or dropped is transcript text, made safe here; the `/compact` line is built
  // safe (one line, no controls) by compaction.ts, since the app copies it too.
  const { keep, drop, command } = context.compaction;
  const list = (items: readonly string[]): string => items.map(visibleLine).join(', ');
  const block = (text: string): string => visible(text).replace(/\n/g, '\n                  ');
  const usage = context.tokens === null
    ? `unknown / ${tokens(context.usableLimit)} tokens`
    : `${tokens(context.tokens)} / ${tokens(context.usableLimit)} tokens (${formatPercent(context.percent ?? 0)}) ${contextStatusText(context, style)}`;
  const lines = [
    style.bold(`🧹 Compaction brief · session ${shortId(context.sessionId)}${context.cwd ? ` (${visibleLine(context.cwd)})` : ''}`),
    CONTEXT_RULE,
    labelled('Context', usage),
    ...compactionOpportunityLines(context, tokens),
    '',
    style.bold('Keep'),
    `  Objective:      ${keep.objective !== null ? block(keep.objective) : '(unknown)'}`,
    ...(keep.latestRequest ? [`  Latest request: ${block(keep.latestRequest)}`] : []),
    `  Files edited:   ${keep.filesEdited.length > 0 ? list(keep.filesEdited) : '(none)'}`,
    `  Open todos:     ${keep.openTodos.length > 0 ? '' : '(none)'}`,
    ...keep.openTodos.map((t) => `    - ${visibleLine(t)}`),
    ...(keep.decisions.length > 0 ? ['  Recent decisions:', ...keep.decisions.map((d) => `    - ${visibleLine(d)}`)] : []),
    style.bold('Drop'),
    `  Files only read: ${drop.files.length > 0 ? list(drop.files) : '(none)'}`,
    '',
    style.dim('Claude Code cannot be made to compact from outside: paste this line into the session.'),
    '',
    command,
  ];
  return lines.map((line) => line.replace(/\s+$/, '')).join('\n');
}
