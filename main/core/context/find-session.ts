/**
 * Which session a context command is about. `--session ID` names one; `--cwd DIR` asks for the
 * most recently modified session that ran in DIR or below it. The default is the session Claude
 * Code says we are in (`CLAUDE_CODE_SESSION_ID`, set for slash commands and hooks), else the current
 * directory's project, else the most recently active session.
 *
 * A session named by id (either way) is never swapped for another: a slash command that is the
 * first prompt of a new session runs before its transcript exists (claude-code-facts.md §5). Its
 * transcript is then looked up through the SessionStart line of `logs/sessions.jsonl` (which has
 * `transcript_path`), and when there is none yet the answer is NoTranscriptYetError.
 *
 * A session's directory is read from the `cwd` field inside its lines, never decoded from the
 * project folder name (the encoding loses information, claude-code-facts.md §1). The folder name
 * only orders the search: DIR's encoding must prefix it for a match to be possible, so unrelated
 * projects are not opened.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listTranscriptFiles, type TranscriptFile } from '../paths.js';
import { readSessionLogFile, sessionLogFiles } from '../sources/session-log.js';
import { readSessionHead } from './scan.js';

export class SessionNotFoundError extends Error {
  /** True when no session exists at all (nothing was asked for by id or directory). */
  constructor(message: string, readonly noneYet = false) {
    super(message);
  }
}

/** The session named by id exists (Claude Code said so) but has written no transcript yet. */
export class NoTranscriptYetError extends SessionNotFoundError {
  constructor(readonly sessionId: string) {
    // The id comes from the environment or the command line: keep it to what an id can hold.
    super(`no transcript yet for session ${sessionId.replace(/[^\w.-]/g, '?').slice(0, 100)}`);
  }
}

export type SessionChoiceReason = 'session' | 'env' | 'cwd' | 'project' | 'latest';

export interface SessionChoice {
  file: string;
  sessionId: string;
  reason: SessionChoiceReason;
}

export interface ChooseSessionOptions {
  /** `--session`: a session id, or a unique prefix of one (8+ characters). */
  sessionId?: string;
  /** `--cwd`. */
  cwd?: string;
  /** `CLAUDE_CODE_SESSION_ID` from the environment. */
  envSessionId?: string;
  /** The process's current directory (for the default). */
  currentDir?: string;
  /** A listing made already (the Engine keeps one). */
  files?: readonly TranscriptFile[];
}

/** Claude Code's project-folder encoding: every non-alphanumeric character becomes `-`, cut at 200. */
const ENCODED_MAX = 200;
function encode(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '-');
}

/** Sub-agent transcripts (`<session>/subagents/agent-*.jsonl`, older `agent-*.jsonl`) are not sessions. */
export function isSubagentTranscript(file: string): boolean {
  return path.basename(file).startsWith('agent-') || file.split(/[\\/]/).includes('subagents');
}

/** Session transcripts under the roots, most recently modified first. */
export function sessionFiles(files: readonly TranscriptFile[]): TranscriptFile[] {
  return files.filter((f) => !isSubagentTranscript(f.path)).sort((a, b) => b.mtimeMs - a.mtimeMs);
}

function sessionIdOf(file: string): string {
  return path.basename(file, '.jsonl');
}

export function findSessionById(files: readonly TranscriptFile[], id: string): TranscriptFile | null {
  const wanted = id.trim();
  if (!wanted) return null;
  const exact = files.find((f) => sessionIdOf(f.path) === wanted);
  if (exact) return exact;
  if (wanted.length < 8) return null;
  const prefixed = files.filter((f) => sessionIdOf(f.path).startsWith(wanted));
  const ids = new Set(prefixed.map((f) => sessionIdOf(f.path)));
  if (ids.size > 1) throw new SessionNotFoundError(`session id "${wanted}" is ambiguous (${ids.size} sessions start with it); give more of it`);
  return prefixed[0] ?? null;
}

function normalizeDir(dir: string): string {
  const resolved = path.resolve(dir);
  return resolved.length > 1 ? resolved.replace(/[\\/]+$/, '') : resolved;
}

