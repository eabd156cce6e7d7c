/**
 * Where Claude Code keeps its files (claude-code-facts.md §1) and where the optimizer keeps its own.
 * Config roots: `$CLAUDE_CONFIG_DIR` (a comma-separated list, as ccusage reads it), else `~/.claude`
 * and `$XDG_CONFIG_HOME/claude` (default `~/.config/claude`), each that exists.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ConfigRoots {
  /** Roots that exist, in priority order. The first holds the optimizer's own files. */
  roots: string[];
  /** Candidates that were looked at and do not exist (for the error message). */
  missing: string[];
  /** Environment values refused as roots (relative paths), for the error message. */
  rejected?: string[];
}

export class ConfigRootError extends Error {}

export function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

export interface Candidates {
  /** Absolute candidate roots, in priority order. */
  dirs: string[];
  /** Why an environment value gave no root: one line each (`HOME is "" ...`). */
  rejected: string[];
}

/**
 * Candidate roots before existence checks. `explicit` (the `--config-dir` option, typed by a
 * person or written absolute by `cco install`) wins over the environment and is resolved against
 * the cwd. Roots from the environment must be absolute: with `HOME=""` (or unset, or relative) a
 * hook would otherwise write `./.claude` inside whatever project it runs in.
 */
export function configRootCandidates(env: NodeJS.ProcessEnv, home: string, explicit?: string[]): Candidates {
  if (explicit && explicit.length > 0) return { dirs: explicit.map((dir) => path.resolve(dir)), rejected: [] };
  const rejected: string[] = [];
  const absolute = (dir: string, what: string): boolean => {
    if (path.isAbsolute(dir)) return true;
    rejected.push(`${what} is ${JSON.stringify(dir)}, not an absolute path`);
    return false;
  };
  const fromEnv = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((dir) => dir.trim())
    .filter((dir) => dir.length > 0);
  if (fromEnv.length > 0) {
    return { dirs: fromEnv.filter((dir) => absolute(dir, 'CLAUDE_CONFIG_DIR entry')).map((dir) => path.resolve(dir)), rejected };
  }
  const dirs: string[] = [];
  const homeOk = absolute(home, 'the home directory (HOME)');
  if (homeOk) dirs.push(path.join(home, '.claude'));
  const xdgSet = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME.trim() !== '';
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  if (xdgSet && path.isAbsolute(env.XDG_CONFIG_HOME as string)) dirs.push(path.join(env.XDG_CONFIG_HOME as string, 'claude'));
  else if (homeOk) dirs.push(path.join(home, '.config', 'claude'));
  return { dirs, rejected };
}

/** The candidate roots alone (see configRootCandidates). */
export function candidateRoots(env: NodeJS.ProcessEnv, home: string, explicit?: string[]): string[] {
  return configRootCandidates(env, home, explicit).dirs;
}

export function findConfigRoots(
  opts: { env?: NodeJS.ProcessEnv; home?: string; explicit?: string[] } = {},
): ConfigRoots {
  const { dirs, rejected } = configRootCandidates(opts.env ?? process.env, opts.home ?? os.homedir(), opts.explicit);
  const unique = [...new Set(dirs)];
  return {
    roots: unique.filter(isDirectory),
    missing: unique.filter((dir) => !isDirectory(dir)),
    ...(rejected.length > 0 ? { rejected } : {}),
  };
}

/** Like findConfigRoots, but a missing root is an error a user can act on. */
/** The config roots in use: never empty, so the first (where cco keeps its own files) is always there. */
export type RootList = readonly [string, ...string[]];

export function requireConfigRoots(opts: { env?: NodeJS.ProcessEnv; home?: string; explicit?: string[] } = {}): RootList {
  const found = findConfigRoots(opts);
  if (opts.explicit && found.missing.length > 0) {
    throw new ConfigRootError(`config directory not found: ${found.missing.join(', ')} (check --config-dir)`);
  }
  if (found.roots.length === 0) {
    const looked = found.missing.length > 0 ? `looked in ${found.missing.join(', ')}` : 'nowhere to look';
    const why = found.rejected ? `; ${found.rejected.join('; ')}` : '';
    throw new ConfigRootError(
      `no Claude Code config directory found (${looked}${why}); ` +
        'run Claude Code once, or pass --config-dir DIR or set CLAUDE_CONFIG_DIR to an absolute path',
    );
  }
  const [first, ...rest] = found.roots;
  return [first as string, ...rest];
}

