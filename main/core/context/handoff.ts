/**
 * Save-and-restart (spec `/save-and-restart`): a markdown handoff file with what a fresh session
 * needs to carry on (objective, files edited, the todo list, recent decisions, branch, context and
 * quota figures) and the exact commands to resume, in `<root>/handoffs/<session-id>-<time>.md`.
 *
 * Also what the hooks call around a compaction: `writeHandoffForSession` (PreCompact) and
 * `whereWeAreBlock` (SessionStart with source `compact`). Both read only the session's own
 * transcript, streaming from its last compaction boundary, and never throw past a missing file
 * without a clear message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { contextLevelInfo } from '../../../shared/context-levels.js';
import type { ContextSnapshot } from '../../../shared/context-snapshot.js';
import { formatTokens } from '../../../shared/format.js';
import { markdownCode, markdownFence, markdownLine, visibleLine } from '../../../shared/sanitize.js';
import { isRegularFile } from '../regular-file.js';
import { pruneFiles } from '../retention.js';
import { writeFileAtomicSync } from '../store.js';
import { analyzeSession, contextFromScan, type ContextOptions, type SessionAnalysis } from './analyze.js';
import { readSessionHead, scanSession, type SessionScan } from './scan.js';
import { findCompactBoundaries } from './session-reader.js';
import { displayPath, oneLine, shellQuote } from './text.js';

export const HANDOFFS_DIR = 'handoffs';
/** SessionStart output is added to Claude's context: keep it short. */
export const WHERE_WE_ARE_MAX_BYTES = 2_000;
/** handoffs/ keeps at most this many files, the newest (the README says so)... */
export const KEEP_HANDOFFS = 100;
/** ...and removes those older than this, except the newest KEEP_RECENT_HANDOFFS. */
export const HANDOFF_MAX_AGE_MS = 30 * 24 * 60 * 60_000;
export const KEEP_RECENT_HANDOFFS = 10;
/** The names handoffPath gives: `<id>-<YYYY-MM-DDTHH-MM-SSZ>[-n].md`. */
const HANDOFF_NAME = /^.+-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(?:-\d+)?\.md$/;
export const CONTINUE_PROMPT = 'Continue the work described in the handoff: check the open todos and the latest request, then carry on.';

/** Quota figures for the handoff (from the Snapshot's quota part, when the caller has one). */
export interface HandoffQuota {
  percentUsed: number;
  tokensUsed: number;
  limit: number;
  resetTime: string | null;
}

export interface HandoffOptions extends ContextOptions {
  quota?: HandoffQuota | null;
  /** Scan from the last compaction only (hooks). Default: the whole transcript. */
  from?: 'start' | 'last-compact';
}

export function handoffsDir(root: string): string {
  return path.join(root, HANDOFFS_DIR);
}

