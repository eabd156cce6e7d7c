/** Per-session context tracking (issue #5): the public API of main/core/context. */
export { analyzeSession, contextFromScan, scanStart, type AnalyzeOptions, type ContextOptions, type SessionAnalysis } from './analyze.js';
export { computeBreakdown, DEFAULT_SYSTEM_PROMPT_TOKENS, scaleParts } from './breakdown.js';
export { compactionBrief, compactCommand, KEEP_RECENT_READS, KEEP_RECENT_RESPONSES } from './compaction.js';
export {
  BASE_WINDOW,
  computeContextFigures,
  DEFAULT_CONTEXT_SETTINGS,
  EXTENDED_WINDOW,
  contextSettings,
  type ContextFigures,
  type ContextMeasure,
  type ContextSettings,
  type StatusLineContext,
} from './context.js';
export { chooseSession, isSubagentTranscript, SessionNotFoundError, type ChooseSessionOptions, type SessionChoice } from './find-session.js';
export { computeGrowth } from './growth.js';
export {
  handoffPath,
  handoffsDir,
  latestHandoff,
  renderHandoff,
  resumeCommands,
  whereWeAreBlock,
  writeHandoff,
  writeHandoffForSession,
  WHERE_WE_ARE_MAX_BYTES,
  type HandoffOptions,
  type HandoffQuota,
} from './handoff.js';
export { readSessionHead, scanSession, type SessionScan } from './scan.js';
export { SessionContextTracker } from './tracker.js';
