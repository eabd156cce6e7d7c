/**
 * The Snapshot's `context` part: one Claude Code session's context window (spec "Context Window
 * Tracker", `/context-status`; claude-code-facts.md §3). Plain JSON: times are ISO-8601 UTC
 * strings, `null` when unknown. Built by main/core/context/analyze.ts.
 */
import type { ContextLevel } from './context-levels.js';

/**
 * Where `tokens` comes from: the last main-chain response in the transcript, a `compact_boundary`
 * written after it (its `postTokens`), the status line's `context_window` (when it is fresher
 * than the transcript), or nothing yet (no response, or a boundary without `postTokens`).
 */
export type ContextSource = 'transcript' | 'compact-boundary' | 'status-line' | 'unknown';

/**
 * How the window size was decided. Assumed until a status line confirms it: `default` (200k: the
 * model is not known yet), `model-default` (from the model id: claude-opus-5-5 and `[1m]` models
 * have 1M), `setting` (the user's contextWindowByModel). `measured`: a context above the assumed
 * size proved 1M. `status-line`: Claude Code said so.
 */
export type WindowSource = 'default' | 'model-default' | 'setting' | 'measured' | 'status-line';

/**
 * Where `autoCompact.at` comes from: Claude Code's env `CLAUDE_AUTOCOMPACT_PCT_OVERRIDE` (percent
 * of the window) or `CLAUDE_CODE_AUTO_COMPACT_WINDOW` (the window it reckons with), when cco sees
 * Claude Code's environment; else the user's `contextAutoCompactAt` setting, else its default.
 */
export type AutoCompactSource = 'env-window' | 'env-percent' | 'setting' | 'default';

export interface ContextAutoCompact {
  /** Context size at which Claude Code compacts by itself. */
  at: number;
  /** `at - tokens`: negative once past it; null when the context is unknown. */
  tokensLeft: number | null;
  source: AutoCompactSource;
}

export interface ContextBreakdownPart {
  tokens: number;
  /** Whole percent of `breakdown.total`. */
  percent: number;
}

/**
 * The spec's CONTEXT BREAKDOWN. Each part is estimated from the content since the last compaction
 * (≈4 characters a token; images at a fixed estimate), then scaled so the parts add up exactly to
 * the measured context.
 */
export interface ContextBreakdown {
  /** The sum of the parts: the measured context when `scaled`, the raw estimate otherwise. */
  total: number;
  /** False when the context is unknown and the parts are the raw estimates. */
  scaled: boolean;
  /** System prompt, tool definitions and memory files: the first response's context minus what preceded it. */
  systemPrompt: ContextBreakdownPart;
  /** Read tool calls and results. */
  fileReads: ContextBreakdownPart & { files: number; reads: number };
  /** Every other tool call and result. */
  toolResults: ContextBreakdownPart & { results: number };
  /** User prompts, compaction summaries and assistant prose; `exchanges` counts the user's prompts. */
  conversation: ContextBreakdownPart & { exchanges: number };
  /** Edit/Write/MultiEdit/NotebookEdit inputs and fenced code in assistant text, by response. */
  codeGenerated: ContextBreakdownPart & { responses: number };
  /** Image blocks counted at a fixed estimate (their base64 size says nothing about tokens). */
  images: number;
}

export type CompactionKind = 'old-file-reads' | 'duplicate-tool-results' | 'old-tool-results' | 'old-exchanges';

export interface CompactionOpportunity {
  kind: CompactionKind;
  /** The spec's row label: "Old file reads", "Duplicate tools", ... */
  label: string;
  /** Estimated tokens a compaction would free (same scale as the breakdown). */
  tokens: number;
  /** What the figure covers, e.g. "9 reads of 6 files superseded or not touched again; keep recent 10". */
  detail: string;
}

export interface CompactionBrief {
  opportunities: CompactionOpportunity[];
  potentialSavings: number;
  /** A ready `/compact <instructions>` line for the user to paste (Claude Code cannot be made to compact from outside). */
  command: string;
  keep: {
    /** The first user prompt since the last compaction (else of the session). */
    objective: string | null;
    /** The latest user prompt, when it differs from the objective. */
    latestRequest: string | null;
    /** Files edited or written, most recent first (relative to the session's cwd when inside it). */
    filesEdited: string[];
    /** Open items of the last TodoWrite list, "[in_progress] ..." / "[pending] ...". */
    openTodos: string[];
    /** The last assistant conclusions, trimmed. */
    decisions: string[];
  };
  drop: {
    /** Files read but never edited nor read again (their contents can go). */
    files: string[];
  };
}

export interface ContextGrowth {
  /** The first response since the last compaction (the start of the measured growth). */
  since: string | null;
  /** Main-chain responses since the last compaction. */
  responses: number;
  /** User prompts since that first response. */
  turns: number;
  tokensPerTurn: number | null;
  tokensPerResponse: number | null;
  tokensPerHour: number | null;
  /** Turns left before the auto-compact point at the current pace; null when not growing. */
  turnsLeft: number | null;
  /** Minutes left before the auto-compact point at the current hourly pace; null when unknown. */
  minutesLeft: number | null;
}

export interface ContextNextAlert {
  level: ContextLevel;
  /** Whole percent of the usable limit where the next band starts. */
  percent: number;
  /** Tokens where the next band starts. */
  tokens: number;
  tokensUntil: number;
}

export interface ContextCompaction {
  at: string;
  trigger: 'manual' | 'auto' | 'unknown';
  preTokens: number | null;
  postTokens: number | null;
}

export interface ContextSnapshot {
  sessionId: string;
  transcriptPath: string;
  /** The `cwd` field inside the transcript's lines. */
  cwd: string | null;
  gitBranch: string | null;
  /** Model id of the last main-chain response. */
  model: string | null;
  /** Context in use (input + cache writes + cache reads of the last response); null when unknown. */
  tokens: number | null;
  source: ContextSource;
  windowSize: number;
  windowSource: WindowSource;
  /** The usable part of the window (setting, scaled to the window). Levels and percent refer to it. */
  usableLimit: number;
  /** Where Claude Code compacts by itself (= `autoCompact.at`). */
  autoCompactAt: number;
  /** The distance to auto-compaction and where its point comes from. */
  autoCompact: ContextAutoCompact;
  /** Percent of `usableLimit`, one decimal; null when `tokens` is. */
  percent: number | null;
  level: ContextLevel | null;
  /** "🟢 HEALTHY: 112,000 tokens context remaining." style headline plus the level's action. */
  recommendation: string;
  nextAlert: ContextNextAlert | null;
  lastResponseAt: string | null;
  lastCompaction: ContextCompaction | null;
  compactions: number;
  breakdown: ContextBreakdown;
  compaction: CompactionBrief;
  growth: ContextGrowth;
}