function stamp(now: number): string {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

/** `<root>/handoffs/<session-id>-<time>.md`, with `-2`, `-3`... if that name is taken. */
export function handoffPath(root: string, sessionId: string, now: number): string {
  const safeId = sessionId.replace(/[^A-Za-z0-9._-]/g, '_');
  const base = path.join(handoffsDir(root), `${safeId}-${stamp(now)}`);
  let candidate = `${base}.md`;
  for (let n = 2; fs.existsSync(candidate); n++) candidate = `${base}-${n}.md`;
  return candidate;
}

export function resumeCommands(handoffFile: string, sessionId: string): { fresh: string; resume: string } {
  return {
    fresh: `claude --append-system-prompt-file ${shellQuote(handoffFile)} "${CONTINUE_PROMPT}"`,
    resume: `claude -r ${shellQuote(sessionId)}`,
  };
}

function contextLine(context: ContextSnapshot): string {
  if (context.tokens === null || context.level === null) return `unknown (${context.recommendation})`;
  const row = contextLevelInfo(context.level);
  return `${formatTokens(context.tokens)} / ${formatTokens(context.usableLimit)} usable tokens (${context.percent ?? 0}%, ${row.emoji} ${row.label}); window ${formatTokens(context.windowSize)}`;
}

function quotaLine(quota: HandoffQuota): string {
  const reset = quota.resetTime ? `, resets at ${quota.resetTime}` : '';
  return `${formatTokens(quota.tokensUsed)} of ${formatTokens(quota.limit)} tokens used in the 5-hour window (${Math.round(quota.percentUsed)}%)${reset}`;
}

function editedLines(scan: SessionScan): string[] {
  return [...scan.edited.values()].reverse().map((file) => {
    const what: string[] = [];
    if (file.writes > 0) what.push(file.writes === 1 ? 'written' : `written ${file.writes}×`);
    if (file.edits > 0) what.push(file.edits === 1 ? 'edited' : `edited ${file.edits}×`);
    return `- ${markdownCode(displayPath(file.path, scan.cwd))} (${what.join(', ')})`;
  });
}

function todoLines(scan: SessionScan): string[] {
  return (scan.lastTodos ?? []).map((todo) => {
    const box = todo.status === 'completed' ? '[x]' : '[ ]';
    const note = todo.status === 'in_progress' ? ' (in progress)' : '';
    return `- ${box} ${markdownLine(todo.content)}${note}`;
  });
}

export interface RenderHandoffInput {
  analysis: SessionAnalysis;
  file: string;
  now: number;
  quota?: HandoffQuota | null;
}

/**
 * The handoff markdown (pure). Its structure (the `## ` sections, the resume commands) is ours and
 * a fresh session reads it, so transcript text can never add to it: prompts (kept as one line by
 * the scan), todos and decisions are single lines whose leading Markdown marker is escaped, paths
 * and the branch are code spans, the resume commands a fence longer than any backtick run in them,
 * and no control character reaches the file (shared/sanitize.ts).
 */
export function renderHandoff({ analysis, file, now, quota }: RenderHandoffInput): string {
  const { context, scan, headPrompt } = analysis;
  const objective = headPrompt ?? context.compaction.keep.objective;
  const latest = scan.latestPrompt && scan.latestPrompt !== objective ? scan.latestPrompt : null;
  const commands = resumeCommands(file, context.sessionId);
  const partial = scan.fromOffset > 0 ? ' since the last compaction' : '';
  const lines = [
    `# Handoff: continue session ${visibleLine(context.sessionId)}`,
    '',
    `Written ${new Date(now).toISOString()} by cco (Claude Code Optimizer) from ${markdownCode(scan.file)}.`,
    '',
    `- Project: ${context.cwd ? markdownCode(context.cwd) : 'unknown'}`,
    `- Git branch: ${context.gitBranch ? markdownCode(context.gitBranch) : 'unknown'}`,
    `- Context: ${contextLine(context)}`,
    ...(quota ? [`- Quota: ${quotaLine(quota)}`] : []),
    '',
    '## Objective',
    '',
    objective !== null ? markdownLine(objective) : '(no prompt found in the transcript)',
    ...(latest ? ['', `Latest request: ${visibleLine(latest)}`] : []),
    '',
    `## Files edited or written${partial}`,
    '',
    ...(scan.edited.size > 0 ? editedLines(scan) : ['(none)']),
    '',
    '## Todo list',
    '',
    ...(scan.lastTodos && scan.lastTodos.length > 0 ? todoLines(scan) : ['(no todo list in this session)']),
    '',
    '## Recent decisions',
    '',
    ...(scan.decisions.length > 0 ? scan.decisions.map((d) => `- ${markdownLine(d)}`) : ['(none recorded)']),
    '',
    '## Resume',
    '',
    'Start a fresh session that continues from this handoff:',
    '',
    markdownFence([...(context.cwd ? [`cd ${shellQuote(context.cwd)}`] : []), commands.fresh].join('\n'), 'sh'),
    '',
    'Or resume the old session with its full context:',
    '',
    markdownFence(commands.resume, 'sh'),
    '',
  ];
  return lines.join('\n');
}

/** Writes the handoff for an analysed session; returns its path. */
export function writeHandoff(root: string, analysis: SessionAnalysis, now: number, quota: HandoffQuota | null = null): string {
  const file = handoffPath(root, analysis.context.sessionId, now);
  writeFileAtomicSync(file, renderHandoff({ analysis, file, now, quota }));
  // One per compaction of every session adds up: the folder keeps the newest (this one among them).
  // Ages are judged on the files' mtimes, so against the wall clock rather than `now`.
  pruneFiles(handoffsDir(root), { ours: (name) => HANDOFF_NAME.test(name), keep: KEEP_HANDOFFS, maxAgeMs: HANDOFF_MAX_AGE_MS, keepRecent: KEEP_RECENT_HANDOFFS });
  return file;
}

function requireTranscript(transcriptPath: string): void {
  if (!fs.existsSync(transcriptPath)) throw new Error(`transcript not found: ${transcriptPath}`);
  // The path comes from a hook payload: a FIFO or device there would hang the hook.
  if (!isRegularFile(transcriptPath)) throw new Error(`transcript is not a regular file: ${transcriptPath}`);
}

/**
 * For the PreCompact hook: writes the handoff of `sessionId` from its transcript, reading from the
 * last compaction boundary on; returns the file's path.
 */
export function writeHandoffForSession(root: string, sessionId: string, transcriptPath: string, now: number, opts: HandoffOptions = {}): string {
  requireTranscript(transcriptPath);
  const analysis = analyzeSession(transcriptPath, { ...opts, from: opts.from ?? 'last-compact' });
  const withId: SessionAnalysis = { ...analysis, context: { ...analysis.context, sessionId } };
  return writeHandoff(root, withId, now, opts.quota ?? null);
}

/** The newest handoff written for `sessionId`, if any. */
export function latestHandoff(root: string, sessionId: string): string | null {
  const dir = handoffsDir(root);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return null;
  }
  const safeId = sessionId.replace(/[^A-Za-z0-9._-]/g, '_');
  let best: { file: string; mtime: number } | null = null;
  for (const name of names) {
    if (!name.startsWith(`${safeId}-`) || !name.endsWith('.md')) continue;
    const file = path.join(dir, name);
    try {
      const mtime = fs.statSync(file).mtimeMs;
      if (!best || mtime > best.mtime || (mtime === best.mtime && file > best.file)) best = { file, mtime };
    } catch {
      // vanished meanwhile
    }
  }
  return best?.file ?? null;
}

