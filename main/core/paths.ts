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
}

export class ConfigRootError extends Error {}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Candidate roots before existence checks. `explicit` (the `--config-dir` option) wins over the environment. */
export function candidateRoots(env: NodeJS.ProcessEnv, home: string, explicit?: string[]): string[] {
  if (explicit && explicit.length > 0) return explicit.map((dir) => path.resolve(dir));
  const fromEnv = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((dir) => dir.trim())
    .filter((dir) => dir.length > 0);
  if (fromEnv.length > 0) return fromEnv.map((dir) => path.resolve(dir));
  const xdg = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return [path.join(home, '.claude'), path.join(xdg, 'claude')];
}

export function findConfigRoots(
  opts: { env?: NodeJS.ProcessEnv; home?: string; explicit?: string[] } = {},
): ConfigRoots {
  const candidates = candidateRoots(opts.env ?? process.env, opts.home ?? os.homedir(), opts.explicit);
  const unique = [...new Set(candidates)];
  return {
    roots: unique.filter(isDirectory),
    missing: unique.filter((dir) => !isDirectory(dir)),
  };
}

/** Like findConfigRoots, but a missing root is an error a user can act on. */
export function requireConfigRoots(opts: { env?: NodeJS.ProcessEnv; home?: string; explicit?: string[] } = {}): string[] {
  const found = findConfigRoots(opts);
  if (opts.explicit && found.missing.length > 0) {
    throw new ConfigRootError(`config directory not found: ${found.missing.join(', ')} (check --config-dir)`);
  }
  if (found.roots.length === 0) {
    throw new ConfigRootError(
      `no Claude Code config directory found (looked in ${found.missing.join(', ')}); ` +
        'run Claude Code once, or pass --config-dir DIR or set CLAUDE_CONFIG_DIR',
    );
  }
  return found.roots;
}

/** The optimizer's own files, in the first root (spec "File Locations"). */
export function statePaths(firstRoot: string) {
  return {
    quotaTracker: path.join(firstRoot, 'quota-tracker.json'),
    usageHistory: path.join(firstRoot, 'usage-history.json'),
    sessionTracker: path.join(firstRoot, 'session-tracker.json'),
    sessionQueue: path.join(firstRoot, 'session-queue.json'),
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
}

/**
 * Every `projects/**\/*.jsonl` under the roots: session files, `<session>/subagents/agent-*.jsonl`
 * (v2.1.2+) and the older `agent-*.jsonl` beside the session file. Unreadable entries are reported,
 * never thrown.
 */
export function listTranscriptFiles(roots: string[]): TranscriptListing {
  const listing: TranscriptListing = { files: [], unreadable: [] };
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      listing.unreadable.push({ path: dir, error: errorCode(error) });
      return;
    }
    for (const entry of entries) {
      // Plain concatenation: path.join's normalisation showed in profiles over thousands of files.
      const full = dir + path.sep + entry.name;
      if (entry.isDirectory()) {
        if (depth < 6) walk(full, depth + 1);
      } else if (entry.name.endsWith('.jsonl') && (entry.isFile() || entry.isSymbolicLink())) {
        try {
          const stat = fs.statSync(full);
          if (stat.isFile()) listing.files.push({ path: full, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino });
        } catch (error) {
          listing.unreadable.push({ path: full, error: errorCode(error) });
        }
      }
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