function isWithin(child: string, parent: string): boolean {
  if (child === parent) return true;
  const relative = path.relative(parent, child);
  return relative.length > 0 && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function projectFolder(file: string): string {
  return encode(path.basename(path.dirname(file)));
}

function headCwd(file: string): string | null {
  try {
    return readSessionHead(file, { wantPrompt: false, maxBytes: 1 << 20 }).cwd;
  } catch {
    return null; // unreadable: the listing reports it elsewhere
  }
}

/**
 * The most recently modified session whose `cwd` is DIR or inside it (`inside`), or a directory
 * DIR is inside (`ancestor`: the project the current directory belongs to).
 *
 * Folders whose name could encode such a directory are checked first; with `thorough`, the others
 * too when they are more recent than the best match so far, so a session whose lines disagree with
 * its folder is still found. The usual case opens only the matching project's files; a miss with
 * `thorough` opens the head of every session file.
 */
export function findSessionForDir(files: readonly TranscriptFile[], dir: string, mode: 'inside' | 'ancestor', thorough = true): TranscriptFile | null {
  const target = normalizeDir(dir);
  const encoded = encode(target);
  const likely = (file: TranscriptFile): boolean => {
    const folder = projectFolder(file.path);
    return mode === 'inside' ? folder.startsWith(encoded.slice(0, ENCODED_MAX)) : encoded.startsWith(folder) || folder.length > ENCODED_MAX;
  };
  const matches = (file: TranscriptFile): boolean => {
    const cwd = headCwd(file.path);
    if (!cwd) return false;
    const sessionDir = normalizeDir(cwd);
    return mode === 'inside' ? isWithin(sessionDir, target) : sessionDir !== path.parse(sessionDir).root && isWithin(target, sessionDir);
  };
  const best = files.find((file) => likely(file) && matches(file)) ?? null;
  if (!thorough) return best;
  const newer = files.find((file) => (best === null || file.mtimeMs > best.mtimeMs) && !likely(file) && matches(file));
  return newer ?? best;
}

function choice(file: TranscriptFile, reason: SessionChoiceReason): SessionChoice {
  return { file: file.path, sessionId: sessionIdOf(file.path), reason };
}

function isTranscriptFile(file: string): boolean {
  try {
    return file.endsWith('.jsonl') && fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * What the hooks' log knows of a session: whether a SessionStart was logged for it, and the
 * transcript path the latest one gave when that file exists. An unreadable log knows nothing.
 */
export function sessionFromLog(roots: readonly string[], sessionId: string): { logged: boolean; transcript: string | null } {
  let logged = false;
  let transcript: string | null = null;
  for (const root of roots) {
    // Newest first: the rotated files are read only while the session has not been found.
    for (const file of sessionLogFiles(root)) {
      let events;
      try {
        events = readSessionLogFile(file, 0).events;
      } catch {
        continue;
      }
      let found = false;
      for (const event of events) {
        if (event.type !== 'session_start' || event.session_id !== sessionId) continue;
        found = true;
        if (event.transcript_path && isTranscriptFile(event.transcript_path)) transcript = event.transcript_path;
      }
      if (found) {
        logged = true;
        break;
      }
    }
  }
  return { logged, transcript };
}

/**
 * The exact session `id` by its transcript file, else through the hooks' log. Null when neither
 * knows it; NoTranscriptYetError when the log has its start but the transcript is not there yet.
 */
function sessionNamed(roots: readonly string[], files: readonly TranscriptFile[], id: string, reason: SessionChoiceReason, prefixOk: boolean): SessionChoice | null {
  const found = prefixOk ? findSessionById(files, id) : files.find((f) => sessionIdOf(f.path) === id.trim()) ?? null;
  if (found) return choice(found, reason);
  const wanted = id.trim();
  const log = sessionFromLog(roots, wanted);
  if (log.transcript) return { file: log.transcript, sessionId: wanted, reason };
  if (log.logged) throw new NoTranscriptYetError(wanted);
  return null;
}

/** Throws SessionNotFoundError with a one-line message when nothing matches. */
export function chooseSession(roots: readonly string[], opts: ChooseSessionOptions = {}): SessionChoice {
  const files = sessionFiles(opts.files ?? listTranscriptFiles(roots).files);
  const where = roots.map((root) => path.join(root, 'projects')).join(', ');
  if (opts.sessionId !== undefined) {
    const found = sessionNamed(roots, files, opts.sessionId, 'session', true);
    if (!found) throw new SessionNotFoundError(`no session "${opts.sessionId}" found in ${where} (see "cco context --help")`);
    return found;
  }
  if (opts.cwd !== undefined) {
    const found = findSessionForDir(files, opts.cwd, 'inside');
    if (!found) throw new SessionNotFoundError(`no session found for ${normalizeDir(opts.cwd)} in ${where}`);
    return choice(found, 'cwd');
  }
  if (opts.envSessionId) {
    // Claude Code runs us inside this very session: another session's figures would be wrong.
    const found = sessionNamed(roots, files, opts.envSessionId, 'env', false);
    if (!found) throw new NoTranscriptYetError(opts.envSessionId.trim());
    return found;
  }
  if (opts.currentDir) {
    // A guess, so the cheap search: folders that can encode the directory only.
    const found = findSessionForDir(files, opts.currentDir, 'inside', false) ?? findSessionForDir(files, opts.currentDir, 'ancestor', false);
    if (found) return choice(found, 'project');
  }
  const latest = files[0];
  if (!latest) throw new SessionNotFoundError(`no Claude Code sessions found in ${where} yet`, true);
  return choice(latest, 'latest');
}
