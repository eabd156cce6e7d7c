/**
 * Compaction opportunities and the `/compact <instructions>` brief, pure. Claude Code cannot be made
 * to compact from outside (claude-code-facts.md §3): the optimizer hands the user a ready line
 * whose instructions steer what the summary keeps (objectives, files being edited, open todos,
 * decisions) and what it drops (files only read, old tool output).
 *
 * Savings are estimates on the breakdown's scale: characters / 4 times the factor that made the
 * breakdown add up to the measured context.
 */
import type { CompactionBrief, CompactionOpportunity } from '../../../shared/context-snapshot.js';
import { formatTokens } from '../../../shared/format.js';
import { visibleLine } from '../../../shared/sanitize.js';
import type { ReadRecord, SessionScan } from './scan.js';
import { CHARS_PER_TOKEN, displayPath, listNames, oneLine } from './text.js';

/** The spec's "keep recent 10" file reads. */
export const KEEP_RECENT_READS = 10;
/** Tool results and exchanges of the last responses are current work, never "old". */
export const KEEP_RECENT_RESPONSES = 20;
/** An old exchange's prose compacts to about half: the summary keeps its decisions. */
export const OLD_EXCHANGE_SAVING = 0.5;

const MAX_FILES_NAMED = 12;
const MAX_TODOS_NAMED = 8;
const MAX_DROP_NAMED = 10;

export interface CompactionInput {
  scan: SessionScan;
  /** Multiplier from character estimates to the measured scale (breakdown.ts scaleFactor). */
  factor: number;
  /** The measured context, when known: savings never exceed it minus the system prompt. */
  total: number | null;
  systemPrompt: number;
  /** The session's first prompt when the scan started after it (hook mode reads from the last boundary). */
  headPrompt?: string | null;
}

interface StaleReads {
  records: Set<ReadRecord>;
  files: string[];
  dropFiles: string[];
}

/**
 * Reads that can go: not among the last {@link KEEP_RECENT_READS}, and either superseded by a later
 * read of the same file or never touched again (no later read, no edit after).
 */
function staleReads(scan: SessionScan): StaleReads {
  const reads = scan.segment.readRecords;
  const edits = scan.segment.edits;
  const recentFrom = Math.max(0, reads.length - KEEP_RECENT_READS);
  const recentFiles = new Set(reads.slice(recentFrom).map((r) => r.path));
  const records = new Set<ReadRecord>();
  const files = new Set<string>();
  const drop = new Set<string>();
  const lastRead = new Map<string, number>();
  reads.forEach((read, index) => lastRead.set(read.path, index));
  const lastEdit = new Map<string, number>();
  for (const edit of edits) lastEdit.set(edit.path, Math.max(edit.order, lastEdit.get(edit.path) ?? 0));
  reads.forEach((read, index) => {
    if (index >= recentFrom) return;
    const readAgain = (lastRead.get(read.path) ?? index) > index;
    const editedAfter = (lastEdit.get(read.path) ?? 0) > read.order;
    if (readAgain || !editedAfter) {
      records.add(read);
      files.add(read.path);
      if (!readAgain && !recentFiles.has(read.path) && !scan.edited.has(read.path)) drop.add(read.path);
    }
  });
  return { records, files: [...files], dropFiles: [...drop] };
}

