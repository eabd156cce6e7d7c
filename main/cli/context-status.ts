/**
 * `cco context` (the spec's `/context-status`), `cco compact` (`/compact-context`: the brief and a
 * ready `/compact ...` line) and `cco handoff` (`/save-and-restart`: writes the handoff file and
 * prints its path). Each picks one session (see main/core/context/find-session.ts).
 */
import { parseCliArgs } from './args.js';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import { visibleLine } from '../../shared/sanitize.js';
import { ConfigRootError } from '../core/paths.js';
import { analyzeSession, type SessionAnalysis } from '../core/context/analyze.js';
import { contextSettings, type StatusLineContext } from '../core/context/context.js';
import { chooseSession, NoTranscriptYetError, SessionNotFoundError, type SessionChoice } from '../core/context/find-session.js';
import { resumeCommands, writeHandoff, type HandoffQuota } from '../core/context/handoff.js';
import { readSessionHead } from '../core/context/scan.js';
import { shellQuote } from '../core/context/text.js';
import { readStatusLineState, statusLineContextOf } from '../core/sources/statusline-store.js';
import { collectStatus } from '../core/status.js';
import { COMMON_OPTIONS, resolveContext, UsageError, type CommandContext } from './command-context.js';
import type { Io } from './io.js';
import { renderCompactionBrief, renderContextPanel } from './render/context-panel.js';
import { shouldUseColor } from './render/terminal.js';

const SESSION_HELP = `  --session ID   the session (its id, or 8+ leading characters of it)
  --cwd DIR      the most recently active session that ran in DIR or below it
  --latest       the most recently active session, whichever project it belongs to
                 (default: the session Claude Code runs this from, never another one; else
                 this directory's project; with neither, cco says so instead of guessing)
  --config-dir   Claude Code config root(s), comma-separated (default: $CLAUDE_CONFIG_DIR or ~/.claude)`;

export const CONTEXT_USAGE = `usage: cco context [--json] [--session ID | --cwd DIR | --latest] [--config-dir DIR]
  the context window of one session (the spec's /context-status)
  --json         print the Snapshot's context part as JSON
${SESSION_HELP}`;

export const COMPACT_USAGE = `usage: cco compact [--json] [--session ID | --cwd DIR | --latest] [--config-dir DIR]
  what a compaction would free, and a ready "/compact ..." line to paste into Claude Code
  --json         print the compaction brief as JSON
${SESSION_HELP}`;

export const HANDOFF_USAGE = `usage: cco handoff [--json] [--session ID | --cwd DIR | --latest] [--config-dir DIR] [--now ISO]
  writes a handoff file (objective, files edited, todos, decisions, resume commands) to
  <config root>/handoffs/ and prints its path (the spec's /save-and-restart)
  --json         print {path, sessionId, commands} as JSON
  --now ISO      the time written into the handoff (reproducible files)
${SESSION_HELP}`;

/** What the app or the lead's wiring can add: the status line's latest context_window for a session. */
export interface ContextCliDeps {
  statusLineContext?: (sessionId: string) => StatusLineContext | null;
}

const OPTIONS = {
  ...COMMON_OPTIONS,
  json: { type: 'boolean' },
  session: { type: 'string' },
  cwd: { type: 'string' },
  latest: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The status line's latest context figures for a session, from the first root's state file. */
function defaultStatusLineContext(ctx: CommandContext): (sessionId: string) => StatusLineContext | null {
  const state = readStatusLineState(ctx.roots[0]).value;
  return (sessionId) => statusLineContextOf(state, sessionId);
}

interface Prepared {
  values: { json?: boolean; 'no-color'?: boolean };
  ctx: CommandContext;
  choice: SessionChoice;
  analysis: SessionAnalysis;
}

/**
 * Parses, picks the session, analyses it. Null when --help was printed. `scope`: the context and
 * the compaction brief concern what is in the context now, so they read from the last compaction
 * (fast on long sessions); the handoff reads the whole session for every file it touched.
 */
function prepare(command: string, args: string[], io: Io, usage: string, deps: ContextCliDeps, scope: 'start' | 'last-compact'): Prepared | null {
  const { values } = parseCliArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) {
    io.stdout(`${usage}\n`);
    return null;
  }
  const chosen = [values.session !== undefined ? '--session' : null, values.cwd !== undefined ? '--cwd' : null, values.latest ? '--latest' : null].filter((name) => name !== null);
  if (chosen.length > 1) throw new UsageError(`give one of --session, --cwd and --latest, not ${chosen.join(' and ')}`);
  if (values.session !== undefined && values.session.trim() === '') throw new UsageError('--session needs a session id');
  const ctx = resolveContext(values, io.env);
  // A settings file moved aside is said first, on stderr, before any output.
  for (const warning of ctx.warnings) io.stderr(`cco: warning: ${warning}\n`);
  const choice = chooseSession(ctx.roots, {
    ...(values.session !== undefined ? { sessionId: values.session } : {}),
    ...(values.cwd !== undefined ? { cwd: values.cwd } : {}),
    ...(!values.latest && io.env.CLAUDE_CODE_SESSION_ID ? { envSessionId: io.env.CLAUDE_CODE_SESSION_ID } : {}),
    ...(values.latest ? {} : { currentDir: process.cwd() }),
  });
  // The latest session overall belongs to whatever project was used last: analysing (or writing
  // a handoff for) it unasked would answer about another project. Only --latest asks for it.
  if (choice.reason === 'latest' && !values.latest) {
    const other = readSessionHead(choice.file, { wantPrompt: false }).cwd;
    throw new UsageError(
      `no Claude Code session of ${process.cwd()} found; the most recent one is ${choice.sessionId.slice(0, 8)}${other ? ` in ${other}` : ''}: cco ${command} --latest uses it, --session ID picks another`,
    );
  }
  const analysis = analyzeSession(choice.file, {
    settings: contextSettings(ctx.settings),
    statusLineContext: (deps.statusLineContext ?? defaultStatusLineContext(ctx))(choice.sessionId),
    from: scope,
  });
  return { values, ctx, choice, analysis };
}

