/**
 * One session's context, end to end: scan its transcript (streaming), apply the size rule, the
 * levels, the breakdown, the growth and the compaction brief, and return the Snapshot's `context`
 * part. `contextFromScan` is the pure half.
 */
import path from 'node:path';
import { contextLevelInfo } from '../../../shared/context-levels.js';
import type { ContextSnapshot } from '../../../shared/context-snapshot.js';
import { formatTokens } from '../../../shared/format.js';
import { computeBreakdown, estimateParts, scaleFactor, systemPromptEstimate } from './breakdown.js';
import { resolveAutoCompactAt, type AutoCompactEnv } from './auto-compact.js';
import { compactionBrief } from './compaction.js';
import { computeContextFigures, DEFAULT_CONTEXT_SETTINGS, type ContextFigures, type ContextSettings, type StatusLineContext } from './context.js';
import { computeGrowth } from './growth.js';
import { readSessionHead, scanSession, type SessionScan } from './scan.js';
import { countCompactBoundaries, findCompactBoundaries, lastModelBefore } from './session-reader.js';

export interface ContextOptions {
  settings?: ContextSettings;
  /** The status line's latest `context_window` for this session, if any. */
  statusLineContext?: StatusLineContext | null;
  /** Where Claude Code's auto-compact variables are read (process.env by default). */
  env?: AutoCompactEnv;
}

export interface AnalyzeOptions extends ContextOptions {
  /**
   * `start`: the whole transcript (default). `last-compact`: from the last compaction boundary
   * (hooks: fast on long sessions; the figures are the same, the session-wide lists cover less).
   */
  from?: 'start' | 'last-compact';
}

export interface SessionAnalysis {
  context: ContextSnapshot;
  scan: SessionScan;
  /** The session's first prompt (read from the head when the scan started later). */
  headPrompt: string | null;
}

function recommendation(figures: ContextFigures, scan: SessionScan): string {
  if (figures.tokens === null || figures.level === null) {
    if (scan.lastCompact && (!scan.lastResponse || scan.lastCompact.order > scan.lastResponse.order)) {
      return 'Context just compacted: Claude Code did not record its new size; it is measured again after the next response.';
    }
    return 'No response yet: the context is measured after the first response.';
  }
  const row = contextLevelInfo(figures.level);
  const remaining = Math.max(0, figures.usableLimit - figures.tokens);
  return `${row.emoji} ${row.label}: ${formatTokens(remaining)} tokens context remaining. ${row.action}`;
}

export function contextFromScan(scan: SessionScan, opts: ContextOptions & { headPrompt?: string | null; modelBefore?: string | null } = {}): ContextSnapshot {
  const settings = opts.settings ?? DEFAULT_CONTEXT_SETTINGS;
  const last = scan.lastResponse;
  const compact = scan.lastCompact;
  const compactAfter = compact && (!last || compact.order > last.order) ? { timestamp: compact.timestamp, postTokens: compact.postTokens } : null;
  const figures = computeContextFigures(
    { lastResponse: last ? { timestamp: last.timestamp, context: last.context } : null, compactAfter, maxContext: scan.maxContext, model: last?.model || null },
    settings,
    opts.statusLineContext ?? null,
  );
  const auto = resolveAutoCompactAt(figures.windowSize, settings.contextAutoCompactAt, opts.env);
  const systemPrompt = systemPromptEstimate(scan.segment, scan.lastSystemEstimate);
  const breakdown = computeBreakdown(scan.segment, systemPrompt, figures.tokens);
  const factor = scaleFactor(estimateParts(scan.segment.chars, systemPrompt), figures.tokens);
  const compaction = compactionBrief({ scan, factor, total: figures.tokens, systemPrompt: breakdown.systemPrompt.tokens, headPrompt: opts.headPrompt ?? null });
  return {
    sessionId: scan.sessionId ?? path.basename(scan.file, '.jsonl'),
    transcriptPath: scan.file,
    cwd: scan.cwd,
    gitBranch: scan.gitBranch,
    // Since the compaction there may be no response yet: the model is still the one before it.
    model: last?.model || opts.modelBefore || null,
    tokens: figures.tokens,
    source: figures.source,
    windowSize: figures.windowSize,
    windowSource: figures.windowSource,
    usableLimit: figures.usableLimit,
    autoCompactAt: auto.at,
    autoCompact: { at: auto.at, tokensLeft: figures.tokens === null ? null : auto.at - figures.tokens, source: auto.source },
    percent: figures.percent,
    level: figures.level,
    recommendation: recommendation(figures, scan),
    nextAlert: figures.nextAlert,
    lastResponseAt: last ? new Date(last.timestamp).toISOString() : null,
    lastCompaction: compact ? { at: new Date(compact.timestamp).toISOString(), trigger: compact.trigger, preTokens: compact.preTokens, postTokens: compact.postTokens } : null,
    compactions: scan.compactions,
    breakdown,
    compaction,
    growth: computeGrowth(scan.segment.responses, figures.tokens, auto.at),
  };
}

/** Where a scan in `mode` starts: 0, or the offset of the last compaction boundary. */
export function scanStart(file: string, mode: 'start' | 'last-compact'): number {
  if (mode === 'start') return 0;
  return findCompactBoundaries(file, 1)[0] ?? 0;
}

export function analyzeSession(file: string, opts: AnalyzeOptions = {}): SessionAnalysis {
  const from = scanStart(file, opts.from ?? 'start');
  const scan = scanSession(file, from);
  // The boundaries before the scan's start count too (the scan sees only the last one).
  if (from > 0) scan.compactions += countCompactBoundaries(file, from);
  const headPrompt = from > 0 ? readSessionHead(file).firstPrompt : scan.firstPrompt;
  const modelBefore = from > 0 && !scan.lastResponse ? lastModelBefore(file, from) : null;
  return { context: contextFromScan(scan, { ...opts, headPrompt, modelBefore }), scan, headPrompt };
}