/** The optimizer's own files, in the first root (spec "File Locations"). */
export function statePaths(firstRoot: string) {
  return {
    quotaTracker: path.join(firstRoot, 'quota-tracker.json'),
    usageHistory: path.join(firstRoot, 'usage-history.json'),
    sessionTracker: path.join(firstRoot, 'session-tracker.json'),
    sessionQueue: path.join(firstRoot, 'session-queue.json'),
    statusLineState: path.join(firstRoot, 'statusline-state.json'),
    /** What `cco install` changed (main/integration), read by `cco statusline` to chain the user's own. */
    integrationState: path.join(firstRoot, 'cco-integration.json'),
    /** The last complete output of the user's own status line, shown when it is too slow once. */
    previousStatusLineOutput: path.join(firstRoot, 'statusline-previous-output.txt'),
    /** What the guarded auto-start did (main/core/planner/auto-start-follow.ts), and its owner lock. */
    autoStartRecord: path.join(firstRoot, 'cco-auto-start.json'),
    autoStartOwnerLock: path.join(firstRoot, 'cco-auto-start.owner.lock'),
    logsDir: path.join(firstRoot, 'logs'),
    calendarDir: path.join(firstRoot, 'calendar'),
  };
}

export interface TranscriptFile {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface TranscriptListing {
  files: TranscriptFile[];
  unreadable: { path: string; error: string }[];
  /**
   * A quick listing (see listTranscriptFiles' `sessionsActiveSince`) holds every file that may
   * have been written at or after this instant; absent for a complete listing.
   */
  completeSince?: number;
}

export interface ListingOptions {
  /**
   * Skip the sub-agent folder (`<session>/`) of a session whose own file was last written before
   * this instant: sub-agents write while their session runs, and the session's file is appended
   * when a sub-agent returns, so such a folder holds nothing newer. Saves a readdir and the stats
   * of a folder per old session on every `cco status`.
   */
  sessionsActiveSince?: number;
}

/** How much earlier than the mtimes a line may be stamped (kept in step with the ledger's slack). */
const LISTING_SLACK_MS = 15 * 60_000;

/**
 * Every `projects/**\/*.jsonl` under the roots: session files, `<session>/subagents/agent-*.jsonl`
 * (v2.1.2+) and the older `agent-*.jsonl` beside the session file. Unreadable entries are reported,
 * never thrown.
 */
export function listTranscriptFiles(roots: readonly string[], opts: ListingOptions = {}): TranscriptListing {
  const cutoff = opts.sessionsActiveSince;
  const listing: TranscriptListing = { files: [], unreadable: [], ...(cutoff !== undefined ? { completeSince: cutoff + LISTING_SLACK_MS } : {}) };
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      listing.unreadable.push({ path: dir, error: errorCode(error) });
      return;
    }
    // Files first, so a session's folder can be judged by its session file's mtime.
    const sessionMtimes = new Map<string, number>();
    for (const entry of entries) {
      if (entry.isDirectory() || !entry.name.endsWith('.jsonl') || !(entry.isFile() || entry.isSymbolicLink())) continue;
      // Plain concatenation: path.join's normalisation showed in profiles over thousands of files.
      const full = dir + path.sep + entry.name;
      try {
        const stat = fs.statSync(full);
        if (!stat.isFile()) continue;
        listing.files.push({ path: full, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino });
        sessionMtimes.set(entry.name.slice(0, -'.jsonl'.length), stat.mtimeMs);
      } catch (error) {
        listing.unreadable.push({ path: full, error: errorCode(error) });
      }
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || depth >= 6) continue;
      const sessionMtime = sessionMtimes.get(entry.name);
      if (cutoff !== undefined && sessionMtime !== undefined && sessionMtime < cutoff) continue;
      walk(dir + path.sep + entry.name, depth + 1);
    }
  };
  for (const root of roots) {
    const projects = path.join(root, 'projects');
    if (isDirectory(projects)) walk(projects, 0);
  }
  return listing;
}

export function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}