function capBytes(lines: string[], max: number): string {
  const out: string[] = [];
  let size = 0;
  for (const line of lines) {
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    if (size + bytes > max) break;
    out.push(line);
    size += bytes;
  }
  return out.join('\n');
}

/**
 * For the SessionStart hook after a compaction: a short "where we are" block (objective, files in
 * progress, open todos, last decisions), under 2 KB. It reads the work just compacted: from the
 * boundary before the last one (or the start), so the just-written boundary does not hide it.
 */
export function whereWeAreBlock(root: string, sessionId: string, transcriptPath: string): string {
  requireTranscript(transcriptPath);
  const boundaries = findCompactBoundaries(transcriptPath, 2);
  const from = boundaries.length >= 2 ? (boundaries[1] as number) : 0;
  const scan = scanSession(transcriptPath, from);
  const objective = from > 0 ? readSessionHead(transcriptPath).firstPrompt : scan.firstPrompt;
  const context = contextFromScan(scan, { headPrompt: objective });
  const latest = scan.latestPrompt && scan.latestPrompt !== objective ? scan.latestPrompt : null;
  const files = context.compaction.keep.filesEdited.slice(0, 10);
  const todos = (scan.lastTodos ?? []).filter((t) => t.status !== 'completed').slice(0, 8);
  const handoff = latestHandoff(root, sessionId);
  const lines = [
    '## Where we are (saved by cco before the compaction)',
    `Objective: ${objective ? oneLine(objective, 300) : '(unknown)'}`,
    ...(latest ? [`Latest request: ${oneLine(latest, 300)}`] : []),
    `Files in progress: ${files.length > 0 ? files.join(', ') : '(none)'}`,
    ...(todos.length > 0 ? ['Open todos:', ...todos.map((t) => `- [${t.status}] ${oneLine(t.content, 120)}`)] : ['Open todos: (none)']),
    ...(scan.decisions.length > 0 ? ['Last decisions:', ...scan.decisions.map((d) => `- ${oneLine(d, 200)}`)] : []),
    ...(handoff ? [`Full handoff: ${handoff}`] : []),
  ];
  // Every line is ours around transcript text, with no styling: each is made one safe line here.
  return capBytes(lines.map(visibleLine), WHERE_WE_ARE_MAX_BYTES);
}