/** Session and usage errors are the user's: one line, exit code 2. Anything else propagates. */
async function guarded(io: Io, run: () => number | Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    // Nothing to analyse yet is an answer, not a failure: the /context-status slash command would
    // abort on a non-zero exit. An unknown --session or --cwd stays an error.
    if (error instanceof NoTranscriptYetError) {
      io.stdout(`${error.message.replace(/^no/, 'No')}: Claude Code writes it with the session's first response; ask again after that.\n`);
      return 0;
    }
    if (error instanceof SessionNotFoundError && error.noneYet) {
      io.stdout(`${visibleLine(error.message.replace(/^no/, 'No'))}: start Claude Code in a project, then ask again.\n`);
      return 0;
    }
    if (error instanceof SessionNotFoundError || error instanceof UsageError || error instanceof ConfigRootError) {
      io.stderr(`cco: ${visibleLine(error.message)}\n`);
      return 2;
    }
    throw error;
  }
}

function color(values: { 'no-color'?: boolean }, io: Io): boolean {
  return !values['no-color'] && shouldUseColor(io.stdoutStream, io.env);
}

export function runContext(args: string[], io: Io, deps: ContextCliDeps = {}): Promise<number> {
  return guarded(io, () => {
    const prepared = prepare('context', args, io, CONTEXT_USAGE, deps, 'last-compact');
    if (!prepared) return 0;
    const { values, analysis } = prepared;
    const context: ContextSnapshot = analysis.context;
    io.stdout(values.json ? `${JSON.stringify(context, null, 2)}\n` : `${renderContextPanel(context, { color: color(values, io) })}\n`);
    return 0;
  });
}

export function runCompact(args: string[], io: Io, deps: ContextCliDeps = {}): Promise<number> {
  return guarded(io, () => {
    const prepared = prepare('compact', args, io, COMPACT_USAGE, deps, 'last-compact');
    if (!prepared) return 0;
    const { values, analysis } = prepared;
    const { context } = analysis;
    if (values.json) {
      io.stdout(`${JSON.stringify({ sessionId: context.sessionId, tokens: context.tokens, level: context.level, ...context.compaction }, null, 2)}\n`);
    } else {
      io.stdout(`${renderCompactionBrief(context, { color: color(values, io) })}\n`);
    }
    return 0;
  });
}

/** The quota figures for the handoff; none when the quota cannot be computed (the handoff still gets written). */
function quotaFigures(ctx: CommandContext): HandoffQuota | null {
  try {
    const snapshot = collectStatus({ roots: ctx.roots, settings: ctx.settings, now: ctx.now, persist: false, warnings: [] });
    const window = snapshot.quota.currentWindow;
    return {
      percentUsed: snapshot.quota.percentUsed,
      tokensUsed: window?.tokensUsed ?? 0,
      limit: snapshot.plan.limit,
      resetTime: window?.resetTime ?? null,
    };
  } catch {
    return null;
  }
}

export function runHandoff(args: string[], io: Io, deps: ContextCliDeps = {}): Promise<number> {
  return guarded(io, () => {
    const prepared = prepare('handoff', args, io, HANDOFF_USAGE, deps, 'start');
    if (!prepared) return 0;
    const { values, ctx, analysis } = prepared;
    const file = writeHandoff(ctx.roots[0], analysis, ctx.now, quotaFigures(ctx));
    const commands = resumeCommands(file, analysis.context.sessionId);
    if (values.json) {
      io.stdout(`${JSON.stringify({ path: file, sessionId: analysis.context.sessionId, commands }, null, 2)}\n`);
    } else {
      // Both commands run in the session's project, as the handoff file says; the session id and
      // the project come from the transcript.
      const cd = analysis.context.cwd ? `  ${visibleLine(`cd ${shellQuote(analysis.context.cwd)}`)}\n` : '';
      io.stdout(`${visibleLine(file)}\n\nResume in a fresh session:\n${cd}  ${visibleLine(commands.fresh)}\nOr resume the old one:\n${cd}  ${visibleLine(commands.resume)}\n`);
    }
    return 0;
  });
}