function tokensOf(chars: number, factor: number): number {
  return Math.round((chars / CHARS_PER_TOKEN) * factor);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatTokens(n)} ${n === 1 ? one : many}`;
}

export function compactionOpportunities(input: CompactionInput): { opportunities: CompactionOpportunity[]; dropFiles: string[] } {
  const { scan, factor } = input;
  const segment = scan.segment;
  const stale = staleReads(scan);
  const staleOrders = new Set([...stale.records].map((r) => r.order));
  const opportunities: CompactionOpportunity[] = [];

  const readChars = [...stale.records].reduce((n, r) => n + r.chars, 0);
  opportunities.push({
    kind: 'old-file-reads',
    label: 'Old file reads',
    tokens: tokensOf(readChars, factor),
    detail: `${plural(stale.records.size, 'read')} of ${plural(stale.files.length, 'file')} superseded or not touched again; keep recent ${KEEP_RECENT_READS}`,
  });

  // Identical results: every copy but the last is redundant.
  const lastOfHash = new Map<string, number>();
  segment.resultRecords.forEach((r, i) => lastOfHash.set(r.hash, i));
  let duplicateChars = 0;
  let duplicates = 0;
  const counted = new Set<number>();
  segment.resultRecords.forEach((r, i) => {
    if (lastOfHash.get(r.hash) === i) return;
    counted.add(i);
    if (r.read && staleOrders.has(r.order)) return;
    duplicateChars += r.chars;
    duplicates += 1;
  });
  opportunities.push({
    kind: 'duplicate-tool-results',
    label: 'Duplicate tools',
    tokens: tokensOf(duplicateChars, factor),
    detail: `${plural(duplicates, 'repeated result')}; deduplicate`,
  });

  const oldBefore = segment.responses.length - KEEP_RECENT_RESPONSES;
  let oldResultChars = 0;
  let oldResults = 0;
  segment.resultRecords.forEach((r, i) => {
    if (r.read || counted.has(i) || r.response >= oldBefore) return;
    oldResultChars += r.chars;
    oldResults += 1;
  });
  opportunities.push({
    kind: 'old-tool-results',
    label: 'Old tool output',
    tokens: tokensOf(oldResultChars, factor),
    detail: `${plural(oldResults, 'result')} older than the last ${KEEP_RECENT_RESPONSES} responses; keep conclusions`,
  });

  const oldTextChars = segment.textRecords.reduce((n, t) => (t.response < oldBefore ? n + t.chars : n), 0);
  opportunities.push({
    kind: 'old-exchanges',
    label: 'Old exchanges',
    tokens: tokensOf(oldTextChars * OLD_EXCHANGE_SAVING, factor),
    detail: `prose older than the last ${KEEP_RECENT_RESPONSES} responses; keep key decisions`,
  });

  return { opportunities: opportunities.filter((o) => o.tokens > 0), dropFiles: stale.dropFiles };
}

function quoted(text: string): string {
  return `"${text.replace(/"/g, "'")}"`;
}

/** The compaction brief: opportunities, their total, what to keep and drop, and the `/compact` line. */
export function compactionBrief(input: CompactionInput): CompactionBrief {
  const { scan } = input;
  const { opportunities, dropFiles } = compactionOpportunities(input);
  let potentialSavings = opportunities.reduce((n, o) => n + o.tokens, 0);
  if (input.total !== null) potentialSavings = Math.min(potentialSavings, Math.max(0, input.total - input.systemPrompt));

  const cwd = scan.cwd;
  const objective = scan.segment.firstPrompt ?? input.headPrompt ?? scan.firstPrompt;
  const latest = scan.segment.latestPrompt ?? scan.latestPrompt;
  const latestRequest = latest && latest !== objective ? latest : null;
  const filesEdited = [...scan.edited.values()].reverse().map((f) => displayPath(f.path, cwd));
  const openTodos = (scan.lastTodos ?? []).filter((t) => t.status !== 'completed').map((t) => `[${t.status}] ${t.content}`);
  const drop = dropFiles.map((f) => displayPath(f, cwd));

  return {
    opportunities,
    potentialSavings,
    command: compactCommand({ objective, latestRequest, filesEdited, openTodos, drop }),
    keep: { objective, latestRequest, filesEdited, openTodos, decisions: [...scan.decisions] },
    drop: { files: drop },
  };
}

export function compactCommand(parts: { objective: string | null; latestRequest: string | null; filesEdited: string[]; openTodos: string[]; drop: string[] }): string {
  const keep: string[] = [];
  if (parts.objective) keep.push(`the objective ${quoted(oneLine(parts.objective, 200))}`);
  if (parts.latestRequest) keep.push(`the latest request ${quoted(oneLine(parts.latestRequest, 200))}`);
  if (parts.filesEdited.length > 0) keep.push(`the files being edited (${listNames(parts.filesEdited, MAX_FILES_NAMED)}) and what changed in them`);
  if (parts.openTodos.length > 0) keep.push(`the open todos: ${listNames(parts.openTodos.map((t) => oneLine(t, 100)), MAX_TODOS_NAMED)}`);
  keep.push('the decisions made and their reasons, and any errors still unresolved');
  const drop = parts.drop.length > 0
    ? `the contents of files that were only read (${listNames(parts.drop, MAX_DROP_NAMED)}), old tool output and superseded attempts; they can be re-read when needed`
    : 'old tool output, file contents that were only read, and superseded attempts; they can be re-read when needed';
  // The parts are transcript text (prompts, paths, todos): the line the user pastes into Claude Code
  // must stay one line with no control in it, whichever face shows or copies it.
  return visibleLine(`/compact Keep ${keep.join('; ')}. Drop ${drop}.`);
}
